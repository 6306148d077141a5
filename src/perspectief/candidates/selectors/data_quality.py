"""The data-quality page: how complete and how current the organisation's picture of the
people it serves is, with each count a filter of the person list."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from ..completeness import ITEMS
from ..models import Candidate
from .people import reconfirm_days

#: The fields the data-quality page counts as missing, as filters of the person list.
MISSING = {
    "education": Q(education_level__isnull=True),
    "postcode": Q(postcode__isnull=True),
    "bsn": Q(bsn_index__isnull=True),
    "hours": Q(hours_per_week__isnull=True),
    "readiness": Q(work_readiness=""),
}
MISSING_CHOICES = [
    ("education", _l("no education level")),
    ("postcode", _l("no postcode")),
    ("bsn", _l("no BSN")),
    ("hours", _l("no hours per week")),
    ("readiness", _l("no work-readiness assessment")),
]
#: Completeness bands of the data-quality page: name → (lowest, highest) percentage.
COMPLETENESS_BANDS = {"0-49": (0, 49), "50-79": (50, 79), "80-99": (80, 99), "100": (100, 100)}


def quality_overview(organisation) -> dict:
    """Data quality of the people an organisation serves: how complete and how current."""
    # The people the organisation serves and may list: not merged away, not anonymised.
    people = Candidate.objects.served_by(organisation).filter(
        merged_into__isnull=True, anonymised_at__isnull=True
    )
    total = people.count()
    stale = timezone.now() - timedelta(days=reconfirm_days())
    summary = people.aggregate(avg=Avg("completeness"))
    bands = people.aggregate(
        **{
            band: Count("pk", filter=Q(completeness__gte=low, completeness__lte=high))
            for band, (low, high) in COMPLETENESS_BANDS.items()
        }
    )
    counts = people.aggregate(
        **{f"no_{name}": Count("pk", filter=condition) for name, condition in MISSING.items()},
        reconfirm=Count(
            "pk",
            filter=Q(availability_confirmed_at__isnull=True)
            | Q(availability_confirmed_at__lt=stale),
        ),
        available_now=Count(
            "pk",
            filter=Q(available_from__isnull=True) | Q(available_from__lte=timezone.localdate()),
        ),
    )
    share = {k: (round(100 * v / total) if total else 0) for k, v in counts.items()}
    missing = [
        (label, counts[f"no_{name}"], share[f"no_{name}"], f"served=own&missing={name}")
        for name, label in MISSING_CHOICES
    ]
    missing += [
        (
            _("availability not confirmed in the last %(d)s days") % {"d": reconfirm_days()},
            counts["reconfirm"],
            share["reconfirm"],
            "served=own&availability=reconfirm",
        ),
        (
            _("available now"),
            counts["available_now"],
            share["available_now"],
            "served=own&availability=now",
        ),
    ]
    return {
        "total": total,
        "average": round(summary["avg"] or 0),
        "bands": bands,
        "band_rows": [(band, n, f"served=own&completeness={band}") for band, n in bands.items()],
        "missing": missing,
        "counts": counts,
        "share": share,
        "items": len(ITEMS),
        "reconfirm_days": reconfirm_days(),
    }
