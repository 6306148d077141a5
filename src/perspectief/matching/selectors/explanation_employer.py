"""The employer's wording of an explanation's sentences (:mod:`.explanation`), under the
same keys as the adviser's: the same facts, the place called the employer's own and the
reader addressed formally ("uw plek"). Only what an employer may see is ever said with
these: never a distance in km (a band), what the person can carry, priority, motivation or
support needs."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

#: Distance bands (upper bound in km, label): an exact distance to a postcode the employer
#: chooses would, from three places, give away where the person lives.
DISTANCE_BANDS = ((5, "< 5 km"), (15, "5-15 km"), (30, "15-30 km"), (None, "> 30 km"))


def distance_band(km: float) -> str:
    for limit, label in DISTANCE_BANDS:
        if limit is None or km < limit:
            return label
    return DISTANCE_BANDS[-1][1]


EMPLOYER_PHRASES: dict[str, Promise] = {
    "distance": pgettext_lazy("employer", "distance to your place: %(band)s"),
    "occupation_none": pgettext_lazy("employer", "your place names no occupation"),
    "occupation_same": pgettext_lazy("employer", "wants the occupation of your place"),
    "occupation_group": pgettext_lazy(
        "employer", "wants an occupation in the same occupational group as your place"
    ),
    "occupation_skills": pgettext_lazy(
        "employer", "has skills you ask that are typical of the occupation of your place"
    ),
    "occupation_other": pgettext_lazy(
        "employer", "did not give the occupation of your place as wanted"
    ),
    "hours_place": pgettext_lazy("employer", "your place is %(hours)s hours a week"),
    "hours_place_part_time": pgettext_lazy(
        "employer", "your place is %(hours)s hours a week, part time from %(min)s hours"
    ),
    "hours_place_unknown": pgettext_lazy("employer", "your place names no hours"),
    "education_place": pgettext_lazy("employer", "your place asks %(level)s or higher"),
    "education_place_none": pgettext_lazy("employer", "your place asks no education level"),
    "language_place": pgettext_lazy("employer", "your place asks %(level)s"),
    "language_place_none": pgettext_lazy("employer", "your place asks no level of Dutch"),
    "essential_none": pgettext_lazy("employer", "your place names no essential skills"),
    "optional_none": pgettext_lazy("employer", "your place names no optional skills"),
    "starts": pgettext_lazy("employer", "your place starts on %(date)s"),
    "taught": pgettext_lazy("employer", "%(n)s you teach on the job"),
}
