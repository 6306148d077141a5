"""A region keeps its own instruments and the gemeenten's variations, without code.

Every write takes the keyword-only ``actor``, runs in one transaction and records an audit
event with the changes. A version or variation is written as a *draft*, and *published*
only when its rules evaluate and its period overlaps no other published one; a published
one is never changed in place: a change is a new draft (the next number) that is published
in turn. The one thing that may be added to a published one is the end of an open period
(from today on), so that the next version can follow it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import DomainError, NotFoundError, PermissionDeniedError
from perspectief.core.rules import RuleError, validate_condition
from perspectief.regions.models import Municipality

from ..constants import UWV_SCOPE, HarmonisationStatus, VersionStatus
from ..facts import VOCABULARY
from ..models import HarmonisationItem, Instrument, InstrumentVersion, Variation
from ..validation import overlapping, validate_rules

VERSION_FIELDS = (
    "name",
    "summary",
    "executing_body",
    "decided_by",
    "contact",
    "legal_basis",
    "valid_from",
    "valid_until",
    "rules",
    "sources",
    "verified",
    "verify_note",
    "change_note",
)
VARIATION_FIELDS = (
    "scope",
    "offered",
    "params",
    "conditions",
    "note",
    "valid_from",
    "valid_until",
    "change_note",
)


@dataclass
class VersionInput:
    """What a region writes in a version (texts as a string or ``{"nl", "en"}``)."""

    name: str
    executing_body: str
    decided_by: Any
    valid_from: datetime.date
    rules: dict[str, Any]
    summary: Any = ""
    contact: Any = ""
    legal_basis: str = ""
    valid_until: datetime.date | None = None
    sources: list[str] = field(default_factory=list)
    verified: bool = False
    verify_note: str = ""
    change_note: str = ""


@dataclass
class VariationInput:
    """What one gemeente (or UWV) does differently."""

    scope: str
    valid_from: datetime.date
    offered: bool = True
    params: dict[str, float] = field(default_factory=dict)
    conditions: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    valid_until: datetime.date | None = None
    change_note: str = ""


def rule_message(exc: RuleError) -> str:
    """A rule's fault in the page's language, with where it is."""
    return f"{exc.path}: {exc.text()}" if exc.path else exc.text()


# --- who may write what ---------------------------------------------------------------------


def _manager(actor: Actor) -> None:
    if not actor.has_perm(Permission.MANAGE_INSTRUMENTS) or not actor.region_id:
        raise PermissionDeniedError()


def _own_instrument(actor: Actor, instrument: Instrument) -> Instrument:
    """The region's own instrument, locked; a national one is not the region's to change."""
    _manager(actor)
    found = Instrument.objects.select_for_update().filter(pk=instrument.pk).first()
    if found is None or (found.region_id not in (None, actor.region_id)):
        raise NotFoundError(_("Instrument not found."))
    if found.region_id is None:
        raise PermissionDeniedError(
            _(
                "A national instrument is not changed by a region. Add a variation for a "
                "gemeente or UWV instead."
            )
        )
    return found


def _visible_instrument(actor: Actor, instrument: Instrument) -> Instrument:
    """A national instrument or the region's own (a variation may be made for either)."""
    _manager(actor)
    found = Instrument.objects.filter(pk=instrument.pk).first()
    if found is None or found.region_id not in (None, actor.region_id):
        raise NotFoundError(_("Instrument not found."))
    return found


def _locked_version(actor: Actor, version: InstrumentVersion) -> InstrumentVersion:
    _own_instrument(actor, version.instrument)
    return InstrumentVersion.objects.select_for_update().get(pk=version.pk)


def _locked_variation(actor: Actor, variation: Variation) -> Variation:
    _manager(actor)
    found = Variation.objects.select_for_update().filter(pk=variation.pk).first()
    if found is None or found.region_id != actor.region_id:
        raise NotFoundError(_("Variation not found."))
    return found


def _draft(item: InstrumentVersion | Variation) -> None:
    if item.status == VersionStatus.PUBLISHED:
        raise DomainError(
            _(
                "A published version is never changed. Make a new version: it starts as a "
                "copy you can change and publish."
            )
        )
    if item.status != VersionStatus.DRAFT:
        raise DomainError(_("A withdrawn draft is not changed."))


# --- checks -------------------------------------------------------------------------------


