"""Placing a step on a person's route, shared by the services that plan routes, put a
course on them or lay a template out: who may plan, the checks on a step (owner, dates,
overlap, offer, seats), the defaults a step takes from a start of an offer, and storing it.
The callers run it inside their transaction and audit it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.catalogue.constants import OfferStatus
from perspectief.catalogue.models import Offer, OfferEdition
from perspectief.core import bsn as bsn_lib
from perspectief.core.authz import Actor, Permission
from perspectief.core.dates import short_date
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.funding.services import Payer, check_payer
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation

from ..constants import HandOff, StepKind, StepStatus
from ..models import Route, RouteStep
from . import notices

#: Organisations that can own a step of a route. Employers never do: they see people only
#: through the matching's projection and the person's consent.
STEP_OWNER_KINDS = frozenset(
    {
        OrganisationKind.GEMEENTE,
        OrganisationKind.UWV,
        OrganisationKind.SCHOOL,
        OrganisationKind.INTERMEDIARY,
        OrganisationKind.SW_BEDRIJF,
    }
)


@dataclass
class StepInput:
    kind: str
    title: str
    owner: Organisation
    #: None until given: place_step() refuses a step without its dates.
    planned_start: date | None
    planned_end: date | None
    offer: Offer | None = None
    edition: OfferEdition | None = None
    #: What the partner should know (a hand-off only); no name or BSN.
    handoff_note: str = ""
    #: Which funding pot pays the step and how much; ``None``: leave it as it is (a change
    #: that does not mention the funding keeps it).
    funding: Payer | None = None


# --- who may do what --------------------------------------------------------------------------


def serves(actor: Actor, candidate: Candidate) -> bool:
    return Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()


def check_planner(actor: Actor, candidate: Candidate) -> None:
    """Routes are planned by an organisation that serves the person (its legal task)."""
    if not actor.has_perm(Permission.PLAN_ROUTES):
        raise PermissionDeniedError()
    if not serves(actor, candidate):
        raise NotFoundError(_("Job seeker not found."))


def locked_route(actor: Actor, route: Route) -> Route:
    found = Route.objects.select_for_update().filter(pk=route.pk).first()
    if found is None:
        raise NotFoundError(_("Route not found."))
    check_planner(actor, found.candidate)
    return found


def log_change(
    actor: Actor, candidate, activity=ProcessingActivity.ROUTE_PLAN, operation=Operation.CHANGE
):
    access.record_candidate(actor, candidate, activity, operation)


# --- checks on a step -------------------------------------------------------------------------


def _check_owner(owner: Organisation) -> None:
    if not owner.is_active or owner.kind not in STEP_OWNER_KINDS:
        raise ValidationError(
            {
                "owner": _(
                    "%(org)s cannot own a step of a route: choose a gemeente, UWV, school, "
                    "intermediary or SW company that takes part."
                )
                % {"org": owner.name}
            }
        )


def _check_dates(
    start: date | None, end: date | None, *, start_field: str, end_field: str
) -> tuple[date, date]:
    """Both dates given, the end not before the start; returns them."""
    if start is None:
        raise ValidationError({start_field: _("Give the start date.")})
    if end is None:
        raise ValidationError({end_field: _("Give the date the step is due to end.")})
    if end < start:
        raise ValidationError({end_field: _("The end date cannot be before the start date.")})
    return start, end


def _check_overlap(route: Route, start: date, end: date, *, exclude: RouteStep | None = None):
    """The wagons follow each other: a step's planned period may not overlap another open
    or completed step of the route (a step may start on the day the previous one ends)."""
    others = route.steps.exclude(status=StepStatus.STOPPED)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    clash = others.filter(planned_start__lt=end, planned_end__gt=start).first()
    if clash is None:
        clash = others.filter(planned_start=start, planned_end=end).first()
    if clash is not None:
        raise ValidationError(
            {
                "planned_start": _(
                    "This step overlaps “%(title)s” (%(start)s – %(end)s). Steps of a route "
                    "follow each other: move the dates or stop the other step first."
                )
                % {
                    "title": clash.title,
                    "start": short_date(clash.planned_start),
                    "end": short_date(clash.planned_end),
                }
            }
        )


def _check_offer(route: Route, offer: Offer | None, edition: OfferEdition | None) -> None:
    if offer is None:
        if edition is not None:
            raise ValidationError({"edition": _("A start belongs to a service or training.")})
        return
    if offer.region_id != route.candidate.region_id or offer.status != OfferStatus.ACTIVE:
        raise ValidationError(
            {"offer": _("This service or training is not offered in the person's region.")}
        )
    if edition is not None and edition.offer_id != offer.pk:
        raise ValidationError({"edition": _("This start belongs to another offer.")})


#: Nine digits, possibly grouped with spaces, dots or dashes: what a BSN looks like in text.
_DIGITS = re.compile(r"(?<![0-9])[0-9](?:[\s.\-]?[0-9]){7,8}(?![0-9])")

#: The most a note to the partner may hold.
NOTE_MAX = 1000


def _check_note(route: Route, note: str) -> str:
    """The note for the partner a step is handed to, trimmed; refused when it holds a BSN
    or the person's name (the partner knows the person by their code until it accepts)."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"handoff_note": _("Keep the note to %(max)s characters.") % {"max": NOTE_MAX}}
        )
    if any(bsn_lib.is_valid(found) for found in _DIGITS.findall(note)):
        raise ValidationError(
            {"handoff_note": _("Leave the BSN out of the note: the partner does not need it.")}
        )
    person = route.candidate
    names = [f"{person.first_name} {person.last_name}".strip()]
    if len(person.last_name or "") >= 4:
        names.append(person.last_name)
    lowered = note.lower()
    for name in names:
        if name and re.search(r"(?<!\w)" + re.escape(name.lower()) + r"(?!\w)", lowered):
            raise ValidationError(
                {
                    "handoff_note": _(
                        "Leave the person's name out of the note: until the partner accepts, "
                        "it knows the person by their code."
                    )
                }
            )
    return note


