"""Turning what people type (in forms, API requests and import files) into profile values.

One place for the rules, so the web form, the API and the import agree. Every function
raises ``ValueError`` whose message is translated when it is read: ``str(exc)`` is in the
active language (a form, an API answer), :func:`perspectief.core.refusals.both` gives Dutch
and English (an import rejection keeps both). Postcodes and dates are read by the
foundation's parsers (``core/postcodes.py``, ``core/dates.py``); here is what the profile of
a job seeker adds to them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from perspectief.core import postcodes
from perspectief.core.dates import parse_date
from perspectief.core.refusals import in_language as in_language  # forms: parsing.in_language
from perspectief.core.refusals import refusal
from perspectief.regions import selectors as regions
from perspectief.regions.models import Postcode
from perspectief.taxonomy.constants import (
    DUTCH_CODES,
    SBI_SECTIONS,
    PhysicalLoad,
    Support,
    WorkDemand,
)
from perspectief.taxonomy.models import EducationLevel, Occupation, Skill

from .constants import Benefit

ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"
#: Labels of one kind a :class:`Resolver` looks up one query each; past this many (an import
#: file names hundreds of occupations, a form a few) it reads that kind's labels at once.
LABELS_ONE_BY_ONE = 25
MIN_AGE, MAX_AGE = 14, 100  # a plausible date of birth of a job seeker

#: ``1234 AB``, ``1234AB`` or ``1234`` → the PC4 area (letters are not stored).
postcode = regions.postcode


def birth_date(value: str, *, today: date | None = None) -> date | None:
    """A date as :func:`~perspectief.core.dates.parse_date` reads it (``JJJJ-MM-DD``,
    ``DD-MM-JJJJ`` or ``DD/MM/JJJJ``); a plausible date of birth: not in the future, an age
    of 14 to 100."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        parsed = parse_date(value)
    except ValueError:
        raise refusal(
            _("impossible or unreadable date {value!r} (use YYYY-MM-DD or DD-MM-YYYY)"),
            value=value,
        ) from None
    today = today or date.today()
    if parsed > today:
        raise refusal(_("date of birth {value} is in the future"), value=value)
    age = today.year - parsed.year - ((today.month, today.day) < (parsed.month, parsed.day))
    if age < MIN_AGE:
        raise refusal(
            _("date of birth {value} gives an age of {age}, younger than {limit}"),
            value=value,
            age=age,
            limit=MIN_AGE,
        )
    if age > MAX_AGE:
        raise refusal(
            _("date of birth {value} gives an age of {age}, older than {limit}"),
            value=value,
            age=age,
            limit=MAX_AGE,
        )
    return parsed


#: Bounds of "available from" (docs/import.md): further back is a placeholder or a typing
#: error (1900-01-01), not information; further ahead is beyond any match we would make.
AVAILABLE_YEARS_BACK = 5
AVAILABLE_YEARS_AHEAD = 2


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _within_years(value: date | None, today: date | None, *, ago: Any, ahead: Any):
    """``value`` if it lies at most 5 years back and 2 ahead, else a refusal with the text
    ``ago`` or ``ahead`` (each with ``{date}`` and ``{years}``)."""
    if value is None:
        return None
    today = today or date.today()
    shown = value.strftime("%d-%m-%Y")
    if value < _years_from(today, -AVAILABLE_YEARS_BACK):
        raise refusal(ago, date=shown, years=AVAILABLE_YEARS_BACK)
    if value > _years_from(today, AVAILABLE_YEARS_AHEAD):
        raise refusal(ahead, date=shown, years=AVAILABLE_YEARS_AHEAD)
    return value


def ready_from(value: date | None, *, today: date | None = None) -> date | None:
    """The day a person is (or is expected to be) work-ready: within the bounds of
    "available from" (at most 5 years back, at most 2 ahead)."""
    return _within_years(
        value,
        today,
        ago=_(
            "work-ready from {date} is more than {years} years ago; leave it empty if the "
            "person is work-ready now"
        ),
        ahead=_("work-ready from {date} is more than {years} years ahead"),
    )


