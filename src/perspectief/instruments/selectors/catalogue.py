"""Reads for the instruments catalogue: the instruments of a region with the version valid
on a day, a version in words (conditions, amounts, deadlines), and its history."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from perspectief.audit.models import AuditEvent
from perspectief.core.authz import Actor
from perspectief.core.rules import describe, localised

from ..constants import AmountPer, Anchor, VersionStatus
from ..facts import VOCABULARY
from ..models import HarmonisationItem, Instrument, InstrumentVersion, Variation


def visible_instruments(actor: Actor) -> QuerySet[Instrument]:
    """National instruments and the actor's region's own."""
    return Instrument.objects.filter(Q(region__isnull=True) | Q(region_id=actor.region_id))


def valid_on(versions, on: datetime.date):
    return versions.filter(status=VersionStatus.PUBLISHED, valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


@dataclass
class CatalogueRow:
    instrument: Instrument
    version: InstrumentVersion | None
    drafts: int = 0


def catalogue(actor: Actor, on: datetime.date) -> list[CatalogueRow]:
    """Every instrument of the region with its version valid ``on`` (``None``: none is)."""
    instruments = list(visible_instruments(actor).select_related("region"))
    current = {
        version.instrument_id: version
        for version in valid_on(
            InstrumentVersion.objects.filter(instrument__in=instruments), on
        ).order_by("valid_from")
    }
    drafts: dict[int, int] = {}
    for instrument_id in InstrumentVersion.objects.filter(
        instrument__in=instruments, status=VersionStatus.DRAFT
    ).values_list("instrument_id", flat=True):
        drafts[instrument_id] = drafts.get(instrument_id, 0) + 1
    rows = [
        CatalogueRow(instrument, current.get(instrument.pk), drafts.get(instrument.pk, 0))
        for instrument in instruments
    ]
    return sorted(rows, key=lambda row: (row.instrument.region_id is not None, row.instrument.code))


# --- a version in words -------------------------------------------------------------------


@dataclass
class Words:
    """A condition in words: its own text, the rule it stands for, and a group's parts."""

    text: str
    rule: str = ""
    parts: list[Words] = field(default_factory=list)


