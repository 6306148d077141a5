"""Employer accounts: one owner per employer (the single point of contact), claims,
hand-overs and contact moments recorded; everyone in the region sees who owns whom."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..constants import AccountEventKind, OrganisationKind
from ..models import AccountEvent, EmployerAccount, EmployerContact, EmployerLocation, Organisation


def validate_kvk(raw: str) -> str:
    number = re.sub(r"[\s.]", "", raw or "")
    if not re.fullmatch(r"[0-9]{8}", number) or number == "00000000":
        raise ValidationError(
            {"kvk_number": _("A KvK number has eight digits (for example 12345678).")}
        )
    return number


def check_in_region(actor: Actor, postcode) -> None:
    """An employer belongs to the region of its postcode; the actor registers or moves
    employers of its own region only."""
    if actor.region_id is not None and postcode.municipality.region_id != actor.region_id:
        raise ValidationError(
            {
                "postcode": _(
                    "This postcode lies in %(municipality)s, outside the region. An employer "
                    "there belongs to the Werkgeversservicepunt of that region."
                )
                % {"municipality": postcode.municipality.name}
            }
        )


def _require(actor: Actor, permission):
    if not actor.has_perm(permission):
        raise PermissionDeniedError()


def _in_region(actor: Actor, account: EmployerAccount) -> EmployerAccount:
    found = (
        EmployerAccount.objects.visible_to(actor).select_for_update().filter(pk=account.pk).first()
    )
    if found is None:
        raise NotFoundError(_("Employer not found."))
    return found


def _owner_text(account: EmployerAccount) -> str:
    owner = account.owner
    assert owner is not None  # asked only about an account with an owner
    return f"{owner.user.get_full_name() or owner.user.username} ({owner.organisation.name})"


@transaction.atomic
def employer_register(
    *,
    actor: Actor,
    name: str,
    kvk_number: str,
    postcode,
    address: str = "",
    sector=None,
    size: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> EmployerAccount:
    """Register an employer of the region (by its main location's postcode, which must lie
    in the actor's region: an employer elsewhere belongs to that region's WSP)."""
    _require(actor, Permission.MANAGE_EMPLOYERS)
    kvk = validate_kvk(kvk_number)
    existing = (
        EmployerAccount.objects.filter(kvk_number=kvk)
        .select_related("organisation", "owner__user", "owner__organisation")
        .first()
    )
    if existing is not None:
        owner = (
            _("owned by %(owner)s") % {"owner": _owner_text(existing)}
            if existing.owner
            else _("without an owner")
        )
        raise ValidationError(
            {
                "kvk_number": _("This employer is already known (%(name)s, %(owner)s).")
                % {"name": existing.organisation.name, "owner": owner}
            }
        )
    if postcode is None:
        raise ValidationError({"postcode": _("Give the postcode of the main location.")})
    check_in_region(actor, postcode)
    address = (address or "").strip()
    organisation = Organisation(
        name=name.strip(),
        kind=OrganisationKind.EMPLOYER,
        region=postcode.municipality.region,
        municipality=postcode.municipality,
    )
    organisation.full_clean()
    organisation.save()
    account = EmployerAccount(
        organisation=organisation,
        kvk_number=kvk,
        sector=sector,
        size=size,
        address=address,
        postcode=postcode,
    )
    account.full_clean()
    account.save()
    EmployerLocation.objects.create(
        account=account, name=_("main location"), address=address, postcode=postcode
    )
    if contact_name:
        EmployerContact.objects.create(
            account=account, name=contact_name, email=contact_email, phone=contact_phone
        )
    AccountEvent.objects.create(
        account=account, kind=AccountEventKind.REGISTERED, by=actor.membership
    )
    audit.record(
        "employer.registered",
        actor=actor,
        target=account,
        changes={"name": [None, organisation.name], "kvk_number": [None, kvk]},
    )
    return account


@transaction.atomic
def employer_claim(*, actor: Actor, account: EmployerAccount) -> EmployerAccount:
    """Become the account owner. An employer with an owner is not taken over: the answer
    names the owner, through whom the others work."""
    _require(actor, Permission.MANAGE_EMPLOYERS)
    account = _in_region(actor, account)
    owner = account.owner
    if owner is not None and owner.is_active and account.owner_id != actor.membership.pk:
        raise ValidationError(
            _("%(owner)s owns this employer; contact them, or ask them to hand it over.")
            % {"owner": _owner_text(account)}
        )
    if account.owner_id == actor.membership.pk:
        return account
    previous = account.owner
    account.owner, account.owner_since = actor.membership, timezone.now()
    account.save(update_fields=["owner", "owner_since", "updated_at"])
    AccountEvent.objects.create(
        account=account, kind=AccountEventKind.CLAIMED, by=actor.membership, to=actor.membership
    )
    audit.record(
        "employer.claimed",
        actor=actor,
        target=account,
        changes={"owner": [str(previous.uuid) if previous else None, str(actor.membership.uuid)]},
    )
    return account


@transaction.atomic
def employer_handover(*, actor: Actor, account: EmployerAccount, to) -> EmployerAccount:
    """The owner hands the employer to a colleague or partner in the region."""
    _require(actor, Permission.MANAGE_EMPLOYERS)
    account = _in_region(actor, account)
    if account.owner_id != actor.membership.pk:
        raise ValidationError(_("Only the account owner can hand the employer over."))
    if not (
        to.is_active
        and Permission.MANAGE_EMPLOYERS in to.permissions
        and to.organisation.region_id == account.organisation.region_id
    ):
        raise ValidationError(_("Hand over to an account manager or intermediary of the region."))
    account.owner, account.owner_since = to, timezone.now()
    account.save(update_fields=["owner", "owner_since", "updated_at"])
    AccountEvent.objects.create(
        account=account, kind=AccountEventKind.HANDED_OVER, by=actor.membership, to=to
    )
    audit.record(
        "employer.handed_over",
        actor=actor,
        target=account,
        changes={"owner": [str(actor.membership.uuid), str(to.uuid)]},
    )
    return account


@transaction.atomic
def employer_release(*, actor: Actor, account: EmployerAccount) -> EmployerAccount:
    _require(actor, Permission.MANAGE_EMPLOYERS)
    account = _in_region(actor, account)
    if account.owner_id != actor.membership.pk:
        raise ValidationError(_("Only the account owner can release the employer."))
    account.owner, account.owner_since = None, None
    account.save(update_fields=["owner", "owner_since", "updated_at"])
    AccountEvent.objects.create(
        account=account, kind=AccountEventKind.RELEASED, by=actor.membership
    )
    audit.record(
        "employer.released",
        actor=actor,
        target=account,
        changes={"owner": [str(actor.membership.uuid), None]},
    )
    return account


@transaction.atomic
def contact_record(*, actor: Actor, account: EmployerAccount, note: str) -> AccountEvent:
    """A contact moment (a call, a visit), visible to everyone who sees the employer."""
    _require(actor, Permission.MANAGE_EMPLOYERS)
    account = _in_region(actor, account)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what the contact was about.")})
    event = AccountEvent.objects.create(
        account=account, kind=AccountEventKind.CONTACT, by=actor.membership, note=note[:2000]
    )
    audit.record("employer.contact_recorded", actor=actor, target=account)
    return event
