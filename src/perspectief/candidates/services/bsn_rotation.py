"""Rotating the BSN keys: every stored BSN re-encrypted with the current (first) key of
``PERSPECTIEF_BSN_KEYS`` and every blind index renewed with ``PERSPECTIEF_BSN_INDEX_KEY``.

Where BSNs are stored: ``Candidate.bsn_encrypted`` and ``Candidate.bsn_index``, and the
encrypted BSN cell of rejected import rows (``ImportRejection.values["bsn_encrypted"]``).

Batches of rows are each changed in their own transaction, in primary-key order. A row that
is already under the current keys is left alone, so an interrupted rotation is resumed by
running it again: it finishes what is left and counts the rest as already done. Nothing a
person sees changes (the same BSN, the same person); ``updated_at`` is left as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from perspectief.core import bsn as bsn_lib
from perspectief.imports.models import ImportRejection

from ..models import Candidate

security_log = logging.getLogger("perspectief.security")

DEFAULT_BATCH_SIZE = 500


class KeyMissing(Exception):
    """A stored BSN that none of the configured keys decrypts: a key left the ring too early."""

    def __init__(self, what: str, pk: int):
        super().__init__(f"{what} {pk}")
        self.what, self.pk = what, pk


@dataclass
class Counts:
    candidates: int = 0  # BSNs re-encrypted or re-indexed
    candidates_current: int = 0  # already under the current keys
    import_rejections: int = 0
    import_rejections_current: int = 0
    batches: int = 0
    remaining: dict[str, int] = field(default_factory=dict)


def _decrypt(token: str, what: str, pk: int) -> str:
    try:
        return bsn_lib.decrypt(token)
    except ValueError:
        raise KeyMissing(what, pk) from None


def _candidate_is_current(candidate: Candidate) -> bool:
    if not bsn_lib.is_current(candidate.bsn_encrypted):
        return False
    if candidate.bsn_index is None:
        return True
    plain = _decrypt(candidate.bsn_encrypted, "candidate", candidate.pk)
    return candidate.bsn_index == bsn_lib.blind_index(plain)


def _rotate_candidates(rows: list[Candidate]) -> tuple[int, int]:
    """Bring one batch under the current keys; (changed, already current)."""
    changed = []
    for candidate in rows:
        if _candidate_is_current(candidate):
            continue
        plain = _decrypt(candidate.bsn_encrypted, "candidate", candidate.pk)
        candidate.bsn_encrypted = bsn_lib.rotate(candidate.bsn_encrypted)
        if candidate.bsn_index is not None:  # a merged record keeps no index
            candidate.bsn_index = bsn_lib.blind_index(plain)
        changed.append(candidate)
    Candidate.objects.bulk_update(changed, ["bsn_encrypted", "bsn_index"])
    return len(changed), len(rows) - len(changed)


def _rotate_rejections(rows: list[ImportRejection]) -> tuple[int, int]:
    changed = []
    for rejection in rows:
        token = rejection.values.get("bsn_encrypted") or ""
        if not token or bsn_lib.is_current(token):
            continue
        _decrypt(token, "import rejection", rejection.pk)
        rejection.values = {**rejection.values, "bsn_encrypted": bsn_lib.rotate(token)}
        changed.append(rejection)
    ImportRejection.objects.bulk_update(changed, ["values"])
    return len(changed), len(rows) - len(changed)


def _candidates():
    return Candidate.objects.exclude(bsn_encrypted="").only("pk", "bsn_encrypted", "bsn_index")


def _rejections():
    return ImportRejection.objects.filter(values__has_key="bsn_encrypted").only("pk", "values")


def _each_batch(queryset, size: int, handle: Callable[[list], None], *, lock: bool) -> None:
    """Call ``handle`` with the rows in primary-key order, ``size`` at a time, each batch read
    (with ``lock``: locked against concurrent changes) and handled in its own transaction."""
    last = 0
    while True:
        with transaction.atomic():
            query = queryset.filter(pk__gt=last).order_by("pk")
            if lock:
                query = query.select_for_update()
            rows = list(query[:size])
            if not rows:
                return
            handle(rows)
        last = rows[-1].pk


def rotate(
    *, batch_size: int = DEFAULT_BATCH_SIZE, progress: Callable[[Counts], None] | None = None
) -> Counts:
    """Re-encrypt and re-index every stored BSN under the current keys; see the module."""
    counts = Counts()

    def candidates(rows):
        changed, current = _rotate_candidates(rows)
        counts.candidates += changed
        counts.candidates_current += current
        counts.batches += 1
        if progress:
            progress(counts)

    def rejections(rows):
        changed, current = _rotate_rejections(rows)
        counts.import_rejections += changed
        counts.import_rejections_current += current
        counts.batches += 1
        if progress:
            progress(counts)

    _each_batch(_candidates(), batch_size, candidates, lock=True)
    _each_batch(_rejections(), batch_size, rejections, lock=True)
    counts.remaining = remaining(batch_size=batch_size)
    security_log.info(
        "BSN keys rotated: candidates=%d (already current %d), import_rejections=%d "
        "(already current %d), remaining=%s",
        counts.candidates,
        counts.candidates_current,
        counts.import_rejections,
        counts.import_rejections_current,
        counts.remaining,
    )
    return counts


def remaining(*, batch_size: int = DEFAULT_BATCH_SIZE) -> dict[str, int]:
    """How many stored BSNs are not yet under the current keys (nothing is changed)."""
    left = {"candidates": 0, "import_rejections": 0}

    def candidates(rows):
        left["candidates"] += sum(not _candidate_is_current(c) for c in rows)

    def rejections(rows):
        left["import_rejections"] += sum(
            not bsn_lib.is_current(r.values["bsn_encrypted"])
            for r in rows
            if r.values.get("bsn_encrypted")
        )

    _each_batch(_candidates(), batch_size, candidates, lock=False)
    _each_batch(_rejections(), batch_size, rejections, lock=False)
    return left
