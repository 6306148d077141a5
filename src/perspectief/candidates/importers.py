"""The import of job seekers from gemeente and UWV files: what a row of the standard
template means (docs/import.md). The runner, the job, its progress and the rejected rows are
those of every import (:mod:`perspectief.imports`).

Every row is validated; a rejected row is kept with its line, a reason in Dutch and English
and its values, so it can be downloaded, corrected and imported again. Rows are written in
bulk per batch: running the same file again changes nothing (rows are matched by BSN, by
the organisation's client number, or by name + date of birth + postcode among the people
the organisation serves).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core import bsn as bsn_lib
from perspectief.core.authz import Permission
from perspectief.core.refusals import in_both_languages
from perspectief.core.validators import NAME_MESSAGES, name_problem
from perspectief.imports.kinds import Kind, Pages
from perspectief.imports.rows import Counts, Rejected, first_seen, parse_field, plain_date
from perspectief.imports.rows import required as required_cells

from . import parsing
from .completeness import completeness_of
from .constants import LanguageLevel, SkillSource, TargetGroup
from .duplicates import flag
from .models import Candidate, CandidateOrganisation, CandidateSkill, CandidateTargetGroup
from .services import PROFILE_FIELDS, CandidateInput, audit_diff, legal_basis_for

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


def natural_key(first: str, last: str, born: date | None, postcode: Any) -> tuple | None:
    """Name + date of birth + postcode; without both of the latter a name proves nothing."""
    if not (first and last and born and postcode):
        return None
    pk = postcode.pk if hasattr(postcode, "pk") else postcode
    return ("natural", first.strip().casefold(), last.strip().casefold(), born, pk)


def _both(column: str, message) -> tuple[str, str]:
    """A rejection reason in Dutch and English (stored rejections keep both); ``message()``
    gives it in the active language."""
    nl, en = in_both_languages(message)
    return f"{column}: {nl}", f"{column}: {en}"


# -- rows ------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    line: int
    raw: dict[str, str]
    data: CandidateInput
    bsn: str | None
    key: tuple


class RowParser:
    """Validates one row of the standard template into CandidateInput."""

    def __init__(self):
        self.resolver = parsing.Resolver()
        self.seen: dict[tuple, int] = {}

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
        natural = natural_key(
            get("voornaam"), get("achternaam"), values["date_of_birth"], values["postcode"]
        )
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
                rejected.refuse(*_both(column, partial(str, NAME_MESSAGES[problem])))
        value = raw.get("bsn")
        if not value:
            return None
        if bsn_lib.problem(value):
            rejected.refuse(*_both("bsn", partial(bsn_lib.problem, value)))
            return None
        return bsn_lib.validated(value)

    def _values(self, rejected: Rejected, raw: dict[str, str]) -> dict[str, Any]:
        """The profile values of the row's cells; each refusal is added to the reasons."""
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
        )
        return {
            name: parse_field(rejected, column, parser, raw.get(column, ""))
            for name, column, parser in cells
        }


# -- writing ---------------------------------------------------------------------------------


@dataclass
class Known:
    """What is stored of the people a batch matched, loaded in bulk: their target groups,
    occupations and skills, and whom the organisation serves already."""

    groups: dict[int, set]
    occupations: dict[int, set]
    skills: dict[int, set]
    served: set[int]

    @classmethod
    def load(cls, ids: list[int], organisation) -> Known:
        return cls(
            groups=_grouped(
                CandidateTargetGroup.objects.filter(candidate_id__in=ids), "candidate_id", "group"
            ),
            occupations=_grouped(
                Candidate.occupations.through.objects.filter(candidate_id__in=ids),
                "candidate_id",
                "occupation_id",
            ),
            skills=_pairs(CandidateSkill.objects.filter(candidate_id__in=ids)),
            served=set(
                CandidateOrganisation.objects.filter(
                    candidate_id__in=ids, organisation=organisation, is_active=True
                ).values_list("candidate_id", flat=True)
            ),
        )

    def related_of(self, candidate: Candidate) -> dict[str, set]:
        return {
            "groups": self.groups.get(candidate.pk, set()),
            "occupations": self.occupations.get(candidate.pk, set()),
            "skills": self.skills.get(candidate.pk, set()),
        }


