"""What higher apps add to the processes of places (registered in their ``ready()``).

A place's fill and its intake plan count the hires recorded against it, but hires are
proposals, which ``matching`` (a higher layer) keeps. So this module declares the point
:data:`PLACE_HIRES` and ``matching/hooks.py`` registers the function that answers it; the
services and selectors of places call :func:`perspectief.vacancies.selectors.places.hires`
without knowing who keeps the hires.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from perspectief.core.contributions import Contributions

if TYPE_CHECKING:
    from .models import Vacancy


@dataclass(frozen=True)
class Hire:
    """One hire recorded against a place: who, when they start work (if known) and when the
    hire was recorded."""

    candidate_id: int
    start_date: date | None
    recorded_at: datetime | None


#: ``hires(vacancy)`` → the hires recorded against the place (its platform share of the fill).
PLACE_HIRES: Contributions[Callable[[Vacancy], Iterable[Hire]]] = Contributions(
    "vacancies.place_hires"
)
