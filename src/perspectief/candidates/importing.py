"""Bulk import of job seekers from gemeente and UWV files.

Every row is validated; a rejected row is kept with its line, a reason in Dutch and English
and its values, so it can be downloaded, corrected and imported again. Rows are written in
batches, each in one transaction: a crash or kill leaves whole rows only, and running the
same file again changes nothing (rows are matched by BSN, by the organisation's client
number, or by name + date of birth + postcode among the people the organisation serves).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core import bsn as bsn_lib
from perspectief.core import refusals
from perspectief.core.authz import Permission
from perspectief.core.spreadsheets import safe_cell
from perspectief.core.validators import NAME_MESSAGES, name_problem

from . import parsing
from .completeness import completeness_of
from .constants import ImportStatus, LanguageLevel, SkillSource, TargetGroup
from .models import (
    Candidate,
    CandidateOrganisation,
    CandidateSkill,
    CandidateTargetGroup,
    ImportJob,
    ImportRejection,
)
from .services import PROFILE_FIELDS, CandidateInput, audit_diff, legal_basis_for
from .tables import ImportFileError, read_table

BATCH_SIZE = 1000

logger = logging.getLogger(__name__)

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
OPTIONAL_COLUMNS = ("klantnummer", "doelgroepen", "beschikbaar_vanaf", "taalniveau")
REQUIRED_COLUMNS = ("voornaam", "achternaam")
ALL_COLUMNS = STANDARD_COLUMNS + OPTIONAL_COLUMNS


def _split(message: str) -> tuple[str, str]:
    nl, _sep, en = message.partition(" / ")
    return nl, en or nl


def _target_groups(value: str) -> list[str]:
    groups = [g.strip().lower() for g in value.replace(",", ";").split(";") if g.strip()]
    unknown = [g for g in groups if g not in TargetGroup.values]
    if unknown:
        raise ValueError(
            f"onbekende doelgroep {', '.join(unknown)} / unknown target group {', '.join(unknown)}"
        )
    return groups


def _language(value: str) -> str:
    level = value.strip().upper()
    for choice in LanguageLevel.values:
        if choice.upper() == level:
            return choice
    raise ValueError(f"onbekend taalniveau {value!r} / unknown language level {value!r}")


def _plain_date(value: str):
    from datetime import datetime

    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(
        f"onleesbare datum {value!r} (JJJJ-MM-DD of DD-MM-JJJJ) / "
        f"unreadable date {value!r} (YYYY-MM-DD or DD-MM-YYYY)"
    )


def _available_from(value: str):
    return parsing.available_from(_plain_date(value))


def _natural(first, last, born, postcode) -> tuple | None:
    """Name + date of birth + postcode; without both of the latter a name proves nothing."""
    if not (first and last and born and postcode):
        return None
    pk = postcode.pk if hasattr(postcode, "pk") else postcode
    return ("natural", first.strip().casefold(), last.strip().casefold(), born, pk)


@dataclass
class ParsedRow:
    line: int
    raw: dict[str, str]
    data: CandidateInput
    bsn: str | None
    key: tuple


@dataclass
class Rejected:
    line: int
    raw: dict[str, str]
    reasons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def reason_nl(self) -> str:
        return "; ".join(nl for nl, _en in self.reasons)

    @property
    def reason_en(self) -> str:
        return "; ".join(en for _nl, en in self.reasons)


def _both(column: str, message: Callable[[], object]) -> tuple[str, str]:
    """A rejection reason in Dutch and English (stored rejections keep both); ``message()``
    gives it in the active language."""
    nl, en = refusals.in_both_languages(message)
    return f"{column}: {nl}", f"{column}: {en}"


def parse_field(rejected: Rejected, column: str, parser: Callable, value: str):
    """One cell through its parser; a refusal is added to the row's reasons (None back)."""
    if not value:
        return None
    try:
        return parser(value)
    except ValueError as exc:
        nl, en = refusals.both(exc)
        rejected.reasons.append((f"{column}: {nl}", f"{column}: {en}"))
        return None