def available_from(value: date | None, *, today: date | None = None) -> date | None:
    """A date from which a person is available: at most 5 years back, at most 2 ahead."""
    return _within_years(
        value,
        today,
        ago=_(
            "available from {date} is more than {years} years ago; leave it empty if the "
            "person is available now"
        ),
        ahead=_("available from {date} is more than {years} years ahead"),
    )


def yes_no(value: str) -> bool | None:
    if value is None or not str(value).strip():
        return None
    lowered = str(value).strip().lower()
    if lowered in {"ja", "j", "yes", "y", "1", "true", "waar"}:
        return True
    if lowered in {"nee", "n", "no", "0", "false", "onwaar"}:
        return False
    raise refusal(_("{value!r} is not yes/no"), value=value)


#: The benefits, once (``Benefit.values`` builds a new list every time it is read).
_BENEFITS = frozenset(Benefit.values)


def benefit(value: str) -> str | None:
    if not value or not value.strip():
        return None
    lowered = value.strip().lower()
    aliases = {"participatiewet": "bijstand", "nug": "geen", "geen uitkering": "geen"}
    lowered = aliases.get(lowered, lowered)
    if lowered not in _BENEFITS:
        raise refusal(
            _("unknown benefit {value!r} (one of {choices})"),
            value=value,
            choices=", ".join(Benefit.values),
        )
    return lowered


def hours(value: str) -> int | None:
    if value is None or not str(value).strip():
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise refusal(_("{value!r} is not a number of hours"), value=value) from None
    if not 0 <= number <= 60 or number != int(number):
        raise refusal(_("hours per week {value} outside 0-60"), value=value)
    return int(number)


def _code(value: str, allowed) -> str | None:
    """A code as typed in a file: the code itself or its Dutch word, any letter case, spaces
    or hyphens for underscores."""
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    key = DUTCH_CODES.get(key, key)
    for code in allowed:
        if code.lower() == key:
            return code
    return None


def physical_load(value: str) -> str | None:
    """``licht``, ``middel`` or ``zwaar`` (or ``light``, ``medium``, ``heavy``)."""
    if not value or not value.strip():
        return None
    found = _code(value, PhysicalLoad.values)
    if found is None:
        raise refusal(
            _("unknown physical load {value!r} (light, medium or heavy)"), value=value.strip()
        )
    return found


def _codes(value: str, allowed, unknown_message) -> list[str]:
    parts = [p.strip() for p in re.split(r"[;,|]", value or "") if p.strip()]
    found, unknown = [], []
    for part in parts:
        code = _code(part, allowed)
        if code is None:
            unknown.append(part)
        elif code not in found:
            found.append(code)
    if unknown:
        raise refusal(unknown_message, value=", ".join(unknown), choices=", ".join(allowed))
    return found


def sectors(value: str) -> list[str]:
    """SBI sections (one letter each), separated by ``;`` or ``,``."""
    return _codes(
        value, SBI_SECTIONS, _("unknown sector {value} (an SBI section: one letter, e.g. G or Q)")
    )


def support(value: str) -> list[str]:
    """Kinds of support at work (``adjusted``, ``jobcoach``, ``flexible_hours``)."""
    return _codes(value, Support.values, _("unknown support {value} (one of {choices})"))


def work_demands(value: str) -> list[str]:
    """Work demands (``heavy_lifting``, ``night_shifts``, …)."""
    return _codes(value, WorkDemand.values, _("unknown work demand {value} (one of {choices})"))


