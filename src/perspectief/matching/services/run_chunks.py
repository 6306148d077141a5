"""A matching run in parts, so several workers share it (docs/deployment.md, "Matching runs
on several workers").

When a run starts, :func:`prepare` reads the open places and the people once: the people
as the engine's records in a snapshot (``MatchRunSnapshot``), the places in parts of
``settings.MATCHING_RUN_CHUNK`` (``MatchRunChunk``). Each part is ranked by
:func:`rank_chunk` — in a worker of its own, or one after the other in one process — against
the same snapshot, and stores its ranked matches on its row. A part ranked twice (its worker
was lost and the task delivered again) stores its result once. When every part is done, the
run's finishing step (``services.runs.finish``) reads :func:`results` and computes the
distribution over all of them exactly as a run in one process would.

Each worker process builds the candidate index from the snapshot once per run and keeps it
for the run's next parts (:func:`index_for`).
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor
from perspectief.vacancies.constants import VacancyStatus
from perspectief.vacancies.models import Vacancy

from ..constants import (
    RUN_MAX_PER_PLACE,
    RUN_MIN_PER_PLACE,
    RUN_PER_POSITION,
    ChunkStatus,
    RunStatus,
)
from ..engine import records
from ..engine.candidate_index import CandidateIndex
from ..engine_records import (
    candidate_record,
    people_for_engine,
    places_for_engine,
    taxonomy,
    vacancy_record,
)
from ..models import MatchRun, MatchRunChunk, MatchRunSnapshot
from ..selectors import fairness
from ..selectors.configuration import Setting
from .fairness import BestScores

log = logging.getLogger(__name__)

#: People per row of a run's snapshot: about 1.7 KB of JSON a person, so some 17 MB a row,
#: far below PostgreSQL's limit on one jsonb value (about 255 MB, some 150,000 people).
SNAPSHOT_PART = 10_000
#: A part whose worker was lost this many times fails the run (it is not tried forever).
MAX_ATTEMPTS = 3

#: This process's candidate index, for one run at a time: {run uuid: index}.
_INDEX: dict[str, CandidateIndex] = {}


class ChunkFailed(RuntimeError):
    """A part of a run was started more than :data:`MAX_ATTEMPTS` times."""


def per_place(positions: int) -> int:
    """How many people the run keeps for a place with ``positions`` open positions."""
    return int(min(max(RUN_PER_POSITION * positions, RUN_MIN_PER_PLACE), RUN_MAX_PER_PLACE))


@dataclass(frozen=True)
class Place:
    """A place as the finishing step needs it: its id and its open positions at the start."""

    pk: int
    places_open: int


# -- records as JSON ----------------------------------------------------------------------


def _encoded(record) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(record).items()}


def _decoded(cls, data: dict, dates: tuple[str, ...]):
    values = dict(data)
    for name in dates:
        if values.get(name):
            values[name] = date.fromisoformat(values[name])
    return cls(**values)


def candidate_from(data: dict) -> records.Candidate:
    return _decoded(records.Candidate, data, ("available_from", "ready_from"))


def vacancy_from(data: dict) -> records.Vacancy:
    return _decoded(records.Vacancy, data, ("start_date",))


# -- the start: one read of places and people -----------------------------------------------


def prepare(run: MatchRun, *, actor: Actor) -> list[int]:
    """Read the run's places and people once and store them in parts; the parts' ids.

    Inside the transaction that claims the run, so a start that fails leaves no parts."""
    places = [
        v
        for v in places_for_engine(
            Vacancy.objects.visible_to(actor).filter(
                status=VacancyStatus.OPEN,
                employer__organisation__region_id=run.region_id,
                postcode__isnull=False,
            )
        ).order_by("id")
        if v.places_open > 0
    ]
    # Functional limitations count only for people whose limitations the run's actor may
    # use (``with_health_for``); the run's actor holds no health permission (``run_actor``).
    people = list(people_for_engine(Candidate.objects.visible_to(actor).matchable(), actor=actor))
    MatchRunSnapshot.objects.filter(run=run).delete()
    for number, start in enumerate(range(0, len(people), SNAPSHOT_PART)):
        MatchRunSnapshot.objects.create(
            run=run,
            number=number,
            people=[
                [p.pk, _encoded(candidate_record(p, health=p.health_visible))]
                for p in people[start : start + SNAPSHOT_PART]
            ],
        )
    MatchRunChunk.objects.filter(run=run).delete()
    size = max(1, settings.MATCHING_RUN_CHUNK)
    rows = [(p.pk, _encoded(vacancy_record(p))) for p in places] if people else []
    MatchRunChunk.objects.bulk_create(
        MatchRunChunk(run=run, number=n, places=[list(r) for r in rows[start : start + size]])
        for n, start in enumerate(range(0, len(rows), size))
    )
    run.places_total, run.candidates = len(places), len(people)
    run.save(update_fields=["places_total", "candidates", "updated_at"])
    return unfinished(run)


def unfinished(run: MatchRun) -> list[int]:
    """The parts of a run still to rank."""
    return list(
        MatchRunChunk.objects.filter(run=run)
        .exclude(status=ChunkStatus.DONE)
        .order_by("number")
        .values_list("pk", flat=True)
    )


def _free() -> Q:
    """A part no worker ranks now: never claimed, or its claim (``heartbeat_at``, renewed
    at every progress step) older than ``MATCHING_RUN_RESUME_AFTER`` — its worker was lost."""
    expired = timezone.now() - timedelta(seconds=settings.MATCHING_RUN_RESUME_AFTER)
    return Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=expired)


def unclaimed(run: MatchRun) -> list[int]:
    """The parts of a run still to rank that no worker ranks now: what a start task
    delivered again, or ``runs.resume_stalled``, queues again."""
    return list(
        MatchRunChunk.objects.filter(_free(), run=run)
        .exclude(status=ChunkStatus.DONE)
        .order_by("number")
        .values_list("pk", flat=True)
    )


# -- a part, in a worker ------------------------------------------------------------------


def index_for(run: MatchRun) -> tuple[CandidateIndex, float]:
    """The candidate index of the run's snapshot, built once per process and run, and the
    seconds it took to build now (0 when this process had it)."""
    index = _INDEX.get(str(run.uuid))
    built = 0.0
    if index is None:
        started = time.perf_counter()
        read = [candidate_from(record) for _pk, record in _snapshot(run)]
        index = CandidateIndex(taxonomy(), read, Setting.of(run.configuration).weights)
        _INDEX.clear()
        _INDEX[str(run.uuid)] = index
        built = time.perf_counter() - started
        log.info(
            "matching run %s: index of %d people built in %.2f s",
            run.uuid,
            len(read),
            built,
        )
    return index, built


def rank_chunk(chunk_id: int, *, worker: str = "") -> bool:
    """Rank one part and store its result; True when it was the run's last part to finish
    (the caller then finishes the run). A part of a run no longer running (cancelled,
    failed) stops; a part already done stores nothing again."""
    chunk = MatchRunChunk.objects.select_related("run__configuration").filter(pk=chunk_id).first()
    if chunk is None:
        return False  # the run was cancelled or has finished: its parts are gone
    run = chunk.run
    if run.status != RunStatus.RUNNING:
        return False
    if chunk.status == ChunkStatus.DONE:
        return not _left(run)
    free = MatchRunChunk.objects.filter(_free(), pk=chunk.pk).exclude(status=ChunkStatus.DONE)
    if not free.exists():
        return False  # another worker ranks it now: not an attempt (it finishes the run)
    if chunk.attempts >= MAX_ATTEMPTS:
        raise ChunkFailed(f"part {chunk.number} of run {run.uuid}")
    # The claim: of two deliveries at once, one updates the row, the other skips it.
    if not free.update(
        status=ChunkStatus.RUNNING,
        attempts=F("attempts") + 1,
        worker=worker[:200],
        places_done=0,
        heartbeat_at=timezone.now(),
    ):
        return False
    started = time.perf_counter()
    try:
        index, built = index_for(run)
        ranked = _rank(chunk, run, index)
    except Exception:
        # Released, so the task's retry ranks it again at once.
        MatchRunChunk.objects.filter(pk=chunk.pk).update(heartbeat_at=None)
        raise
    if ranked is None:
        return False  # cancelled meanwhile: stop
    result, best = ranked
    with transaction.atomic():
        # The run's row is the lock: of two parts finishing at once, one sees the other done.
        status = (
            MatchRun.objects.select_for_update().filter(pk=run.pk).values_list("status", flat=True)
        )
        if status.first() != RunStatus.RUNNING:
            return False
        MatchRunChunk.objects.filter(pk=chunk.pk).exclude(status=ChunkStatus.DONE).update(
            status=ChunkStatus.DONE,
            result=result,
            best={pid: list(value) for pid, value in best.best.items()},
            places_done=len(chunk.places),
            seconds=round(time.perf_counter() - started, 3),
            index_seconds=round(built, 3),
        )
        _progress(run)
        return not _left(run)


def _rank(chunk: MatchRunChunk, run: MatchRun, index: CandidateIndex):
    """The part's ranked places and best scores; None when the run stopped meanwhile.

    The places are ranked in the engine's blocks (``CandidateIndex.top_blocks``, 64
    places); progress is written, the claim renewed and the run's state checked after
    each block. Only the suggestions kept are explained."""
    setting = Setting.of(run.configuration)
    places = [vacancy_from(record) for _pk, record in chunk.places]
    kept = [per_place(place.places) for place in places]
    # Ranked further than kept, for the fairness report's scores (selectors.fairness).
    blocks = index.top_blocks(places, [max(n, fairness.RANKED) for n in kept], kept)
    tops: list = [None] * len(places)
    done = 0
    try:
        for block in blocks:
            for i, top in block:
                tops[i] = top
            done += len(block)
            MatchRunChunk.objects.filter(pk=chunk.pk).update(
                places_done=done, heartbeat_at=timezone.now()
            )
            if not _progress(run):
                return None
    finally:
        blocks.close()
    best = BestScores()
    result = []
    for (pk, _record), top in zip(chunk.places, tops, strict=True):
        best.add(top.ranking)
        result.append([pk, [stored(m) for m in setting.keep(top.matches)]])
    return result, best


#: The fields of a match, in order.
_MATCH_FIELDS = tuple(f.name for f in fields(records.Match))


def stored(match: records.Match) -> dict:
    """A match as a part stores it (JSON): ``asdict`` without its deep copy, which cost
    as much as ranking the place (the match is fresh, and only read to be stored)."""
    return {name: getattr(match, name) for name in _MATCH_FIELDS}


def run_of(chunk_id: int) -> int | None:
    """The run of a part (None once the run finished or was cancelled)."""
    return MatchRunChunk.objects.filter(pk=chunk_id).values_list("run_id", flat=True).first()


def _left(run: MatchRun) -> bool:
    return MatchRunChunk.objects.filter(run=run).exclude(status=ChunkStatus.DONE).exists()


def _progress(run: MatchRun) -> bool:
    """The run's progress is the sum of its parts'; False when the run no longer runs."""
    done = (
        MatchRunChunk.objects.filter(run=OuterRef("pk"))
        .values("run")
        .annotate(total=Sum("places_done"))
        .values("total")
    )
    return bool(
        MatchRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            places_done=Coalesce(Subquery(done), 0), updated_at=timezone.now()
        )
    )


# -- the end: every part's result ----------------------------------------------------------


def results(run: MatchRun) -> tuple[list[tuple[Place, list[records.Match]]], BestScores]:
    """All parts' ranked places in the order of the places, and the people's best scores
    and ranks over all of them — what a run in one process would have ranked."""
    ranked: list[tuple[Place, list[records.Match]]] = []
    best = BestScores()
    for chunk in MatchRunChunk.objects.filter(run=run).order_by("number"):
        positions = {pk: record["places"] for pk, record in chunk.places}
        for pk, matches in chunk.result:
            ranked.append((Place(pk, positions[pk]), [records.Match(**m) for m in matches]))
        for pid, (score, rank) in chunk.best.items():
            old_score, old_rank = best.best.get(pid, (score, rank))
            best.best[pid] = (max(score, old_score), min(rank, old_rank))
    return ranked, best


def people(run: MatchRun, *, actor: Actor) -> dict[str, Candidate]:
    """The job seekers of the run's snapshot by the engine's id (their uuid) — only those
    the run's actor still sees and may still match when the run finishes: who dropped out of
    view since it started (consent withdrawn, no longer served, merged, anonymised, at work)
    is not suggested."""
    ids = [pk for pk, _record in _snapshot(run)]
    still = Candidate.objects.visible_to(actor).matchable().filter(pk__in=ids)
    return {str(c.uuid): c for c in still}


def _snapshot(run: MatchRun):
    """The run's people in the order they were read, one part of the snapshot at a time."""
    for part in MatchRunSnapshot.objects.filter(run=run).order_by("number").iterator(chunk_size=1):
        yield from part.people


def discard(run_id: int) -> None:
    """Drop the people a run read and its parts' results once it is stored, failed or
    cancelled; each part keeps only how it went (status, attempts, worker, seconds)."""
    MatchRunChunk.objects.filter(run_id=run_id).update(places=[], result=[], best={})
    MatchRunSnapshot.objects.filter(run_id=run_id).delete()