def first_seen(seen: dict, key: tuple, line: int, rejected: Rejected, what_nl, what_en) -> bool:
    """Remember the row's key; False, with the reason, when an earlier line had it."""
    first = seen.get(key)
    if first is not None:
        rejected.reasons.append(
            (
                f"dubbele rij: {what_nl} als regel {first}",
                f"duplicate row: {what_en} as line {first}",
            )
        )
        return False
    seen[key] = line
    return True


class RowParser:
    """Validates one row of the standard template into CandidateInput."""

    def __init__(self):
        self.resolver = parsing.Resolver()
        self.seen: dict[tuple, int] = {}

    def parse(self, line: int, raw: dict[str, str]) -> ParsedRow | Rejected:
        rejected = Rejected(line=line, raw=raw)
        get = raw.get
        for column in REQUIRED_COLUMNS:
            if not get(column, ""):
                rejected.reasons.append((f"{column}: verplicht", f"{column}: required"))
        for column in ("voornaam", "achternaam"):
            problem = name_problem(get(column, "")) if get(column, "") else None
            if problem is not None:
                rejected.reasons.append(_both(column, partial(str, NAME_MESSAGES[problem])))
        bsn = None
        if get("bsn"):
            if bsn_lib.problem(get("bsn")):
                rejected.reasons.append(_both("bsn", partial(bsn_lib.problem, get("bsn"))))
            else:
                bsn = bsn_lib.validated(get("bsn"))
        r = self.resolver
        values = {
            "date_of_birth": parse_field(
                rejected, "geboortedatum", parsing.birth_date, get("geboortedatum", "")
            ),
            "postcode": parse_field(rejected, "postcode", r.postcode, get("postcode", "")),
            "benefit": parse_field(rejected, "uitkering", parsing.benefit, get("uitkering", "")),
            "hours_per_week": parse_field(
                rejected, "uren_per_week", parsing.hours, get("uren_per_week", "")
            ),
            "education_level": parse_field(
                rejected, "opleidingsniveau", r.education_level, get("opleidingsniveau", "")
            ),
            "driving_licence": parse_field(
                rejected, "rijbewijs", parsing.yes_no, get("rijbewijs", "")
            ),
            "occupations": parse_field(rejected, "beroep", r.occupations, get("beroep", "")),
            "skills": parse_field(rejected, "vaardigheden", r.skills, get("vaardigheden", "")),
            "target_groups": parse_field(
                rejected, "doelgroepen", _target_groups, get("doelgroepen", "")
            ),
            "available_from": parse_field(
                rejected, "beschikbaar_vanaf", _available_from, get("beschikbaar_vanaf", "")
            ),
            "dutch_level": parse_field(rejected, "taalniveau", _language, get("taalniveau", "")),
        }
        email = get("email", "")
        if email and ("@" not in email or " " in email or len(email) > 254):
            rejected.reasons.append(
                (f"email: ongeldig e-mailadres {email!r}", f"email: invalid address {email!r}")
            )
        if rejected.reasons:
            return rejected
        reference = get("klantnummer", "")
        if len(reference) > 50:
            rejected.reasons.append(
                ("klantnummer: langer dan 50 tekens", "klantnummer: longer than 50 characters")
            )
            return rejected
        postcode = values["postcode"]
        natural = _natural(get("voornaam"), get("achternaam"), values["date_of_birth"], postcode)
        key = (
            ("bsn", bsn) if bsn else ("ref", reference) if reference else natural or ("line", line)
        )
        if not first_seen(self.seen, key, line, rejected, "dezelfde persoon", "the same person"):
            return rejected
        data = CandidateInput(
            first_name=get("voornaam")[:100],
            last_name=get("achternaam")[:150],
            bsn=bsn,
            email=email or None,
            phone=(get("telefoon") or None) and get("telefoon")[:30],
            reference=reference or None,
            **{k: v for k, v in values.items() if k not in ("skills",)},
        )
        if values["skills"] is not None:
            data.skills = [(skill, SkillSource.STATED) for skill in values["skills"]]
        return ParsedRow(line=line, raw=raw, data=data, bsn=bsn, key=key)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }


