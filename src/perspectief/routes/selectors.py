"""Searching the catalogue: by text, kind, skill, occupation, place and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q

from perspectief.taxonomy.models import OccupationSkill

from .models import Offer, OfferEdition, OfferSkill


@dataclass
class Filters:
    text: str = ""
    kind: str = ""
    skill: str = ""
    occupation: object = None  # an Occupation: offers teaching its essential skills
    near: object = None  # a Postcode
    km: float | None = None
    starts_from: date | None = None


def offer_search(*, actor, filters: Filters) -> list[Offer]:
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


@dataclass
class GapOffer:
    offer: Offer
    covers: list[str]  # ESCO URIs of the missing skills it teaches
    distance_km: float | None
    next_start: date | None
    next_edition: OfferEdition | None = None


class GapTraining:
    """Training in the catalogue that closes a skill gap (the engine's missing essential
    skills): offers the actor may see that teach at least one of the missing skills, within
    the person's reach (or online) and with a start still to come (or on request); the
    ones covering most of the gap first, then the nearest, then the earliest start.

    Loads the region's training once; ask it for as many gaps as a page shows."""

    DEFAULT_REACH_KM = 25.0

    def __init__(self, actor, *, today: date | None = None):
        from django.utils import timezone

        from perspectief.core.authz import Permission

        from .constants import TRAINING_KINDS

        self.today = today or timezone.localdate()
        self.offers = []
        self._on_route: dict[int, set[int]] = {}
        # Whether the page may offer to put a course on the route of a person it serves.
        self.may_plan = actor is not None and actor.has_perm(Permission.PLAN_ROUTES)
        if actor is None or not actor.has_perm(Permission.VIEW_CATALOGUE):
            return
        for offer in (
            Offer.objects.visible_to(actor)
            .filter(status="active", kind__in=TRAINING_KINDS)
            .select_related("provider", "postcode")
            .prefetch_related("skills__skill", "editions")
        ):
            starts = sorted(
                (e for e in offer.editions.all() if e.starts_on >= self.today),
                key=lambda e: e.starts_on,
            )
            if offer.editions.all() and not starts:
                continue  # every start has passed
            uris = {s.skill.uri for s in offer.skills.all()}
            self.offers.append((offer, uris, starts[0] if starts else None))

    def on_route(self, candidate) -> set[int]:
        """Offers already on the person's route (not stopped), so a page says so instead
        of offering to add them again."""
        from .constants import StepStatus
        from .models import RouteStep

        cache = self._on_route
        if candidate.pk not in cache:
            cache[candidate.pk] = set(
                RouteStep.objects.filter(route__candidate=candidate, offer__isnull=False)
                .exclude(status=StepStatus.STOPPED)
                .values_list("offer_id", flat=True)
            )
        return cache[candidate.pk]

    def for_gap(self, missing: list[str], *, near=None, reach_km=None, limit: int = 3):
        gap = set(missing)
        if not gap:
            return []
        reach = float(reach_km) if reach_km else self.DEFAULT_REACH_KM
        found = []
        for offer, uris, edition in self.offers:
            covers = [u for u in missing if u in uris]
            if not covers:
                continue
            distance = None
            if not offer.online and offer.postcode_id and near is not None:
                distance = round(near.distance_km(offer.postcode), 1)
                if distance > reach:
                    continue
            found.append(
                GapOffer(offer, covers, distance, edition.starts_on if edition else None, edition)
            )
        found.sort(
            key=lambda g: (
                -len(g.covers),
                g.distance_km if g.distance_km is not None else 0.0,
                g.next_start or date.max,
                g.offer.title,
            )
        )
        return found[:limit]
