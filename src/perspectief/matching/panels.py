"""What matching adds to a person's pages and data (``perspectief.candidates.panels``):
the proposals and the places to propose the person for, the button to record a hire found
outside the platform, and the proposals and cohort places in the person's data (AVG art. 15
and 20). Registered in ``MatchingConfig.ready()``.

A place's page (``vacancies.panels.PLACE_PAGE``) shows its shortlist and the people
proposed for it, to those who may see job seekers: each person only as the ``visible_to``
rules allow, each read in the access log, the others as a count.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perspectief.candidates import consent_statements
from perspectief.candidates.constants import STAFF_CONSENT_METHODS, ConsentScope
from perspectief.candidates.models import Candidate
from perspectief.candidates.panels import (
    OWN_PAGE,
    PERSON_DATA,
    PERSON_MANAGE,
    PERSON_PAGE,
    DataPart,
)
from perspectief.candidates.selectors.document import EMPTY, Section, text
from perspectief.candidates.selectors.export import plain
from perspectief.candidates.selectors.people import FULL
from perspectief.core.authz import Permission
from perspectief.core.contributions import Contributions, Panel
from perspectief.vacancies.constants import Contract, VacancyStatus
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.panels import PLACE_PAGE

from .constants import ANSWERABLE_BY_PERSON, MOTIVATION_MAX_LENGTH, PersonAnswer, ProposalStatus
from .selectors.proposals import proposals_visible
from .selectors.shortlists import shortlist_visible
from .services.introductions import own_proposals

#: Blocks under each proposal on the employer's page of a place (``employer:place``),
#: registered by higher apps in their ``ready()``. Object: ``proposal`` (one of the
#: employer's own proposals, as ``proposals_for_employer`` shows them).
EMPLOYER_PROPOSAL = Contributions[Panel]("matching.employer_proposal")


def proposals_panel(request, *, candidate: Candidate, level: str) -> dict | None:
    """Places the person can be proposed for, and the proposals so far: for who may see
    employers. Each proposal is one the actor may see (person and place)."""
    actor = request.actor
    if not actor.has_perm(Permission.VIEW_EMPLOYERS):
        return None
    # The person's page logged reading the person already.
    proposals, _hidden = proposals_visible(actor=actor, candidate=candidate, log=False)
    introduced = set(
        candidate.consents.active(ConsentScope.INTRODUCTION).values_list("employer_id", flat=True)
    )
    waiting = set(
        candidate.consents.filter(
            scope=ConsentScope.INTRODUCTION, revoked_at__isnull=True, approved_at__isnull=True
        ).values_list("employer_id", flat=True)
    )
    return {
        "candidate": candidate,
        "contracts": Contract.choices,
        "can_introduce": level == FULL and actor.has_perm(Permission.MANAGE_CANDIDATES),
        "introduction_statement": consent_statements.current(ConsentScope.INTRODUCTION),
        "consent_methods": [(m.value, m.label) for m in STAFF_CONSENT_METHODS],
        "proposals": [(p, p.vacancy.employer_id in introduced) for p in proposals],
        # The person said yes on their own page; the klantmanager confirms it.
        "pending": {p.pk for p in proposals if p.vacancy.employer_id in waiting - introduced},
        "motivation_max": MOTIVATION_MAX_LENGTH,
        "open_places": Vacancy.objects.visible_to(actor)
        .filter(status=VacancyStatus.OPEN)
        .select_related("employer__organisation")
        .order_by("title", "id")[:500],
    }


#: A proposal's status as the person reads it (plain words, "je").
STATUS_FOR_PERSON = {
    ProposalStatus.REQUESTED: gettext_lazy("The employer would like to meet you"),
    ProposalStatus.PROPOSED: gettext_lazy("Waiting for the employer's answer"),
    ProposalStatus.INTERESTED: gettext_lazy("The employer would like to meet you"),
    ProposalStatus.INTRODUCED: gettext_lazy("The employer knows your name and will contact you"),
    ProposalStatus.INTERVIEW: gettext_lazy("The employer invites you for an interview"),
    ProposalStatus.HIRED: gettext_lazy("You got the job"),
    ProposalStatus.REJECTED: gettext_lazy("You did not get the job"),
    ProposalStatus.NOT_INTERESTED: gettext_lazy("The employer chose not to go ahead"),
    ProposalStatus.NO_ANSWER: gettext_lazy("Stopped: the employer did not answer"),
    ProposalStatus.WITHDRAWN: gettext_lazy("Stopped"),
}


def own_proposals_panel(request, *, candidate: Candidate) -> dict | None:
    """The places the person was proposed for, with their answer to meeting each employer
    where it is asked. Only the person's own proposals (the own page logged the read)."""
    actor = request.actor
    rows = list(
        own_proposals(actor)
        .select_related("vacancy__employer__organisation")
        .order_by("-created_at", "-id")
    )
    consents = list(
        candidate.consents.filter(scope=ConsentScope.INTRODUCTION, revoked_at__isnull=True)
    )
    agreed = {c.employer_id for c in consents if c.approved_at is not None}
    waiting = {c.employer_id for c in consents if c.approved_at is None}
    for proposal in rows:
        employer_id = proposal.vacancy.employer_id
        proposal.status_for_person = STATUS_FOR_PERSON.get(
            proposal.status, proposal.get_status_display()
        )
        proposal.name_shared = employer_id in agreed
        proposal.said_yes = employer_id in waiting and employer_id not in agreed
        proposal.said_no = proposal.person_answer == PersonAnswer.DECLINED and not proposal.said_yes
        proposal.may_answer = proposal.status in ANSWERABLE_BY_PERSON and employer_id not in agreed
    return {
        "own_proposals": rows,
        "asked": any(p.may_answer for p in rows),
        "statement": consent_statements.current(ConsentScope.INTRODUCTION),
    }