class BatchWriter:
    """Writes one batch of parsed rows in bulk: a handful of queries per batch."""

    def __init__(self, *, actor, organisation, started_by=None):
        self.actor = actor
        self.organisation = organisation
        self.basis = legal_basis_for(organisation)
        self.started_by = started_by

    # -- finding who is already known ----------------------------------------------------
    def _match(self, rows: list[ParsedRow]) -> dict[int, Candidate]:
        """The known person per row (by line): by BSN, else by this organisation's client
        number, else by name + date of birth + postcode among the people it serves.
        Merged and anonymised records are never matched; a different BSN never matches."""
        current = Candidate.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
        # Every index a row's BSN may be stored under (old keys during a key rotation).
        indexes = {r.line: bsn_lib.blind_indexes(r.bsn) for r in rows if r.bsn}
        wanted_indexes = [index for found in indexes.values() for index in found]
        by_index = {c.bsn_index: c for c in current.filter(bsn_index__in=wanted_indexes)}
        references = {r.data.reference for r in rows if r.data.reference}
        by_reference = (
            {
                s.reference: s.candidate
                for s in CandidateOrganisation.objects.filter(
                    organisation=self.organisation,
                    reference__in=references,
                    candidate__merged_into__isnull=True,
                    candidate__anonymised_at__isnull=True,
                ).select_related("candidate")
            }
            if references
            else {}
        )
        naturals = {
            r.line: _natural(
                r.data.first_name, r.data.last_name, r.data.date_of_birth, r.data.postcode
            )
            for r in rows
        }
        wanted = {key for key in naturals.values() if key}
        by_natural = {}
        if wanted:
            # Narrow by the indexed date of birth, then compare names in Python.
            for candidate in current.filter(
                date_of_birth__in={key[3] for key in wanted},
                servings__organisation=self.organisation,
                servings__is_active=True,
            ):
                key = _natural(
                    candidate.first_name,
                    candidate.last_name,
                    candidate.date_of_birth,
                    candidate.postcode_id,
                )
                if key:
                    by_natural[key] = candidate
        matched = {}
        for row in rows:
            candidate = next(
                (by_index[i] for i in indexes.get(row.line, ()) if i in by_index), None
            )
            if candidate is None and row.data.reference:
                candidate = by_reference.get(row.data.reference)
            if candidate is None and naturals[row.line]:
                candidate = by_natural.get(naturals[row.line])
            if (
                candidate is not None
                and row.bsn
                and candidate.bsn_index not in (None, *indexes[row.line])
            ):
                candidate = None  # another BSN: another person
            if candidate is not None:
                matched[row.line] = candidate
        return matched

    # -- writing -------------------------------------------------------------------------
    def write(self, rows: list[ParsedRow], counts: Counts) -> list[Rejected]:
        """Write the rows; returns rows refused here (the same person twice in a batch)."""
        matched = self._match(rows)
        refused, first_line = [], {}
        for row in list(rows):
            candidate = matched.get(row.line)
            if candidate is None:
                continue
            if candidate.pk in first_line:
                first = first_line[candidate.pk]
                refused.append(
                    Rejected(
                        line=row.line,
                        raw=row.raw,
                        reasons=[
                            (
                                f"dubbele rij: dezelfde persoon als regel {first}",
                                f"duplicate row: the same person as line {first}",
                            )
                        ],
                    )
                )
                rows.remove(row)
            else:
                first_line[candidate.pk] = row.line
        existing = {row.line: matched[row.line] for row in rows if row.line in matched}
        ids = [c.pk for c in existing.values()]
        groups = _grouped(
            CandidateTargetGroup.objects.filter(candidate_id__in=ids), "candidate_id", "group"
        )
        occupations = _grouped(
            Candidate.occupations.through.objects.filter(candidate_id__in=ids),
            "candidate_id",
            "occupation_id",
        )
        skills = _pairs(CandidateSkill.objects.filter(candidate_id__in=ids))
        served = set(
            CandidateOrganisation.objects.filter(
                candidate_id__in=ids, organisation=self.organisation, is_active=True
            ).values_list("candidate_id", flat=True)
        )

        new_rows, events, to_update, related = [], [], [], []
        now = timezone.now()
        for row in rows:
            candidate = existing.get(row.line)
            if candidate is None:
                new_rows.append(row)
                continue
            changes = _apply_profile(candidate, row.data)
            if row.bsn and not candidate.bsn_index:
                candidate.bsn_encrypted = bsn_lib.encrypt(row.bsn)
                candidate.bsn_index = bsn_lib.blind_index(row.bsn)
                changes["bsn"] = [None, "…"]
            wanted = _related_of(row.data)
            current = {
                "groups": groups.get(candidate.pk, set()),
                "occupations": occupations.get(candidate.pk, set()),
                "skills": skills.get(candidate.pk, set()),
            }
            for name, value in wanted.items():
                if value is not None and value != current[name]:
                    changes[name] = [sorted(map(str, current[name])), sorted(map(str, value))]
                    current[name] = value
                    related.append((candidate, name, value))
            if candidate.pk not in served:
                changes["serving"] = [None, str(self.organisation.uuid)]
            known = {"occupations": bool(current["occupations"]), "skills": bool(current["skills"])}
            completeness = completeness_of(candidate, known)
            if changes or completeness != candidate.completeness:
                candidate.completeness = completeness
                candidate.updated_at = now  # bulk_update does not apply auto_now
                to_update.append(candidate)
            if changes:
                counts.updated += 1
                events.append(
                    audit.build(
                        "candidate.updated", actor=self.actor, target=candidate, changes=changes
                    )
                )
                self._log(candidate, Operation.CHANGE)
            else:
                counts.unchanged += 1
                self._log(candidate, Operation.READ)
        if to_update:
            Candidate.objects.bulk_update(
                to_update,
                [
                    *PROFILE_FIELDS,
                    "region",
                    "completeness",
                    "updated_at",
                    "bsn_encrypted",
                    "bsn_index",
                ],
            )
        self._replace_related(related)
        self._serve([c for c in existing.values() if c.pk not in served], rows, existing)
        self._create(new_rows, counts, events)
        audit.AuditEvent.objects.bulk_create(events)
        return refused

    def _create(self, rows: list[ParsedRow], counts: Counts, events: list) -> None:
        if not rows:
            return
        candidates = []
        now = timezone.now()
        for row in rows:
            data = row.data
            candidate = Candidate(
                region=data.postcode.municipality.region
                if data.postcode
                else self.organisation.region,
                klantmanager=self.started_by,
                created_at=now,
                updated_at=now,
                **data.profile_values(),
            )
            if row.bsn:
                candidate.bsn_encrypted = bsn_lib.encrypt(row.bsn)
                candidate.bsn_index = bsn_lib.blind_index(row.bsn)
            related = _related_of(data)
            candidate.completeness = completeness_of(
                candidate,
                {"occupations": bool(related["occupations"]), "skills": bool(related["skills"])},
            )
            candidates.append(candidate)
        Candidate.objects.bulk_create(candidates)
        servings, groups, occupations, skills = [], [], [], []
        through = Candidate.occupations.through
        for row, candidate in zip(rows, candidates, strict=True):
            servings.append(
                CandidateOrganisation(
                    candidate=candidate,
                    organisation=self.organisation,
                    legal_basis=self.basis,
                    reference=row.data.reference or "",
                )
            )
            groups += [
                CandidateTargetGroup(candidate=candidate, group=g)
                for g in sorted(set(row.data.target_groups or []))
            ]
            occupations += [
                through(candidate_id=candidate.pk, occupation_id=o.pk)
                for o in {o.pk: o for o in row.data.occupations or []}.values()
            ]
            skills += [
                CandidateSkill(candidate=candidate, skill=s, source=src)
                for s, src in {s.pk: (s, src) for s, src in row.data.skills or []}.values()
            ]
            events.append(
                audit.build(
                    "candidate.registered",
                    actor=self.actor,
                    target=candidate,
                    changes={"source": [None, "import"], "bsn": [None, "***" if row.bsn else None]},
                )
            )
            self._log(candidate, Operation.CREATE)
            counts.created += 1
        CandidateOrganisation.objects.bulk_create(servings)
        CandidateTargetGroup.objects.bulk_create(groups)
        through.objects.bulk_create(occupations)
        CandidateSkill.objects.bulk_create(skills)

    def _serve(self, candidates, rows, existing) -> None:
        if not candidates:
            return
        reference = {
            existing[r.line].pk: r.data.reference or "" for r in rows if r.line in existing
        }
        CandidateOrganisation.objects.bulk_create(
            [
                CandidateOrganisation(
                    candidate=c,
                    organisation=self.organisation,
                    legal_basis=self.basis,
                    reference=reference.get(c.pk, ""),
                )
                for c in candidates
            ],
            update_conflicts=True,
            unique_fields=["candidate", "organisation"],
            update_fields=["is_active", "legal_basis"],
        )

    def _replace_related(self, related) -> None:
        through = Candidate.occupations.through
        for name, model, build in (
            (
                "groups",
                CandidateTargetGroup,
                lambda c, v: [CandidateTargetGroup(candidate=c, group=g) for g in sorted(v)],
            ),
            (
                "occupations",
                through,
                lambda c, v: [through(candidate_id=c.pk, occupation_id=o) for o in sorted(v)],
            ),
            (
                "skills",
                CandidateSkill,
                lambda c, v: [
                    CandidateSkill(candidate=c, skill_id=s, source=src) for s, src in sorted(v)
                ],
            ),
        ):
            items = [(c, v) for c, n, v in related if n == name]
            if not items:
                continue
            model.objects.filter(candidate_id__in=[c.pk for c, _v in items]).delete()
            model.objects.bulk_create([obj for c, v in items for obj in build(c, v)])

    def _log(self, candidate, operation) -> None:
        access.record_candidate(
            self.actor, candidate, ProcessingActivity.CANDIDATE_IMPORT, operation
        )


