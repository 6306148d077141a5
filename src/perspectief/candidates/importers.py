"""The import of job seekers from gemeente and UWV files: what a row of the standard
template means (docs/import.md). The runner, the job, its progress and the rejected rows are
those of every import (:mod:`perspectief.imports`).

Every row is validated; a rejected row is kept with its line, a reason in Dutch and English
and its values, so it can be downloaded, corrected and imported again. The valid rows of a
batch are written by :class:`~perspectief.candidates.import_writer.BatchWriter`: running the
same file again changes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.utils.translation import gettext_lazy as _

from perspectief.core import bsn as bsn_lib
from perspectief.core.authz import Actor, Permission
from perspectief.core.validators import NAME_MESSAGES, name_problem
from perspectief.imports.kinds import Kind, Pages
from perspectief.imports.rows import (
    Counts,
    Rejected,
    SeenKeys,
    first_seen,
    in_both,
    parse_field,
    plain_date,
)
from perspectief.imports.rows import required as required_cells

from . import parsing
from .constants import LanguageLevel, SkillSource, TargetGroup
from .import_writer import BatchWriter, ParsedRow, natural_key
from .models import Candidate
from .services.duplicates import flag
from .services.people import CandidateInput

#: The standard template (Dutch headers), documented in docs/import.md.
STANDARD_COLUMNS = (
    "bsn",
    "voornaam",
    "achternaam",
    "geboortedatum",
    "postcode",
    "email",
    "telefoon",
    "uitkering",
    "uren_per_week",
    "opleidingsniveau",
    "rijbewijs",
    "beroep",
    "vaardigheden",
)
OPTIONAL_COLUMNS = (
    "klantnummer",
    "doelgroepen",
    "beschikbaar_vanaf",
    "taalniveau",
    # Soft factors of matching (#18).
    "werkfit_vanaf",
    "max_uren_per_week",
    "fysieke_belasting",
    "uitgesloten_sectoren",
    "ondersteuning",
)
REQUIRED_COLUMNS = ("voornaam", "achternaam")
ALL_COLUMNS = STANDARD_COLUMNS + OPTIONAL_COLUMNS

# -- cells -----------------------------------------------------------------------------------


def target_groups(value: str) -> list[str]:
    """``banenafspraak; statushouder`` → the target groups (``;`` or ``,`` between them)."""
    groups = [g.strip().lower() for g in value.replace(",", ";").split(";") if g.strip()]
    unknown = [g for g in groups if g not in TargetGroup.values]
    if unknown:
        raise ValueError(
            f"onbekende doelgroep {', '.join(unknown)} / unknown target group {', '.join(unknown)}"
        )
    return groups


def language_level(value: str) -> str:
    """A Dutch language level (``A0``–``C1``, ``moedertaal``), in any letter case."""
    level = value.strip().upper()
    for choice in LanguageLevel.values:
        if choice.upper() == level:
            return choice
    raise ValueError(f"onbekend taalniveau {value!r} / unknown language level {value!r}")


def available_from(value: str) -> date | None:
    """An availability date: read as any date, within the bounds of the person form."""
    return parsing.available_from(plain_date(value))


def ready_from(value: str) -> date | None:
    """The day the person is work-ready: read as any date, within the form's bounds."""
    return parsing.ready_from(plain_date(value))


def _bsn_problem(value: str) -> str:
    """Why the cell is not a BSN (also a cell of separators only, which normalises to
    nothing)."""
    return bsn_lib.problem(value) or bsn_lib.problem("x")  # type: ignore[return-value]


# -- rows ------------------------------------------------------------------------------------