@dataclass
class Updates:
    """What a batch changes of the people it matched, written in bulk at its end."""

    now: datetime
    candidates: list[Candidate] = field(default_factory=list)
    related: list[tuple[Candidate, str, set]] = field(default_factory=list)
    events: list = field(default_factory=list)


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
        by_reference = self._by_reference({r.data.reference for r in rows if r.data.reference})
        naturals = {
            r.line: natural_key(
                r.data.first_name, r.data.last_name, r.data.date_of_birth, r.data.postcode
            )
            for r in rows
        }
        by_natural = self._by_natural(current, {key for key in naturals.values() if key})
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

    def _by_reference(self, references: set[str]) -> dict[str, Candidate]:
        """The people this organisation knows by the client numbers of the batch."""
        if not references:
            return {}
        servings = CandidateOrganisation.objects.filter(
            organisation=self.organisation,
            reference__in=references,
            candidate__merged_into__isnull=True,
            candidate__anonymised_at__isnull=True,
        ).select_related("candidate")
        return {s.reference: s.candidate for s in servings}

    def _by_natural(self, current, wanted: set[tuple]) -> dict[tuple, Candidate]:
        """The people this organisation serves by name + date of birth + postcode: narrowed
        by the indexed date of birth, then the names compared in Python."""
        if not wanted:
            return {}
        found = {}
        for candidate in current.filter(
            date_of_birth__in={key[3] for key in wanted},
            servings__organisation=self.organisation,
            servings__is_active=True,
        ):
            key = natural_key(
                candidate.first_name,
                candidate.last_name,
                candidate.date_of_birth,
                candidate.postcode_id,
            )
            if key:
                found[key] = candidate
        return found

    # -- writing -------------------------------------------------------------------------
    def write(self, rows: list[ParsedRow], counts: Counts) -> list[Rejected]:
        """Write the rows; returns rows refused here (the same person twice in a batch)."""
        matched = self._match(rows)
        refused = _refuse_repeats(rows, matched)
        existing = {row.line: matched[row.line] for row in rows if row.line in matched}
        known = Known.load([c.pk for c in existing.values()], self.organisation)
        updates = Updates(now=timezone.now())
        for row in rows:
            candidate = existing.get(row.line)
            if candidate is not None:
                self._update(row, candidate, known, updates, counts)
        if updates.candidates:
            Candidate.objects.bulk_update(
                updates.candidates,
                [
                    *PROFILE_FIELDS,
                    "region",
                    "completeness",
                    "updated_at",
                    "bsn_encrypted",
                    "bsn_index",
                ],
            )
        self._replace_related(updates.related)
        self._serve([c for c in existing.values() if c.pk not in known.served], rows, existing)
        self._create([row for row in rows if row.line not in existing], counts, updates.events)
        audit.AuditEvent.objects.bulk_create(updates.events)
        return refused

    def _update(
        self, row: ParsedRow, candidate: Candidate, known: Known, updates: Updates, counts: Counts
    ) -> None:
        """Apply a row to the person it matched: only real changes, audited field by field;
        an unchanged person is only read (access log)."""
        changes = _apply_profile(candidate, row.data)
        if row.bsn and not candidate.bsn_index:
            candidate.bsn_encrypted = bsn_lib.encrypt(row.bsn)
            candidate.bsn_index = bsn_lib.blind_index(row.bsn)
            changes["bsn"] = [None, "…"]
        current = known.related_of(candidate)
        for name, value in _related_of(row.data).items():
            if value is not None and value != current[name]:
                changes[name] = [sorted(map(str, current[name])), sorted(map(str, value))]
                current[name] = value
                updates.related.append((candidate, name, value))
        if candidate.pk not in known.served:
            changes["serving"] = [None, str(self.organisation.uuid)]
        filled = {"occupations": bool(current["occupations"]), "skills": bool(current["skills"])}
        completeness = completeness_of(candidate, filled)
        if changes or completeness != candidate.completeness:
            candidate.completeness = completeness
            candidate.updated_at = updates.now  # bulk_update does not apply auto_now
            updates.candidates.append(candidate)
        if changes:
            counts.updated += 1
            updates.events.append(
                audit.build(
                    "candidate.updated", actor=self.actor, target=candidate, changes=changes
                )
            )
            self._log(candidate, Operation.CHANGE)
        else:
            counts.unchanged += 1
            self._log(candidate, Operation.READ)

    def _new_candidate(self, data: CandidateInput, bsn: str | None, now: datetime) -> Candidate:
        """An unsaved person for a row nobody matched."""
        candidate = Candidate(
            region=data.postcode.municipality.region if data.postcode else self.organisation.region,
            klantmanager=self.started_by,
            created_at=now,
            updated_at=now,
            **data.profile_values(),
        )
        if bsn:
            candidate.bsn_encrypted = bsn_lib.encrypt(bsn)
            candidate.bsn_index = bsn_lib.blind_index(bsn)
        related = _related_of(data)
        candidate.completeness = completeness_of(
            candidate,
            {"occupations": bool(related["occupations"]), "skills": bool(related["skills"])},
        )
        return candidate

    def _create(self, rows: list[ParsedRow], counts: Counts, events: list) -> None:
        """Register the people nobody matched, with their servings, target groups,
        occupations and skills, audited and in the access log."""
        if not rows:
            return
        now = timezone.now()
        candidates = [self._new_candidate(row.data, row.bsn, now) for row in rows]
        Candidate.objects.bulk_create(candidates)
        servings, groups, occupations, skills = [], [], [], []
        through = Candidate.occupations.through
        for row, candidate in zip(rows, candidates, strict=True):
            data = row.data
            servings.append(
                CandidateOrganisation(
                    candidate=candidate,
                    organisation=self.organisation,
                    legal_basis=self.basis,
                    reference=data.reference or "",
                )
            )
            groups += [
                CandidateTargetGroup(candidate=candidate, group=g)
                for g in sorted(set(data.target_groups or []))
            ]
            occupations += [
                through(candidate_id=candidate.pk, occupation_id=o.pk)
                for o in {o.pk: o for o in data.occupations or []}.values()
            ]
            skills += [
                CandidateSkill(candidate=candidate, skill=s, source=src)
                for s, src in {s.pk: (s, src) for s, src in data.skills or []}.values()
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
        """Add the organisation as serving organisation of matched people it did not serve."""
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
        """Replace the target groups, occupations and skills that changed."""
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


def _refuse_repeats(rows: list[ParsedRow], matched: dict[int, Candidate]) -> list[Rejected]:
    """Take the second row of a person the batch already matched out of ``rows``: the same
    person twice (found by different keys), rejected."""
    refused, first_line = [], {}
    for row in list(rows):
        candidate = matched.get(row.line)
        if candidate is None:
            continue
        if candidate.pk in first_line:
            first = first_line[candidate.pk]
            rejected = Rejected(line=row.line, raw=row.raw)
            rejected.refuse(
                f"dubbele rij: dezelfde persoon als regel {first}",
                f"duplicate row: the same person as line {first}",
            )
            refused.append(rejected)
            rows.remove(row)
        else:
            first_line[candidate.pk] = row.line
    return refused


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

    def __init__(self, *, job, actor):
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
