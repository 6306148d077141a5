"""What waits in the inbox ("Mijn werkvoorraad") from job seekers' records, each item built
from the same ``visible_to`` query as the page it links to:

- a klantmanager: the open corrections of people their organisation serves (one item per
  person, to the person's page), and one summary of the people their organisation serves
  whose availability is to be reconfirmed (to the person list, filtered to exactly them);
- a job seeker: "confirm that you are still looking for work" while it is due (to their
  own page).

An item leaves the inbox when the work is done on that page: the correction decided, the
availability confirmed."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perspectief.core.authz import Actor, Permission, Role
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem

from .constants import CorrectionField
from .models import Candidate
from .selectors.corrections import open_for
from .selectors.person_list import candidate_list
from .services.reconfirmation import own_page_url

#: A correction should be decided within this many days (the item's due date).
CORRECTION_DAYS = 14
#: At most this many open corrections are read for one inbox (oldest first).
CORRECTIONS_READ = 500
#: The person list's filter of people whose reconfirmation is due (served=own: only the
#: organisation's own people, whose availability a partner may not see).
RECONFIRM_FILTER = {"availability": "due", "served": "own"}


def corrections(actor: Actor) -> list[InboxItem]:
    """Open corrections of people the klantmanager's organisation serves, per person."""
    if not actor.has_perm(Permission.MANAGE_CANDIDATES):
        return []
    per_person: dict[int, list] = {}
    for correction in open_for(actor)[:CORRECTIONS_READ]:
        per_person.setdefault(correction.candidate_id, []).append(correction)
    items = []
    for waiting in per_person.values():
        person = waiting[0].candidate
        items.append(
            InboxItem(
                kind=Kind.CORRECTION,
                title=ngettext(
                    "%(name)s proposed a correction of their profile",
                    "%(name)s proposed %(n)d corrections of their profile",
                    len(waiting),
                )
                % {"name": person.full_name, "n": len(waiting)},
                url=reverse("candidates:detail", kwargs={"uuid": person.uuid}) + "#corrections",
                due=timezone.localdate(waiting[0].created_at) + timedelta(days=CORRECTION_DAYS),
                detail=", ".join(str(CorrectionField(c.field).label) for c in waiting),
                key=f"correction:{person.uuid}",
            )
        )
    return items


def caseload_reconfirmation(actor: Actor) -> list[InboxItem]:
    """One item for all the people the organisation serves whose reconfirmation is due (a
    caseload of 2,000 gives one line and one COUNT, not 2,000 items)."""
    if not actor.has_perm(Permission.MANAGE_CANDIDATES):
        return []
    count = candidate_list(actor=actor, filters=RECONFIRM_FILTER).count()
    if not count:
        return []
    return [
        InboxItem(
            kind=Kind.RECONFIRMATION,
            title=ngettext(
                "%(n)d person: availability to be reconfirmed",
                "%(n)d people: availability to be reconfirmed",
                count,
            )
            % {"n": count},
            url=reverse("candidates:list") + "?" + urlencode(RECONFIRM_FILTER),
            detail=_(
                "Still looking for work, but not confirmed in the last %(days)d days: left "
                "out of matching until confirmed."
            )
            % {"days": settings.CANDIDATE_RECONFIRM_DAYS},
            key="reconfirmation:caseload",
        )
    ]


def own_reconfirmation(actor: Actor) -> list[InboxItem]:
    """The job seeker's own question, while it is due."""
    if actor.role != Role.CANDIDATE:
        return []
    candidate = Candidate.objects.visible_to(actor).reconfirmation_due().first()
    if candidate is None:
        return []
    confirmed = candidate.availability_confirmed_at
    due = (
        timezone.localdate(confirmed) + timedelta(days=settings.CANDIDATE_RECONFIRM_DAYS)
        if confirmed
        else None
    )
    return [
        InboxItem(
            kind=Kind.RECONFIRMATION,
            title=_("Confirm that you are still looking for work"),
            url=own_page_url(),
            due=due,
            detail=_("One click on your own page."),
            key="reconfirmation:own",
        )
    ]


def register() -> None:
    SOURCES.register("candidates.corrections", corrections, order=40)
    SOURCES.register("candidates.reconfirmation", caseload_reconfirmation, order=80)
    SOURCES.register("candidates.own_reconfirmation", own_reconfirmation, order=10)