def _check_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if start is None:
        raise ValidationError({"valid_from": _("Give the date it is valid from.")})
    if end is not None and end < start:
        raise ValidationError({"valid_until": _("The end cannot be before the start.")})


def _check_rules(rules: Any) -> None:
    try:
        validate_rules(rules)
    except RuleError as exc:
        raise ValidationError({"rules": rule_message(exc)}) from None


def _check_version(data: VersionInput) -> None:
    errors = {}
    if not data.name.strip():
        errors["name"] = _("Give the instrument's name.")
    if not data.executing_body.strip():
        errors["executing_body"] = _("Say who carries it out.")
    if not data.decided_by or (isinstance(data.decided_by, str) and not data.decided_by.strip()):
        errors["decided_by"] = _("Say who decides.")
    if errors:
        raise ValidationError(errors)
    _check_period(data.valid_from, data.valid_until)
    _check_rules(data.rules)


def known_params(instrument: Instrument) -> dict[str, float]:
    """The parameters an instrument's versions use (a variation may give them other values),
    with the value of the latest version that has them."""
    found: dict[str, float] = {}
    versions = instrument.versions.exclude(status=VersionStatus.WITHDRAWN).order_by("number")
    for version in versions:
        rules = version.rules or {}
        for category in rules.get("categories") or []:
            found.update(category.get("params") or {})
        found.update(rules.get("params") or {})
    return found


def scopes_of(region_id: int) -> list[tuple[str, str]]:
    """The scopes a variation may have in a region: its gemeenten, and UWV."""
    gemeenten = Municipality.objects.filter(region_id=region_id).order_by("name")
    return [(m.code, m.name) for m in gemeenten] + [(UWV_SCOPE, "UWV")]


def _check_variation(instrument: Instrument, region_id: int, data: VariationInput) -> None:
    if data.scope not in {code for code, _name in scopes_of(region_id)}:
        raise ValidationError({"scope": _("Choose a gemeente of the region, or UWV.")})
    _check_period(data.valid_from, data.valid_until)
    known = known_params(instrument)
    unknown = sorted(set(data.params) - set(known))
    if unknown:
        raise ValidationError(
            {
                "params": _("%(name)s is not a parameter of this instrument (it has: %(known)s).")
                % {"name": unknown[0], "known": ", ".join(sorted(known)) or "—"}
            }
        )
    for key, value in data.params.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValidationError({"params": _("%(name)s is not an amount.") % {"name": key}})
    for number, condition in enumerate(data.conditions):
        try:
            validate_condition(condition, VOCABULARY, path=f"conditions[{number}]")
        except RuleError as exc:
            raise ValidationError({"conditions": rule_message(exc)}) from None
    latest = instrument.versions.exclude(status=VersionStatus.WITHDRAWN).order_by("-number")
    for version in latest[:1]:
        try:
            validate_rules(version.rules, extra_params=data.params)
        except RuleError as exc:
            raise ValidationError({"params": rule_message(exc)}) from None


def _values(item: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in names}


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime.date) else value

    return {
        key: [plain(before.get(key)), plain(after.get(key))]
        for key in after
        if plain(before.get(key)) != plain(after.get(key))
    }


# --- instruments and versions ---------------------------------------------------------------


def region_code(actor: Actor, suffix: str) -> str:
    """The code a region's instrument gets: the region's code first (``AM18-DPB``)."""
    prefix = f"{actor.region.code}-"
    suffix = suffix.strip().upper()
    return suffix if suffix.startswith(prefix) else prefix + suffix


@transaction.atomic
def instrument_create(*, actor: Actor, code: str, data: VersionInput) -> InstrumentVersion:
    """A new instrument of the actor's region, with its first version as a draft."""
    _manager(actor)
    full = region_code(actor, code)
    if Instrument.objects.filter(code=full).exists():
        raise ValidationError({"code": _("The code %(code)s is taken.") % {"code": full}})
    _check_version(data)
    instrument = Instrument.objects.create(
        code=full, region_id=actor.region_id, created_by=actor.user
    )
    audit.record(
        "instrument.created", actor=actor, target=instrument, changes={"code": [None, full]}
    )
    version = InstrumentVersion(instrument=instrument, number=1, created_by=actor.user)
    return _write_version(actor, version, data, "instrument_version.created")


