"""The regional batch run: every open place of the region matched against the people the
starting organisation may see, in the background, with progress. The result is stored as
suggestions for advisers to review — put on the shortlist, propose, or set aside. Nothing
is sent to an employer or a job seeker by the run itself.

Per place the run keeps a few people per open position (ranked and explained), then
computes the optimal distribution over all places at once (every person at most once,
every place at most its open positions, maximum total score) and marks the suggestions
that belong to it.

A run matches with its region's configuration in force when it was started (weights and
minimum score, ``selectors.configuration``) and records which version that was.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perspectief.accounts.actor import SystemActor
from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..constants import RunStatus, SuggestionStatus
from ..engine.assign import assign
from ..models import (
    MatchRun,
    MatchSuggestion,
    Proposal,
    RunScore,
    ShortlistEntry,
)
from ..selectors.configuration import Setting, current
from ..selectors.runs import may_review, suggestions_visible
from ..tasks import finish_run, run_chunk, run_matching
from . import notices, run_chunks
from .fairness import run_checked
from .proposals import proposal_create
from .shortlists import shortlist_add

#: A run still pending or running after this long is taken as lost.
STALE_AFTER = timedelta(hours=2)


class RunAlreadyStarted(RuntimeError):
    """A redelivered task for a run that is already running or finished."""


#: Why a run failed, stored as the English msgid and translated when it is shown
#: (``MatchRun.error_text``): the run fails in a worker, where no reader's language is active.
STALE = gettext_noop("The matching run did not finish (busy too long). Start it again.")
STOPPED = gettext_noop("The matching run stopped; nothing was stored. Start it again.")


@transaction.atomic
def run_start(*, actor: Actor) -> MatchRun:
    """Queue a run for the actor's region; it runs once this transaction commits."""
    if not actor.has_perm(Permission.RUN_MATCHING) or not may_review(actor):
        raise PermissionDeniedError()
    busy_runs = MatchRun.objects.select_for_update().filter(
        region_id=actor.region_id, status__in=[RunStatus.PENDING, RunStatus.RUNNING]
    )
    fail_stale(busy_runs)
    busy = busy_runs.exists()
    if busy:
        raise ValidationError(
            {"run": _("A matching run for this region is already in progress. Wait for it.")}
        )
    run = MatchRun.objects.create(
        region_id=actor.region_id,
        started_by=actor.user,
        started_for=actor.organisation,
        configuration=current(actor.region_id),
    )
    audit.record("match_run.started", actor=actor, target=run)
    transaction.on_commit(lambda: run_matching.delay(run.pk))
    return run


def fail_stale(runs=None) -> int:
    """Runs busy for hours were lost (a worker stopped, the broker lost their tasks): they
    fail, no longer block their region, and the people they read are dropped — also in a
    region where nobody starts a new run (``matching.fail_stale_runs``, hourly)."""
    busy = (
        runs
        if runs is not None
        else MatchRun.objects.filter(status__in=[RunStatus.PENDING, RunStatus.RUNNING])
    )
    stale = busy.filter(created_at__lt=timezone.now() - STALE_AFTER)
    ids = list(stale.values_list("pk", flat=True))
    for stale_id in ids:
        run_chunks.discard(stale_id)  # its parts stop: the run no longer runs
    MatchRun.objects.filter(pk__in=ids).update(
        status=RunStatus.FAILED, finished_at=timezone.now(), error=STALE
    )
    return len(ids)