def _grouped(qs, key, value) -> dict[int, set]:
    out: dict[int, set] = {}
    for k, v in qs.values_list(key, value):
        out.setdefault(k, set()).add(v)
    return out


def _pairs(qs) -> dict[int, set]:
    out: dict[int, set] = {}
    for candidate_id, skill_id, source in qs.values_list("candidate_id", "skill_id", "source"):
        out.setdefault(candidate_id, set()).add((skill_id, source))
    return out


def _related_of(data: CandidateInput) -> dict:
    return {
        "groups": set(data.target_groups) if data.target_groups is not None else None,
        "occupations": {o.pk for o in data.occupations} if data.occupations is not None else None,
        "skills": {(s.pk, src) for s, src in data.skills} if data.skills is not None else None,
    }


def _apply_profile(candidate: Candidate, data: CandidateInput) -> dict:
    changes = {}
    for name, value in data.profile_values().items():
        current = getattr(candidate, name)
        if current != value:
            changes.update(audit_diff({name: current}, {name: value}))
            setattr(candidate, name, value)
    if data.postcode is not None and candidate.region_id != data.postcode.municipality.region_id:
        candidate.region = data.postcode.municipality.region
    return changes


def columns_for(
    headers: list[str],
    mapping: dict[str, str] | None,
    columns=ALL_COLUMNS,
    required=REQUIRED_COLUMNS,
) -> dict[str, int]:
    """Position of every known column in the file, through the saved mapping if any."""
    lookup = {h: i for i, h in enumerate(headers)}
    positions = {}
    for column in columns:
        header = (mapping or {}).get(column, column).strip().lower()
        if header in lookup:
            positions[column] = lookup[header]
    missing = [c for c in required if c not in positions]
    if missing:
        raise ImportFileError(
            f"verplichte kolom ontbreekt: {', '.join(missing)} (gevonden: {', '.join(headers)})",
            f"required column missing: {', '.join(missing)} (found: {', '.join(headers)})",
        )
    return positions


