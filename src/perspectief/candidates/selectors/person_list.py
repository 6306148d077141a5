"""The list of job seekers an actor may see, in an order and with filters that use only what
the actor sees of each person (docs/privacy.md, "Lists of people shown under a code")."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from perspectief.core.authz import Actor, Permission, Role

from ..models import Candidate, CandidateTargetGroup
from ..query import reconfirmation_due, regional_consent, served_by
from .data_quality import COMPLETENESS_BANDS, MISSING
from .people import FULL, PARTNER, log_read, reconfirm_days

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


def candidate_list(*, actor: Actor, filters: dict | None = None) -> PersonList:
    """The job seekers the actor may see, filtered (see PersonList for the order). The
    caller logs the page it shows."""
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
    elif availability == "due":
        qs = qs.filter(reconfirmation_due())
    return qs


def annotate_access(actor: Actor, candidates) -> list[tuple[Candidate, str]]:
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
