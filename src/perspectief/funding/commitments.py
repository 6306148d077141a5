"""What is committed to a pot: the route steps and plan activities that say this pot pays
them, with the amount each takes.

Funding sits below ``routes`` and ``monitoring``, so it cannot ask their models. It declares
this contribution point instead; each app registers a :class:`Source` in its
``AppConfig.ready()`` (``routes/hooks.py``, ``monitoring/hooks.py``). The committed amount
of a pot is the sum over the sources: computed from the links, never typed in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from perspectief.core.authz import Actor
from perspectief.core.contributions import Contributions


@dataclass(frozen=True)
class Line:
    """One commitment as the pot's page shows it. ``what`` names the step or activity,
    never the person; ``url`` is only given to those who may open it."""

    what: str
    organisation: str
    amount: Decimal
    status: str
    start: date | None = None
    end: date | None = None
    url: str = ""


@dataclass(frozen=True)
class Source:
    """A kind of thing that can be paid from a pot.

    ``totals(pot_ids, region_id)`` returns the euros the region's steps or activities
    commit per pot id (pots without a commitment may be left out): a national pot is drawn
    on by every region, and each region counts its own. ``lines(actor, pot)`` gives the
    commitments of the actor's region to one pot, for its page."""

    label: Any
    totals: Callable[[list[int], int], dict[int, Decimal]]
    lines: Callable[[Actor, Any], list[Line]]


SOURCES: Contributions[Source] = Contributions("funding commitments")


def committed(pot_ids: Iterable[int], *, region_id: int) -> dict[int, Decimal]:
    """The euros the region committed to each pot (every id present, ``0`` when nothing
    is)."""
    ids = list(pot_ids)
    sums = {pot_id: Decimal(0) for pot_id in ids}
    if not ids:
        return sums
    for source in SOURCES:
        for pot_id, amount in source.totals(ids, region_id).items():
            sums[pot_id] = sums.get(pot_id, Decimal(0)) + (amount or Decimal(0))
    return sums
