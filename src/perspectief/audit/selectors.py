from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from perspectief.core.authz import Actor
from perspectief.core.exceptions import NotFoundError

from . import access, subjects
from .constants import Operation, ProcessingActivity
from .models import AccessRecord

security_log = logging.getLogger("perspectief.security")


def parse_person(value: str | None) -> str:
    if not value:
        raise ValidationError(
            {"person": _("Name the person whose processings you want to see (person=<uuid>).")}
        )
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValidationError({"person": _("person must be a UUID.")}) from None


@dataclass(frozen=True)
class LogFilter:
    """Which processings of a person to show: a period (days, both ends included), the
    user who did it, the organisation they acted for and the processing activity."""

    since: date | None = None
    until: date | None = None
    user: str = ""
    organisation: int | None = None
    activity: str = ""

    @classmethod
    def from_params(cls, params) -> LogFilter:
        errors = {}

        def day(name):
            raw = (params.get(name) or "").strip()
            if not raw:
                return None
            try:
                return date.fromisoformat(raw)
            except ValueError:
                errors[name] = _("Give a date as yyyy-mm-dd.")
                return None

        since, until = day("from"), day("until")
        if since and until and since > until:
            errors["until"] = _("The end of the period lies before its start.")
        activity = (params.get("activity") or "").strip()
        if activity and activity not in ProcessingActivity.values:
            errors["activity"] = _("Unknown processing activity.")
        organisation = (params.get("organisation") or "").strip()
        # ASCII digits only: isdigit() also accepts "²" (int() fails) and other scripts' digits.
        if organisation and not (organisation.isascii() and organisation.isdigit()):
            errors["organisation"] = _("Unknown organisation.")
        if errors:
            raise ValidationError(errors)
        return cls(
            since=since,
            until=until,
            user=(params.get("user") or "").strip()[:200],
            organisation=int(organisation) if organisation else None,
            activity=activity,
        )

    def apply(self, records):
        if self.since:
            records = records.filter(started_at__date__gte=self.since)
        if self.until:
            records = records.filter(started_at__date__lte=self.until)
        if self.user:
            records = records.filter(actor_display=self.user)
        if self.organisation is not None:
            records = records.filter(organisation_id=self.organisation)
        if self.activity:
            records = records.filter(activity=self.activity)
        return records

    def as_params(self) -> dict[str, str]:
        params = {
            "from": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "user": self.user,
            "organisation": str(self.organisation) if self.organisation is not None else "",
            "activity": self.activity,
        }
        return {k: v for k, v in params.items() if v}


def access_records_for_person(
    *, actor: Actor, person: str, filters: LogFilter | None = None, operation: str = Operation.READ
):
    """Every processing of one person's data (within the filters), for a privacy officer
    (AVG inzage). The inspection — or the export, with ``operation`` — is itself a processing
    and is logged as such."""
    person, subject_type = _visible(actor, person)
    return _inspected_records(actor, subject_type, person, filters, operation)


def inspect_person(
    *, actor: Actor, person: str, filters: LogFilter | None = None, operation: str = Operation.READ
) -> tuple[subjects.Person, object]:
    """As :func:`access_records_for_person`, with the person as the access-log pages name
    them (never with a BSN); the person is resolved once for both."""
    person, subject_type = _visible(actor, person)
    records = _inspected_records(actor, subject_type, person, filters, operation)
    named = subjects.describe(actor, subject_type, person) or subjects.Person(
        subject_type, person, person
    )
    return named, records


def _visible(actor: Actor, person: str) -> tuple[str, str]:
    """The person's UUID and subject type; NotFoundError when the actor may not see them."""
    person = parse_person(person)
    subject_type = subjects.resolve(actor, person)
    if subject_type is None:
        raise NotFoundError(_("Person not found."))
    return person, subject_type


def _inspected_records(actor: Actor, subject_type, person, filters, operation):
    access.record(
        actor=actor,
        activity=ProcessingActivity.ACCESS_LOG_INSPECT,
        subject_type=subject_type,
        subject_id=person,
        operation=operation,
    )
    records = AccessRecord.objects.for_subject(subject_type, person)
    if filters is not None:
        records = filters.apply(records)
    return records.order_by("-started_at", "-id")


def filter_choices(actor: Actor, person) -> dict:
    """The users and organisations that occur in the person's log, to filter on."""
    records = AccessRecord.objects.for_subject(person.subject_type, person.uuid)
    users = sorted(set(records.values_list("actor_display", flat=True)))
    organisations = sorted(
        {
            (org_id, name)
            for org_id, name in records.filter(organisation_id__isnull=False).values_list(
                "organisation_id", "organisation_name"
            )
        },
        key=lambda pair: (pair[1].lower(), pair[0]),
    )
    return {"users": users, "organisations": organisations}


def find_people(actor: Actor, *, bsn: str, last_name: str, first_name: str, date_of_birth):
    """Find people for a request for access: by BSN (exact, through the blind index) or by
    last name and date of birth. Each person found is shown to the actor, so each is logged
    as an inspection; a search that finds nobody goes to the security log (without what was
    searched for)."""
    found = subjects.find(
        actor,
        bsn=bsn or None,
        last_name=last_name,
        first_name=first_name,
        date_of_birth=date_of_birth,
    )
    for person in found:
        access.record(
            actor=actor,
            activity=ProcessingActivity.ACCESS_LOG_INSPECT,
            subject_type=person.subject_type,
            subject_id=person.uuid,
        )
    if not found:
        security_log.info(
            "access_log.search_without_result by=%s organisation=%s kind=%s",
            getattr(getattr(actor, "user", None), "pk", None),
            getattr(getattr(actor, "organisation", None), "pk", None),
            "bsn" if bsn else "name_and_birth_date",
        )
    return found
