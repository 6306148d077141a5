"""Writing a batch of imported job seekers (:mod:`perspectief.candidates.importers`): the
rows are matched to the people already known and written in bulk, a handful of queries per
batch, in the batch's transaction (the runner's, :mod:`perspectief.imports.runner`).

A row is matched by BSN (any organisation: one person once), else by the organisation's
client number, else by name + date of birth + postcode among the people the organisation
serves; merged and anonymised records are never matched. Only real changes are written,
audited field by field; an unchanged person is only read (access log).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core import bsn as bsn_lib
from perspectief.core import bulk
from perspectief.core.authz import Actor
from perspectief.imports.rows import Counts, Rejected

from .completeness import completeness_of
from .constants import PROFILE_FIELDS
from .models import Candidate, CandidateOrganisation, CandidateSkill, CandidateTargetGroup
from .services.people import CandidateInput, audit_diff, legal_basis_for

#: What an import may change of a known person.
UPDATED_FIELDS = (
    *PROFILE_FIELDS,
    "region",
    "completeness",
    "updated_at",
    "bsn_encrypted",
    "bsn_index",
)


def natural_key(first: str, last: str, born: date | None, postcode: Any) -> tuple | None:
    """Name + date of birth + postcode; without both of the latter a name proves nothing."""
    if not (first and last and born and postcode):
        return None
    pk = postcode.pk if hasattr(postcode, "pk") else postcode
    return ("natural", first.strip().casefold(), last.strip().casefold(), born, pk)


@dataclass
class ParsedRow:
    """A valid row: the person's data, the BSN, and the key that recognises the person."""

    line: int
    raw: dict[str, str]
    data: CandidateInput
    bsn: str | None
    key: tuple


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
        through = Candidate.occupations.through
        return cls(
            groups=_sets(CandidateTargetGroup.objects.filter(candidate_id__in=ids), "group"),
            occupations=_sets(through.objects.filter(candidate_id__in=ids), "occupation_id"),
            skills=_sets(CandidateSkill.objects.filter(candidate_id__in=ids), "skill_id", "source"),
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

    def __init__(self, *, actor: Actor, organisation, started_by=None):
        self.actor = actor
        self.organisation = organisation
        self.basis = legal_basis_for(organisation)
        self.started_by = started_by
        self.event = audit.builder(actor)  # the batches' audit events

    # -- finding who is already known ----------------------------------------------------
    def _match(self, rows: list[ParsedRow]) -> dict[int, Candidate]:
        """The known person per row (by line): by BSN, else by this organisation's client
        number, else by name + date of birth + postcode among the people it serves.
        Merged and anonymised records are never matched; a different BSN never matches."""
        current = Candidate.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
        # Every index a row's BSN may be stored under (old keys during a key rotation).
        indexes = {r.line: bsn_lib.blind_indexes(r.bsn, valid=True) for r in rows if r.bsn}
        wanted_indexes = [index for found in indexes.values() for index in found]
        by_index = {c.bsn_index: c for c in current.filter(bsn_index__in=wanted_indexes)}
        by_reference = self._by_reference({r.data.reference for r in rows if r.data.reference})
        found: dict[int, Candidate | None] = {}
        for row in rows:
            candidate = next(
                (by_index[i] for i in indexes.get(row.line, ()) if i in by_index), None
            )
            if candidate is None and row.data.reference:
                candidate = by_reference.get(row.data.reference)
            found[row.line] = candidate
        # Name + date of birth + postcode only for the rows not found by BSN or number.
        naturals = {
            r.line: natural_key(
                r.data.first_name, r.data.last_name, r.data.date_of_birth, r.data.postcode
            )
            for r in rows
            if found[r.line] is None
        }
        # A row with a BSN the index did not find can only be someone stored without one
        # (another BSN is another person): only those are read, not every namesake.
        with_bsn = {r.line for r in rows if r.bsn}
        by_natural = self._by_natural(
            current, {key for line, key in naturals.items() if key and line not in with_bsn}
        )
        by_natural.update(
            self._by_natural(
                current.filter(bsn_index__isnull=True),
                {key for line, key in naturals.items() if key and line in with_bsn},
            )
        )
        matched = {}
        for row in rows:
            candidate = found[row.line]
            natural = naturals.get(row.line)
            if candidate is None and natural:
                candidate = by_natural.get(natural)
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
        by the indexed date of birth and the postcode, then the names compared in Python."""
        if not wanted:
            return {}
        found = {}
        for candidate in current.filter(
            date_of_birth__in={key[3] for key in wanted},
            postcode_id__in={key[4] for key in wanted},
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
            Candidate.objects.bulk_update(updates.candidates, UPDATED_FIELDS)
        self._replace_related(updates.related)
        self._serve([c for c in existing.values() if c.pk not in known.served], rows, existing)
        self._create([row for row in rows if row.line not in existing], counts, updates.events)
        bulk.insert(updates.events)
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
                self.event("candidate.updated", target=candidate, changes=changes)
            )
            self._log(candidate, Operation.CHANGE)
        else:
            counts.unchanged += 1
            self._log(candidate, Operation.READ)

    def _new_candidate(
        self, make: bulk.Blueprint, data: CandidateInput, bsn: str | None, now: datetime
    ) -> Candidate:
        """An unsaved person for a row nobody matched."""
        postcode = data.postcode
        candidate = make(
            region=postcode.municipality.region if postcode else self.organisation.region,
            klantmanager=self.started_by,
            created_at=now,
            updated_at=now,
            **data.profile_values(),
        )
        if bsn:  # validated by the row's parser
            candidate.bsn_encrypted = bsn_lib.encrypt_any(bsn)
            candidate.bsn_index = bsn_lib.blind_index_of_valid(bsn)
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
        make = bulk.Blueprint(Candidate)
        candidates = [self._new_candidate(make, row.data, row.bsn, now) for row in rows]
        for candidate in candidates:
            candidate.label = candidate.partner_label  # as save() does
        bulk.insert(candidates)
        servings, groups, occupations, skills = [], [], [], []
        through = Candidate.occupations.through
        serving, group = bulk.Blueprint(CandidateOrganisation), bulk.Blueprint(CandidateTargetGroup)
        occupation, skill = bulk.Blueprint(through), bulk.Blueprint(CandidateSkill)
        event = self.event
        for row, candidate in zip(rows, candidates, strict=True):
            data = row.data
            servings.append(
                serving(
                    candidate=candidate,
                    organisation=self.organisation,
                    legal_basis=self.basis,
                    reference=data.reference or "",
                )
            )
            groups += [
                group(candidate=candidate, group=g) for g in sorted(set(data.target_groups or []))
            ]
            occupations += [
                occupation(candidate_id=candidate.pk, occupation_id=o.pk)
                for o in {o.pk: o for o in data.occupations or []}.values()
            ]
            skills += [
                skill(candidate=candidate, skill=s, source=src)
                for s, src in {s.pk: (s, src) for s, src in data.skills or []}.values()
            ]
            events.append(
                event(
                    "candidate.registered",
                    target=candidate,
                    changes={"source": [None, "import"], "bsn": [None, "***" if row.bsn else None]},
                )
            )
            self._log(candidate, Operation.CREATE)
            counts.created += 1
        for written in (servings, groups, occupations, skills):
            bulk.insert(written)

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
        builders: dict[str, tuple[type[Model], Callable[[Candidate, Any], Model]]] = {
            "groups": (
                CandidateTargetGroup,
                lambda c, g: CandidateTargetGroup(candidate=c, group=g),
            ),
            "occupations": (through, lambda c, o: through(candidate_id=c.pk, occupation_id=o)),
            "skills": (
                CandidateSkill,
                lambda c, pair: CandidateSkill(candidate=c, skill_id=pair[0], source=pair[1]),
            ),
        }
        for name, (model, build) in builders.items():
            items = [(c, v) for c, n, v in related if n == name]
            if items:
                stored = model._default_manager.filter(candidate_id__in=[c.pk for c, _v in items])
                stored.delete()
                model._default_manager.bulk_create(
                    [build(c, x) for c, v in items for x in sorted(v)]
                )

    def _log(self, candidate, operation) -> None:
        access.record_candidate(
            self.actor, candidate, ProcessingActivity.CANDIDATE_IMPORT, operation
        )


def _refuse_repeats(rows: list[ParsedRow], matched: dict[int, Candidate]) -> list[Rejected]:
    """Take the second row of a person the batch already matched out of ``rows``: the same
    person twice (found by different keys), rejected."""
    refused: list[Rejected] = []
    first_line: dict[int, int] = {}
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


def _sets(qs, *values: str) -> dict[int, set]:
    """Per person, the set of ``values`` of ``qs`` (a value, or a tuple of several)."""
    out: dict[int, set] = {}
    for candidate_id, *found in qs.values_list("candidate_id", *values):
        out.setdefault(candidate_id, set()).add(found[0] if len(found) == 1 else tuple(found))
    return out


def _related_of(data: CandidateInput) -> dict:
    return {
        "groups": set(data.target_groups) if data.target_groups is not None else None,
        "occupations": {o.pk for o in data.occupations} if data.occupations is not None else None,
        "skills": {(s.pk, src) for s, src in data.skills} if data.skills is not None else None,
    }


#: The profile's foreign keys by field name → the attribute holding the id: compared by id,
#: so an unchanged person costs no query (reading ``candidate.postcode`` would fetch it).
_FOREIGN_KEYS = {
    f.name: f.attname for f in Candidate._meta.concrete_fields if f.is_relation and f.many_to_one
}


def _apply_profile(candidate: Candidate, data: CandidateInput) -> dict:
    changes = {}
    for name, value in data.profile_values().items():
        attname = _FOREIGN_KEYS.get(name)
        if attname is not None:
            if getattr(candidate, attname) == (value.pk if value is not None else None):
                continue
            current = getattr(candidate, name)  # changed: read once, for the audit
        else:
            current = getattr(candidate, name)
            if current == value:
                continue
        changes.update(audit_diff({name: current}, {name: value}))
        setattr(candidate, name, value)
    postcode = data.postcode
    if postcode is not None and candidate.region_id != postcode.municipality.region_id:
        candidate.region = postcode.municipality.region
    return changes
