"""The Werkgeversservicepunt (WSP): how it answers employers' requests, and how the bulk
requests of the region are filled, from the records."""

from __future__ import annotations

import statistics
from datetime import date

from django.db.models import Sum

from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import Proposal
from perspectief.vacancies.constants import OutsideReason
from perspectief.vacancies.models import EmployerRequest, OutsideFill, Vacancy


def _bulk_filled(region_id, day: date) -> dict:
    """Places and places filled of the region's bulk requests as they stood at the end of
    ``day``, from the records: the hires against them by their start of work, and apart the
    places filled outside the platform by the day they were filled, per reason."""
    requests = Vacancy.objects.filter(
        postcode__municipality__region_id=region_id,
        phases__isnull=False,
        created_at__date__lte=day,
    ).distinct()
    places = sum(requests.values_list("places", flat=True))
    ids = requests.values("pk")
    via = Proposal.objects.filter(
        vacancy__in=ids, status=ProposalStatus.HIRED, start_date__lte=day
    ).count()
    reasons = (
        OutsideFill.objects.filter(vacancy__in=ids, filled_on__lte=day)
        .order_by()
        .values("reason")
        .annotate(n=Sum("places"))
        .order_by("-n", "reason")
    )
    by_reason = [(OutsideReason(r["reason"]).label, r["n"]) for r in reasons]
    outside = sum(n for _label, n in by_reason)
    return {
        "places": places,
        "filled": via + outside,
        "via_platform": via,
        "outside": outside,
        "outside_reasons": by_reason,
    }


def wsp(region_id, start: date, end: date) -> dict:
    """The Werkgeversservicepunt: response to employers' requests (first contact within the
    promised time) in the period, and the fill rate of bulk requests at its end."""
    requests = EmployerRequest.objects.filter(
        region_id=region_id, created_at__date__gte=start, created_at__date__lte=end
    )
    answered = [
        (contact - r.created_at, contact <= r.due_at)
        for r in requests.exclude(first_contact_at=None).only(
            "created_at", "first_contact_at", "due_at"
        )
        if (contact := r.first_contact_at) is not None  # the query left out the others
    ]
    hours = [delta.total_seconds() / 3600 for delta, _on_time in answered]
    bulk = _bulk_filled(region_id, end)
    return {
        "requests": requests.count(),
        "answered": len(answered),
        "on_time": sum(1 for _d, on_time in answered if on_time),
        "median_hours": round(statistics.median(hours), 1) if hours else None,
        "bulk_places": bulk["places"] or 0,
        "bulk_filled": bulk["filled"] or 0,
        "bulk_via_platform": bulk["via_platform"],
        "bulk_outside": bulk["outside"],
        "bulk_outside_reasons": bulk["outside_reasons"],
        "bulk_fill_rate": round(100 * (bulk["filled"] or 0) / bulk["places"])
        if bulk["places"]
        else None,
    }
