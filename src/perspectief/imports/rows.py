"""The rows of an import, for the kinds that say what a row means (``<app>/importers.py``).

A kind parses a row into its own value, or a :class:`Rejected` row with every reason, in
Dutch and English (an import rejection keeps both: it is read later, by whoever downloads
it). :func:`parse_field` runs one cell through a parser and collects its refusal;
:func:`first_seen` refuses the second row of the same person or place in a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from perspectief.core import refusals
from perspectief.core.dates import parse_date


@dataclass
class Rejected:
    """A row that is not imported: its line, its values and why (Dutch, English)."""

    line: int
    raw: dict[str, str]
    reasons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def reason_nl(self) -> str:
        return "; ".join(nl for nl, _en in self.reasons)

    @property
    def reason_en(self) -> str:
        return "; ".join(en for _nl, en in self.reasons)

    def refuse(self, nl: str, en: str) -> None:
        """Add a reason, in Dutch and English."""
        self.reasons.append((nl, en))


@dataclass
class Counts:
    """What an import did with its rows so far (kept on the job with every batch)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


def in_both(column: str, message: Callable[[], object]) -> tuple[str, str]:
    """A reason about ``column`` in Dutch and English, from a ``message()`` that speaks
    the active language (a check shared with the forms)."""
    nl, en = refusals.in_both_languages(message)
    return f"{column}: {nl}", f"{column}: {en}"


def parse_field(rejected: Rejected, column: str, parser: Callable[[str], Any], value: str) -> Any:
    """One cell through its parser; a refusal is added to the row's reasons (None back).
    An empty cell is None without asking the parser."""
    if not value:
        return None
    try:
        return parser(value)
    except ValueError as exc:
        nl, en = refusals.both(exc)
        rejected.refuse(f"{column}: {nl}", f"{column}: {en}")
        return None


def required(rejected: Rejected, raw: dict[str, str], columns: tuple[str, ...]) -> None:
    """A reason for every required column the row leaves empty."""
    for column in columns:
        if not raw.get(column, ""):
            rejected.refuse(f"{column}: verplicht", f"{column}: required")


class SeenKeys:
    """The keys of the rows seen so far in a file, each with its first line, in about 12
    bytes a row (memory stays flat for a file of a million rows: a dict of the keys
    themselves took some 250 bytes a row).

    A key is kept as a 64-bit digest of its ``repr``; the newest are in a dict, merged
    every :attr:`MERGE` keys into sorted numpy arrays that are searched by bisection. Two
    different keys share a digest with a chance of about n²/2⁶⁵ (3·10⁻⁸ for a million rows):
    then the second row would be refused as a duplicate of the first, with its line."""

    MERGE = 65_536

    def __init__(self) -> None:
        self._recent: dict[int, int] = {}
        self._digests = np.empty(0, dtype=np.uint64)
        self._lines = np.empty(0, dtype=np.uint32)
        self._last: tuple[Any, int] | None = None

    def _digest(self, key: tuple[Any, ...]) -> int:
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        digest = int.from_bytes(
            hashlib.blake2b(repr(key).encode(), digest_size=8).digest(), "little"
        )
        self._last = (key, digest)
        return digest

    def get(self, key: tuple[Any, ...]) -> int | None:
        """The line of the first row with ``key``, or None."""
        digest = self._digest(key)
        line = self._recent.get(digest)
        if line is not None or not self._digests.size:
            return line
        at = int(np.searchsorted(self._digests, np.uint64(digest)))
        if at < self._digests.size and int(self._digests[at]) == digest:
            return int(self._lines[at])
        return None

    def __setitem__(self, key: tuple[Any, ...], line: int) -> None:
        self._recent[self._digest(key)] = line
        if len(self._recent) >= self.MERGE:
            self._merge()

    def __len__(self) -> int:
        return len(self._recent) + int(self._digests.size)

    def _merge(self) -> None:
        count = len(self._recent)
        digests = np.concatenate(
            [self._digests, np.fromiter(self._recent.keys(), dtype=np.uint64, count=count)]
        )
        lines = np.concatenate(
            [self._lines, np.fromiter(self._recent.values(), dtype=np.uint32, count=count)]
        )
        order = np.argsort(digests, kind="stable")
        self._digests, self._lines = digests[order], lines[order]
        self._recent.clear()


def first_seen(
    seen: SeenKeys | dict[tuple[Any, ...], int],
    key: tuple[Any, ...],
    line: int,
    rejected: Rejected,
    what_nl: str,
    what_en: str,
) -> bool:
    """Remember the row's key; False, with the reason, when an earlier line had it."""
    first = seen.get(key)
    if first is not None:
        rejected.refuse(
            f"dubbele rij: {what_nl} als regel {first}",
            f"duplicate row: {what_en} as line {first}",
        )
        return False
    seen[key] = line
    return True


def plain_date(value: str) -> date:
    """A date cell (a start date, an availability date), read as every date a person types
    is read (:func:`perspectief.core.dates.parse_date`); what it means is checked by the
    kind."""
    try:
        return parse_date(value)
    except ValueError:
        raise ValueError(
            f"onleesbare datum {value!r} (JJJJ-MM-DD of DD-MM-JJJJ) / "
            f"unreadable date {value!r} (YYYY-MM-DD or DD-MM-YYYY)"
        ) from None
