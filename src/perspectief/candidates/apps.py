from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "perspectief.candidates"
    label = "candidates"
    verbose_name = _("Job seekers")

    def ready(self):
        from perspectief.audit import subjects
        from perspectief.audit.constants import SubjectType
        from perspectief.imports import kinds

        from . import selectors
        from .importers import CandidateImport
        from .models import Candidate

        kinds.register(CandidateImport)

        subjects.register(
            SubjectType.CANDIDATE,
            lambda actor, uuid: Candidate.objects.visible_to(actor).filter(uuid=uuid).exists(),
            describe=selectors.describe_for_access_log,
            find=selectors.find_for_access_request,
        )
