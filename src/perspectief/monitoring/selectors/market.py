"""The labour-market picture of a region: per occupation its open places against the people
who can be matched now and want that occupation, and open places per sector."""

from __future__ import annotations

from django.db.models import Count, F, Sum
from django.utils.translation import gettext_lazy as _

from perspectief.candidates.models import Candidate
from perspectief.core.disclosure import hide, min_cell
from perspectief.vacancies.models import Vacancy


def _open_places(region_id):
    """The region's open places, each with its places still free."""
    return Vacancy.objects.filter(
        postcode__municipality__region_id=region_id, status="open"
    ).annotate(free=F("places") - F("places_filled"))


def _per_occupation(region_id, open_places) -> dict[str, dict]:
    """{occupation uri: {label, places, people}}: places free and people available."""
    by_occupation = {
        r["occupation__uri"]: {"label": r["occupation__label_nl"], "places": r["n"] or 0}
        for r in open_places.exclude(occupation=None)
        .order_by()
        .values("occupation__uri", "occupation__label_nl")
        .annotate(n=Sum("free"))
    }
    people = (
        Candidate.objects.matchable()
        .filter(region_id=region_id)
        .exclude(occupations=None)
        .order_by()
        .values("occupations__uri", "occupations__label_nl")
        .annotate(n=Count("id", distinct=True))
    )
    for r in people:
        row = by_occupation.setdefault(
            r["occupations__uri"], {"label": r["occupations__label_nl"], "places": 0}
        )
        row["people"] = r["n"]
    return by_occupation


def _shown(uri: str, row: dict) -> dict:
    """One occupation's row as it may be shown.

    People per occupation lie below region level: under the threshold they are hidden, and
    so is all that would give them away — whether demand is tight (places 2, x people,
    "tight": 1 person), the ratio and the order of the rows."""
    places, available = row["places"], hide(row.get("people", 0))
    if available is None:
        tight, ratio = (True if places >= min_cell() else None), None
    else:
        tight, ratio = places > available, round(places / available, 1) if available else None
    return {
        "uri": uri,
        "label": row["label"],
        "places": places,
        "people": available,
        "tight": tight,
        "ratio": ratio,
    }


def labour_market(region_id, *, limit: int = 30) -> dict:
    """Per occupation: open places in the region against the people available for it
    (matchable, wanting that occupation), people under the threshold hidden; per sector:
    open places. Tight where there are more places than people (None: not to be told)."""
    open_places = _open_places(region_id)
    rows = [_shown(uri, row) for uri, row in _per_occupation(region_id, open_places).items()]
    rows.sort(key=lambda r: (-(r["places"] + (r["people"] or 0)), r["label"] or ""))
    sectors = (
        open_places.order_by()
        .values("employer__sector__code", "employer__sector__name")
        .annotate(n=Sum("free"))
        .order_by("-n")
    )
    return {
        "occupations": rows[:limit],
        "sectors": [
            (
                s["employer__sector__code"] or "",
                s["employer__sector__name"] or str(_("unknown")),
                s["n"] or 0,
            )
            for s in sectors
        ],
    }
