"""The job seeker's models, one module per sub-feature; every model is imported here so
Django finds it (``perspectief.candidates.models.Candidate``)."""

from .consent import Consent
from .corrections import ProfileCorrection
from .duplicates import CandidateMerge, DuplicatePair
from .journey import JourneyTransition
from .people import (
    Candidate,
    CandidateOrganisation,
    CandidateSkill,
    CandidateTargetGroup,
    HealthInformation,
)

__all__ = [
    "Candidate",
    "CandidateMerge",
    "CandidateOrganisation",
    "CandidateSkill",
    "CandidateTargetGroup",
    "Consent",
    "DuplicatePair",
    "HealthInformation",
    "JourneyTransition",
    "ProfileCorrection",
]
