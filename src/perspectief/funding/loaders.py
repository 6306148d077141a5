"""Load the national funding pots shipped with the platform (reference data).

``data/funding/potjes.json`` describes the pots every region can draw on (SBB/RVO
praktijkleren, ESF+, the sector training funds, SLIM): purpose, who may apply, conditions
in words and, where they can be decided, as rules; sources and verify status. They carry no
amounts: national money is divided per application, not per region. A pot is found by its
``code``: re-loading a changed file updates it in place (a pot is a description, not a
decision; what was committed to it stays)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from perspectief.core.loading import (
    DEFAULT_DATA_DIR,
    FileResult,
    Loaded,
    ReferenceDataError,
    run_step,
)

from .conditions import validate_rules
from .constants import PotKind
from .models import ApplicationPeriod, FundingPot

POTS_FILE = "funding/potjes.json"

#: The fields of a pot as the file names them, and as the model does.
FIELDS = {
    "name": "name",
    "kind": "kind",
    "purpose": "purpose",
    "whoMayApply": "who_may_apply",
    "conditions": "conditions_text",
    "rules": "rules",
    "sources": "sources",
    "verified": "verified",
    "verifyNote": "verify_note",
    "contact": "contact",
}


def _periods(path: Path, number: int, item: dict) -> list[tuple[datetime.date, Any]]:
    periods = []
    for period in item.get("periods", []):
        try:
            start = datetime.date.fromisoformat(period["from"])
            end = datetime.date.fromisoformat(period["until"]) if period.get("until") else None
        except (KeyError, TypeError, ValueError):
            raise ReferenceDataError(
                path, number, "periods", "geen datum (JJJJ-MM-DD)", "not a date (YYYY-MM-DD)"
            ) from None
        if end is not None and end < start:
            raise ReferenceDataError(
                path, number, "periods", "einde voor begin", "ends before it starts"
            )
        periods.append((start, end))
    return periods


def _checked(path: Path, number: int, item: dict) -> dict[str, Any]:
    if not item.get("code"):
        raise ReferenceDataError(path, number, "code", "code ontbreekt", "code missing")
    if item.get("kind") not in PotKind.values:
        raise ReferenceDataError(path, number, "kind", "onbekende soort", "unknown kind")
    if not item.get("name"):
        raise ReferenceDataError(path, number, "name", "naam ontbreekt", "name missing")
    try:
        validate_rules(item.get("rules", []))
    except ValidationError as exc:
        message = " ".join(exc.messages)
        raise ReferenceDataError(path, number, "rules", message, message) from None
    values = {model: item.get(key, "") for key, model in FIELDS.items()}
    values["rules"], values["sources"] = item.get("rules", []), item.get("sources", [])
    values["verified"] = bool(item.get("verified", False))
    return values


def import_pots(path: Path) -> Loaded:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReferenceDataError(
            path, None, None, f"onleesbaar: {exc}", f"unreadable: {exc}"
        ) from None
    items = data.get("pots", [])
    checked = [
        (item["code"], _checked(path, number, item), _periods(path, number, item))
        for number, item in enumerate(items, start=1)
    ]
    counts = {"created": 0, "updated": 0}
    # run_step() holds the transaction: a bad file writes nothing (it is checked first).
    for code, values, periods in checked:
        pot, created = FundingPot.objects.update_or_create(code=code, region=None, defaults=values)
        counts["created" if created else "updated"] += 1
        pot.periods.all().delete()
        ApplicationPeriod.objects.bulk_create(
            ApplicationPeriod(pot=pot, opens_on=start, closes_on=end) for start, end in periods
        )
    return Loaded(rows=len(items), counts=counts)


def load_pots(*, data_dir: str | Path | None = None, force: bool = False) -> list[FileResult]:
    """Load the national funding pots; an unchanged file is skipped."""
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    path = data_dir / POTS_FILE
    return run_step([path], lambda: {path: import_pots(path)}, data_dir=data_dir, force=force)
