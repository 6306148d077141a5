"""Providers maintain their own offers in the region's catalogue; every change is audited."""

from __future__ import annotations

from typing import overload

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from .constants import SKILL_KINDS, OfferStatus
from .models import Offer, OfferEdition, OfferSkill, OfferTargetGroup

FIELDS = (
    "kind",
    "title",
    "description",
    "duration_weeks",
    "hours_per_week",
    "cost",
    "funding",
    "postcode",
    "online",
    "contact",
)


@overload
def _own(actor: Actor, offer: Offer) -> Offer: ...


@overload
def _own(actor: Actor, offer: Offer | None) -> Offer | None: ...


def _own(actor: Actor, offer: Offer | None) -> Offer | None:
    """The actor's organisation's own offer, locked (None stays None); refused without
    the permission, not found when it is another's."""
    if not actor.has_perm(Permission.MANAGE_OFFERS) or not actor.region_id:
        raise PermissionDeniedError()
    if offer is None:
        return None
    found = Offer.objects.select_for_update().filter(pk=offer.pk).first()
    if found is None or found.provider_id != actor.organisation.pk:
        raise NotFoundError(_("Offer not found."))
    return found


def _check(data: dict) -> None:
    errors = {}
    if not data.get("online") and data.get("postcode") is None:
        errors["postcode"] = _("Give the location, or mark the offer as online.")
    if data.get("kind") in SKILL_KINDS and not data.get("skills"):
        errors["skills"] = _(
            "Name at least one skill this training teaches (ESCO), so that advisers find it "
            "for a person's skill gap."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def offer_save(*, actor: Actor, data: dict, offer: Offer | None = None) -> Offer:
    """Create (``offer`` None) or change one of the provider's own offers. ``data`` holds
    the model fields of :data:`FIELDS`, ``skills`` (Skill objects) and ``target_groups``."""
    offer = _own(actor, offer)
    _check(data)
    created = offer is None
    if offer is None:
        offer = Offer(provider=actor.organisation, region_id=actor.region_id)
    before = {f: str(getattr(offer, f, "")) for f in FIELDS} if not created else {}
    for name in FIELDS:
        setattr(offer, name, data.get(name, getattr(offer, name)))
    offer.full_clean(exclude=["provider", "region", "postcode"])
    offer.save()
    if "skills" in data:
        offer.skills.all().delete()
        OfferSkill.objects.bulk_create(
            OfferSkill(offer=offer, skill=s) for s in dict.fromkeys(data["skills"])
        )
    if "target_groups" in data:
        offer.target_groups.all().delete()
        OfferTargetGroup.objects.bulk_create(
            OfferTargetGroup(offer=offer, group=g) for g in dict.fromkeys(data["target_groups"])
        )
    changes = {
        f: [before.get(f), str(getattr(offer, f))]
        for f in FIELDS
        if before.get(f) != str(getattr(offer, f))
    }
    audit.record(
        "offer.created" if created else "offer.changed", actor=actor, target=offer, changes=changes
    )
    return offer


@transaction.atomic
def offer_archive(*, actor: Actor, offer: Offer) -> Offer:
    offer = _own(actor, offer)
    if offer.status != OfferStatus.ARCHIVED:
        offer.status = OfferStatus.ARCHIVED
        offer.save(update_fields=["status", "updated_at"])
        audit.record(
            "offer.archived", actor=actor, target=offer, changes={"status": ["active", "archived"]}
        )
    return offer


@transaction.atomic
def edition_add(*, actor: Actor, offer: Offer, starts_on, ends_on=None, seats=None) -> OfferEdition:
    offer = _own(actor, offer)
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})
    if seats is not None and seats < 1:
        raise ValidationError({"seats": _("At least one seat, or leave it empty (no limit).")})
    edition = OfferEdition.objects.create(
        offer=offer, starts_on=starts_on, ends_on=ends_on, seats=seats
    )
    audit.record(
        "offer.edition_added",
        actor=actor,
        target=offer,
        changes={"starts_on": [None, str(starts_on)], "seats": [None, seats]},
    )
    return edition


@transaction.atomic
def edition_remove(*, actor: Actor, edition: OfferEdition) -> None:
    _own(actor, edition.offer)
    audit.record(
        "offer.edition_removed",
        actor=actor,
        target=edition.offer,
        changes={"starts_on": [str(edition.starts_on), None]},
    )
    edition.delete()
