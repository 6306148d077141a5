"""Reads of job seekers. Everything goes through Candidate.objects.visible_to(actor); every
person shown is written to the access log with the purpose of the view."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from perspectief.audit import access
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Permission, Role
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


#: Filters on what a partner may see of a shared regional profile (see the partner view in
#: api.PARTNER_FIELDS and the detail page); every other filter narrows the organisation's own
#: people only, so that it cannot tell which codes carry a hidden value.
PARTNER_FILTERS = frozenset({"q", "status", "region", "occupation", "organisation"})
PARTNER_AVAILABILITY = frozenset({"now", "later"})


class PersonList:
    """The job seekers an actor may see, as one list in an order that uses only what the
    actor sees of each: first the people the actor's organisation serves, by name; then the
    region's shared profiles the organisation does not serve, by their code (the name is
    hidden, so it may not decide the order).

    Works as a Paginator's object list: ``count()`` and slices are bounded queries (a COUNT
    and a LIMIT/OFFSET read in index order per part), so a page costs the same whatever the
    caseload. Each person comes with ``list_level`` (FULL or PARTNER)."""

    ordered = True  # for the Paginator: the order is fixed

    def __init__(self, own, regional):
        self.own, self.regional = own, regional
        self._counts = None

    def apply(self, fn) -> PersonList:
        """The same list with ``fn`` applied to each part (select_related, prefetch)."""
        return PersonList(fn(self.own), fn(self.regional))

    def _count_parts(self) -> tuple[int, int]:
        if self._counts is None:
            self._counts = (self.own.count(), self.regional.count())
        return self._counts

    def count(self) -> int:
        return sum(self._count_parts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            rows = self[index : index + 1]
            if not rows:
                raise IndexError(index)
            return rows[0]
        start, stop = index.start or 0, index.stop
        own_count, _regional_count = self._count_parts()
        if stop is None:
            stop = self.count()
        rows = []
        if start < own_count:
            rows += _with_level(self.own[start : min(stop, own_count)], FULL)
        if stop > own_count:
            rows += _with_level(
                self.regional[max(start - own_count, 0) : stop - own_count], PARTNER
            )
        return rows


def _with_level(queryset, level) -> list[Candidate]:
    rows = list(queryset)
    for candidate in rows:
        candidate.list_level = level
    return rows


def candidate_list(*, actor, filters: dict | None = None) -> PersonList:
    """The job seekers the actor may see, filtered (see PersonList for the order). The
    caller logs the page it shows."""
    from .query import regional_consent, served_by

    if actor.role == Role.FUNCTIONAL_ADMIN or not actor.has_perm(Permission.VIEW_CANDIDATES):
        none = Candidate.objects.none()
        return PersonList(none, none)
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    current = Candidate.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
    own = current.filter(served_by(actor.organisation.pk))
    regional = current.filter(regional_consent(actor.region_id)).exclude(
        served_by(actor.organisation.pk)
    )
    hidden = set(filters) - PARTNER_FILTERS
    if filters.get("availability") in PARTNER_AVAILABILITY:
        hidden.discard("availability")
    if hidden:
        regional = regional.none()
    own = _filtered(own, filters, names=True)
    regional = _filtered(regional, filters, names=False)
    related = ("postcode__municipality", "education_level")
    return PersonList(
        own.select_related(*related).order_by("last_name", "first_name", "id"),
        regional.select_related(*related).order_by("label", "id"),
    )


def _filtered(qs, filters: dict, *, names: bool):
    """Filters as EXISTS subqueries (never a join that repeats a person). The search term
    matches names among the organisation's own people and the code elsewhere."""
    from django.db.models import Exists, OuterRef

    from .models import CandidateTargetGroup
    from .query import served_by

    if filters.get("q"):
        term = filters["q"].strip()
        if names:
            qs = qs.filter(
                Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(label__iexact=term)
            )
        else:
            qs = qs.filter(label__icontains=term)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("region"):
        qs = qs.filter(region=filters["region"])
    if filters.get("target_group"):
        qs = qs.filter(
            Exists(
                CandidateTargetGroup.objects.filter(
                    candidate_id=OuterRef("pk"), group=filters["target_group"]
                )
            )
        )
    if filters.get("occupation"):
        through = Candidate.occupations.through
        qs = qs.filter(
            Exists(
                through.objects.filter(
                    candidate_id=OuterRef("pk"), occupation_id=filters["occupation"].pk
                )
            )
        )
    if filters.get("organisation"):
        qs = qs.filter(served_by(filters["organisation"].pk))
    if filters.get("max_completeness") is not None:
        qs = qs.filter(completeness__lte=filters["max_completeness"])
    # What the data-quality page counts: the organisation's own people only. "served",
    # "missing" and "completeness" are not PARTNER_FILTERS, so the regional part is empty
    # (filtering a partner's people on a field the actor may not see would reveal it).
    if filters.get("missing") in MISSING:
        qs = qs.filter(MISSING[filters["missing"]])
    if filters.get("completeness") in COMPLETENESS_BANDS:
        low, high = COMPLETENESS_BANDS[filters["completeness"]]
        qs = qs.filter(completeness__gte=low, completeness__lte=high)
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
    return qs


def annotate_access(actor, candidates) -> list[tuple[Candidate, str]]:
    """Access level per candidate for a page of results, and log each person. A PersonList
    page knows the levels already; other lists cost one query."""
    candidates = list(candidates)
    unknown = [c.pk for c in candidates if getattr(c, "list_level", None) is None]
    served = set()
    if unknown:
        served = set(
            Candidate.objects.served_by(actor.organisation)
            .filter(pk__in=unknown)
            .values_list("pk", flat=True)
        )
    rows = []
    for candidate in candidates:
        level = getattr(candidate, "list_level", None) or (
            FULL if candidate.pk in served else PARTNER
        )
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
    from django.db.models import Avg, Count

    from .completeness import ITEMS

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


def may_change(actor, *, made_by_id: int, candidate_id: int) -> bool:
    """Whether the actor's organisation may change a record it or another organisation made
    about a person (a proposal, a cohort place): the organisation that made it, or one
    that serves the person."""
    if made_by_id == actor.organisation.pk:
        return True
    return Candidate.objects.served_by(actor.organisation).filter(pk=candidate_id).exists()


def placed_without_hire(candidate: Candidate) -> bool:
    """*Geplaatst* with no recorded hire behind it (set by hand before that was refused, or
    carried over from before transitions were kept): not counted as a match until the hire
    is recorded."""
    from .constants import JourneyStatus, TransitionCause

    if candidate.status != JourneyStatus.PLACED:
        return False
    last = (
        candidate.journey.filter(to_status=JourneyStatus.PLACED)
        .order_by("-occurred_on", "-id")
        .first()
    )
    return last is None or last.cause != TransitionCause.HIRE


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
        people = people.filter(bsn_index__in=bsn_lib.blind_indexes(bsn))  # during a rotation too
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
