"""Load the national employer instruments shipped with the platform (reference data).

Each instrument in ``data/instruments/werkgeversinstrumenten.json`` is one or more
published versions. Re-loading adds new versions; a version already loaded is never
changed (a published rule is not changed in place): a file that changes one is refused
with the reason, and the fix is a new version with its own validity period. The only
change a published version takes is closing its open end when a successor starts.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.utils import timezone

from perspectief.core.loading import (
    DEFAULT_DATA_DIR,
    FileResult,
    Loaded,
    ReferenceDataError,
    run_step,
)
from perspectief.core.rules import RuleError

from .constants import VersionStatus
from .models import Instrument, InstrumentVersion
from .validation import overlapping, validate_rules

INSTRUMENTS_FILE = "instruments/werkgeversinstrumenten.json"

#: The fields of a version as the file names them, and as the model does.
FIELDS = {
    "name": "name",
    "summary": "summary",
    "executingBody": "executing_body",
    "legalBasis": "legal_basis",
    "decidedBy": "decided_by",
    "contact": "contact",
    "rules": "rules",
    "sources": "sources",
    "verified": "verified",
    "verifyNote": "verify_note",
}


def _date(path: Path, number: int, value: Any, field: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ReferenceDataError(
            path, number, field, "geen datum (JJJJ-MM-DD)", "not a date (YYYY-MM-DD)"
        ) from None


def import_instruments(path: Path) -> Loaded:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReferenceDataError(
            path, None, None, f"onleesbaar: {exc}", f"unreadable: {exc}"
        ) from None
    counts = {"created": 0, "matched": 0}
    periods: dict[str, list] = {}
    for number, item in enumerate(data.get("instruments", []), start=1):
        code = item.get("code")
        if not code:
            raise ReferenceDataError(path, number, "code", "code ontbreekt", "code missing")
        try:
            validate_rules(item.get("rules", {}))
        except RuleError as exc:
            raise ReferenceDataError(
                path, number, f"rules.{exc.path}", exc.message, exc.message_en
            ) from None
        start = _date(path, number, item.get("validFrom"), "validFrom")
        if start is None:
            raise ReferenceDataError(
                path, number, "validFrom", "begindatum ontbreekt", "start date missing"
            )
        period = (start, _date(path, number, item.get("validUntil"), "validUntil"))
        if overlapping(period, periods.get(code, [])):
            raise ReferenceDataError(
                path,
                number,
                "validFrom",
                "periode overlapt een andere versie",
                "period overlaps another version",
            )
        periods.setdefault(code, []).append(period)
        instrument, _ = Instrument.objects.get_or_create(code=code, defaults={"region": None})
        values = {model: item.get(key, "") for key, model in FIELDS.items()}
        values["rules"], values["sources"] = item.get("rules", {}), item.get("sources", [])
        values["verified"] = bool(item.get("verified", False))
        existing = InstrumentVersion.objects.filter(
            instrument=instrument, number=item.get("version", 1)
        ).first()
        if existing is None:
            InstrumentVersion.objects.create(
                instrument=instrument,
                number=item.get("version", 1),
                status=VersionStatus.PUBLISHED,
                valid_from=period[0],
                valid_until=period[1],
                published_at=timezone.now(),
                **values,
            )
            counts["created"] += 1
            continue
        current = {model: getattr(existing, model) for model in values}
        # The one change a published version takes: an open end is closed (a successor
        # starts). Its rules, amounts and start stay as they were decided under.
        closes = existing.valid_until is None and period[1] is not None
        if closes and current == values and existing.valid_from == period[0]:
            existing.valid_until = period[1]
            existing.save(update_fields=["valid_until", "updated_at"])
            counts["matched"] += 1
            continue
        if current != values or (existing.valid_from, existing.valid_until) != period:
            raise ReferenceDataError(
                path,
                number,
                "version",
                f"versie {existing.number} van {code} is gepubliceerd en wordt niet "
                "gewijzigd; voeg een nieuwe versie toe",
                f"version {existing.number} of {code} is published and is not changed; "
                "add a new version",
            )
        counts["matched"] += 1
    return Loaded(rows=len(data.get("instruments", [])), counts=counts)


def load_instruments(
    *, data_dir: str | Path | None = None, force: bool = False
) -> list[FileResult]:
    """Load the national instruments; an unchanged file is skipped."""
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    path = data_dir / INSTRUMENTS_FILE
    return run_step(
        [path], lambda: {path: import_instruments(path)}, data_dir=data_dir, force=force
    )
