"""What matching puts in "Mijn werkvoorraad" (``perspectief.notifications.inbox``).

Registered in ``MatchingConfig.ready()``. Each source returns ``[]`` at once for a role it
does not apply to, and builds its items from the same query as the page the item links to;
an item leaves the inbox when the work is done on that page:

- **advisers** (who see people and places), on the person's page: an employer asks to meet
  the person or wants to meet them (done: the introduction recorded, or the proposal
  withdrawn); the person said yes on their own page (done: the klantmanager confirms the
  introduction); the person would rather not (done: withdrawn, or the person changes their
  mind); and proposals about to be closed without an answer (done: the employer answers,
  the proposal is withdrawn or closed). For the organisations serving the person the items
  go to the person's klantmanager (everyone in a serving role when nobody is named), and
  to whoever made the proposal;
- **advisers who review matching runs**, on the run's page: the open suggestions of the
  region's latest run (done: each reviewed). The WSP, who starts runs, sees all it may see;
  others the suggestions of the people their organisation serves;
- **employers**, on the page of their place: proposals waiting for their answer, by the
  profile code they know the person by (never a name);
- **the job seeker**, on their own page: proposals where they are asked whether they want to
  meet the employer (done: they answered);
- **the region's programme managers**, on the fairness report: the latest run saw a group
  more or less often than others with similar scores (done: a later run that flags none).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perspectief.accounts.models import Membership
from perspectief.candidates.constants import ConsentScope
from perspectief.candidates.models import Candidate, CandidateOrganisation, Consent
from perspectief.core.authz import Actor, Permission, Role
from perspectief.core.dates import short_date
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import Vacancy

from .constants import (
    ANSWERABLE_BY_PERSON,
    AWAITING_EMPLOYER,
    FOLLOW_UP_DAYS,
    INBOX_LIMIT,
    RUN_REVIEW_DAYS,
    SERVING_ROLES,
    PersonAnswer,
    ProposalStatus,
    RunStatus,
    SuggestionStatus,
)
from .models import EmployerPseudonym, MatchRun, MatchSuggestion, Proposal
from .selectors import employer as employer_side
from .selectors.proposals import proposals_for_employer
from .selectors.runs import may_review, runs_visible
from .services.notices import person_url
from .services.proposals import close_date, closing_notice_days, remind_date


def _day(moment, days: int = 0):
    return timezone.localdate(moment) + timedelta(days=days)


def _advises(actor: Actor) -> bool:
    return actor.has_perm(Permission.VIEW_CANDIDATES) and actor.has_perm(Permission.VIEW_EMPLOYERS)


def _served():
    """The actor's organisation serves the proposal's person (a filter without a join)."""
    return CandidateOrganisation.objects.filter(
        candidate_id=OuterRef("candidate_id"), is_active=True
    )


def _pair_visible(actor: Actor) -> tuple[Exists, Exists]:
    """The row's own person and place are visible to the actor: EXISTS per row, for a
    query that reads few rows (instead of ``candidate__in``, which lists everyone the actor
    may see before it looks at a row)."""
    return (
        Exists(Candidate.objects.visible_to(actor).filter(pk=OuterRef("candidate_id"))),
        Exists(Vacancy.objects.visible_to(actor).filter(pk=OuterRef("vacancy_id"))),
    )


def advisers_proposals(actor: Actor, **proposal_filters):
    """The proposals of the actor's own work, as the person's page shows them (person and
    place visible to the actor): the actor made the proposal, or the actor's organisation
    serves the person and the actor is the person's klantmanager — or nobody is, in a
    serving organisation (then everyone in a serving role). Annotated ``served``.

    ``proposal_filters`` (on the proposal's own fields, e.g. its status) are applied first:
    the proposals that wait for something are few, and only for them is the person's and
    the place's visibility asked (EXISTS on the proposal's own person and place), instead
    of listing everyone the actor may see (#20: 16 ms of SQL per source on the demo)."""
    served = Exists(_served().filter(organisation_id=actor.organisation.pk))
    named_klantmanager = Exists(
        Membership.objects.active().filter(
            user_id=OuterRef("candidate__klantmanager_id"),
            user__is_active=True,
            role__in=SERVING_ROLES,
            organisation_id__in=CandidateOrganisation.objects.filter(
                candidate_id=OuterRef(OuterRef("candidate_id")), is_active=True
            ).values("organisation_id"),
        )
    )
    as_klantmanager = Q(served) & (
        Q(candidate__klantmanager_id=actor.user.pk) | ~Q(named_klantmanager)
    )
    if actor.role not in SERVING_ROLES:
        as_klantmanager = Q(pk__in=[])
    proposer = Q(proposed_by_id=actor.user.pk, proposed_for_id=actor.organisation.pk)
    return (
        Proposal.objects.filter(**proposal_filters)
        .filter(*_pair_visible(actor))
        .filter(as_klantmanager | proposer)
        .annotate(served=served)
        .select_related("candidate", "vacancy__employer__organisation")
    )


def _words(proposal: Any) -> dict:
    """The words of an item about a proposal of :func:`advisers_proposals` (annotated)."""
    person = proposal.candidate
    return {
        "name": person.full_name if proposal.served else person.partner_label,
        "employer": proposal.vacancy.employer.organisation.name,
        "place": proposal.vacancy.title,
    }


def _answer_item(actor: Actor, proposal: Any) -> InboxItem | None:
    """The next step after an answer of the employer or the person, if it is the actor's
    (``proposal`` is annotated ``served`` and ``pending``: a yes waits for the klantmanager)."""
    pending = proposal.pending
    words = _words(proposal)
    introduces = proposal.served and actor.has_perm(Permission.MANAGE_CANDIDATES)
    if proposal.person_answer == PersonAnswer.DECLINED and not pending:
        title = _("%(name)s would rather not meet %(employer)s: withdraw the proposal?")
        due = _day(proposal.person_answered_at, FOLLOW_UP_DAYS)
    elif pending and introduces and proposal.status == ProposalStatus.INTERESTED:
        title = _("%(employer)s wants to meet %(name)s, who agreed: confirm the introduction")
        due = _day(proposal.responded_at or proposal.updated_at, FOLLOW_UP_DAYS)
    elif pending and introduces:
        title = _("%(name)s agreed to meet %(employer)s: confirm the introduction")
        due = _day(proposal.person_answered_at or proposal.updated_at, FOLLOW_UP_DAYS)
    elif proposal.status == ProposalStatus.REQUESTED and introduces:
        title = _("%(employer)s asks to meet %(name)s: ask the person")
        due = _day(proposal.updated_at, FOLLOW_UP_DAYS)
    elif proposal.status == ProposalStatus.INTERESTED and introduces:
        title = _("%(employer)s wants to meet %(name)s: plan the introduction")
        due = _day(proposal.responded_at or proposal.updated_at, FOLLOW_UP_DAYS)
    else:
        return None
    return InboxItem(
        kind=Kind.EMPLOYER_ANSWER,
        title=title % words,
        url=person_url(proposal),
        due=due,
        detail=_("%(place)s at %(employer)s") % words,
        key=f"matching.answer.{proposal.uuid}",
    )


def answers(actor: Actor) -> list[InboxItem]:
    """Employers' answers and requests to meet, and the person's own answers, that wait for
    the adviser's next step."""
    if actor is None or actor.role == Role.CANDIDATE or not _advises(actor):
        return []
    # Only proposals with a next step are read: the employer asked or answered, or the
    # person answered (a yes waiting for the klantmanager, or a no).
    pending = Exists(
        Consent.objects.filter(
            scope=ConsentScope.INTRODUCTION,
            candidate_id=OuterRef("candidate_id"),
            employer_id=OuterRef("vacancy__employer_id"),
            revoked_at__isnull=True,
            approved_at__isnull=True,
        )
    )
    rows = (
        advisers_proposals(actor, status__in=ANSWERABLE_BY_PERSON)
        .annotate(pending=pending)
        .filter(
            Q(status__in=[ProposalStatus.REQUESTED, ProposalStatus.INTERESTED])
            | Q(person_answer=PersonAnswer.DECLINED)
            | Q(pending=True)
        )
    )
    items = [_answer_item(actor, proposal) for proposal in rows]
    return [item for item in items if item is not None]


def closing(actor: Actor) -> list[InboxItem]:
    """Proposals that close soon without the employer's answer."""
    if actor is None or actor.role == Role.CANDIDATE or not _advises(actor):
        return []
    from_day = settings.PROPOSAL_CLOSE_DAYS - closing_notice_days()
    rows = advisers_proposals(
        actor,
        status__in=AWAITING_EMPLOYER,
        responded_at__isnull=True,
        updated_at__lt=timezone.now() - timedelta(days=from_day),
    )
    items = []
    for proposal in rows:
        words = _words(proposal)
        items.append(
            InboxItem(
                kind=Kind.PROPOSAL_CLOSING,
                title=_("No answer from %(employer)s about %(name)s: the proposal closes soon")
                % words,
                url=person_url(proposal),
                due=close_date(proposal),
                detail=_("%(place)s at %(employer)s") % words,
                key=f"matching.closing.{proposal.uuid}",
            )
        )
    return items


def run_review(actor: Actor) -> list[InboxItem]:
    """The open suggestions of the region's latest matching run."""
    if actor is None or actor.role == Role.CANDIDATE or not may_review(actor):
        return []
    run = (
        runs_visible(actor)
        .filter(status=RunStatus.DONE)
        .order_by("-finished_at", "-id")
        .only("uuid", "finished_at")
        .first()
    )
    if run is None:
        return []
    # The run's open suggestions first, then whether their person and place are visible
    # (the same rows as ``suggestions_visible(actor, run)``: the run is done).
    open_ones = MatchSuggestion.objects.filter(run=run, status=SuggestionStatus.OPEN).filter(
        *_pair_visible(actor)
    )
    if not actor.has_perm(Permission.RUN_MATCHING):
        # EXISTS on the suggestion's own person: as a second IN subquery PostgreSQL paired
        # every served person with every place first (200 ms at 2,000 people, 40 places).
        open_ones = open_ones.filter(
            Exists(_served().filter(organisation_id=actor.organisation.pk))
        )
    count = open_ones.count()
    if not count:
        return []
    return [
        InboxItem(
            kind=Kind.RUN_REVIEW,
            title=ngettext(
                "%(count)d suggestion of the matching run to review",
                "%(count)d suggestions of the matching run to review",
                count,
            )
            % {"count": count},
            url=reverse("matching:run", kwargs={"uuid": run.uuid}),
            due=_day(run.finished_at, RUN_REVIEW_DAYS) if run.finished_at else None,
            key=f"matching.run.{run.uuid}",
        )
    ]


def fairness(actor: Actor) -> list[InboxItem]:
    """For the region's programme managers: the region's latest run saw a target group or
    age band more or less often than others with similar scores (one item per run; it
    leaves with the next run that flags nobody)."""
    if (
        actor is None
        or actor.role != Role.PROGRAMME_MANAGER
        or not actor.has_perm(Permission.MATCHING_REPORT)
        or actor.region is None
    ):
        return []
    run = (
        MatchRun.objects.filter(region=actor.region, status=RunStatus.DONE)
        .order_by("-created_at")
        .only("uuid", "created_at", "finished_at", "fairness_flags")
        .first()
    )
    if run is None or not run.fairness_flags:
        return []
    count = len(run.fairness_flags)
    return [
        InboxItem(
            kind=Kind.FAIRNESS,
            title=ngettext(
                "Fairness: %(count)d group seen more or less often than others with similar scores",
                "Fairness: %(count)d groups seen more or less often than others with similar "
                "scores",
                count,
            )
            % {"count": count},
            url=reverse("matching:fairness"),
            detail=_("matching run of %(day)s") % {"day": short_date(_day(run.created_at))},
            key=f"matching.fairness.{run.uuid}",
        )
    ]


def employer_waiting(actor: Actor) -> list[InboxItem]:
    """Proposals waiting for the employer's answer, oldest first, by profile code."""
    if actor is None or actor.role != Role.EMPLOYER:
        return []
    employer = EmployerAccount.objects.filter(organisation_id=actor.organisation.pk).first()
    if employer is None:
        return []
    waiting = proposals_for_employer(employer).filter(
        status__in=AWAITING_EMPLOYER, responded_at__isnull=True
    )
    rows = list(
        waiting.annotate(candidate_uuid=F("candidate__uuid"))
        .select_related("vacancy")
        .order_by("updated_at", "id")[: INBOX_LIMIT + 1]
    )
    codes = dict(
        EmployerPseudonym.objects.filter(
            employer=employer, candidate_id__in=[p.candidate_id for p in rows]
        ).values_list("candidate_id", "code")
    )
    items = []
    for proposal in rows[:INBOX_LIMIT]:
        code = codes.get(proposal.candidate_id) or employer_side.code_for(
            employer, Candidate(uuid=proposal.candidate_uuid)
        )
        words = {"code": code, "place": proposal.vacancy.title}
        reminded = proposal.reminded_at is not None
        items.append(
            InboxItem(
                kind=Kind.PROPOSAL_REMINDER if reminded else Kind.PROPOSAL_NEW,
                title=str(employer_side.WAITING_FOR_ANSWER) % words,
                url=reverse("employer:place", kwargs={"uuid": proposal.vacancy.uuid})
                + f"#proposal-{proposal.uuid}",
                due=close_date(proposal) if reminded else remind_date(proposal),
                detail=proposal.vacancy.title,
                key=f"matching.employer.{proposal.uuid}",
            )
        )
    if len(rows) > INBOX_LIMIT:
        more = waiting.count() - INBOX_LIMIT
        items.append(
            InboxItem(
                kind=Kind.PROPOSAL_REMINDER,
                title=str(employer_side.MORE_WAITING % {"count": more}),
                url=reverse("employer:home"),
                due=items[-1].due,
                key="matching.employer.more",
            )
        )
    return items


def own_questions(actor: Actor) -> list[InboxItem]:
    """The job seeker's proposals where they are asked whether they want to meet the
    employer and have not answered."""
    if actor is None or actor.role != Role.CANDIDATE:
        return []
    agreed = Consent.objects.filter(
        scope=ConsentScope.INTRODUCTION,
        candidate_id=OuterRef("candidate_id"),
        employer_id=OuterRef("vacancy__employer_id"),
        revoked_at__isnull=True,
    )
    rows = (
        Proposal.objects.filter(
            candidate__in=Candidate.objects.visible_to(actor),
            status__in=ANSWERABLE_BY_PERSON,
            person_answer="",
        )
        .exclude(Exists(agreed))
        .select_related("vacancy__employer__organisation")
        .order_by("created_at", "id")
    )
    url = reverse("candidates:self") + "#proposals"
    items = []
    for proposal in rows:
        words = {
            "place": proposal.vacancy.title,
            "employer": proposal.vacancy.employer.organisation.name,
        }
        due = None
        if proposal.status == ProposalStatus.INTERESTED:
            due = _day(proposal.responded_at or proposal.updated_at, FOLLOW_UP_DAYS)
        elif proposal.status == ProposalStatus.REQUESTED:
            due = _day(proposal.updated_at, FOLLOW_UP_DAYS)
        items.append(
            InboxItem(
                kind=Kind.MESSAGE,
                title=_(
                    "You were proposed for %(place)s at %(employer)s. Do you want to meet them?"
                )
                % words,
                url=url,
                due=due,
                key=f"matching.own.{proposal.uuid}",
            )
        )
    return items


def register() -> None:
    """Add matching's sources to the inbox (from ``ready()``)."""
    SOURCES.register("matching.employer", employer_waiting, order=20)
    SOURCES.register("matching.own", own_questions, order=20)
    SOURCES.register("matching.answers", answers, order=30)
    SOURCES.register("matching.closing", closing, order=40)
    SOURCES.register("matching.run_review", run_review, order=50)
    SOURCES.register("matching.fairness", fairness, order=60)
