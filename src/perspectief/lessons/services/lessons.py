"""Writing a lesson: a region's writers create and change their region's lessons, and share
one with every region when it is ready. One transaction each, the actor checked, the texts
checked for personal data (:mod:`perspectief.candidates.personal_data`), the audit written;
nothing is half saved."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.candidates import personal_data
from perspectief.core import codes
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.instruments.models import Instrument
from perspectief.monitoring.models import PlanActivity

from ..constants import TEXT_FIELDS, TEXT_MAX_LENGTH, Visibility
from ..models import Lesson
from ..query import is_own_region

#: What a lesson's data holds besides the texts (``municipalities``: a list of them).
FIELDS = (
    *TEXT_FIELDS,
    "outcome",
    "activity",
    "started_on",
    "ended_on",
    "pillars",
    "target_groups",
    "sectors",
    "instruments",
    "activity_kind",
)
CODE_FIELDS = ("pillars", "target_groups", "sectors", "instruments")


def labels() -> dict[str, str]:
    """The fields' names as the form shows them, with a capital (a refusal names the field)."""
    return {name: capfirst(str(_field(name).verbose_name)) for name in FIELDS}


def _field(name: str) -> Field:
    field = Lesson._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def may_write(actor: Actor, region_id) -> bool:
    """A writer of the lesson's own region (the national roles write no region's lesson)."""
    return actor.has_perm(Permission.WRITE_LESSONS) and is_own_region(actor, region_id)


def _own(actor: Actor, lesson: Lesson | None) -> Lesson | None:
    """The lesson locked for a change, or None for a new one; refused unless the actor
    writes for its region (another region's lesson: not found, as if it did not exist)."""
    if not may_write(actor, actor.region_id):
        raise PermissionDeniedError()
    if lesson is None:
        return None
    found = Lesson.objects.select_for_update().filter(pk=lesson.pk).first()
    if found is None or found.region_id != actor.region_id:
        raise NotFoundError(_("Lesson not found."))
    return found


def _as_codes(value: Any) -> str:
    return value if isinstance(value, str) else ",".join(str(v) for v in value or ())


def _check_links(errors: dict, actor: Actor, data: Mapping[str, Any]) -> None:
    """The activity of one of the region's own plans; municipalities of the region;
    instruments national or the region's own."""
    activity = data.get("activity")
    if (
        activity is not None
        and not PlanActivity.objects.filter(
            pk=activity.pk, plan__region_id=actor.region_id
        ).exists()
    ):
        errors["activity"] = [_("Choose an activity of your own region's plan.")]
    places = data.get("municipalities") or []
    if any(m.region_id != actor.region_id for m in places):
        errors["municipalities"] = [_("Choose municipalities of your own region.")]
    wanted = codes.split(_as_codes(data.get("instruments")))
    known = set(
        Instrument.objects.filter(code__in=wanted)
        .filter(region__isnull=True)
        .values_list("code", flat=True)
    ) | set(
        Instrument.objects.filter(code__in=wanted, region_id=actor.region_id).values_list(
            "code", flat=True
        )
    )
    unknown = [c for c in wanted if c not in known]
    if unknown:
        errors["instruments"] = [
            _("Unknown instrument: %(codes)s.") % {"codes": ", ".join(unknown)}
        ]


def _check(actor: Actor, data: Mapping[str, Any]) -> None:
    """A result is required (a lesson without one teaches nothing); the texts are not too
    long; the links belong to the region; then no personal data in any text."""
    errors: dict[str, list[str]] = {}
    if not (data.get("result") or "").strip():
        errors["result"] = [
            _("Describe the result: what came of it, also when it failed or was stopped.")
        ]
    if not (data.get("tried") or "").strip():
        errors["tried"] = [_("Describe what was tried.")]
    for name in TEXT_FIELDS:
        if len(data.get(name) or "") > TEXT_MAX_LENGTH:
            errors[name] = [_("At most %(max)d characters.") % {"max": TEXT_MAX_LENGTH}]
    _check_links(errors, actor, data)
    if errors:
        raise ValidationError(errors)
    personal_data.check(
        {name: data.get(name) or "" for name in TEXT_FIELDS},
        labels=labels(),
        region_ids=[actor.region_id],
    )


def _value(name: str, value: Any) -> Any:
    """A field's value as stored: code fields as codes in their list's order, texts
    stripped, an empty choice as ""."""
    if name in CODE_FIELDS:
        allowed = [c for v in _field(name).validators for c in getattr(v, "allowed", ())]
        return codes.join(codes.split(_as_codes(value)), allowed or codes.split(_as_codes(value)))
    if name in TEXT_FIELDS or name in ("outcome", "activity_kind"):
        return (value or "").strip()
    return value


def _state(lesson: Lesson) -> dict[str, Any]:
    """The lesson as the audit compares it."""
    state: dict[str, Any] = {name: getattr(lesson, name) for name in FIELDS if name != "activity"}
    state["activity"] = lesson.activity
    if lesson.pk:
        state["municipalities"] = ",".join(sorted(m.code for m in lesson.municipalities.all()))
    return {k: str(v) if v is not None else None for k, v in state.items()}


@transaction.atomic
def lesson_save(*, actor: Actor, data: Mapping[str, Any], lesson: Lesson | None = None) -> Lesson:
    """Create (``lesson`` None) or change one of the region's lessons. ``data`` holds the
    fields of :data:`FIELDS` (code fields as lists or text) and ``municipalities``."""
    lesson = _own(actor, lesson)
    current = {} if lesson is None else {name: getattr(lesson, name) for name in FIELDS}
    _check(actor, {**current, **data})
    created = lesson is None
    if lesson is None:
        lesson = Lesson(region_id=actor.region_id, organisation=actor.organisation)
        lesson.author = actor.user
    before = {} if created else _state(lesson)
    for name in FIELDS:
        if name in data:
            setattr(lesson, name, _value(name, data[name]))
    if lesson.activity is not None and not lesson.activity_kind:
        lesson.activity_kind = lesson.activity.kind
    lesson.full_clean(exclude=["region", "organisation", "author", "shared_by"])
    lesson.save()
    if "municipalities" in data:
        lesson.municipalities.set(data["municipalities"] or [])
    after = _state(lesson)
    audit.record(
        "lesson.created" if created else "lesson.changed",
        actor=actor,
        target=lesson,
        changes=audit.diff(before, after),
    )
    return lesson


@transaction.atomic
def lesson_share(*, actor: Actor, lesson: Lesson) -> Lesson:
    """Share an internal lesson with every region (from then on other regions see it)."""
    found = _own(actor, lesson)
    assert found is not None
    if found.visibility != Visibility.SHARED:
        found.visibility = Visibility.SHARED
        found.shared_at = timezone.now()
        found.shared_by = actor.user
        found.save(update_fields=["visibility", "shared_at", "shared_by", "updated_at"])
        audit.record(
            "lesson.shared",
            actor=actor,
            target=found,
            changes={"visibility": [Visibility.INTERNAL.value, Visibility.SHARED.value]},
        )
    return found