class ImportAlreadyRun(Exception):
    """The job is finished (done or failed): a redelivered task leaves it as it is."""


class ImportStillRunning(ImportAlreadyRun):
    """Another worker holds the job's lease (it gave a sign of life recently)."""


class ImportLeaseLost(Exception):
    """This worker's lease was taken over (it was too slow and the job was found
    interrupted, or another worker resumed it): it stops, the batch in hand is not kept."""


class CandidateImport:
    """What an import of job seekers does with the rows; the runner below is the same for
    every kind of import (see :data:`IMPORTS`)."""

    kind = "candidates"
    columns = ALL_COLUMNS
    required = REQUIRED_COLUMNS
    #: What the batch actor of an import of this kind may do.
    permissions = frozenset({Permission.MANAGE_CANDIDATES})

    def __init__(self, *, job: ImportJob, actor):
        self.job = job
        self.parser = RowParser()
        self.writer = BatchWriter(
            actor=actor, organisation=job.organisation, started_by=job.started_by
        )

    def parse(self, line: int, raw: dict[str, str]):
        return self.parser.parse(line, raw)

    def write(self, rows: list, counts: Counts) -> list[Rejected]:
        return self.writer.write(rows, counts)

    def finish(self) -> None:
        """After the last batch: flag likely duplicates among the people touched."""
        from .duplicates import flag

        flag(
            Candidate.objects.served_by(self.job.organisation)
            .filter(updated_at__gte=self.job.started_at)
            .only("pk", "first_name", "last_name", "date_of_birth", "postcode_id", "bsn_index")
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


#: Kinds of import by ``ImportJob.kind``; other apps add theirs with :func:`register`.
IMPORTS: dict[str, type] = {CandidateImport.kind: CandidateImport}


def register(importer: type) -> type:
    IMPORTS[importer.kind] = importer
    return importer


#: Why a job stopped when its worker did; the page adds what was stored.
INTERRUPTED_ERROR = (
    "het importeren is onderbroken; de verwerkte rijen zijn compleet en het importeren kan "
    "verder waar het stopte / the import was interrupted; the processed rows are complete "
    "and the import can resume where it stopped"
)
#: Why a job ended when its upload was dropped after a day.
UPLOAD_DROPPED_ERROR = (
    "het bestand is na 24 uur verwijderd voordat het importeren klaar was; importeer de "
    "rijen die nog niet verwerkt zijn opnieuw / the file was removed after 24 hours before "
    "the import finished; import the rows not yet processed again"
)
#: An upload is kept at most this long, whatever the state of its job.
UPLOAD_KEPT = timedelta(days=1)


def _lease_cutoff(now=None):
    from django.conf import settings

    return (now or timezone.now()) - timedelta(seconds=settings.IMPORT_LEASE_SECONDS)


def claim(job: ImportJob) -> None:
    """Take the job's lease: a waiting job starts, an interrupted one (or one whose worker
    stopped giving signs of life) resumes after its last committed batch. Raises
    :class:`ImportStillRunning` when a live worker has it, :class:`ImportAlreadyRun` when
    it is finished. Compare-and-set on status and attempt: two workers never both win."""
    now = timezone.now()
    current = ImportJob.objects.defer("upload_encrypted").get(pk=job.pk)
    if current.status in (ImportStatus.DONE, ImportStatus.FAILED):
        raise ImportAlreadyRun(str(job.uuid))
    if current.status == ImportStatus.RUNNING and (
        current.heartbeat_at and current.heartbeat_at >= _lease_cutoff(now)
    ):
        raise ImportStillRunning(str(job.uuid))
    claimed = ImportJob.objects.filter(
        pk=job.pk,
        status=current.status,
        attempt=current.attempt,
        upload_encrypted__isnull=False,
    ).update(
        status=ImportStatus.RUNNING,
        started_at=current.started_at or now,
        heartbeat_at=now,
        attempt=current.attempt + 1,
        error="",
        finished_at=None,
        updated_at=now,
    )
    if not claimed:
        current.refresh_from_db(fields=["status"])
        if current.status == ImportStatus.RUNNING:
            raise ImportStillRunning(str(job.uuid))
        raise ImportAlreadyRun(str(job.uuid))  # its file was dropped meanwhile
    job.refresh_from_db()


def _renew(job: ImportJob, **values) -> None:
    """A sign of life, with the job's progress: only while this worker holds the lease."""
    now = timezone.now()
    values = {"heartbeat_at": now, "updated_at": now, **values}
    held = ImportJob.objects.filter(
        pk=job.pk, status=ImportStatus.RUNNING, attempt=job.attempt
    ).update(**values)
    if not held:
        raise ImportLeaseLost(str(job.uuid))
    for name, value in values.items():
        setattr(job, name, value)


def _end(job: ImportJob, status: str, *, error: str = "", keep_upload: bool = False) -> None:
    """Record how the job ended, if this worker still holds it. The upload is dropped,
    except when the job can resume (interrupted)."""
    now = timezone.now()
    values = {"status": status, "error": error, "finished_at": now, "updated_at": now}
    if not keep_upload:
        values["upload_encrypted"] = None
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING, attempt=job.attempt).update(
        **values
    )
    for name, value in values.items():
        setattr(job, name, value)