def _write_version(
    actor: Actor, version: InstrumentVersion, data: VersionInput, event: str
) -> InstrumentVersion:
    before = _values(version, VERSION_FIELDS) if version.pk else {}
    for name in VERSION_FIELDS:
        setattr(version, name, getattr(data, name))
    version.full_clean(exclude=["instrument", "created_by", "published_by"])
    version.save()
    audit.record(
        event,
        actor=actor,
        target=version,
        changes=_changes(before, _values(version, VERSION_FIELDS)),
    )
    return version


@transaction.atomic
def version_save(
    *, actor: Actor, version: InstrumentVersion, data: VersionInput
) -> InstrumentVersion:
    """Change a draft (a published version is refused: make a new version)."""
    version = _locked_version(actor, version)
    _draft(version)
    _check_version(data)
    return _write_version(actor, version, data, "instrument_version.changed")


@transaction.atomic
def version_publish(*, actor: Actor, version: InstrumentVersion) -> InstrumentVersion:
    """Publish a draft: refused if its rules do not evaluate or its period overlaps."""
    version = _locked_version(actor, version)
    _draft(version)
    try:
        validate_rules(version.rules)
    except RuleError as exc:
        raise DomainError(
            _("Not published: the rules cannot be used (%(reason)s).")
            % {"reason": rule_message(exc)}
        ) from None
    others = InstrumentVersion.objects.filter(
        instrument_id=version.instrument_id, status=VersionStatus.PUBLISHED
    ).exclude(pk=version.pk)
    clash = overlapping(
        (version.valid_from, version.valid_until),
        [(other.valid_from, other.valid_until) for other in others],
    )
    if clash:
        raise DomainError(_overlap_message(clash))
    return _publish(actor, version, "instrument_version.published")


def _overlap_message(clash: tuple[datetime.date, datetime.date | None]) -> str:
    start, end = clash
    return _(
        "Not published: the period overlaps a published version (%(start)s to %(end)s). "
        "Let this one start later, or give the other an end date."
    ) % {"start": start.isoformat(), "end": end.isoformat() if end else _("no end")}


def _publish(actor: Actor, item: Any, event: str) -> Any:
    item.status = VersionStatus.PUBLISHED
    item.published_by = actor.user
    item.published_at = timezone.now()
    item.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    audit.record(
        event, actor=actor, target=item, changes={"status": [VersionStatus.DRAFT, "published"]}
    )
    return item


def _withdraw(actor: Actor, item: Any, event: str) -> Any:
    _draft(item)
    item.status = VersionStatus.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    audit.record(
        event, actor=actor, target=item, changes={"status": [VersionStatus.DRAFT, "withdrawn"]}
    )
    return item


@transaction.atomic
def version_withdraw(*, actor: Actor, version: InstrumentVersion) -> InstrumentVersion:
    """Withdraw a draft (a published version stays: it explains past decisions)."""
    return _withdraw(actor, _locked_version(actor, version), "instrument_version.withdrawn")


@transaction.atomic
def version_copy(*, actor: Actor, version: InstrumentVersion) -> InstrumentVersion:
    """A new draft with the next number, copied from ``version``, to change and publish."""
    source = _locked_version(actor, version)
    if source.status == VersionStatus.DRAFT:
        raise DomainError(_("This is a draft: change it instead of copying it."))
    number = (
        InstrumentVersion.objects.filter(instrument_id=source.instrument_id).aggregate(
            Max("number")
        )["number__max"]
        or 0
    ) + 1
    copy = InstrumentVersion(
        instrument_id=source.instrument_id, number=number, created_by=actor.user
    )
    data = VersionInput(**{name: getattr(source, name) for name in VERSION_FIELDS})
    data.change_note = ""
    if source.valid_until is not None:
        data.valid_from, data.valid_until = source.valid_until + datetime.timedelta(days=1), None
    return _write_version(actor, copy, data, "instrument_version.created")


def _end(actor: Actor, item: Any, valid_until: datetime.date, event: str) -> Any:
    """Give a published, open-ended period its end (from today on; nothing else changes)."""
    if item.status != VersionStatus.PUBLISHED:
        raise DomainError(_("Only a published version gets an end date; change a draft instead."))
    if item.valid_until is not None:
        raise DomainError(_("This version already has an end date; it is not changed."))
    if valid_until < max(item.valid_from, timezone.localdate()):
        raise ValidationError(
            {"valid_until": _("The end date is today or later, and not before the start.")}
        )
    item.valid_until = valid_until
    item.save(update_fields=["valid_until", "updated_at"])
    audit.record(
        event, actor=actor, target=item, changes={"valid_until": [None, valid_until.isoformat()]}
    )
    return item


