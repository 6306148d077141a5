"""Reading the catalogue: search it by text, kind, skill, occupation, place and date; the
starts still to come in a region."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from perspectief.core.authz import Actor
from perspectief.regions.models import Postcode
from perspectief.taxonomy.models import Occupation, OccupationSkill

from .constants import OfferStatus
from .models import Offer, OfferEdition, OfferSkill


@dataclass
class Filters:
    text: str = ""
    kind: str = ""
    skill: str = ""
    occupation: Occupation | None = None  # offers teaching its essential skills
    near: Postcode | None = None
    km: float | None = None
    starts_from: date | None = None


def offer_search(*, actor: Actor, filters: Filters) -> list[Offer]:
    """The offers of the catalogue the actor may see that match every filter given; each
    with ``distance_km`` from ``near`` (None when online or unknown)."""
    offers = Offer.objects.visible_to(actor).select_related("provider", "postcode")
    if filters.text:
        offers = offers.filter(
            Q(title__icontains=filters.text) | Q(description__icontains=filters.text)
        )
    if filters.kind:
        offers = offers.filter(kind=filters.kind)
    if filters.skill:
        term = filters.skill.strip()
        teaches = OfferSkill.objects.filter(offer=OuterRef("pk")).filter(
            Q(skill__uri=term)
            | Q(skill__label_nl__icontains=term)
            | Q(skill__label_en__icontains=term)
        )
        offers = offers.filter(Exists(teaches))
    if filters.occupation is not None:
        needed = OccupationSkill.objects.filter(
            occupation=filters.occupation, relation="essential"
        ).values("skill_id")
        offers = offers.filter(
            Exists(OfferSkill.objects.filter(offer=OuterRef("pk"), skill_id__in=needed))
        )
    if filters.starts_from is not None:
        offers = offers.filter(
            Exists(
                OfferEdition.objects.filter(
                    offer=OuterRef("pk"), starts_on__gte=filters.starts_from
                )
            )
        )
    offers = list(
        offers.prefetch_related(
            "skills__skill",
            "target_groups",
            Prefetch("editions", queryset=OfferEdition.objects.order_by("starts_on")),
        )
    )
    for offer in offers:
        offer.distance_km = (
            round(filters.near.distance_km(offer.postcode), 1)
            if filters.near is not None and offer.postcode_id and not offer.online
            else None
        )
    if filters.near is not None and filters.km is not None:
        offers = [
            o
            for o in offers
            if o.online or (o.distance_km is not None and o.distance_km <= filters.km)
        ]
        offers.sort(key=lambda o: (o.distance_km is None, o.distance_km or 0.0, o.title))
    return offers


def editions_for(region_id):
    """The starts still to come of the offers in a region's catalogue, with their offer, by
    offer and date: what a route step or a bulk request's cohort can be planned on."""
    return (
        OfferEdition.objects.filter(
            offer__region_id=region_id,
            offer__status=OfferStatus.ACTIVE,
            starts_on__gte=timezone.localdate(),
        )
        .select_related("offer")
        .order_by("offer__title", "starts_on")
    )