def resume_stalled() -> dict:
    """Queue again what the broker lost: runs without progress for
    ``MATCHING_RUN_RESUME_AFTER`` seconds (Redis restarted without persistence, a task
    could not be queued) — a waiting run's start, a running run's parts not done, or its
    finishing step when every part is done. Every step does its work once, so a task queued
    twice stores nothing twice. Each minute (``matching.resume_runs``); a run lost for hours
    fails instead (:func:`fail_stale`)."""
    now = timezone.now()
    quiet = now - timedelta(seconds=settings.MATCHING_RUN_RESUME_AFTER)
    with transaction.atomic():
        # A run being started holds its row (``start``): it is not stalled, skip it.
        stalled = list(
            MatchRun.objects.select_for_update(skip_locked=True).filter(
                status__in=[RunStatus.PENDING, RunStatus.RUNNING],
                updated_at__lt=quiet,
                created_at__gte=now - STALE_AFTER,
            )
        )
        # The next check waits as long again before it queues the same run once more.
        MatchRun.objects.filter(pk__in=[r.pk for r in stalled]).update(updated_at=now)
        # A start delivered twice is harmless: the second finds the run started and queues
        # only its parts no worker ranks now (``tasks.run_matching``).
        waiting = [r.pk for r in stalled if r.status == RunStatus.PENDING]
        running = [r for r in stalled if r.status == RunStatus.RUNNING]
        done = [r.pk for r in running if not run_chunks.unfinished(r)]
        # Parts never claimed or whose worker's claim expired; a part a worker ranks now
        # (its claim recent) is left to it.
        parts = [c for r in running if r.pk not in done for c in run_chunks.unclaimed(r)]
    for run_id in waiting:
        run_matching.delay(run_id)
    for chunk_id in parts:
        run_chunk.delay(chunk_id)
    for run_id in done:
        finish_run.delay(run_id)
    return {"started": len(waiting), "parts": len(parts), "finished": len(done)}


def run_actor(run: MatchRun):
    """The run sees what the starting organisation sees, attributed to who started it."""
    return SystemActor(
        organisation=run.started_for,
        permissions=frozenset({Permission.VIEW_CANDIDATES, Permission.VIEW_EMPLOYERS}),
        user=run.started_by,
        channel="task",
    )


def start(run: MatchRun, *, actor: Actor) -> list[int]:
    """Claim the run and read its places and people once, in parts (``run_chunks``); the
    parts' ids, to rank. One transaction: a start that fails leaves the run waiting."""
    with transaction.atomic():
        now = timezone.now()
        # ``update`` leaves ``updated_at`` alone: set here, a run that waited long in the
        # queue is not taken as stalled (``resume_stalled``) the moment it starts.
        claimed = MatchRun.objects.filter(pk=run.pk, status=RunStatus.PENDING).update(
            status=RunStatus.RUNNING, started_at=now, updated_at=now
        )
        if not claimed:
            raise RunAlreadyStarted(str(run.uuid))
        run.refresh_from_db()
        with access.scope(request=f"matching run {run.uuid}"):
            return run_chunks.prepare(run, actor=actor)


def execute(run: MatchRun, *, actor: Actor) -> MatchRun:
    """The whole run in this process: match, distribute and store. Progress is saved as it
    goes; the suggestions are written in one transaction at the end, so a run that fails
    leaves none behind. Workers share a run in the same steps (``tasks.run_matching``)."""
    chunk_ids = start(run, actor=actor)
    try:
        for chunk_id in chunk_ids:
            run_chunks.rank_chunk(chunk_id)
        finish(run, actor=actor)
    except BaseException:
        fail(run)
        raise
    run.refresh_from_db()
    return run


def fail(run: MatchRun) -> None:
    """The run stopped (an error, or a part that failed after its retries): nothing stored."""
    MatchRun.objects.filter(pk=run.pk, status__in=[RunStatus.PENDING, RunStatus.RUNNING]).update(
        status=RunStatus.FAILED,
        finished_at=timezone.now(),
        error=STOPPED,
    )
    # The people read for the run are not kept for a run that stores nothing.
    run_chunks.discard(run.pk)


def finish(run: MatchRun, *, actor: Actor) -> bool:
    """Distribute over every part's ranked places and store the run, all or nothing; False
    when there is nothing to finish (cancelled, already finished, parts still running)."""
    with transaction.atomic(), access.scope(request=f"matching run {run.uuid}"):
        locked = MatchRun.objects.select_for_update().filter(pk=run.pk).first()
        if locked is None or locked.status != RunStatus.RUNNING or run_chunks.unfinished(run):
            return False
        run.refresh_from_db()
        _finish(run, actor)
    return True


