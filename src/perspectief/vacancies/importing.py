"""Import of an employer's places from CSV/XLSX, with the same rules as the import of job
seekers: every row validated, a rejected row kept with its line and a reason in Dutch and
English, batches written in one transaction each, and the same file twice changes nothing
(a place is recognised by the employer's KvK and its reference, or else by title, postcode
and start date). The runner, job, progress and download are shared with that import
(``perspectief.candidates.importing``); this module says what a row of places means."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from perspectief.candidates import parsing
from perspectief.candidates.importing import (
    Counts,
    Rejected,
    _language,
    _plain_date,
    _split,
    first_seen,
    parse_field,
    register,
)
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError
from perspectief.organisations.models import EmployerAccount

from .constants import Contract, PlaceType, VacancyStatus
from .models import Vacancy
from .services import places as services

COLUMNS = (
    "kvk",
    "referentie",
    "titel",
    "soort",
    "beroep",
    "omschrijving",
    "uren_per_week",
    "contract",
    "loon_van",
    "loon_tot",
    "postcode",
    "aantal_plekken",
    "opleidingsniveau",
    "taalniveau",
    "rijbewijs",
    "startdatum",
    "sluitingsdatum",
    "vaardigheden",
    "vaardigheden_optioneel",
    "vaardigheden_leerbaar",
    "status",
)
REQUIRED = ("kvk", "titel", "soort", "uren_per_week", "contract", "postcode", "aantal_plekken")

#: Model field → the import column, to name the column in a refusal.
COLUMN_OF = {
    "title": "titel",
    "reference": "referentie",
    "place_type": "soort",
    "occupation": "beroep",
    "hours_per_week": "uren_per_week",
    "wage_min": "loon_van",
    "wage_max": "loon_tot",
    "places": "aantal_plekken",
    "min_education": "opleidingsniveau",
    "dutch_level": "taalniveau",
    "start_date": "startdatum",
    "closing_date": "sluitingsdatum",
}

#: Import status values (Dutch) → the place's status.
STATUSES = {"concept": VacancyStatus.DRAFT, "open": VacancyStatus.OPEN, "gesloten": "closed"}


def _choice(choices, what_nl, what_en):
    def parse(value: str) -> str:
        key = value.strip().lower()
        if key in choices.values:
            return key
        for choice_value, label in choices.choices:
            if str(label).lower() == key:
                return choice_value
        allowed = ", ".join(choices.values)
        raise ValueError(
            f"onbekend {what_nl} {value!r} (kies uit {allowed}) / "
            f"unknown {what_en} {value!r} (one of {allowed})"
        )

    return parse


def _places(value: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise ValueError(f"geen heel getal: {value!r} / not a whole number: {value!r}") from None
    if not 1 <= number <= 10000:
        raise ValueError(
            f"aantal plekken {number} valt buiten 1-10000 / number of places {number} "
            "outside 1-10000"
        )
    return number


def _hours(value: str) -> int:
    hours = parsing.hours(value)
    if not hours:
        raise ValueError("minstens 1 uur per week / at least 1 hour per week")
    return hours


def _wage(value: str) -> Decimal:
    try:
        amount = Decimal(value.strip().replace("€", "").replace(",", ".").strip())
    except InvalidOperation:
        raise ValueError(f"geen bedrag: {value!r} / not an amount: {value!r}") from None
    if not Decimal("0") < amount < Decimal("1000"):
        raise ValueError(
            f"bruto uurloon {amount} is niet aannemelijk / gross hourly wage {amount} is "
            "not plausible"
        )
    return amount.quantize(Decimal("0.01"))


def _status(value: str) -> str:
    key = value.strip().lower()
    if key not in STATUSES:
        raise ValueError(
            f"onbekende status {value!r} (concept, open of gesloten) / "
            f"unknown status {value!r} (concept, open or gesloten)"
        )
    return STATUSES[key]


def _kvk(value: str) -> str:
    digits = value.replace(" ", "").replace(".", "")
    if len(digits) == 7 and digits.isdigit():
        digits = "0" + digits  # a spreadsheet dropped the leading zero
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError(
            f"een KvK-nummer heeft acht cijfers: {value!r} / "
            f"a KvK number has eight digits: {value!r}"
        )
    return digits


class PlaceRow:
    def __init__(self, line, raw, employer, values, skills, status, key):
        self.line, self.raw, self.employer = line, raw, employer
        self.values, self.skills, self.status, self.key = values, skills, status, key


@register
class PlaceImport:
    kind = "places"
    columns = COLUMNS
    required = REQUIRED
    permissions = frozenset({Permission.VIEW_EMPLOYERS, Permission.MANAGE_PLACES})

    def __init__(self, *, job, actor):
        self.job = job
        self.actor = actor
        self.resolver = parsing.Resolver()
        self.employers = {e.kvk_number: e for e in EmployerAccount.objects.visible_to(actor).all()}
        self.seen: dict[tuple, int] = {}

    # -- parsing ---------------------------------------------------------------------------
    def parse(self, line: int, raw: dict[str, str]):
        rejected = Rejected(line=line, raw=raw)
        get = raw.get
        for column in REQUIRED:
            if not get(column, ""):
                rejected.reasons.append((f"{column}: verplicht", f"{column}: required"))
        r = self.resolver
        field = parse_field
        kvk = field(rejected, "kvk", _kvk, get("kvk", ""))
        employer = self.employers.get(kvk) if kvk else None
        if kvk and employer is None:
            rejected.reasons.append(
                (
                    f"kvk: geen werkgever met KvK {kvk} die met dit account beheerd mag worden",
                    f"kvk: no employer with KvK {kvk} that you may manage",
                )
            )
        occupations = field(rejected, "beroep", r.occupations, get("beroep", "")) or []
        if len(occupations) > 1:
            rejected.reasons.append(("beroep: één beroep per plek", "beroep: one occupation"))
        values = {
            "title": get("titel", "")[:200],
            "reference": get("referentie", "").strip(),
            "place_type": field(
                rejected, "soort", _choice(PlaceType, "soort plek", "type"), get("soort", "")
            ),
            "occupation": occupations[0] if occupations else None,
            "description": get("omschrijving", ""),
            "hours_per_week": field(rejected, "uren_per_week", _hours, get("uren_per_week", "")),
            "contract": field(
                rejected,
                "contract",
                _choice(Contract, "contract", "contract"),
                get("contract", ""),
            ),
            "wage_min": field(rejected, "loon_van", _wage, get("loon_van", "")),
            "wage_max": field(rejected, "loon_tot", _wage, get("loon_tot", "")),
            "postcode": field(rejected, "postcode", r.postcode, get("postcode", "")),
            "places": field(rejected, "aantal_plekken", _places, get("aantal_plekken", "")),
            "min_education": field(
                rejected, "opleidingsniveau", r.education_level, get("opleidingsniveau", "")
            ),
            "dutch_level": field(rejected, "taalniveau", _language, get("taalniveau", "")) or "",
            "driving_licence": bool(
                field(rejected, "rijbewijs", parsing.yes_no, get("rijbewijs", ""))
            ),
            "start_date": field(rejected, "startdatum", _plain_date, get("startdatum", "")),
            "closing_date": field(
                rejected, "sluitingsdatum", _plain_date, get("sluitingsdatum", "")
            ),
        }
        skills = {
            name: field(rejected, column, r.skills, get(column, "")) or []
            for name, column in (
                ("essential", "vaardigheden"),
                ("optional", "vaardigheden_optioneel"),
                ("teachable", "vaardigheden_leerbaar"),
            )
        }
        status = field(rejected, "status", _status, get("status", ""))
        if len(values["reference"]) > 64:
            rejected.reasons.append(
                ("referentie: langer dan 64 tekens", "referentie: longer than 64 characters")
            )
        if rejected.reasons:
            return rejected
        key = (
            ("ref", employer.pk, values["reference"])
            if values["reference"]
            else (
                "natural",
                employer.pk,
                values["title"].strip().casefold(),
                values["postcode"].pk,
                values["start_date"],
            )
        )
        if not first_seen(self.seen, key, line, rejected, "dezelfde plek", "the same place"):
            return rejected
        return PlaceRow(line, raw, employer, values, skills, status, key)

    # -- writing ---------------------------------------------------------------------------
    def _existing(self, row: PlaceRow) -> Vacancy | None:
        places = Vacancy.objects.filter(employer=row.employer)
        if row.key[0] == "ref":
            return places.filter(reference=row.values["reference"]).first()
        return (
            places.filter(
                reference="",
                title__iexact=row.values["title"].strip(),
                postcode=row.values["postcode"],
                start_date=row.values["start_date"],
            )
            .order_by("created_at", "id")
            .first()
        )

    def write(self, rows: list[PlaceRow], counts: Counts) -> list[Rejected]:
        """Each row through the same service as the form (validation, audit); a row the
        service refuses is rejected with its reasons and leaves nothing behind."""
        rejected = []
        for row in rows:
            try:
                with translation.override("nl"), transaction.atomic():
                    existing, changes = self._save(row)
            except (ValidationError, DomainError) as exc:
                rejected.append(self._refused(row, exc, self._english(row)))
                continue
            if existing is None:
                counts.created += 1
            elif changes:
                counts.updated += 1
            else:
                counts.unchanged += 1
        return rejected

    @staticmethod
    def _unchanged(existing: Vacancy, row: PlaceRow) -> bool:
        """Nothing in the row differs from the stored place (so a re-import writes nothing
        and is quick); anything else goes through the service."""
        for name, value in row.values.items():
            current = getattr(existing, name)
            if (current.pk if hasattr(current, "pk") else current) != (
                value.pk if hasattr(value, "pk") else value
            ):
                return False
        if row.status and row.status != existing.status:
            return False
        teach = {s.pk for s in row.skills["teachable"]}
        wanted = {(s.pk, "essential", s.pk in teach) for s in row.skills["essential"]}
        essential = {s.pk for s in row.skills["essential"]}
        wanted |= {
            (s.pk, "optional", s.pk in teach)
            for s in row.skills["optional"]
            if s.pk not in essential
        }
        stored = set(existing.skills.values_list("skill_id", "relation", "teachable"))
        return stored == wanted

    def _save(self, row: PlaceRow) -> tuple[Vacancy | None, dict]:
        existing = self._existing(row)
        if existing is not None and self._unchanged(existing, row):
            return existing, {}
        vacancy, changes = services.vacancy_save_changes(
            actor=self.actor,
            employer=row.employer,
            vacancy=existing,
            data=row.values,
            **row.skills,
        )
        target = row.status or (None if existing else VacancyStatus.OPEN)
        if target and target != vacancy.status:
            changes = changes or {"status": True}
            self._set_status(vacancy, target)
        return existing, changes

    def _english(self, row: PlaceRow):
        """The same refusal in English: the row once more, always rolled back."""
        try:
            with translation.override("en"), transaction.atomic():
                self._save(row)
                transaction.set_rollback(True)
        except (ValidationError, DomainError) as exc:
            return exc
        return None

    def _set_status(self, vacancy: Vacancy, target: str) -> None:
        if target == VacancyStatus.DRAFT:
            raise ValidationError(
                {"status": "een plek kan niet terug naar concept / a place cannot go back to draft"}
            )
        command = "open" if target == VacancyStatus.OPEN else "close"
        services.vacancy_command(actor=self.actor, vacancy=vacancy, command=command)

    @staticmethod
    def _messages(exc) -> list[str]:
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            return [
                f"{COLUMN_OF.get(k, k)}: {m}" if k != "__all__" else str(m)
                for k, ms in exc.message_dict.items()
                for m in ms
            ]
        return [str(m) for m in getattr(exc, "messages", [getattr(exc, "message", exc)])]

    def _refused(self, row: PlaceRow, exc_nl, exc_en) -> Rejected:
        rejected = Rejected(line=row.line, raw=row.raw)
        dutch = self._messages(exc_nl)
        english = self._messages(exc_en) if exc_en is not None else dutch
        if len(english) != len(dutch):
            english = dutch
        for nl, en in zip(dutch, english, strict=True):
            # A message already in both languages ("nl / en") is split; others are paired.
            rejected.reasons.append((_split(nl)[0], _split(en)[1]))
        return rejected

    def finish(self) -> None:
        pass

    @staticmethod
    def stored_values(raw: dict[str, str]) -> dict[str, str]:
        return dict(raw)  # no personal data in a row of places

    @staticmethod
    def shown_values(values: dict[str, str]) -> dict[str, str]:
        return dict(values)
