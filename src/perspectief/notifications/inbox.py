""" "Mijn werkvoorraad": everything that waits for a person in the role they act in.

The work lives in the apps above this one (hand-offs in ``routes``, employers' answers in
``matching``, requests in ``vacancies``...). Each registers a *source* in its
``AppConfig.ready()``: a function that takes the actor and returns the items waiting for
that actor, built from the same ``visible_to`` query as the page the item links to. An item
leaves the inbox when the work is done on that page (a hand-off accepted, a request
answered): nothing is ticked off here, so the inbox never says something is done that
is not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from perspectief.core.authz import Actor
from perspectief.core.contributions import Contributions

from .constants import Kind


@dataclass(frozen=True)
class InboxItem:
    """One piece of waiting work.

    ``title`` says what waits in words the actor may read on the linked page (a person's
    name only where the actor may see that person; employers see no names unless the
    person consented); ``detail`` adds the place, step or organisation; ``due`` is the date
    by which it should be done (``None``: no date). ``label`` names the kind of work where
    the kind of e-mail it shares a setting with says something else (a durable placement to
    confirm is told like a check-in)."""

    kind: str
    title: str
    url: str
    due: date | None = None
    detail: str = ""
    key: str = field(default="", compare=False)
    label: str = field(default="", compare=False)

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()

    @property
    def kind_label(self) -> str:
        return self.label or str(Kind(self.kind).label)


Source = Callable[[Actor], Iterable[InboxItem]]

#: The sources of waiting work; each returns ``[]`` for an actor it does not apply to.
SOURCES = Contributions[Source]("what waits in a person's inbox (Mijn werkvoorraad)")


def _order(item: InboxItem):
    # Overdue first (oldest due date first), then by due date, then items without a date.
    return (not item.overdue, item.due is None, item.due or date.max, str(item.title))


def narrowed(items: list[InboxItem], *, kind: str | None = None, overdue_only: bool = False):
    """Only the items of ``kind``, or only the overdue ones (the filters of page and API)."""
    return [i for i in items if (not kind or i.kind == kind) and (not overdue_only or i.overdue)]


def inbox_for(actor: Actor, *, kind: str | None = None, overdue_only: bool = False):
    """The actor's inbox, overdue work first."""
    items: list[InboxItem] = []
    for source in SOURCES:
        items.extend(source(actor))
    return sorted(narrowed(items, kind=kind, overdue_only=overdue_only), key=_order)