class Resolver:
    """Looks up education levels, occupations and skills by code, URI or Dutch/English label.

    Caches what it found, so an import of 100,000 rows asks the database once per value,
    and past :data:`LABELS_ONE_BY_ONE` labels of a kind once for all of that kind's labels."""

    def __init__(self):
        self._levels = None
        self._postcodes = None
        self._occupations: dict[str, Occupation | None] = {}
        self._skills: dict[str, Skill | None] = {}
        self._asked: dict[type, int] = {}
        self._labels: dict[type, tuple[dict[str, Any], set[str]]] = {}

    def postcode(self, value: str) -> Postcode | None:
        """Like :func:`postcode`, with all PC4 areas loaded once (4,086 rows)."""
        return postcodes.find(value, self._postcode_area)

    def _postcode_area(self, code: str) -> Postcode | None:
        if self._postcodes is None:
            self._postcodes = regions.all_postcodes()
        return self._postcodes.get(code)

    def education_level(self, value: str) -> EducationLevel | None:
        if not value or not value.strip():
            return None
        if self._levels is None:
            self._levels = {}
            for level in EducationLevel.objects.all():
                self._levels[level.code.lower()] = level
                self._levels[level.name.lower()] = level
        key = value.strip().lower().replace(" ", "")
        level = self._levels.get(key) or self._levels.get(value.strip().lower())
        if level is None:
            raise refusal(_("unknown education level {value!r} (e.g. MBO2, HAVO)"), value=value)
        return level

    def _concept(self, model, cache, prefix, value, unknown):
        key = value.strip()
        if key.lower() in cache:
            found = cache[key.lower()]
        else:
            if key.startswith("http"):
                found = model.objects.filter(uri=key).first()
            else:
                found = self._by_label(model, key)
            cache[key.lower()] = found
        if found is None:
            raise refusal(unknown, value=key)
        return found

    def _by_label(self, model, key: str):
        """The concept whose Dutch or English label is ``key`` in any case, the first made
        when several are — as the database's ``iexact`` finds it. One query per label at
        first; past :data:`LABELS_ONE_BY_ONE` of the kind, from all its labels read once,
        for a key in plain ASCII (any database folds the case of those letters the same
        way). Other keys are still asked one by one: how ``é``, ``ß`` or a ligature fold
        differs between PostgreSQL's ``UPPER``, SQLite's ``LIKE`` and Python."""
        labels = self._labels.get(model)
        if labels is None and self._asked.get(model, 0) >= LABELS_ONE_BY_ONE:
            labels = self._labels[model] = _ascii_labels(model)
        if labels is None or not key.isascii() or key.upper() in labels[1]:
            self._asked[model] = self._asked.get(model, 0) + 1
            return (
                model.objects.filter(Q(label_nl__iexact=key) | Q(label_en__iexact=key))
                .order_by("id")
                .first()
            )
        return labels[0].get(key.upper())

    def occupations(self, value: str) -> list[Occupation]:
        return [
            self._concept(
                Occupation,
                self._occupations,
                ESCO_OCCUPATION,
                part,
                _("unknown occupation {value!r}"),
            )
            for part in _split(value)
        ]

    def skills(self, value: str) -> list[Skill]:
        return [
            self._concept(Skill, self._skills, ESCO_SKILL, part, _("unknown skill {value!r}"))
            for part in _split(value)
        ]


def _ascii_labels(model) -> tuple[dict[str, Any], set[str]]:
    """The concepts by uppercased label, for labels in plain ASCII (the first made where
    several share one); and the uppercased forms that a label outside ASCII could also
    take (``ı`` and ``ſ`` uppercase to ASCII letters): a key of those is asked the database."""
    found: dict[str, Any] = {}
    doubtful: set[str] = set()
    for concept in model.objects.only("uri", "label_nl", "label_en").order_by("id"):
        for label in (concept.label_nl, concept.label_en):
            if label and label.isascii():
                found.setdefault(label.upper(), concept)
            elif label and label.upper().isascii():
                doubtful.add(label.upper())
    return found, doubtful


def _split(value: str) -> list[str]:
    if not value:
        return []
    return [part.strip() for part in re.split(r"[;|]", value) if part.strip()]


class ParsingSerializerMixin:
    """Gives a serializer a per-request look-up cache and turns the parsers' ValueError into
    a field error (in the request's language: the message is translated when read)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolver = Resolver()

    @staticmethod
    def _parse(parser, value):
        try:
            return parser(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
