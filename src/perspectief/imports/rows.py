"""The rows of an import, for the kinds that say what a row means (``<app>/importers.py``).

A kind parses a row into its own value, or a :class:`Rejected` row with every reason, in
Dutch and English (an import rejection keeps both: it is read later, by whoever downloads
it). :func:`parse_field` runs one cell through a parser and collects its refusal;
:func:`first_seen` refuses the second row of the same person or place in a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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


def first_seen(
    seen: dict[tuple[Any, ...], int],
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
