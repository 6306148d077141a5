"""From a skill gap or a bulk request to a course: the catalogue's training that closes a
person's skill gap (with whether it is already on the person's route), and the starts a step
can be planned on with the seats already taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from perspectief.catalogue.constants import TRAINING_KINDS, OfferStatus
from perspectief.catalogue.models import Offer, OfferEdition
from perspectief.catalogue.selectors import editions_for
from perspectief.core.authz import Actor, Permission

from ..constants import StepStatus
from ..models import RouteStep


def editions_with_seats_taken(region_id):
    """The region's starts still to come (:func:`perspectief.catalogue.selectors.editions_for`),
    each with ``taken``: the route steps on it that were not stopped, counted in one query
    rather than one per start on a form."""
    return editions_for(region_id).annotate(
        taken=Count("steps", filter=~Q(steps__status=StepStatus.STOPPED))
    )


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

    def __init__(self, actor: Actor, *, today: date | None = None):
        self.today = today or timezone.localdate()
        self.offers = []
        self._on_route: dict[int, set[int]] = {}
        # Whether the page may offer to put a course on the route of a person it serves.
        self.may_plan = actor is not None and actor.has_perm(Permission.PLAN_ROUTES)
        if actor is None or not actor.has_perm(Permission.VIEW_CATALOGUE):
            return
        for offer in (
            Offer.objects.visible_to(actor)
            .filter(status=OfferStatus.ACTIVE, kind__in=TRAINING_KINDS)
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
