"""Where "Wat kan de werkgever krijgen?" is linked from lower apps' pages (registered in
``InstrumentsConfig.ready()``): the person's page (their proposals and hires outside the
platform), the support plan after a hire, the cohort of a bulk request, and under each
proposal on the employer's page of a place.

Each panel lists only records the page already lets the actor see, by the same
``visible_to`` rules as the check pages themselves; a panel reads no more of the person.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from perspectief.candidates.models import Candidate
from perspectief.candidates.panels import PERSON_PAGE
from perspectief.core.authz import Permission
from perspectief.core.contributions import Panel
from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import OutsideHire, Proposal
from perspectief.matching.panels import EMPLOYER_PROPOSAL
from perspectief.routes.panels import SUPPORT_PLAN_PAGE
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.panels import PLACE_COHORT

#: Proposals that ended without a hire have nothing to check.
CLOSED = (
    ProposalStatus.WITHDRAWN,
    ProposalStatus.REJECTED,
    ProposalStatus.NOT_INTERESTED,
    ProposalStatus.NO_ANSWER,
)


def _adviser(actor) -> bool:
    return actor.has_perm(Permission.VIEW_INSTRUMENTS) and actor.has_perm(
        Permission.VIEW_CANDIDATES
    )


def person_links(request, *, candidate: Candidate, level: str, **_objects) -> dict | None:
    """The person's open and hired proposals (places the actor sees) and hires outside the
    platform, each with its link."""
    actor = request.actor
    if not _adviser(actor):
        return None
    proposals = (
        Proposal.objects.filter(candidate=candidate, vacancy__in=Vacancy.objects.visible_to(actor))
        .exclude(status__in=CLOSED)
        .select_related("vacancy__employer__organisation")
        .order_by("-created_at", "id")
    )
    links = [
        (
            f"{p.vacancy.title}, {p.vacancy.employer.organisation.name} ({p.get_status_display()})",
            reverse("instruments:check-proposal", args=[p.uuid]),
        )
        for p in proposals
    ]
    links += [
        (
            _("%(job)s, %(employer)s (found outside the platform)")
            % {"job": h.job_title, "employer": h.employer_name},
            reverse("instruments:check-hire", args=[h.uuid]),
        )
        for h in OutsideHire.objects.filter(candidate=candidate).order_by("-start_date", "id")
    ]
    return {"links": links} if links else None


def support_plan_link(request, *, plan, **_objects) -> dict | None:
    """The hire behind a support plan (the page showed the plan to the actor)."""
    actor = request.actor
    if not _adviser(actor):
        return None
    if plan.proposal_id:
        url = reverse("instruments:check-proposal", args=[plan.proposal.uuid])
    elif plan.outside_hire_id:
        url = reverse("instruments:check-hire", args=[plan.outside_hire.uuid])
    else:
        return None
    return {"url": url}


def cohort_links(request, *, vacancy, cohort, **_objects) -> dict | None:
    """The cohort members the actor sees (the page chose them and logged the read)."""
    if not cohort or not _adviser(request.actor):
        return None
    links = [
        (
            getattr(member, "shown_name", "") or member.candidate.partner_label,
            reverse("instruments:check-cohort", args=[member.uuid]),
        )
        for member in cohort
    ]
    return {"links": links}


#: Proposals on the employer's page where an arrangement is worth knowing.
EMPLOYER_STATUSES = (
    ProposalStatus.INTERESTED,
    ProposalStatus.INTRODUCED,
    ProposalStatus.INTERVIEW,
    ProposalStatus.HIRED,
)


def employer_link(request, *, proposal, **_objects) -> dict | None:
    if not request.actor.has_perm(Permission.EMPLOYER_PORTAL):
        return None
    if proposal.status not in EMPLOYER_STATUSES:
        return None
    return {"proposal": proposal}


def register() -> None:
    PERSON_PAGE.register(
        "instruments.check", Panel("instruments/check/panel_person.html", person_links), order=110
    )
    SUPPORT_PLAN_PAGE.register(
        "instruments.check", Panel("instruments/check/panel_link.html", support_plan_link)
    )
    PLACE_COHORT.register(
        "instruments.check", Panel("instruments/check/panel_cohort.html", cohort_links), order=60
    )
    EMPLOYER_PROPOSAL.register(
        "instruments.check",
        Panel("instruments/check/panel_employer_proposal.html", employer_link),
    )
