from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from perspectief.core.exceptions import NotFoundError

from . import access, subjects
from .constants import ProcessingActivity
from .models import AccessRecord


def parse_person(value: str | None) -> str:
    if not value:
        raise ValidationError(
            {"person": _("Name the person whose processings you want to see (person=<uuid>).")}
        )
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValidationError({"person": _("person must be a UUID.")}) from None


def access_records_for_person(*, actor, person: str):
    """Every processing of one person's data, for a privacy officer (AVG inzage).

    The inspection is itself a processing and is logged as such."""
    person = parse_person(person)
    subject_type = subjects.resolve(actor, person)
    if subject_type is None:
        raise NotFoundError(_("Person not found."))
    access.record(
        actor=actor,
        activity=ProcessingActivity.ACCESS_LOG_INSPECT,
        subject_type=subject_type,
        subject_id=person,
    )
    return AccessRecord.objects.for_subject(subject_type, person).order_by("-started_at", "-id")