class RowParser:
    """Validates one row of the standard template into CandidateInput."""

    def __init__(self):
        self.resolver = parsing.Resolver()
        self.seen = SeenKeys()  # flat in memory: a file may have a million rows

    def parse(self, line: int, raw: dict[str, str]) -> ParsedRow | Rejected:
        """The row as the person's data, or rejected with every problem named at once."""
        rejected = Rejected(line=line, raw=raw)
        get = raw.get
        required_cells(rejected, raw, REQUIRED_COLUMNS)
        bsn = self._identity(rejected, raw)
        values = self._values(rejected, raw)
        email = get("email", "")
        if email and ("@" not in email or " " in email or len(email) > 254):
            rejected.refuse(
                f"email: ongeldig e-mailadres {email!r}", f"email: invalid address {email!r}"
            )
        if rejected.reasons:
            return rejected
        reference = get("klantnummer", "")
        if len(reference) > 50:
            rejected.refuse(
                "klantnummer: langer dan 50 tekens", "klantnummer: longer than 50 characters"
            )
            return rejected
        first, last = get("voornaam", ""), get("achternaam", "")
        natural = natural_key(first, last, values["date_of_birth"], values["postcode"])
        key = (
            ("bsn", bsn) if bsn else ("ref", reference) if reference else natural or ("line", line)
        )
        if not first_seen(self.seen, key, line, rejected, "dezelfde persoon", "the same person"):
            return rejected
        data = CandidateInput(
            first_name=first[:100],
            last_name=last[:150],
            bsn=bsn,
            email=email or None,
            phone=get("telefoon", "")[:30] or None,
            reference=reference or None,
            **{k: v for k, v in values.items() if k != "skills"},
        )
        if values["skills"] is not None:
            data.skills = [(skill, SkillSource.STATED) for skill in values["skills"]]
        return ParsedRow(line=line, raw=raw, data=data, bsn=bsn, key=key)

    @staticmethod
    def _identity(rejected: Rejected, raw: dict[str, str]) -> str | None:
        """Check the names; the row's BSN (validated), if it has one."""
        for column in ("voornaam", "achternaam"):
            problem = name_problem(raw.get(column, "")) if raw.get(column, "") else None
            if problem is not None:
                rejected.refuse(*in_both(column, partial(str, NAME_MESSAGES[problem])))
        value = raw.get("bsn")
        if not value:
            return None
        bsn = bsn_lib.valid_or_none(value)
        if bsn is None:
            rejected.refuse(*in_both("bsn", partial(_bsn_problem, value)))
        return bsn

    def _values(self, rejected: Rejected, raw: dict[str, str]) -> dict[str, Any]:
        """The profile values of the row's cells; each refusal is added to the reasons."""
        return {
            name: parse_field(rejected, column, parser, raw.get(column, ""))
            for name, column, parser in self.cells
        }

    @functools.cached_property
    def cells(self) -> tuple[tuple[str, str, Callable[[str], Any]], ...]:
        """Each profile value: its column and parser. A parser's answers are remembered
        (the last 4,096 values of each column): most cells repeat (a benefit, hours, a
        postcode, an occupation), and the answer to a value is the same on every row; a
        refused value is parsed again, to say why."""
        r = self.resolver
        cells = (
            ("date_of_birth", "geboortedatum", parsing.birth_date),
            ("postcode", "postcode", r.postcode),
            ("benefit", "uitkering", parsing.benefit),
            ("hours_per_week", "uren_per_week", parsing.hours),
            ("education_level", "opleidingsniveau", r.education_level),
            ("driving_licence", "rijbewijs", parsing.yes_no),
            ("occupations", "beroep", r.occupations),
            ("skills", "vaardigheden", r.skills),
            ("target_groups", "doelgroepen", target_groups),
            ("available_from", "beschikbaar_vanaf", available_from),
            ("dutch_level", "taalniveau", language_level),
            ("ready_from", "werkfit_vanaf", ready_from),
            ("max_hours_per_week", "max_uren_per_week", parsing.hours),
            ("max_physical_load", "fysieke_belasting", parsing.physical_load),
            ("excluded_sectors", "uitgesloten_sectoren", parsing.sectors),
            ("support_needs", "ondersteuning", parsing.support),
        )
        return tuple(
            (name, column, functools.lru_cache(maxsize=4096)(parser))
            for name, column, parser in cells
        )


# -- the kind --------------------------------------------------------------------------------


class CandidateImport(Kind):
    """What an import of job seekers does with the rows."""

    kind = "candidates"
    columns = ALL_COLUMNS
    required = REQUIRED_COLUMNS
    permissions = frozenset({Permission.MANAGE_CANDIDATES})
    pages = Pages(
        namespace="candidates",
        permission=Permission.MANAGE_CANDIDATES,
        template="candidates/import.html",
        created_label=_("new job seekers"),
        row_label=_("Name"),
        mappings=True,
        personal_data=True,
    )
    help = "Job seekers (standard template)"

    def __init__(self, *, job, actor: Actor):
        super().__init__(job=job, actor=actor)
        self.parser = RowParser()
        self.writer = BatchWriter(
            actor=actor, organisation=job.organisation, started_by=job.started_by
        )

    def parse(self, line: int, raw: dict[str, str]) -> ParsedRow | Rejected:
        return self.parser.parse(line, raw)

    def write(self, rows: list, counts: Counts) -> list[Rejected]:
        return self.writer.write(rows, counts)

    def finish(self) -> None:
        """After the last batch: flag likely duplicates among the people touched."""
        flag(
            Candidate.objects.served_by(self.job.organisation)
            .filter(updated_at__gte=self.job.started_at)
            .only("pk", "first_name", "last_name", "date_of_birth", "postcode_id", "bsn_index")
            .iterator(chunk_size=2000)  # streamed: an import may touch a million people
        )

    @staticmethod
    def stored_values(raw: dict[str, str]) -> dict[str, str]:
        """A rejected row as kept: the BSN only encrypted."""
        values = dict(raw)
        bsn = values.pop("bsn", "")
        if bsn:
            values["bsn_encrypted"] = bsn_lib.encrypt_any(bsn)
        return values

    @staticmethod
    def shown_values(values: dict[str, str]) -> dict[str, str]:
        shown = dict(values)
        token = shown.pop("bsn_encrypted", "")
        shown["bsn"] = bsn_lib.decrypt(token) if token else shown.get("bsn", "")
        return shown

    @staticmethod
    def row_name(values: dict[str, str]) -> str:
        return f"{values.get('voornaam', '')} {values.get('achternaam', '')}"
