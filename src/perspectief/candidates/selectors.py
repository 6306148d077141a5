"""Reads of job seekers. Everything goes through Candidate.objects.visible_to(actor); every
person shown is written to the access log with the purpose of the view."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.accounts.constants import Permission, Role
from perspectief.audit import access
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.exceptions import NotFoundError

from .models import Candidate

FULL = "full"
PARTNER = "partner"
SELF = "self"


def reconfirm_days() -> int:
    return settings.CANDIDATE_RECONFIRM_DAYS


def access_level(actor, candidate: Candidate) -> str:
    """Full for the organisations that serve the person; the partner view for others who
    see the person through consent; the person's own view."""
    if actor.role == Role.CANDIDATE:
        return SELF
    served = getattr(candidate, "_served_ids", None)
    if served is None:
        served = set(
            candidate.servings.filter(is_active=True).values_list("organisation_id", flat=True)
        )
    return FULL if actor.organisation.pk in served else PARTNER


def activity_for(level: str) -> str:
    return {
        FULL: ProcessingActivity.CANDIDATE_SERVICE,
        PARTNER: ProcessingActivity.CANDIDATE_PARTNER_VIEW,
        SELF: ProcessingActivity.CANDIDATE_SELF,
    }[level]


def log_read(actor, candidate: Candidate, level: str, operation: str = Operation.READ) -> None:
    access.record_candidate(actor, candidate, activity_for(level), operation)


def candidate_get_for_actor(*, actor, uuid) -> tuple[Candidate, str]:
    """One job seeker and the access level; absent and not visible answer the same."""
    if actor.role != Role.FUNCTIONAL_ADMIN:
        candidate = (
            Candidate.objects.visible_to(actor)
            .select_related("postcode__municipality", "region", "education_level", "klantmanager")
            .filter(uuid=uuid)
            .first()
        )
    else:
        candidate = None  # administrators find people only for the access log
    if candidate is None:
        raise NotFoundError(_("Job seeker not found."))
    level = access_level(actor, candidate)
    log_read(actor, candidate, level)
    return candidate, level


def candidate_list(*, actor, filters: dict | None = None):
    """The job seekers the actor may see, filtered. The caller logs the page it shows."""
    if actor.role == Role.FUNCTIONAL_ADMIN or not actor.has_perm(Permission.VIEW_CANDIDATES):
        return Candidate.objects.none()
    filters = filters or {}
    qs = Candidate.objects.visible_to(actor).select_related(
        "postcode__municipality", "education_level"
    )
    if filters.get("q"):
        term = filters["q"]
        # Names are searched only among the people the actor's organisation serves.
        served = Candidate.objects.served_by(actor.organisation).values("pk")
        qs = qs.filter(
            Q(pk__in=served) & (Q(first_name__icontains=term) | Q(last_name__icontains=term))
        )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("region"):
        qs = qs.filter(region=filters["region"])
    if filters.get("target_group"):
        qs = qs.filter(target_group_rows__group=filters["target_group"])
    if filters.get("occupation"):
        qs = qs.filter(occupations=filters["occupation"])
    if filters.get("organisation"):
        qs = qs.filter(servings__organisation=filters["organisation"], servings__is_active=True)
    if filters.get("max_completeness") is not None:
        qs = qs.filter(completeness__lte=filters["max_completeness"])
    availability = filters.get("availability")
    today = timezone.localdate()
    stale = timezone.now() - timedelta(days=reconfirm_days())
    if availability == "now":
        qs = qs.filter(Q(available_from__isnull=True) | Q(available_from__lte=today))
    elif availability == "later":
        qs = qs.filter(available_from__gt=today)
    elif availability == "reconfirm":
        qs = qs.filter(
            Q(availability_confirmed_at__isnull=True) | Q(availability_confirmed_at__lt=stale)
        )
    return qs.distinct().order_by("last_name", "first_name", "id")


def annotate_access(actor, candidates) -> list[tuple[Candidate, str]]:
    """Access level per candidate for a page of results (one query), and log each person."""
    candidates = list(candidates)
    served = set(
        Candidate.objects.served_by(actor.organisation)
        .filter(pk__in=[c.pk for c in candidates])
        .values_list("pk", flat=True)
    )
    rows = []
    for candidate in candidates:
        level = FULL if candidate.pk in served else PARTNER
        log_read(actor, candidate, level)
        rows.append((candidate, level))
    return rows


