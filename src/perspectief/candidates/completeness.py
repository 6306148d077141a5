"""How complete a profile is, and what is missing (shown to the klantmanager).

The Kandidatenverkenner failed because 42% of profiles had no education level: here every
profile carries a score and the list of what to ask next."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

#: (label, test) — each item counts equally.
ITEMS = (
    (_("date of birth"), lambda c: c.date_of_birth is not None),
    (_("postcode"), lambda c: c.postcode_id is not None),
    (_("email address or phone"), lambda c: bool(c.email or c.phone)),
    (_("benefit"), lambda c: bool(c.benefit)),
    (_("education level"), lambda c: c.education_level_id is not None),
    (_("Dutch language level"), lambda c: bool(c.dutch_level)),
    (_("driving licence"), lambda c: c.driving_licence is not None),
    (_("hours per week"), lambda c: c.hours_per_week is not None),
    (_("available from"), lambda c: c.available_from is not None),
    (_("maximum travel distance"), lambda c: c.max_travel_km is not None),
    (_("wanted occupation"), lambda c: c.pk is not None and c.occupations.exists()),
    (_("skills"), lambda c: c.pk is not None and c.skills.exists()),
    (_("work-readiness"), lambda c: bool(c.work_readiness)),
    (_("capacity for work"), lambda c: bool(c.capacity)),
)


def missing(candidate) -> list[str]:
    return [str(label) for label, test in ITEMS if not test(candidate)]


def completeness_of(candidate) -> int:
    """Percentage of the profile items that are filled in (0-100)."""
    filled = sum(1 for _label, test in ITEMS if test(candidate))
    return round(100 * filled / len(ITEMS))
