"""The harmonisation table: per instrument and per gemeente (and UWV) of a region, what the
published variation valid on a day changes: "as the region", other amounts, extra
conditions, or not offered."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from perspectief.core.authz import Actor
from perspectief.core.rules import describe
from perspectief.regions.models import Municipality

from ..constants import UWV_SCOPE, VersionStatus
from ..facts import VOCABULARY
from ..models import HarmonisationItem, InstrumentVersion, Variation
from .catalogue import valid_on, visible_instruments

SAME = "same"
DIFFERS = "differs"
NOT_OFFERED = "not_offered"


@dataclass
class Column:
    scope: str
    name: str

    @property
    def is_uwv(self) -> bool:
        return self.scope == UWV_SCOPE


@dataclass
class Cell:
    column: Column
    kind: str = SAME
    amounts: list[tuple[str, Any, Any]] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    note: str = ""
    variation: Variation | None = None


@dataclass
class Row:
    version: InstrumentVersion
    cells: list[Cell]
    item: HarmonisationItem | None

    @property
    def instrument(self):
        return self.version.instrument

    @property
    def gemeenten_differing(self) -> int:
        return sum(1 for c in self.cells if not c.column.is_uwv and c.kind != SAME)

    @property
    def uwv_differs(self) -> bool:
        return any(c.column.is_uwv and c.kind != SAME for c in self.cells)


@dataclass
class Table:
    on: datetime.date
    columns: list[Column]
    rows: list[Row]

    @property
    def gemeenten(self) -> int:
        return sum(1 for c in self.columns if not c.is_uwv)


def base_params(rules: Mapping[str, Any]) -> dict[str, Any]:
    """A version's parameters; a parameter only categories have shows their values."""
    params: dict[str, Any] = {}
    for category in rules.get("categories") or []:
        for key, value in (category.get("params") or {}).items():
            params.setdefault(key, [])
            if value not in params[key]:
                params[key].append(value)
    params.update(rules.get("params") or {})
    return {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in params.items()}


def cell_for(column: Column, version: InstrumentVersion, variation: Variation | None) -> Cell:
    if variation is None:
        return Cell(column)
    if not variation.offered:
        return Cell(column, NOT_OFFERED, note=variation.note, variation=variation)
    params = base_params(version.rules or {})
    amounts = [
        (key, params.get(key), value)
        for key, value in (variation.params or {}).items()
        if params.get(key) != value
    ]
    conditions = [describe(c, VOCABULARY) for c in variation.conditions or []]
    kind = DIFFERS if amounts or conditions else SAME
    return Cell(column, kind, amounts, conditions, variation.note, variation)


def columns_of(region_id: int) -> list[Column]:
    gemeenten = Municipality.objects.filter(region_id=region_id).order_by("name")
    return [Column(m.code, m.name) for m in gemeenten] + [Column(UWV_SCOPE, "UWV")]


def table(actor: Actor, on: datetime.date) -> Table:
    """The region's instruments × its gemeenten and UWV, on ``on``."""
    columns = columns_of(actor.region_id)
    versions = list(
        valid_on(InstrumentVersion.objects.filter(instrument__in=visible_instruments(actor)), on)
        .select_related("instrument")
        .order_by("instrument__region_id", "instrument__code")
    )
    variations = {
        (v.instrument_id, v.scope): v
        for v in Variation.objects.filter(
            region_id=actor.region_id, status=VersionStatus.PUBLISHED, valid_from__lte=on
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("valid_from")
    }
    items = {
        item.instrument_id: item
        for item in HarmonisationItem.objects.filter(region_id=actor.region_id).select_related(
            "updated_by"
        )
    }
    rows = [
        Row(
            version,
            [
                cell_for(column, version, variations.get((version.instrument_id, column.scope)))
                for column in columns
            ],
            items.get(version.instrument_id),
        )
        for version in versions
    ]
    rows.sort(key=lambda row: (row.instrument.region_id is not None, row.instrument.code))
    return Table(on, columns, rows)
