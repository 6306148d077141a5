""" "Wat kan deze werkgever krijgen?" for a concrete person and place.

The adviser's page (a proposal, a hire outside the platform, a cohort place) shows every
instrument with its verdict and the reasons condition by condition, and lets the adviser add
what they know ("Vul aan wat je weet", GET, nothing stored). The employer's page shows its
own proposal with only what the employer may know. Each read of the person is logged.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError
from perspectief.core.policies import deny, requires
from perspectief.matching.selectors import employer as employer_side

from ..constants import Eligibility
from ..forms.check import CheckForm
from ..selectors import check as cases
from . import check_rows


#: The order of the verdicts on the page: what the employer can get first.
def _adviser(request):
    """Staff who see instruments and people; the person and place as they may see them."""
    actor = request.actor
    if not actor.has_perm(Permission.VIEW_CANDIDATES):
        deny(request, "missing_permission", Permission.VIEW_CANDIDATES)
    return actor


def _adviser_page(request, case: cases.Case, *, apply_query: dict[str, str] | None):
    actor = request.actor
    level = cases.access_level(actor, case.candidate)
    access.record_candidate(actor, case.candidate, candidate_selectors.activity_for(level))
    health = actor.has_perm(Permission.VIEW_HEALTH) and level == candidate_selectors.FULL
    form = CheckForm(request.GET or None, base=dict(case.facts), health=health)
    if form.is_bound and form.is_valid():
        cases.with_additions(case, form.additions)
    today = timezone.localdate()
    may_apply = actor.has_perm(Permission.RECORD_APPLICATIONS) and case.kind != cases.COHORT
    rows = [
        check_rows.adviser_row(item, today, apply_query=apply_query if may_apply else None)
        for item in cases.answers(case)
    ]
    return render(
        request,
        "instruments/check/adviser.html",
        {
            "case": case,
            "person": (
                case.candidate.full_name
                if level == candidate_selectors.FULL
                else case.candidate.partner_label
            ),
            "level": level,
            "rows": rows,
            "form": form,
            "today": today,
            # The facts whose absence keeps an answer or an amount open, named once.
            "unknown": list(
                dict.fromkeys(
                    name
                    for row in rows
                    if row.verdict != check_rows.NOT_ELIGIBLE
                    for name in row.missing + row.missing_for_amount
                )
            ),
            "verdicts": Eligibility,
        },
    )


@requires(Permission.VIEW_INSTRUMENTS)
@require_GET
def proposal_view(request, uuid):
    actor = _adviser(request)
    try:
        proposal = cases.proposal_for_adviser(actor, uuid)
    except DomainError:
        raise Http404() from None
    case = cases.case_for_proposal(actor, proposal)
    return _adviser_page(request, case, apply_query={"proposal": str(proposal.uuid)})


@requires(Permission.VIEW_INSTRUMENTS)
@require_GET
def hire_view(request, uuid):
    actor = _adviser(request)
    try:
        hire = cases.hire_for_adviser(actor, uuid)
    except DomainError:
        raise Http404() from None
    case = cases.case_for_hire(actor, hire)
    return _adviser_page(request, case, apply_query={"hire": str(hire.uuid)})


@requires(Permission.VIEW_INSTRUMENTS)
@require_GET
def cohort_view(request, uuid):
    actor = _adviser(request)
    try:
        member = cases.member_for_adviser(actor, uuid)
    except DomainError:
        raise Http404() from None
    case = cases.case_for_member(actor, member)
    return _adviser_page(request, case, apply_query=None)


@requires(Permission.EMPLOYER_PORTAL)
@require_GET
def employer_view(request, uuid):
    """The employer's own proposal: the instruments that (may) apply, without the reasons
    (they tell the person's benefit, age or limitation), the person by code unless the
    person agreed to be introduced by name."""
    actor = request.actor
    try:
        proposal, employer = cases.proposal_for_employer(actor, uuid)
    except DomainError:
        raise Http404() from None
    candidate = proposal.candidate
    named = candidate.pk in employer_side.introduced_ids(employer, [candidate.pk])
    access.record_candidate(
        actor,
        candidate,
        ProcessingActivity.EMPLOYER_INTRODUCTION
        if named
        else ProcessingActivity.EMPLOYER_ANONYMOUS_VIEW,
    )
    case = cases.case_for_proposal(actor, proposal)
    today = timezone.localdate()
    rows = [
        check_rows.employer_row(item, today)
        for item in cases.answers(case)
        if item.eligible is not False
    ]
    return render(
        request,
        "instruments/check/employer.html",
        {
            "case": case,
            "proposal": proposal,
            "person": (
                candidate.full_name
                if named
                else employer_side.codes_for(employer, [candidate])[candidate.pk]
            ),
            "rows": rows,
            "today": today,
            "owner": employer.owner,
        },
    )
