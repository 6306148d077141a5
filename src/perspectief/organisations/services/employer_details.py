"""Changing what the WSP knows of an employer: its name, KvK number, sector, size and
address (the region's account managers and intermediaries), its locations and contact
persons (they, and the employer's own users). Every change is audited; a refusal names the
field and changes nothing."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core.authz import Actor
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..models import EmployerAccount, EmployerContact, EmployerLocation
from ..selectors.employers import can_edit, can_edit_people_and_places
from .employers import check_in_region, validate_kvk

#: A phone number as people write it: digits, spaces, +, -, brackets and dots.
PHONE = re.compile(r"^\+?[0-9 ().-]{6,30}$")

ACCOUNT_FIELDS = ("name", "kvk_number", "sector", "size", "address", "postcode")
LOCATION_FIELDS = ("name", "address", "postcode")
CONTACT_FIELDS = ("name", "function", "email", "phone")


def _locked(actor: Actor, account: EmployerAccount) -> EmployerAccount:
    found = (
        EmployerAccount.objects.visible_to(actor)
        .select_for_update()
        .select_related("organisation")
        .filter(pk=account.pk)
        .first()
    )
    if found is None:
        raise NotFoundError(_("Employer not found."))
    return found


def _editable(actor: Actor, account: EmployerAccount, *, people: bool = False):
    account = _locked(actor, account)
    allowed = can_edit_people_and_places if people else can_edit
    if not allowed(actor, account):
        raise PermissionDeniedError()
    return account


def _text(value, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


@transaction.atomic
def employer_update(*, actor: Actor, account: EmployerAccount, data: dict) -> EmployerAccount:
    """Change the employer's name, KvK number, sector, size, address and postcode. The
    postcode stays in the region (moving an employer to another region is a hand-over
    between Werkgeversservicepunten, not an edit)."""
    account = _editable(actor, account)
    organisation = account.organisation
    before = {f: getattr(account, f) for f in ACCOUNT_FIELDS if f != "name"}
    before["name"] = organisation.name
    name = _text(data.get("name"), 200)
    if not name:
        raise ValidationError({"name": _("Give the employer's name.")})
    kvk = validate_kvk(data.get("kvk_number") or "")
    other = EmployerAccount.objects.filter(kvk_number=kvk).exclude(pk=account.pk)
    if other.exists():
        raise ValidationError({"kvk_number": _("Another employer already has this KvK number.")})
    postcode = data.get("postcode")
    if postcode is None:
        raise ValidationError({"postcode": _("Give the postcode of the employer's address.")})
    check_in_region(actor, postcode)
    organisation.name = name
    organisation.municipality = postcode.municipality
    account.kvk_number = kvk
    account.sector = data.get("sector")
    account.size = data.get("size") or ""
    account.address = _text(data.get("address"), 200)
    account.postcode = postcode
    organisation.full_clean()
    account.full_clean(exclude=["organisation"])
    organisation.save()
    account.save()
    after = {f: getattr(account, f) for f in ACCOUNT_FIELDS if f != "name"}
    after["name"] = organisation.name
    changes = audit.diff(before, after)
    if changes:
        audit.record("employer.updated", actor=actor, target=account, changes=changes)
    return account


def _location(account: EmployerAccount, location_id) -> EmployerLocation:
    found = EmployerLocation.objects.filter(account=account, pk=location_id).first()
    if found is None:
        raise NotFoundError(_("Location not found."))
    return found


@transaction.atomic
def location_save(
    *, actor: Actor, account: EmployerAccount, data: dict, location_id: int | None = None
) -> EmployerLocation:
    """Add a place of work, or change one. It may lie outside the region (a branch)."""
    account = _editable(actor, account, people=True)
    location = (
        _location(account, location_id)
        if location_id is not None
        else EmployerLocation(account=account)
    )
    before = {f: getattr(location, f) for f in LOCATION_FIELDS} if location.pk is not None else {}
    if data.get("postcode") is None:
        raise ValidationError({"postcode": _("Give the postcode of the location.")})
    location.name = _text(data.get("name"), 200)
    location.address = _text(data.get("address"), 200)
    location.postcode = data["postcode"]
    location.full_clean()
    location.save()
    changes = audit.diff(before, {f: getattr(location, f) for f in LOCATION_FIELDS})
    if changes:
        event = "employer.location_changed" if before else "employer.location_added"
        audit.record(
            event,
            actor=actor,
            target=account,
            changes={f"location.{location.pk}.{k}": v for k, v in changes.items()},
        )
    return location


@transaction.atomic
def location_remove(*, actor: Actor, account: EmployerAccount, location_id: int) -> None:
    account = _editable(actor, account, people=True)
    location = _location(account, location_id)
    before = {f: getattr(location, f) for f in LOCATION_FIELDS}
    pk = location.pk
    location.delete()
    audit.record(
        "employer.location_removed",
        actor=actor,
        target=account,
        changes={f"location.{pk}.{k}": v for k, v in audit.diff(before, {}).items()},
    )


def _contact(account: EmployerAccount, contact_id) -> EmployerContact:
    found = EmployerContact.objects.filter(account=account, pk=contact_id).first()
    if found is None:
        raise NotFoundError(_("Contact person not found."))
    return found


def clean_contact(data: dict) -> dict:
    """A contact person's fields, checked: a name, an e-mail address that is one, a phone
    number of digits. Refusals name the field."""
    cleaned = {
        "name": _text(data.get("name"), 200),
        "function": _text(data.get("function"), 100),
        "email": (data.get("email") or "").strip(),
        "phone": _text(data.get("phone"), 30),
    }
    errors = {}
    if not cleaned["name"]:
        errors["name"] = _("Give the contact person's name.")
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = _("Give a valid e-mail address, for example name@company.nl.")
        if len(cleaned["email"]) > 254:
            errors["email"] = _("This e-mail address is too long.")
    if cleaned["phone"] and not PHONE.match(cleaned["phone"]):
        errors["phone"] = _("A phone number holds digits, and perhaps +, -, spaces or brackets.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def contact_save(
    *, actor: Actor, account: EmployerAccount, data: dict, contact_id: int | None = None
) -> EmployerContact:
    """Add a contact person of the employer, or change one. The audit names the fields that
    changed, not the person's details."""
    account = _editable(actor, account, people=True)
    cleaned = clean_contact(data)
    contact = (
        _contact(account, contact_id)
        if contact_id is not None
        else EmployerContact(account=account)
    )
    before = {f: getattr(contact, f) for f in CONTACT_FIELDS} if contact.pk is not None else {}
    for field, value in cleaned.items():
        setattr(contact, field, value)
    contact.full_clean()
    contact.save()
    changed = sorted(audit.diff(before, cleaned))
    if changed:
        event = "employer.contact_changed" if before else "employer.contact_added"
        audit.record(
            event,
            actor=actor,
            target=account,
            changes={f"contact.{contact.pk}.{field}": ["…", "…"] for field in changed},
        )
    return contact


@transaction.atomic
def contact_remove(*, actor: Actor, account: EmployerAccount, contact_id: int) -> None:
    account = _editable(actor, account, people=True)
    contact = _contact(account, contact_id)
    pk = contact.pk
    contact.delete()
    audit.record(
        "employer.contact_removed",
        actor=actor,
        target=account,
        changes={f"contact.{pk}": ["…", None]},
    )