def _finish(run: MatchRun, actor: Actor) -> None:
    ranked, best = run_chunks.results(run)
    setting = Setting.of(run.configuration)
    # Checked again now: who dropped out of view while the run ranked is left out of the
    # suggestions, the distribution and the scores kept (ranks close up behind them).
    by_uuid = run_chunks.people(run, actor=actor)
    ranked = [(place, [m for m in matches if m.id in by_uuid]) for place, matches in ranked]
    best.best = {pid: value for pid, value in best.best.items() if pid in by_uuid}
    chosen = _distribution(ranked, run)
    carried = _earlier_decisions(run, [p for p, _m in ranked])
    suggestions = [
        MatchSuggestion(
            run=run,
            vacancy_id=place.pk,
            candidate=by_uuid[m.id],
            rank=rank,
            score=round(m.score, 6),
            contributions={k: round(v, 6) for k, v in m.contributions.items()},
            missing=m.missing_essential,
            related=m.related_essential,
            occupation_via=m.occupation_via or "",
            assigned=(place.pk, m.id) in chosen,
            **carried.get((place.pk, by_uuid[m.id].pk), {}),
        )
        for place, matches in ranked
        for rank, m in enumerate(matches, start=1)
    ]
    # All or nothing (the caller's transaction): the suggestions, the access records of the
    # people the run read on behalf of the starting organisation, the audit event and the
    # status "done".
    MatchSuggestion.objects.bulk_create(suggestions, batch_size=2000)
    scored = best.rows(run, by_uuid)
    RunScore.objects.bulk_create(scored, batch_size=2000)
    read = {s.candidate_id: s.candidate for s in suggestions}
    read.update((r.candidate_id, r.candidate) for r in scored)  # a score kept is a read too
    for candidate in read.values():
        access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_MATCHING)
    access.flush()
    run.places_done = run.places_total
    run.suggestions_count = len(suggestions)
    run.status = RunStatus.DONE
    run.finished_at = timezone.now()
    run.save()
    # The parts' results are in the suggestions now; the snapshot of the people is no
    # longer needed.
    run_chunks.discard(run.pk)
    audit.record(
        "match_run.finished",
        actor=actor,
        target=run,
        changes={
            "places": [None, run.places_total],
            "suggestions": [None, run.suggestions_count],
            "assigned": [None, run.assigned],
            "configuration": [None, setting.version],
        },
    )
    # Advisers review the suggestions: who started the run and the region's WSP.
    notices.run_finished(run)
    # Programme managers hear of a group seen unequally at similar scores.
    run_checked(run)


@transaction.atomic
def run_cancel(*, actor: Actor, run: MatchRun) -> MatchRun:
    """Stop a waiting or running run of the actor's region: its parts stop at their next
    progress step and nothing is stored.

    Only the organisation that started the run cancels it (who of it may start runs): the
    run reads people on that organisation's behalf and answers to it. Another
    organisation's account manager waits for it, or for it to fail when it is lost
    (:func:`fail_stale`)."""
    if not actor.has_perm(Permission.RUN_MATCHING) or not may_review(actor):
        raise PermissionDeniedError()
    locked = (
        MatchRun.objects.select_for_update().filter(pk=run.pk, region_id=actor.region_id).first()
    )
    if locked is None:
        raise NotFoundError(_("Matching run not found."))
    if locked.started_for_id != getattr(actor.organisation, "pk", None):
        raise PermissionDeniedError(
            _("Only the organisation that started the matching run may cancel it.")
        )
    if locked.status not in (RunStatus.PENDING, RunStatus.RUNNING):
        raise ValidationError({"run": _("This matching run has already finished.")})
    old_status = locked.status
    locked.status, locked.finished_at = RunStatus.CANCELLED, timezone.now()
    locked.save(update_fields=["status", "finished_at", "updated_at"])
    run_chunks.discard(locked.pk)
    audit.record(
        "match_run.cancelled",
        actor=actor,
        target=locked,
        changes={"status": [old_status, locked.status]},
    )
    return locked


