"""Import of an employer's places from CSV/XLSX, with the same rules as the import of job
seekers: every row validated, a rejected row kept with its line and a reason in Dutch and
English, batches written in one transaction each, and the same file twice changes nothing
(a place is recognised by the employer's KvK and its reference, or else by title, postcode
and start date). The runner, job, progress and download are those of every import
(:mod:`perspectief.imports`); this module says what a row of places means."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from perspectief.candidates import parsing
from perspectief.candidates.importers import language_level
from perspectief.core import codes
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import DomainError
from perspectief.core.refusals import pair
from perspectief.imports.kinds import Kind, Pages
from perspectief.imports.rows import (
    Counts,
    Rejected,
    SeenKeys,
    first_seen,
    parse_field,
    plain_date,
)
from perspectief.imports.rows import required as required_cells
from perspectief.organisations.models import EmployerAccount
from perspectief.taxonomy.constants import Support, WorkDemand

from .constants import Contract, PlaceType, VacancyStatus
from .models import Vacancy, VacancySkill
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
    # Soft factors of matching (#18).
    "min_uren_per_week",
    "fysieke_belasting",
    "ondersteuning",
    "werkeisen",
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
    "min_hours_per_week": "min_uren_per_week",
    "physical_load": "fysieke_belasting",
    "support_offered": "ondersteuning",
    "work_demands": "werkeisen",
}

#: The place's fields by name → the attribute holding the value (a foreign key's id).
_ATTNAMES = {f.name: f.attname for f in Vacancy._meta.concrete_fields}

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


def _codes(parser, allowed):
    """A list of codes as the place stores them (``core.codes``)."""

    def parse(value: str) -> str:
        return codes.join(parser(value), allowed)

    return parse


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


class PlaceImport(Kind):
    """What an import of places does with the rows: each through the same service as the
    place form."""

    kind = "places"
    columns = COLUMNS
    required = REQUIRED
    permissions = frozenset({Permission.VIEW_EMPLOYERS, Permission.MANAGE_PLACES})
    pages = Pages(
        namespace="vacancies",
        permission=Permission.MANAGE_PLACES,
        template="vacancies/import.html",
        created_label=_("new places"),
        row_label=_("Title"),
        upload_help=_("The standard template for places (see below)."),
    )
    help = "Places of the region's employers (standard template, docs/import.md)"
    organisation_help = (
        "The importing organisation: a gemeente/UWV (the region's employers) or an "
        "employer (its own places); UUID or a gemeente's CBS code"
    )

    def __init__(self, *, job, actor: Actor):
        super().__init__(job=job, actor=actor)
        self.resolver = parsing.Resolver()
        self.employers = {e.kvk_number: e for e in EmployerAccount.objects.visible_to(actor).all()}
        self.seen = SeenKeys()  # flat in memory: a file may have a million rows

    # -- parsing ---------------------------------------------------------------------------
    def parse(self, line: int, raw: dict[str, str]) -> PlaceRow | Rejected:
        """The row as a place of one of the employers the actor manages, or rejected with
        every problem named at once."""
        rejected = Rejected(line=line, raw=raw)
        required_cells(rejected, raw, REQUIRED)
        employer = self._employer(rejected, raw)
        values = self._values(rejected, raw)
        skills = {
            name: parse_field(rejected, column, self.resolver.skills, raw.get(column, "")) or []
            for name, column in (
                ("essential", "vaardigheden"),
                ("optional", "vaardigheden_optioneel"),
                ("teachable", "vaardigheden_leerbaar"),
            )
        }
        status = parse_field(rejected, "status", _status, raw.get("status", ""))
        if len(values["reference"]) > 64:
            rejected.refuse(
                "referentie: langer dan 64 tekens", "referentie: longer than 64 characters"
            )
        if rejected.reasons or employer is None:  # no employer: a reason says why
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

    def _employer(self, rejected: Rejected, raw: dict[str, str]) -> EmployerAccount | None:
        """The employer of the row's KvK number, if the actor may manage its places."""
        kvk = parse_field(rejected, "kvk", _kvk, raw.get("kvk", ""))
        employer = self.employers.get(kvk) if kvk else None
        if kvk and employer is None:
            rejected.refuse(
                f"kvk: geen werkgever met KvK {kvk} die met dit account beheerd mag worden",
                f"kvk: no employer with KvK {kvk} that you may manage",
            )
        return employer

    def _values(self, rejected: Rejected, raw: dict[str, str]) -> dict:
        """The place's fields from the row's cells; each refusal is added to the reasons."""
        r = self.resolver

        def cell(column, parser):
            return parse_field(rejected, column, parser, raw.get(column, ""))

        occupations = cell("beroep", r.occupations) or []
        if len(occupations) > 1:
            rejected.refuse("beroep: één beroep per plek", "beroep: one occupation")
        return {
            "title": raw.get("titel", "")[:200],
            "reference": raw.get("referentie", "").strip(),
            "place_type": cell("soort", _choice(PlaceType, "soort plek", "type")),
            "occupation": occupations[0] if occupations else None,
            "description": raw.get("omschrijving", ""),
            "hours_per_week": cell("uren_per_week", _hours),
            "contract": cell("contract", _choice(Contract, "contract", "contract")),
            "wage_min": cell("loon_van", _wage),
            "wage_max": cell("loon_tot", _wage),
            "postcode": cell("postcode", r.postcode),
            "places": cell("aantal_plekken", _places),
            "min_education": cell("opleidingsniveau", r.education_level),
            "dutch_level": cell("taalniveau", language_level) or "",
            "driving_licence": bool(cell("rijbewijs", parsing.yes_no)),
            "start_date": cell("startdatum", plain_date),
            "closing_date": cell("sluitingsdatum", plain_date),
            "min_hours_per_week": cell("min_uren_per_week", _hours),
            "physical_load": cell("fysieke_belasting", parsing.physical_load) or "",
            "support_offered": cell("ondersteuning", _codes(parsing.support, Support.values)) or "",
            "work_demands": cell("werkeisen", _codes(parsing.work_demands, WorkDemand.values))
            or "",
        }

    # -- writing ---------------------------------------------------------------------------
    def _existing(self, rows: list[PlaceRow]) -> dict[int, Vacancy]:
        """The stored place of each row (by line) that has one, in two queries for the batch:
        by the employer's reference, or else by title, postcode and start date (the oldest
        such place without a reference)."""
        employers = {row.employer.pk for row in rows}
        references = {row.values["reference"] for row in rows if row.key[0] == "ref"}
        by_reference = {
            (place.employer_id, place.reference): place
            for place in Vacancy.objects.filter(employer_id__in=employers, reference__in=references)
        }
        naturals = [row for row in rows if row.key[0] == "natural"]
        by_natural: dict[tuple, Vacancy] = {}
        if naturals:
            for place in Vacancy.objects.filter(
                employer_id__in=employers,
                reference="",
                postcode_id__in={row.values["postcode"].pk for row in naturals},
            ).order_by("created_at", "id"):
                key = (
                    "natural",
                    place.employer_id,
                    place.title.casefold(),
                    place.postcode_id,
                    place.start_date,
                )
                by_natural.setdefault(key, place)
        found = {}
        for row in rows:
            stored = (
                by_reference.get((row.employer.pk, row.values["reference"]))
                if row.key[0] == "ref"
                else by_natural.get(row.key)
            )
            if stored is not None:
                found[row.line] = stored
        return found

    def write(self, rows: list[PlaceRow], counts: Counts) -> list[Rejected]:
        """The batch's stored places are found at once; an unchanged one is left as it is,
        a changed one goes through the same service as the form, and the new ones are
        checked as the form checks them and written at once. A row refused is rejected with
        its reasons and leaves nothing behind."""
        existing = self._existing(rows)
        stored = _stored_skills([place.pk for place in existing.values()])
        rejected: list[Rejected] = []
        new: list[tuple[PlaceRow, services.NewPlace]] = []
        for row in rows:
            place = existing.get(row.line)
            if place is not None and self._unchanged(place, row, stored.get(place.pk, set())):
                counts.unchanged += 1
            elif place is not None:
                self._one(row, counts, rejected)
            else:
                try:
                    with translation.override("nl"):
                        built = services.vacancy_build(employer=row.employer, data=row.values)
                except ValidationError as exc:
                    rejected.append(self._refused(row, exc, _built_in_english(row)))
                    continue
                target = row.status or VacancyStatus.OPEN
                new.append((row, services.NewPlace(built, **row.skills, status=target)))
        self._create(new, counts, rejected)
        return rejected

    def _create(self, new: list, counts: Counts, rejected: list[Rejected]) -> None:
        """The new places at once; when one breaks a constraint of the table, the batch's
        new places one by one through the form's service, which names the refusal."""
        if not new:
            return
        try:
            with translation.override("nl"), transaction.atomic():
                services.vacancies_create(actor=self.actor, places=[place for _r, place in new])
        except (IntegrityError, ValidationError, DomainError):
            for row, _place in new:
                self._one(row, counts, rejected)
            return
        counts.created += len(new)

    def _one(self, row: PlaceRow, counts: Counts, rejected: list[Rejected]) -> None:
        """One row through the same service as the form (validation, audit)."""
        try:
            with translation.override("nl"), transaction.atomic():
                existing, changes = self._save(row)
        except (ValidationError, DomainError) as exc:
            rejected.append(self._refused(row, exc, self._english(row)))
            return
        if existing is None:
            counts.created += 1
        elif changes:
            counts.updated += 1
        else:
            counts.unchanged += 1

    @staticmethod
    def _unchanged(existing: Vacancy, row: PlaceRow, stored: set) -> bool:
        """Nothing in the row differs from the stored place (so a re-import writes nothing
        and is quick); anything else goes through the service."""
        for name, value in row.values.items():
            current = getattr(existing, _ATTNAMES[name])  # a foreign key's id: no query
            if current != (value.pk if hasattr(value, "pk") else value):
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
        return stored == wanted

    def _save(self, row: PlaceRow) -> tuple[Vacancy | None, dict]:
        existing = self._existing([row]).get(row.line)
        if existing is not None and self._unchanged(
            existing, row, _stored_skills([existing.pk]).get(existing.pk, set())
        ):
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
            rejected.refuse(pair(nl)[0], pair(en)[1])
        return rejected

    # A row of places holds no personal data: it is kept and shown as it came.

    @staticmethod
    def row_name(values: dict[str, str]) -> str:
        return values.get("titel", "")


def _built_in_english(row: PlaceRow) -> ValidationError | None:
    """The refusal of a new place's checks once more, in English."""
    try:
        with translation.override("en"):
            services.vacancy_build(employer=row.employer, data=row.values)
    except ValidationError as exc:
        return exc
    return None


def _stored_skills(places: list[int]) -> dict[int, set]:
    """Per place, its skills as (skill, relation, teachable), in one query."""
    found: dict[int, set] = {}
    for place, *skill in VacancySkill.objects.filter(vacancy_id__in=places).values_list(
        "vacancy_id", "skill_id", "relation", "teachable"
    ):
        found.setdefault(place, set()).add(tuple(skill))
    return found