def seats_taken(edition: OfferEdition, *, exclude: RouteStep | None = None) -> int:
    taken = edition.steps.exclude(status=StepStatus.STOPPED)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.count()


def reserve_seats(edition: OfferEdition | None, count: int = 1, *, exclude=None) -> None:
    """Check the seats of a start, holding its row until the transaction ends, so two
    advisers cannot both take the last seat."""
    if edition is None:
        return
    edition = OfferEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.seats is None:
        return
    free = edition.seats - seats_taken(edition, exclude=exclude)
    if count > free:
        raise ValidationError(
            {
                "edition": _(
                    "The start of %(date)s is full: %(seats)s seats, %(free)s free, %(asked)s "
                    "asked. Choose another start or ask the provider for more seats."
                )
                % {
                    "date": short_date(edition.starts_on),
                    "seats": edition.seats,
                    "free": max(free, 0),
                    "asked": count,
                }
            }
        )


def step_dates(offer: Offer | None, edition: OfferEdition | None, start: date):
    """Dates of a step on a start of an offer: the start's own dates, else the offer's
    duration from ``start``."""
    if edition is not None:
        weeks = (offer.duration_weeks if offer else None) or 4
        return edition.starts_on, edition.ends_on or edition.starts_on + timedelta(weeks=weeks)
    weeks = (offer.duration_weeks if offer else None) or 4
    return start, start + timedelta(weeks=weeks)


def step_input(
    *,
    kind: str,
    own: Organisation,
    title: str = "",
    owner: Organisation | None = None,
    offer: Offer | None = None,
    edition: OfferEdition | None = None,
    planned_start: date | None = None,
    planned_end: date | None = None,
    handoff_note: str = "",
    funding: Payer | None = None,
) -> StepInput:
    """A step as the pages and the API give it, with the defaults filled in: a start of an
    offer brings its offer and dates, an offer its title and its provider as owner (a
    hand-off), and a step without an owner is the planning organisation's own."""
    if edition is not None:
        offer = edition.offer
        planned_start = planned_start or edition.starts_on
        planned_end = planned_end or step_dates(offer, edition, edition.starts_on)[1]
    elif offer is not None and planned_start is not None and planned_end is None:
        planned_end = step_dates(offer, None, planned_start)[1]
    return StepInput(
        kind=kind,
        title=title or (offer.title if offer is not None else ""),
        owner=owner or (offer.provider if offer is not None else own),
        planned_start=planned_start,
        planned_end=planned_end,
        offer=offer,
        edition=edition,
        handoff_note=handoff_note,
        funding=funding,
    )


def snapshot(step: RouteStep) -> dict:
    return {
        "kind": step.kind,
        "title": step.title,
        "owner": step.owner,
        "offer": step.offer,
        "edition": step.edition,
        "planned_start": step.planned_start,
        "planned_end": step.planned_end,
        "status": step.status,
        "handoff": step.handoff,
        "handoff_note": step.handoff_note,
        "funding_pot": step.funding_pot,
        "funding_amount": step.funding_amount,
    }


def place_step(route: Route, data: StepInput, *, step: RouteStep | None = None) -> RouteStep:
    """Validate and store one step (new or changed); the caller audits."""
    if data.kind not in StepKind.values:
        raise ValidationError({"kind": _("Unknown kind of step.")})
    if not (data.title or "").strip():
        raise ValidationError({"title": _("Give the step a title.")})
    _check_owner(data.owner)
    planned_start, planned_end = _check_dates(
        data.planned_start, data.planned_end, start_field="planned_start", end_field="planned_end"
    )
    _check_offer(route, data.offer, data.edition)
    _check_overlap(route, planned_start, planned_end, exclude=step)
    note = _check_note(route, data.handoff_note) if (data.handoff_note or "").strip() else ""
    if data.funding is not None:
        amount = check_payer(
            data.funding.pot, data.funding.amount, region_id=route.candidate.region_id
        )
    if data.edition is not None and (step is None or step.edition_id != data.edition.pk):
        reserve_seats(data.edition, exclude=step)
    new = step is None
    if step is None:
        step = RouteStep(route=route)
    owner_changed = new or step.owner_id != data.owner.pk
    if owner_changed or (step.planned_start, step.planned_end) != (planned_start, planned_end):
        # Planned again: once stuck again, the region's programme managers hear of it again.
        step.stuck_notified_at = None
    step.kind, step.title = data.kind, data.title.strip()[:200]
    step.owner, step.offer, step.edition = data.owner, data.offer, data.edition
    step.planned_start, step.planned_end = planned_start, planned_end
    if data.funding is not None:
        step.funding_pot, step.funding_amount = data.funding.pot, amount
    if owner_changed:
        # A step of another organisation than the route's is a hand-off it must accept.
        if data.owner.pk == route.organisation_id:
            step.handoff, step.handed_off_at = HandOff.NONE, None
        else:
            step.handoff, step.handed_off_at = HandOff.PENDING, timezone.now()
        step.handoff_decided_at, step.handoff_decided_by, step.decline_reason = None, None, ""
    # The note is for the partner a step is handed to; an own step has no partner.
    step.handoff_note = note if step.handoff != HandOff.NONE else ""
    step.full_clean(
        exclude=["route", "owner", "offer", "edition", "handoff_decided_by", "funding_pot"]
    )
    step.save()
    if owner_changed and step.handoff == HandOff.PENDING:
        notices.handoff_made(step)
    return step