def _earlier_decisions(run: MatchRun, places) -> dict:
    """What advisers already decided, so a new run does not ask again: someone proposed or
    on the shortlist for the place, or set aside in the region's previous run."""
    decided: dict = {}
    previous = (
        MatchRun.objects.filter(region_id=run.region_id, status=RunStatus.DONE)
        .exclude(pk=run.pk)
        .order_by("-created_at")
        .first()
    )
    if previous is not None:
        for s in MatchSuggestion.objects.filter(run=previous, status=SuggestionStatus.DISMISSED):
            decided[(s.vacancy_id, s.candidate_id)] = {
                "status": s.status,
                "reviewed_by_id": s.reviewed_by_id,
                "reviewed_at": s.reviewed_at,
            }
    ids = [p.pk for p in places]
    for vacancy_id, candidate_id in ShortlistEntry.objects.filter(vacancy_id__in=ids).values_list(
        "vacancy_id", "candidate_id"
    ):
        decided[(vacancy_id, candidate_id)] = {"status": SuggestionStatus.SHORTLISTED}
    for vacancy_id, candidate_id in Proposal.objects.filter(vacancy_id__in=ids).values_list(
        "vacancy_id", "candidate_id"
    ):
        decided[(vacancy_id, candidate_id)] = {"status": SuggestionStatus.PROPOSED}
    return decided


def _distribution(ranked, run: MatchRun) -> set[tuple[int, str]]:
    """The optimal assignment over everything the run ranked: (place pk, person id) pairs."""
    person_ids = list(dict.fromkeys(m.id for _p, matches in ranked for m in matches))
    if not person_ids:
        return set()
    position = {pid: i for i, pid in enumerate(person_ids)}
    ec, ev, es = [], [], []
    for v_i, (_place, matches) in enumerate(ranked):
        for m in matches:
            ec.append(position[m.id])
            ev.append(v_i)
            es.append(m.score)
    result = assign(
        person_ids,
        [str(p.pk) for p, _m in ranked],
        np.array([p.places_open for p, _m in ranked]),
        ec,
        ev,
        es,
    )
    run.assigned = len(result.pairs)
    run.total_score = round(result.total_score, 6)
    return {(int(vacancy), person) for person, vacancy, _score in result.pairs}


@transaction.atomic
def suggestion_review(*, actor: Actor, suggestion: MatchSuggestion, action: str, reason: str = ""):
    """An adviser acts on a suggestion: shortlist it, propose the person (the usual rules
    of :func:`~perspectief.matching.services.proposals.proposal_create` apply), or set it aside."""
    found = (
        suggestions_visible(actor, suggestion.run)
        .select_for_update()
        .filter(pk=suggestion.pk, run__region_id=actor.region_id)
        .first()
        if may_review(actor)
        else None
    )
    if found is None:
        raise NotFoundError(_("Suggestion not found."))
    if action not in ("shortlist", "propose", "dismiss", "reopen"):
        raise ValidationError({"action": _("Unknown action.")})
    allowed = {
        SuggestionStatus.OPEN: {"shortlist", "propose", "dismiss"},
        SuggestionStatus.SHORTLISTED: {"propose", "dismiss"},
        SuggestionStatus.DISMISSED: {"reopen"},
    }.get(found.status, set())
    if action not in allowed:
        raise ValidationError({"status": _("This suggestion has already been reviewed.")})
    if action in ("dismiss", "reopen") and not _may_set_aside(actor, found):
        raise PermissionDeniedError(
            _(
                "Only the organisation that serves the person, or the one that started the "
                "run, sets a suggestion aside."
            )
        )
    old_status = found.status
    if action == "shortlist":
        shortlist_add(actor=actor, vacancy=found.vacancy, candidate=found.candidate, reason=reason)
        found.status = SuggestionStatus.SHORTLISTED
    elif action == "propose":
        proposal_create(actor=actor, vacancy=found.vacancy, candidate=found.candidate)
        found.status = SuggestionStatus.PROPOSED
    elif action in ("dismiss", "reopen"):
        found.status = SuggestionStatus.DISMISSED if action == "dismiss" else SuggestionStatus.OPEN
        access.record_candidate(
            actor, found.candidate, ProcessingActivity.CANDIDATE_MATCHING, Operation.CHANGE
        )
    found.reviewed_by, found.reviewed_at = actor.user, timezone.now()
    found.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    audit.record(
        "match_suggestion.reviewed",
        actor=actor,
        target=found,
        changes={"status": [old_status, found.status]},
    )
    return found


def _may_set_aside(actor: Actor, suggestion: MatchSuggestion) -> bool:
    if actor.organisation.pk == suggestion.run.started_for_id:
        return True
    return (
        Candidate.objects.served_by(actor.organisation).filter(pk=suggestion.candidate_id).exists()
    )