@transaction.atomic
def version_end(
    *, actor: Actor, version: InstrumentVersion, valid_until: datetime.date
) -> InstrumentVersion:
    return _end(actor, _locked_version(actor, version), valid_until, "instrument_version.ended")


# --- variations -----------------------------------------------------------------------------


def _write_variation(actor: Actor, variation: Variation, data: VariationInput, event: str):
    before = _values(variation, VARIATION_FIELDS) if variation.pk else {}
    for name in VARIATION_FIELDS:
        setattr(variation, name, getattr(data, name))
    variation.full_clean(exclude=["instrument", "region", "created_by", "published_by"])
    variation.save()
    audit.record(
        event,
        actor=actor,
        target=variation,
        changes=_changes(before, _values(variation, VARIATION_FIELDS)),
    )
    return variation


@transaction.atomic
def variation_create(*, actor: Actor, instrument: Instrument, data: VariationInput) -> Variation:
    """A draft variation of a national or the region's own instrument, for one scope."""
    instrument = _visible_instrument(actor, instrument)
    _check_variation(instrument, actor.region_id, data)
    variation = Variation(instrument=instrument, region_id=actor.region_id, created_by=actor.user)
    return _write_variation(actor, variation, data, "instrument_variation.created")


@transaction.atomic
def variation_save(*, actor: Actor, variation: Variation, data: VariationInput) -> Variation:
    variation = _locked_variation(actor, variation)
    _draft(variation)
    _check_variation(variation.instrument, actor.region_id, data)
    return _write_variation(actor, variation, data, "instrument_variation.changed")


@transaction.atomic
def variation_publish(*, actor: Actor, variation: Variation) -> Variation:
    """Publish a draft variation: refused if another published one of the same instrument
    and scope overlaps its period."""
    variation = _locked_variation(actor, variation)
    _draft(variation)
    others = Variation.objects.filter(
        instrument_id=variation.instrument_id,
        region_id=variation.region_id,
        scope=variation.scope,
        status=VersionStatus.PUBLISHED,
    ).exclude(pk=variation.pk)
    clash = overlapping(
        (variation.valid_from, variation.valid_until),
        [(other.valid_from, other.valid_until) for other in others],
    )
    if clash:
        raise DomainError(_overlap_message(clash))
    return _publish(actor, variation, "instrument_variation.published")


@transaction.atomic
def variation_withdraw(*, actor: Actor, variation: Variation) -> Variation:
    return _withdraw(actor, _locked_variation(actor, variation), "instrument_variation.withdrawn")


@transaction.atomic
def variation_copy(*, actor: Actor, variation: Variation) -> Variation:
    """A new draft copied from a published (or withdrawn) variation."""
    source = _locked_variation(actor, variation)
    if source.status == VersionStatus.DRAFT:
        raise DomainError(_("This is a draft: change it instead of copying it."))
    data = VariationInput(**{name: getattr(source, name) for name in VARIATION_FIELDS})
    data.change_note = ""
    if source.valid_until is not None:
        data.valid_from, data.valid_until = source.valid_until + datetime.timedelta(days=1), None
    copy = Variation(
        instrument_id=source.instrument_id, region_id=source.region_id, created_by=actor.user
    )
    return _write_variation(actor, copy, data, "instrument_variation.created")


@transaction.atomic
def variation_end(*, actor: Actor, variation: Variation, valid_until: datetime.date) -> Variation:
    return _end(
        actor, _locked_variation(actor, variation), valid_until, "instrument_variation.ended"
    )


# --- harmonisation ----------------------------------------------------------------------------


@transaction.atomic
def harmonisation_set(
    *, actor: Actor, instrument: Instrument, status: str, note: str = ""
) -> HarmonisationItem:
    """Where the region stands in harmonising one instrument (audited)."""
    instrument = _visible_instrument(actor, instrument)
    if status not in HarmonisationStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    item, _created = HarmonisationItem.objects.select_for_update().get_or_create(
        region_id=actor.region_id, instrument=instrument
    )
    before = {"status": item.status if not _created else None, "note": item.note}
    item.status, item.note, item.updated_by = status, note.strip(), actor.user
    item.save()
    audit.record(
        "instrument_harmonisation.changed",
        actor=actor,
        target=item,
        changes=_changes(before, {"status": item.status, "note": item.note}),
    )
    return item
