"""Turning what people type (in forms and import files) into profile values.

One place for the rules, so the web form, the API and the import agree. Every function
raises ``ValueError`` with a message in Dutch and English (``"nl / en"``)."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db.models import Q

from perspectief.regions.models import Postcode
from perspectief.taxonomy.models import EducationLevel, Occupation, Skill

from .constants import Benefit

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")
ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"
MIN_AGE, MAX_AGE = 14, 100  # a plausible date of birth of a job seeker


def postcode(value: str) -> Postcode | None:
    """``1234 AB``, ``1234AB`` or ``1234`` → the PC4 area (letters are not stored)."""
    if not value or not value.strip():
        return None
    match = POSTCODE_RE.match(value)
    if not match:
        raise ValueError(
            f"ongeldige postcode {value!r} (gebruik 1234 AB) / "
            f"invalid postcode {value!r} (use 1234 AB)"
        )
    found = Postcode.objects.select_related("municipality__region").filter(code=match[1]).first()
    if found is None:
        raise ValueError(f"onbekende postcode {match[1]} / unknown postcode {match[1]}")
    return found


def birth_date(value: str, *, today: date | None = None) -> date | None:
    """``JJJJ-MM-DD`` or ``DD-MM-JJJJ``; a plausible date of birth: not in the future, an
    age of 14 to 100."""
    if not value or not value.strip():
        return None
    value = value.strip()
    parsed = None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(value, fmt).date()
            break
        except ValueError:
            continue
    if parsed is None:
        raise ValueError(
            f"onmogelijke of onleesbare datum {value!r} (gebruik JJJJ-MM-DD of DD-MM-JJJJ) / "
            f"impossible or unreadable date {value!r} (use YYYY-MM-DD or DD-MM-YYYY)"
        )
    today = today or date.today()
    if parsed > today:
        raise ValueError(
            f"geboortedatum {value} ligt in de toekomst / date of birth {value} is in the future"
        )
    age = today.year - parsed.year - ((today.month, today.day) < (parsed.month, parsed.day))
    if age < MIN_AGE:
        raise ValueError(
            f"geboortedatum {value} geeft een leeftijd van {age}; dat is jonger dan {MIN_AGE} / "
            f"date of birth {value} gives an age of {age}, younger than {MIN_AGE}"
        )
    if age > MAX_AGE:
        raise ValueError(
            f"geboortedatum {value} geeft een leeftijd van {age}; dat is ouder dan {MAX_AGE} / "
            f"date of birth {value} gives an age of {age}, older than {MAX_AGE}"
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


def available_from(value: date | None, *, today: date | None = None) -> date | None:
    """A date from which a person is available: at most 5 years back, at most 2 ahead."""
    if value is None:
        return None
    today = today or date.today()
    shown = value.strftime("%d-%m-%Y")
    if value < _years_from(today, -AVAILABLE_YEARS_BACK):
        raise ValueError(
            f"beschikbaar vanaf {shown} ligt meer dan {AVAILABLE_YEARS_BACK} jaar terug; laat "
            "het leeg als de persoon nu beschikbaar is / "
            f"available from {shown} is more than {AVAILABLE_YEARS_BACK} years ago; leave it "
            "empty if the person is available now"
        )
    if value > _years_from(today, AVAILABLE_YEARS_AHEAD):
        raise ValueError(
            f"beschikbaar vanaf {shown} ligt meer dan {AVAILABLE_YEARS_AHEAD} jaar vooruit / "
            f"available from {shown} is more than {AVAILABLE_YEARS_AHEAD} years ahead"
        )
    return value


def in_language(message: str) -> str:
    """The half of a ``"nl / en"`` message for the active language."""
    from django.utils.translation import get_language

    nl, _sep, en = str(message).partition(" / ")
    return en if en and (get_language() or "nl").startswith("en") else nl


def yes_no(value: str) -> bool | None:
    if value is None or not str(value).strip():
        return None
    lowered = str(value).strip().lower()
    if lowered in {"ja", "j", "yes", "y", "1", "true", "waar"}:
        return True
    if lowered in {"nee", "n", "no", "0", "false", "onwaar"}:
        return False
    raise ValueError(f"{value!r} is geen ja/nee / {value!r} is not yes/no")


def benefit(value: str) -> str | None:
    if not value or not value.strip():
        return None
    lowered = value.strip().lower()
    aliases = {"participatiewet": "bijstand", "nug": "geen", "geen uitkering": "geen"}
    lowered = aliases.get(lowered, lowered)
    if lowered not in Benefit.values:
        raise ValueError(
            f"onbekende uitkering {value!r} (kies {', '.join(Benefit.values)}) / "
            f"unknown benefit {value!r}"
        )
    return lowered


def hours(value: str) -> int | None:
    if value is None or not str(value).strip():
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"{value!r} is geen aantal uren / is not a number of hours") from None
    if not 0 <= number <= 60 or number != int(number):
        raise ValueError(
            f"uren per week {value} valt buiten 0-60 / hours per week {value} outside 0-60"
        )
    return int(number)


class Resolver:
    """Looks up education levels, occupations and skills by code, URI or Dutch/English label.

    Caches what it found, so an import of 100,000 rows asks the database once per value."""

    def __init__(self):
        self._levels = None
        self._postcodes = None
        self._occupations: dict[str, Occupation | None] = {}
        self._skills: dict[str, Skill | None] = {}

    def postcode(self, value: str) -> Postcode | None:
        """Like :func:`postcode`, with all PC4 areas loaded once (4,086 rows)."""
        if not value or not value.strip():
            return None
        match = POSTCODE_RE.match(value)
        if not match:
            return postcode(value)  # raises the precise message
        if self._postcodes is None:
            self._postcodes = {
                p.code: p for p in Postcode.objects.select_related("municipality__region")
            }
        found = self._postcodes.get(match[1])
        if found is None:
            raise ValueError(f"onbekende postcode {match[1]} / unknown postcode {match[1]}")
        return found

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
            raise ValueError(
                f"onbekend opleidingsniveau {value!r} (bijvoorbeeld MBO2, HAVO) / "
                f"unknown education level {value!r} (e.g. MBO2, HAVO)"
            )
        return level

    def _concept(self, model, cache, prefix, value, what_nl, what_en):
        key = value.strip()
        if key.lower() in cache:
            found = cache[key.lower()]
        else:
            if key.startswith("http"):
                found = model.objects.filter(uri=key).first()
            else:
                found = (
                    model.objects.filter(Q(label_nl__iexact=key) | Q(label_en__iexact=key))
                    .order_by("id")
                    .first()
                )
            cache[key.lower()] = found
        if found is None:
            raise ValueError(f"onbekend {what_nl} {key!r} / unknown {what_en} {key!r}")
        return found

    def occupations(self, value: str) -> list[Occupation]:
        return [
            self._concept(
                Occupation, self._occupations, ESCO_OCCUPATION, part, "beroep", "occupation"
            )
            for part in _split(value)
        ]

    def skills(self, value: str) -> list[Skill]:
        return [
            self._concept(Skill, self._skills, ESCO_SKILL, part, "vaardigheid", "skill")
            for part in _split(value)
        ]


def _split(value: str) -> list[str]:
    if not value:
        return []
    return [part.strip() for part in re.split(r"[;|]", value) if part.strip()]
