"""What an employer may see of a job seeker, in pages, API and exports alike.

The employer gets a *projection*, never the record: an allowlist of fields under the
employer's own pseudonym for the person (a keyed hash of employer and person, different for
every employer). Name and contact details join the projection only while the person's
consent to be introduced to *this* employer is active; a BSN, date of birth, address,
target groups and anything about health never do. Every profile shown is written to the
access log; searches are rate-limited per employer and audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity, SubjectType
from perspectief.candidates.constants import ConsentScope
from perspectief.candidates.models import Candidate, CandidateSkill, Consent
from perspectief.core import ratelimit
from perspectief.core.authz import Actor, Role
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError, RateLimitedError
from perspectief.core.logging import kv
from perspectief.core.pseudonyms import pseudonym
from perspectief.organisations.models import EmployerAccount

from ..models import EmployerPseudonym
from .explanation_employer import DISTANCE_BANDS as DISTANCE_BANDS
from .explanation_employer import distance_band

security_log = logging.getLogger("perspectief.security")

#: Letters that cannot be mistaken for one another when read out on the phone.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

#: Profiles per page of an employer's search.
PAGE_SIZE = 20

#: The employer's inbox item for a proposal waiting for its answer (``matching/inbox.py``):
#: by the code the employer knows the person by, never a name. Here, with the employer's
#: other words, because employers are addressed formally.
WAITING_FOR_ANSWER = gettext_lazy("Candidate %(code)s for %(place)s waits for your answer")
MORE_WAITING = ngettext_lazy(
    "%(count)d more candidate waits for your answer",
    "%(count)d more candidates wait for your answer",
    "count",
)


def code_for(employer: EmployerAccount, candidate: Candidate, attempt: int = 0) -> str:
    """The employer's pseudonym for the person, e.g. ``K-7QX3-M2PA``. ``attempt`` > 0 only
    after two people of one employer collided (40 bits; not expected in practice)."""
    parts = [str(employer.uuid), str(candidate.uuid)] + ([str(attempt)] if attempt else [])
    number = int(pseudonym("employer-candidate", *parts), 16)
    chars = []
    for _i in range(8):
        number, rest = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[rest])
    return "K-" + "".join(chars[:4]) + "-" + "".join(chars[4:])


def codes_for(employer: EmployerAccount, candidates) -> dict[int, str]:
    """Pseudonyms for many people, stored so that the employer's links can name them."""
    candidates = list(candidates)
    known = dict(
        EmployerPseudonym.objects.filter(
            employer=employer, candidate__in=[c.pk for c in candidates]
        ).values_list("candidate_id", "code")
    )
    for attempt in range(5):
        missing = [c for c in candidates if c.pk not in known]
        if not missing:
            break
        EmployerPseudonym.objects.bulk_create(
            [
                EmployerPseudonym(
                    employer=employer, candidate=c, code=code_for(employer, c, attempt)
                )
                for c in missing
            ],
            ignore_conflicts=True,
        )
        # Read back what was stored: a row dropped on a code collision is tried again.
        known.update(
            EmployerPseudonym.objects.filter(
                employer=employer, candidate__in=[c.pk for c in missing]
            ).values_list("candidate_id", "code")
        )
    return known


def employer_of(actor: Actor) -> EmployerAccount:
    """The employer account of an employer user; others are not employers."""
    if actor is None or actor.role != Role.EMPLOYER:
        raise PermissionDeniedError()
    account = EmployerAccount.objects.filter(organisation_id=actor.organisation.pk).first()
    if account is None:
        raise NotFoundError(_("Employer not found."))
    return account


def introduced_ids(employer: EmployerAccount, candidate_ids) -> set[int]:
    """The people with an active consent to be introduced to this employer."""
    return set(
        Consent.objects.active(ConsentScope.INTRODUCTION)
        .filter(employer=employer, candidate_id__in=list(candidate_ids))
        .values_list("candidate_id", flat=True)
    )


def with_profile_data(queryset):
    return queryset.select_related("education_level", "postcode__municipality").prefetch_related(
        "occupations",
        Prefetch("skills", queryset=CandidateSkill.objects.select_related("skill")),
    )


def profile(candidate: Candidate, *, code: str, named: bool, vacancy=None) -> dict:
    """The allowlisted projection. This dict is all a template, serializer or export of the
    employer side ever gets."""
    distance = None
    if vacancy is not None and candidate.postcode is not None and vacancy.postcode_id:
        distance = distance_band(candidate.postcode.distance_km(vacancy.postcode))
    data = {
        "pseudonym": code,
        "occupations": sorted(o.label for o in candidate.occupations.all()),
        "skills": sorted(s.skill.label for s in candidate.skills.all()),
        # The same, each marked when it has only an English label (ESCO gave no Dutch one).
        "skillLabels": [
            {"label": label, "englishOnly": english}
            for label, english in sorted(
                (s.skill.label, s.skill.label_is_english) for s in candidate.skills.all()
            )
        ],
        # For the page: one remark instead of one per skill when all are English.
        "skillsAllEnglish": bool(candidate.skills.all())
        and all(s.skill.label_is_english for s in candidate.skills.all()),
        "educationLevel": candidate.education_level.name if candidate.education_level else "",
        "dutchLevel": candidate.get_dutch_level_display() if candidate.dutch_level else "",
        "drivingLicence": candidate.driving_licence,
        "hoursPerWeek": candidate.hours_per_week,
        "availableFrom": candidate.available_from,
        "workReadiness": (
            candidate.get_work_readiness_display() if candidate.work_readiness else ""
        ),
        "municipality": candidate.postcode.municipality.name if candidate.postcode else "",
        "distance": distance,
        "introduced": named,
        "name": "",
        "email": "",
        "phone": "",
    }
    if named:
        data.update(name=candidate.full_name, email=candidate.email, phone=candidate.phone)
    return data