def outside_hire_panel(request, *, candidate: Candidate, level: str) -> dict:
    """The button to record a job the person found outside the platform (the page shows it
    to who manages the person)."""
    return {"candidate": candidate}


def _proposals(candidate: Candidate):
    return candidate.proposals.select_related("vacancy__employer__organisation", "proposed_for")


def proposals_export(candidate: Candidate, *, with_health: bool) -> list[dict]:
    """The person's proposals to employers, for the file of their data."""
    return [
        {
            "place": p.vacancy.title,
            "employer": p.vacancy.employer.organisation.name,
            "proposed_by": p.proposed_for.name,
            "status": p.status,
            "employer_note": p.employer_note,
            "date": plain(p.created_at),
        }
        for p in _proposals(candidate)
    ]


def proposals_document(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """The person's proposals to employers, in words."""
    section = Section(_("Proposals to employers"), empty=_("No proposals."))
    section.headers = [_("Place"), _("Employer"), _("Proposed by"), _("Status"), _("Date")]
    section.rows = [
        [
            p.vacancy.title,
            p.vacancy.employer.organisation.name,
            p.proposed_for.name,
            p.get_status_display(),
            text(p.created_at),
        ]
        for p in _proposals(candidate)
    ]
    return [section]


def cohorts_export(candidate: Candidate, *, with_health: bool) -> list[dict]:
    """The person's places in the cohorts of bulk requests, for the file of their data."""
    return [
        {
            "place": m.vacancy.title,
            "employer": m.vacancy.employer.organisation.name,
            "stage": m.stage,
            "preparation": m.preparation,
            "intake": plain(m.phase.starts_on) if m.phase is not None else None,
            "added_by": m.added_by.name,
        }
        for m in candidate.cohorts.select_related(
            "vacancy__employer__organisation", "phase", "added_by"
        )
    ]


def cohorts_document(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """The person's places in the cohorts of bulk requests, in words."""
    section = Section(_("Group vacancies (cohorts)"), empty=_("No group vacancies."))
    section.headers = [_("Place"), _("Employer"), _("Stage"), _("Preparation"), _("Intake")]
    section.rows = [
        [
            m.vacancy.title,
            m.vacancy.employer.organisation.name,
            m.get_stage_display(),
            text(m.preparation),
            text(m.phase.starts_on) if m.phase is not None else EMPTY,
        ]
        for m in candidate.cohorts.select_related("vacancy__employer__organisation", "phase")
    ]
    return [section]


def register() -> None:
    """Add matching's panels and parts to the person's pages and data (from ``ready()``)."""
    PERSON_PAGE.register(
        "proposals", Panel("matching/panels/person_proposals.html", proposals_panel)
    )
    OWN_PAGE.register(
        "proposals", Panel("matching/panels/own_proposals.html", own_proposals_panel), order=5
    )
    PERSON_MANAGE.register(
        "outside_hire", Panel("matching/panels/person_outside_hire.html", outside_hire_panel)
    )
    PERSON_DATA.register(
        "proposals", DataPart("proposals", proposals_export, proposals_document), order=10
    )
    PERSON_DATA.register(
        "bulk_request_cohorts",
        DataPart("bulk_request_cohorts", cohorts_export, cohorts_document),
        order=20,
    )


def place_shortlist(request, *, vacancy, **_objects):
    """The place's shortlist as the actor may see it."""
    actor = request.actor
    if not actor.has_perm(Permission.VIEW_CANDIDATES):
        return None
    shortlist, hidden = shortlist_visible(actor=actor, vacancy=vacancy)
    return {"vacancy": vacancy, "shortlist": shortlist, "shortlist_hidden": hidden}


def place_proposals(request, *, vacancy, **_objects):
    """The people proposed for the place as the actor may see them."""
    actor = request.actor
    if not actor.has_perm(Permission.VIEW_CANDIDATES):
        return None
    proposals, hidden = proposals_visible(actor=actor, vacancy=vacancy)
    return {"vacancy": vacancy, "proposals": proposals, "proposals_hidden": hidden}


def register_place_panels() -> None:
    PLACE_PAGE.register(
        "matching.shortlist",
        Panel("matching/panels/place_shortlist.html", place_shortlist),
        order=10,
    )
    PLACE_PAGE.register(
        "matching.proposals",
        Panel("matching/panels/place_proposals.html", place_proposals),
        order=20,
    )