def condition_words(condition: Mapping[str, Any]) -> Words:
    bare = {key: value for key, value in condition.items() if key != "text"}
    parts: list[Words] = []
    if "all" in condition or "any" in condition:
        parts = [condition_words(part) for part in condition.get("all", condition.get("any"))]
    elif "not" in condition:
        parts = [condition_words(condition["not"])]
    rule = describe(bare, VOCABULARY)
    text = localised(condition.get("text")) or rule
    # A group's parts say the rule themselves; a comparison with its own text shows both.
    return Words(text, rule if rule != text and not parts else "", parts)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def formula_words(formula: Any, params: Mapping[str, Any]) -> str:
    """A formula with facts named as people say them and parameters with their value."""
    if formula is None or formula == "":
        return ""
    if isinstance(formula, int | float):
        return _number(formula)
    lang = (get_language() or "nl")[:2]
    functions = {
        "min": _("the lowest of"),
        "max": _("the highest of"),
        "round": _("rounded"),
    }

    def name(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in functions:
            return str(functions[word])
        if word in VOCABULARY:
            return localised(VOCABULARY[word].label, lang)
        if word.startswith("params.") and word[7:] in params:
            return f"{word[7:]} ({_number(params[word[7:]])})"
        return word

    return _NAME.sub(name, str(formula)).replace("*", "×").replace("/", "÷")


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return (
        f"{value:,.2f}".rstrip("0")
        .rstrip(".")
        .replace(",", " ")
        .replace(".", ",")
        .replace(" ", ".")
    )


@dataclass
class CategoryWords:
    code: str
    name: str
    conditions: list[Words]
    params: dict[str, Any]
    amount_per: str
    amount: str
    duration: str


@dataclass
class DeadlineWords:
    text: str
    anchor: str
    months: Any
    code: str = ""


@dataclass
class VersionWords:
    """Everything a version says, ready for a page."""

    version: InstrumentVersion
    conditions: list[Words]
    params: dict[str, Any]
    categories: list[CategoryWords]
    amount_per: str
    amount: str
    duration: str
    amount_note: str
    documents: list[str]
    deadlines: list[DeadlineWords]
    notes: list[str]
    sources: list[tuple[str, bool]]


def _per(per: str) -> str:
    return str(AmountPer(per).label) if per in AmountPer.values else per


def version_words(version: InstrumentVersion) -> VersionWords:
    rules = version.rules or {}
    params = dict(rules.get("params") or {})
    amount = rules.get("amount") or {"per": AmountPer.NONE}
    categories = []
    for spec in rules.get("categories") or []:
        merged = {**params, **(spec.get("params") or {})}
        own = spec.get("amount") or amount
        categories.append(
            CategoryWords(
                code=spec.get("code", ""),
                name=localised(spec.get("name")),
                conditions=[condition_words(c) for c in spec.get("conditions", [])],
                params=dict(spec.get("params") or {}),
                amount_per=_per(own.get("per", AmountPer.NONE)),
                amount=formula_words(own.get("formula"), merged),
                duration=formula_words(
                    spec.get("durationMonths", rules.get("durationMonths")), merged
                ),
            )
        )
    anchors = dict(Anchor.choices)
    return VersionWords(
        version=version,
        conditions=[condition_words(c) for c in rules.get("conditions", [])],
        params=params,
        categories=categories,
        amount_per=_per(amount.get("per", AmountPer.NONE)),
        amount=formula_words(amount.get("formula"), params),
        duration=formula_words(rules.get("durationMonths"), params),
        amount_note=localised(rules.get("amountNote")),
        documents=[localised(d) for d in rules.get("documents", [])],
        deadlines=[
            DeadlineWords(
                localised(d.get("text")),
                str(anchors.get(d.get("anchor"), d.get("anchor"))),
                _number(d.get("months", 0)),
                str(d.get("anchor", "")),
            )
            for d in rules.get("deadlines", [])
        ],
        notes=[localised(n) for n in rules.get("notes", [])],
        sources=[
            (url, str(url).startswith(("http://", "https://"))) for url in version.sources or []
        ],
    )


# --- history --------------------------------------------------------------------------------


@dataclass
class History:
    versions: list[InstrumentVersion]
    variations: list[Variation]
    events: list[AuditEvent]
    harmonisation: HarmonisationItem | None


def history(actor: Actor, instrument: Instrument) -> History:
    """Every version, the region's variations, and the audit events of their changes."""
    versions = list(
        instrument.versions.select_related("created_by", "published_by").order_by("-number")
    )
    variations = list(
        Variation.objects.filter(instrument=instrument, region_id=actor.region_id)
        .select_related("created_by", "published_by")
        .order_by("scope", "-valid_from")
    )
    item = HarmonisationItem.objects.filter(
        instrument=instrument, region_id=actor.region_id
    ).first()
    targets = [str(instrument.uuid)] + [str(v.uuid) for v in versions + variations]
    types = ["instruments.instrument", "instruments.instrumentversion", "instruments.variation"]
    events = AuditEvent.objects.filter(target_type__in=types, target_id__in=targets)
    if item is not None:
        events = events | AuditEvent.objects.filter(
            target_type="instruments.harmonisationitem", target_id=str(item.pk)
        )
    return History(versions, variations, list(events.order_by("-created_at", "-id")[:200]), item)


#: What an audit event of the authoring services says, in words.
EVENT_WORDS = {
    "instrument.created": gettext_lazy("instrument created"),
    "instrument_version.created": gettext_lazy("draft made"),
    "instrument_version.changed": gettext_lazy("draft changed"),
    "instrument_version.published": gettext_lazy("published"),
    "instrument_version.withdrawn": gettext_lazy("draft withdrawn"),
    "instrument_version.ended": gettext_lazy("end date set"),
    "instrument_variation.created": gettext_lazy("draft made"),
    "instrument_variation.changed": gettext_lazy("draft changed"),
    "instrument_variation.published": gettext_lazy("published"),
    "instrument_variation.withdrawn": gettext_lazy("draft withdrawn"),
    "instrument_variation.ended": gettext_lazy("end date set"),
    "instrument_harmonisation.changed": gettext_lazy("harmonisation status changed"),
}


def event_words(event: AuditEvent) -> str:
    return str(EVENT_WORDS.get(event.event, event.event))


def target_labels(history_: History) -> dict[str, str]:
    labels = {str(v.uuid): _("version %(n)s") % {"n": v.number} for v in history_.versions}
    labels.update(
        {str(v.uuid): _("variation %(scope)s") % {"scope": v.scope} for v in history_.variations}
    )
    if history_.harmonisation is not None:
        labels[str(history_.harmonisation.pk)] = _("harmonisation")
    return labels


def current_version(instrument: Instrument, on: datetime.date) -> InstrumentVersion | None:
    return valid_on(instrument.versions.all(), on).order_by("-valid_from").first()