def _log_shown(actor: Actor, candidate, named: bool, operation=Operation.READ) -> None:
    access.record(
        actor=actor,
        activity=(
            ProcessingActivity.EMPLOYER_INTRODUCTION
            if named
            else ProcessingActivity.EMPLOYER_ANONYMOUS_VIEW
        ),
        subject_type=SubjectType.CANDIDATE,
        subject_id=candidate.uuid,
        operation=Operation.DISCLOSE if named else operation,
    )


def profiles_for(actor: Actor, employer, candidates, *, vacancy=None, operation=Operation.READ):
    """Projections for people the caller already knows the employer may see; each logged."""
    candidates = list(candidates)
    codes = codes_for(employer, candidates)
    named = introduced_ids(employer, [c.pk for c in candidates])
    result = {}
    for candidate in candidates:
        result[candidate.pk] = profile(
            candidate, code=codes[candidate.pk], named=candidate.pk in named, vacancy=vacancy
        )
        _log_shown(actor, candidate, candidate.pk in named, operation)
    return result


# --- searching the region's anonymous profiles -------------------------------------------------


def search_pool(employer: EmployerAccount):
    """People an employer may find: current, available, and with an active (double opt-in)
    consent for a regional profile in the employer's region."""
    return Candidate.objects.matchable().with_regional_consent(employer.organisation.region_id)


@dataclass
class SearchResult:
    profiles: list[dict]
    total: int


def _limit(actor: Actor, employer, scope, limit, window, cost=1):
    subject = str(employer.uuid)
    if not ratelimit.consume(scope, subject, limit=limit, window=window, cost=cost):
        security_log.warning(
            kv(
                "employer.rate_limited",
                scope=scope,
                employer=str(employer.uuid),
                user=actor.user.pk,
            )
        )
        audit.record(
            "employer.search_limited",
            actor=actor,
            target=employer,
            changes={"limit": [None, scope]},
        )
        raise RateLimitedError(
            _(
                "Your organisation has reached the limit of searches and profiles for now. "
                "Try again later, or ask your contact at the Werkgeversservicepunt."
            )
        )


def limit_search(actor: Actor, employer) -> None:
    """Count one search against the employer's hourly limit (or refuse)."""
    _limit(actor, employer, "employer-search", settings.EMPLOYER_SEARCHES_PER_HOUR, 3600)


def charge_profiles(actor: Actor, employer, count: int) -> None:
    """Count ``count`` profiles shown against the employer's daily limit (or refuse)."""
    if count:
        _limit(
            actor,
            employer,
            "employer-profiles",
            settings.EMPLOYER_PROFILES_PER_DAY,
            86400,
            cost=count,
        )


#: The order of search results: only what the profile shows decides it (available soonest
#: first; unknown counts as now), then the person's code, which is a keyed hash and says
#: nothing about them. Never completeness: it counts the date of birth, contact details and
#: benefit, which an employer does not see.
SEARCH_ORDER = (F("available_from").asc(nulls_first=True), "label", "id")


def profile_filters(qs, filters: dict):
    """The search's filters on what the profile shows: gemeente, hours, driving licence."""
    if filters.get("municipality"):
        qs = qs.filter(postcode__municipality__code=filters["municipality"])
    if filters.get("hours"):
        qs = qs.filter(hours_per_week__gte=filters["hours"])
    if filters.get("driving_licence"):
        qs = qs.filter(driving_licence=True)
    return qs


def search(*, actor: Actor, filters: dict) -> SearchResult:
    """Search anonymous profiles. Counts one search per call and one view per profile
    shown against the employer's limits; audits the filters, logs every profile shown."""
    employer = employer_of(actor)
    limit_search(actor, employer)
    qs = search_pool(employer)
    if filters.get("occupation"):
        term = filters["occupation"]
        qs = qs.filter(
            Q(occupations__label_nl__icontains=term) | Q(occupations__label_en__icontains=term)
        )
    if filters.get("skill"):
        term = filters["skill"]
        qs = qs.filter(
            Q(skills__skill__label_nl__icontains=term) | Q(skills__skill__label_en__icontains=term)
        )
    ids = profile_filters(qs, filters).values("pk").distinct()
    base = Candidate.objects.filter(pk__in=ids)
    total = base.count()
    page = list(with_profile_data(base.order_by(*SEARCH_ORDER))[:PAGE_SIZE])
    charge_profiles(actor, employer, len(page))
    shown = profiles_for(actor, employer, page)
    audit.record(
        "employer.searched",
        actor=actor,
        target=employer,
        changes={
            "filters": [None, {k: v for k, v in filters.items() if v not in (None, "", False)}],
            "shown": [None, len(page)],
        },
    )
    return SearchResult(profiles=[shown[c.pk] for c in page], total=total)


def candidate_by_code(employer: EmployerAccount, code: str) -> Candidate:
    """The person behind this employer's pseudonym, if still in the employer's pool."""
    row = EmployerPseudonym.objects.filter(employer=employer, code=(code or "").strip()).first()
    if row is None:
        raise NotFoundError(_("Job seeker not found."))
    found = search_pool(employer).filter(pk=row.candidate_id).first()
    if found is None:
        raise NotFoundError(_("Job seeker not found."))
    return found
