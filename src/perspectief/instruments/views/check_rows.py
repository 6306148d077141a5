"""One instrument's answer as a page shows it: the verdict, the category that counts and
the others that also apply, the amounts, the reasons condition by condition, the documents,
who decides, whom to call, the deadlines as dates (passed ones marked), the version with its
period and sources, and whether the rules were confirmed.

The adviser's row has everything; the employer's row (:func:`employer_row`) leaves out the
conditions and the category, because they tell the person's benefit, age, limitation or
target group.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from perspectief.core.rules import localised

from ..check import InstrumentAnswer
from ..constants import Anchor
from ..evaluate import CategoryResult, DeadlineResult
from ..facts import VOCABULARY

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
UNKNOWN = "unknown"


def verdict(eligible: bool | None) -> str:
    return {True: ELIGIBLE, False: NOT_ELIGIBLE}.get(eligible, UNKNOWN)  # type: ignore[arg-type]


@dataclass
class Deadline:
    text: str
    anchor: str
    due_on: datetime.date | None
    passed: bool
    before_start: bool


@dataclass
class Row:
    code: str
    name: str
    summary: str
    verdict: str
    category: str = ""
    category_code: str = ""
    also_apply: list[str] = field(default_factory=list)
    may_also_apply: list[str] = field(default_factory=list)
    #: For "can't tell yet": the conditions of the other categories that may still apply.
    other_conditions: list[tuple[str, list[Any]]] = field(default_factory=list)
    amount_per: str = "none"
    per_month: float | None = None
    per_year: float | None = None
    once: float | None = None
    max_per_year: float | None = None
    total: float | None = None
    duration_months: float | None = None
    #: The duration in whole months, for the words ("36 maanden").
    months: int | None = None
    amount_note: str = ""
    missing_for_amount: list[str] = field(default_factory=list)
    conditions: list[Any] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    decided_by: str = ""
    contact: str = ""
    executing_body: str = ""
    legal_basis: str = ""
    version: int = 0
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    sources: list[str] = field(default_factory=list)
    verified: bool = False
    verify_note: str = ""
    variation_scope: str = ""
    variation_note: str = ""
    apply_url: str | None = None


def labels(names: list[str]) -> list[str]:
    return [localised(VOCABULARY[n].label) if n in VOCABULARY else n for n in names]


def _deadlines(results: list[DeadlineResult], today: datetime.date) -> list[Deadline]:
    return [
        Deadline(
            text=d.text,
            anchor=d.anchor,
            due_on=d.due_on,
            # A step before the start is late once the start has come.
            passed=d.due_on is not None
            and (d.due_on <= today if d.anchor == Anchor.BEFORE_START else d.due_on < today),
            before_start=d.anchor == Anchor.BEFORE_START,
        )
        for d in results
    ]


def _params(item: InstrumentAnswer, category: CategoryResult | None) -> dict[str, Any]:
    rules = item.version.rules or {}
    params = {**rules.get("params", {}), **(item.variation.params if item.variation else {})}
    return {**params, **(category.params if category else {})}


def _amounts(row: Row, item: InstrumentAnswer) -> None:
    result = item.answer
    row.amount_per = result.amount_per
    if result.eligible is False:
        return
    row.per_year = result.amount_per_year
    row.per_month = result.amount_per_month
    row.total = result.amount_total
    row.duration_months = result.duration_months
    if result.duration_months is not None:
        row.months = round(result.duration_months)
    if result.amount_per == "once":
        row.once = result.amount_total
    maximum = _params(item, result.category).get("maxPerYear")
    if isinstance(maximum, int | float) and result.amount_per in ("year", "month"):
        row.max_per_year = maximum
    row.missing_for_amount = labels(result.missing_for_amount)


def _base(item: InstrumentAnswer, today: datetime.date) -> Row:
    version = item.version
    result = item.answer
    row = Row(
        code=item.code,
        name=version.name,
        summary=localised(version.summary),
        verdict=verdict(result.eligible),
        amount_note=result.amount_note,
        documents=result.documents,
        deadlines=_deadlines(result.deadlines, today),
        decided_by=localised(version.decided_by),
        contact=localised(version.contact),
        executing_body=version.executing_body,
        version=version.number,
        valid_from=version.valid_from,
        valid_until=version.valid_until,
        verified=version.verified,
        verify_note=version.verify_note,
    )
    _amounts(row, item)
    return row


def adviser_row(
    item: InstrumentAnswer, today: datetime.date, *, apply_query: dict[str, str] | None
) -> Row:
    """Everything: the reasons, the categories, the legal basis and sources."""
    row = _base(item, today)
    result = item.answer
    chosen = result.category
    if chosen is not None:
        row.category, row.category_code = chosen.name, chosen.code
    others = [c for c in result.categories if chosen is None or c.code != chosen.code]
    row.also_apply = [c.name for c in others if c.eligible is True]
    row.may_also_apply = [c.name for c in others if c.eligible is None]
    row.conditions = result.conditions
    open_categories = [c for c in others if c.eligible is None]
    row.other_conditions = [(c.name, c.conditions) for c in open_categories]
    missing = result.missing + [n for c in open_categories for r in c.conditions for n in r.missing]
    row.missing = labels(list(dict.fromkeys(missing)))
    row.notes = result.notes
    row.legal_basis = item.version.legal_basis
    row.sources = list(item.version.sources or [])
    if item.variation is not None:
        row.variation_scope = item.variation.scope
        row.variation_note = item.variation.note
    if apply_query is not None and result.eligible is True:
        row.apply_url = application_url(
            {**apply_query, "instrument": row.code, "category": row.category_code}
        )
    return row


def employer_row(item: InstrumentAnswer, today: datetime.date) -> Row:
    """What the employer may know: no conditions, no category, no missing facts (and not
    the amount's note, which names target groups)."""
    row = _base(item, today)
    row.amount_note = ""
    return row


def application_url(query: dict[str, str]) -> str | None:
    """The applications page for this instrument, once that page exists."""
    try:
        base = reverse("instruments:application-new")
    except NoReverseMatch:
        return None
    return f"{base}?{urlencode({k: v for k, v in query.items() if v})}"