def run(job: ImportJob, *, actor, progress: Callable[[ImportJob], None] | None = None) -> Counts:
    """Import the job's file, or resume it after its last committed batch. Renews the
    job's lease with every batch. A problem with the file fails the job; any other stop
    (an error, a signal) leaves it interrupted and resumable; the upload is dropped when the
    job is done or failed. A killed worker cannot say so: its lease runs out and
    :func:`watch` marks the job interrupted."""
    claim(job)
    try:
        counts = _run(job, actor=actor, progress=progress)
    except ImportLeaseLost:
        raise  # the job is no longer this worker's to record
    except ImportFileError as exc:
        _end(job, ImportStatus.FAILED, error=str(exc))
        raise
    except BaseException:
        try:
            _end(job, ImportStatus.INTERRUPTED, error=INTERRUPTED_ERROR, keep_upload=True)
        except Exception:  # the database is gone too: the lease runs out instead
            logger.exception("import %s: could not record the interruption", job.uuid)
        raise
    _end(job, ImportStatus.DONE)
    return counts


def _run(job: ImportJob, *, actor, progress) -> Counts:
    counts = Counts(
        created=job.created, updated=job.updated, unchanged=job.unchanged, rejected=job.rejected
    )
    importer = IMPORTS[job.kind](job=job, actor=actor)
    table = read_table(bytes(job.content or b""), job.filename, job.sheet or None)
    positions = columns_for(
        table.headers,
        job.mapping.columns if job.mapping else None,
        importer.columns,
        importer.required,
    )
    _renew(job, total_rows=table.total)
    # Rows committed before an interruption: parsed again (so a duplicate of one of them
    # is still found) but not written again.
    done_before = job.processed_rows
    batch: list = []

    def flush():
        parsed = [r for r in batch if not isinstance(r, Rejected)]
        rejected = [r for r in batch if isinstance(r, Rejected)]
        with transaction.atomic():
            rejected += importer.write(parsed, counts)
            ImportRejection.objects.bulk_create(
                ImportRejection(
                    job=job,
                    line=r.line,
                    reason_nl=r.reason_nl,
                    reason_en=r.reason_en,
                    values=importer.stored_values(r.raw),
                )
                for r in rejected
            )
            counts.rejected += len(rejected)
            # The batch, its access records and the job's progress commit together.
            access.flush()
            _renew(job, processed_rows=job.processed_rows + len(batch), **counts.as_dict())
        batch.clear()
        if progress:
            progress(job)

    for seen, (line, cells) in enumerate(table.rows, start=1):
        raw = {column: (cells[i] if i < len(cells) else "") for column, i in positions.items()}
        parsed = importer.parse(line, raw)
        if seen <= done_before:
            if seen % BATCH_SIZE == 0:
                _renew(job)
            continue
        batch.append(parsed)
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    _renew(job)
    importer.finish()
    _renew(job, total_rows=job.processed_rows)
    return counts


