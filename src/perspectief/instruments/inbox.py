"""What instrument applications put in a person's inbox ("Mijn werkvoorraad",
``perspectief.notifications.inbox``), registered in ``InstrumentsConfig.ready()``:

- ``instruments.deadlines`` — open deadlines of the applications the actor's membership is
  responsible for (``Application.responsible``), due within 30 days or overdue (the inbox
  puts the overdue first), by the person's name where the actor's organisation serves the
  person (the partner label else, as on the application's page). An item leaves the inbox
  when the deadline is ticked done on the application's page, or the application is
  refused or ended.

Read from the same query as the page the item links to
(:func:`perspectief.instruments.query.applications_visible_to`), at most
:data:`INBOX_LIMIT` items, then one that says how many more wait.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perspectief.core.authz import Actor, Permission
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem

from .selectors.applications import deadlines_waiting, served_ids
from .services.applications import deadline_url

INBOX_LIMIT = 50


def deadlines(actor: Actor) -> list[InboxItem]:
    if not actor.has_perm(Permission.RECORD_APPLICATIONS) or actor.membership is None:
        return []
    rows = list(deadlines_waiting(actor)[: INBOX_LIMIT + 1])
    served = served_ids(actor, [d.application.candidate_id for d in rows])
    items = []
    for deadline in rows[:INBOX_LIMIT]:
        candidate = deadline.application.candidate
        person = candidate.full_name if candidate.pk in served else candidate.partner_label
        items.append(
            InboxItem(
                kind=Kind.INSTRUMENT_DEADLINE,
                title=_("%(what)s (%(person)s)") % {"what": deadline.label, "person": person},
                detail=_("Instrument application: %(instrument)s")
                % {"instrument": deadline.application.version.name},
                url=deadline_url(deadline),
                due=deadline.due_on,
                key=f"instruments.deadline:{deadline.pk}",
            )
        )
    if len(rows) > INBOX_LIMIT:
        more = deadlines_waiting(actor).count() - INBOX_LIMIT
        items.append(
            InboxItem(
                kind=Kind.INSTRUMENT_DEADLINE,
                title=ngettext(
                    "%(n)s more deadline of instrument applications",
                    "%(n)s more deadlines of instrument applications",
                    more,
                )
                % {"n": more},
                url=reverse("instruments:application-list") + "?overdue=on",
                due=items[-1].due,
                key="instruments.deadline:more",
            )
        )
    return items


def register() -> None:
    SOURCES.register("instruments.deadlines", deadlines)