def needs_reconfirmation(candidate: Candidate) -> bool:
    confirmed = candidate.availability_confirmed_at
    return confirmed is None or confirmed < timezone.now() - timedelta(days=reconfirm_days())


def age(candidate: Candidate, today: date | None = None) -> int | None:
    if candidate.date_of_birth is None:
        return None
    today = today or timezone.localdate()
    born = candidate.date_of_birth
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def quality_overview(organisation) -> dict:
    """Data quality of the people an organisation serves: how complete and how current."""
    from django.db.models import Avg, Count

    from .completeness import ITEMS

    people = Candidate.objects.served_by(organisation).filter(merged_into__isnull=True)
    total = people.count()
    stale = timezone.now() - timedelta(days=reconfirm_days())
    summary = people.aggregate(avg=Avg("completeness"))
    bands = {"0-49": 0, "50-79": 0, "80-99": 0, "100": 0}
    for value in people.values_list("completeness", flat=True).iterator():
        key = (
            "100"
            if value == 100
            else "80-99"
            if value >= 80
            else "50-79"
            if value >= 50
            else "0-49"
        )
        bands[key] += 1
    counts = people.aggregate(
        no_education=Count("pk", filter=Q(education_level__isnull=True)),
        no_postcode=Count("pk", filter=Q(postcode__isnull=True)),
        no_bsn=Count("pk", filter=Q(bsn_index__isnull=True)),
        no_hours=Count("pk", filter=Q(hours_per_week__isnull=True)),
        no_readiness=Count("pk", filter=Q(work_readiness="")),
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
    return {
        "total": total,
        "average": round(summary["avg"] or 0),
        "bands": bands,
        "counts": counts,
        "share": {k: (round(100 * v / total) if total else 0) for k, v in counts.items()},
        "items": len(ITEMS),
        "reconfirm_days": reconfirm_days(),
    }


def may_change(actor, *, made_by_id: int, candidate_id: int) -> bool:
    """Whether the actor's organisation may change a record it or another organisation made
    about a person (a proposal, a cohort place): the organisation that made it, or one
    that serves the person."""
    if made_by_id == actor.organisation.pk:
        return True
    return Candidate.objects.served_by(actor.organisation).filter(pk=candidate_id).exists()


def _for_access_log(candidate: Candidate):
    from perspectief.audit.constants import SubjectType
    from perspectief.audit.subjects import Person

    servings = ", ".join(s.organisation.name for s in candidate.servings.all() if s.is_active)
    return Person(
        subject_type=SubjectType.CANDIDATE,
        uuid=str(candidate.uuid),
        name=candidate.full_name,
        date_of_birth=candidate.date_of_birth,
        detail=servings,
    )


def describe_for_access_log(actor, uuid: str):
    """How the access-log pages name a job seeker the actor may see (never with the BSN)."""
    candidate = (
        Candidate.objects.visible_to(actor)
        .filter(uuid=uuid)
        .prefetch_related("servings__organisation")
        .first()
    )
    return _for_access_log(candidate) if candidate else None


def find_for_access_request(actor, *, bsn, last_name, first_name, date_of_birth) -> list:
    """Job seekers the actor may see (a functioneel beheerder: the region's) with this BSN —
    exact, through the blind index, never by decrypting — or with this last name and date
    of birth (and first name, when given), compared without case or extra spaces."""
    from perspectief.core import bsn as bsn_lib

    people = Candidate.objects.visible_to(actor)
    if bsn:
        people = people.filter(bsn_index=bsn_lib.blind_index(bsn))
    elif last_name and date_of_birth:
        people = people.filter(
            last_name__iexact=" ".join(last_name.split()), date_of_birth=date_of_birth
        )
        if first_name:
            people = people.filter(first_name__iexact=" ".join(first_name.split()))
    else:
        return []
    people = people.prefetch_related("servings__organisation").order_by("last_name", "id")[:50]
    return [_for_access_log(c) for c in people]