def watch(*, now=None) -> dict[str, int]:
    """The periodic watch over imports (Celery beat, every five minutes):

    - a running job whose worker gave no sign of life within the lease is marked
      interrupted (the rows of its committed batches are whole; it can resume);
    - an upload older than a day is dropped whatever the state of its job; a job that had
      not finished then fails, saying which rows were not processed."""
    now = now or timezone.now()
    interrupted = detect_interrupted(ImportJob.objects.all(), now=now)
    old = ImportJob.objects.filter(upload_encrypted__isnull=False, created_at__lt=now - UPLOAD_KEPT)
    ended = old.exclude(status__in=(ImportStatus.DONE, ImportStatus.FAILED)).update(
        status=ImportStatus.FAILED,
        error=UPLOAD_DROPPED_ERROR,
        finished_at=now,
        upload_encrypted=None,
        updated_at=now,
    )
    dropped = old.update(upload_encrypted=None, updated_at=now)
    if interrupted or ended:
        logger.warning("imports: %d interrupted, %d failed (file dropped)", interrupted, ended)
    return {"interrupted": interrupted, "uploads_dropped": ended + dropped}


def detect_interrupted(jobs, *, now=None) -> int:
    """Mark the running jobs among ``jobs`` whose worker gave no sign of life within the
    lease interrupted (the watch does it for all; a look at a job between two watches for
    that job). Returns how many."""
    now = now or timezone.now()
    return jobs.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=_lease_cutoff(now)).update(
        status=ImportStatus.INTERRUPTED, error=INTERRUPTED_ERROR, finished_at=now, updated_at=now
    )


def purge_rejections(*, today: date | None = None) -> int:
    """Delete the rejected rows of imports finished more than ``IMPORT_REJECTIONS_DAYS`` ago:
    kept to be corrected, not for ever (they may hold people's data). The import keeps its
    counts; its page says the rows are gone. Returns the number of rows deleted."""
    from django.conf import settings

    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.IMPORT_REJECTIONS_DAYS)
    deleted, _per_model = ImportRejection.objects.filter(job__finished_at__date__lt=cutoff).delete()
    return deleted


def rejections_csv(job: ImportJob) -> str:
    """The rejected rows with a 'reden' column, in the standard template, to fix and re-import."""
    importer = IMPORTS[job.kind]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([*importer.columns, "regel", "reden"])
    for rejection in job.rejections.all():
        values = importer.shown_values(rejection.values)
        writer.writerow(
            [safe_cell(values.get(c, "")) for c in importer.columns]
            + [rejection.line, safe_cell(rejection.reason_nl)]
        )
    return buffer.getvalue()


def report(job: ImportJob) -> dict:
    return {
        "import": str(job.uuid),
        "status": job.status,
        "file": job.filename,
        **{name: getattr(job, name) for name in ("created", "updated", "unchanged", "rejected")},
        "rejected_rows": [
            {"line": r.line, "reason": r.reason_nl, "reason_en": r.reason_en}
            for r in job.rejections.all()
        ],
    }
