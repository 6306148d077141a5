"""One person once, also without a BSN: likely duplicates are flagged (same first name,
last name, date of birth and postcode; never two different BSNs) for a person to merge or
keep apart. A merge moves everything to one record, is audited, and can be undone.

Only records that one organisation serves *both* of are paired: a search across
organisations would tell anyone whether a person with that name exists elsewhere. Across
organisations one person becomes one record through the BSN."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError

from ..completeness import completeness_of
from ..constants import PROFILE_FIELDS, DuplicateStatus
from ..models import (
    Candidate,
    CandidateMerge,
    CandidateOrganisation,
    CandidateSkill,
    CandidateTargetGroup,
    DuplicatePair,
    HealthInformation,
)
from ..selectors.duplicates import merges_for, pairs_for

#: Why a pair was flagged, stored as the English msgid (translated if it is ever shown).
REASON = gettext_noop("same name, date of birth and postcode")


def natural_key(candidate: Candidate):
    if candidate.date_of_birth is None or candidate.postcode_id is None:
        return None
    return (
        candidate.first_name.strip().casefold(),
        candidate.last_name.strip().casefold(),
        candidate.date_of_birth,
        candidate.postcode_id,
    )


CHUNK = 500


def flag(candidates) -> int:
    """Compare these candidates with every current record; returns new open pairs. Read
    as a stream, ``CHUNK`` keys at a time (an import passes every person it touched): a
    pair found again in a later chunk is stored once."""
    found = 0
    keyed: dict[tuple, list[Candidate]] = {}
    for candidate in candidates:
        key = natural_key(candidate)
        if key is None:
            continue
        if key not in keyed and len(keyed) >= CHUNK:
            found += _flag_chunk(keyed)
            keyed = {}
        keyed.setdefault(key, []).append(candidate)
    return found + _flag_chunk(keyed)


def _flag_chunk(keyed: dict[tuple, list[Candidate]]) -> int:
    if not keyed:
        return 0
    last_names = {key[1] for key in keyed}
    current = (
        Candidate.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
        .annotate(ln=Lower("last_name"))
        .filter(
            ln__in=last_names,
            date_of_birth__in={key[2] for key in keyed},
            postcode_id__in={key[3] for key in keyed},  # part of the key: narrows the read
        )
    )
    # Two people with a BSN are never a pair: for the keys whose people all have one (an
    # import of a gemeente's file), only those stored without a BSN are read — not every
    # namesake of the population, a read that grew with it.
    without_bsn = {key[1] for key, group in keyed.items() if any(not c.bsn_index for c in group)}
    if without_bsn != last_names:
        current = current.filter(
            Q(bsn_index__isnull=True) | Q(bsn_index="") | Q(ln__in=without_bsn)
        )
    others = list(
        current.only("pk", "first_name", "last_name", "date_of_birth", "postcode_id", "bsn_index")
    )
    involved = {c.pk for c in others} | {c.pk for group in keyed.values() for c in group}
    serving: dict[int, set[int]] = {}
    for candidate_id, organisation_id in CandidateOrganisation.objects.filter(
        candidate_id__in=involved, is_active=True
    ).values_list("candidate_id", "organisation_id"):
        serving.setdefault(candidate_id, set()).add(organisation_id)
    pairs = set()
    for other in others:
        for candidate in keyed.get(natural_key(other), []):
            if other.pk == candidate.pk:
                continue
            if candidate.bsn_index and other.bsn_index:
                continue  # two BSNs: two people
            if not serving.get(candidate.pk, set()) & serving.get(other.pk, set()):
                continue  # no organisation serves both: not for anyone to compare
            pairs.add((min(candidate.pk, other.pk), max(candidate.pk, other.pk)))
    existing = set(
        DuplicatePair.objects.filter(
            Q(first_id__in=[a for a, _b in pairs]) | Q(second_id__in=[b for _a, b in pairs])
        ).values_list("first_id", "second_id")
    )
    new = [
        DuplicatePair(first_id=a, second_id=b, reason=REASON) for a, b in sorted(pairs - existing)
    ]
    DuplicatePair.objects.bulk_create(new)
    return len(new)


def _log(actor: Actor, candidate, operation=Operation.CHANGE):
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_SERVICE, operation)


@transaction.atomic
def keep_apart(*, actor: Actor, pair: DuplicatePair) -> DuplicatePair:
    pair = _get_pair(actor, pair)
    pair.status = DuplicateStatus.KEPT_APART
    pair.decided_by, pair.decided_at = actor.user, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    for candidate in (pair.first, pair.second):
        audit.record(
            "candidate.kept_apart",
            actor=actor,
            target=candidate,
            changes={
                "other": [None, str((pair.second if candidate == pair.first else pair.first).uuid)]
            },
        )
    return pair


def _get_pair(actor: Actor, pair) -> DuplicatePair:
    allowed = pairs_for(actor).filter(pk=pair.pk).values("pk")
    found = DuplicatePair.objects.select_for_update().filter(pk__in=allowed).first()
    if found is None:
        raise NotFoundError(_("Possible duplicate not found."))
    return found


def _profile_field(name: str) -> models.Field:
    """A profile field of the person's record (a column, not a relation)."""
    field = Candidate._meta.get_field(name)
    assert isinstance(field, models.Field)  # PROFILE_FIELDS are the record's own columns
    return field


def _field_state(candidate, name) -> str | None:
    field = _profile_field(name)
    value = field.value_from_object(candidate)
    return None if value in (None, "") else field.value_to_string(candidate)


def _empty(candidate, name) -> bool:
    return _field_state(candidate, name) is None


@transaction.atomic
def merge(*, actor: Actor, pair: DuplicatePair) -> CandidateMerge:
    """Merge the pair into the record with a BSN (else the older one). What moves is kept
    in the merge record (``moved``), so :func:`unmerge` can put it back."""
    pair = _get_pair(actor, pair)
    first, second = (
        Candidate.objects.select_for_update().get(pk=pk) for pk in (pair.first_id, pair.second_id)
    )
    survivor, merged = (
        (second, first) if (second.bsn_index and not first.bsn_index) else (first, second)
    )
    moved: dict = {
        "servings": [],
        "consents": [],
        "occupations": [],
        "skills": [],
        "groups": [],
        "fields": {},
        "bsn": False,
        "user": False,
        "health": False,
    }
    _refuse_merge(actor, survivor, merged)
    _move_account_and_health(survivor, merged, moved)
    _move_servings_and_consents(survivor, merged, moved)
    _add_what_is_missing(survivor, merged, moved)
    _fill_empty_fields(survivor, merged, moved)
    _move_bsn(survivor, merged, moved)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    survivor.completeness = completeness_of(survivor)
    survivor.save()
    return _record_merge(actor, pair, survivor, merged, moved)


def _refuse_merge(actor: Actor, survivor: Candidate, merged: Candidate) -> None:
    """Only the one organisation that serves both records merges them, and two records with
    an account of their own stay two."""
    own = actor.organisation.pk
    if (
        CandidateOrganisation.objects.filter(candidate__in=[survivor, merged], is_active=True)
        .exclude(organisation_id=own)
        .exists()
    ):
        raise ValidationError(
            _(
                "Another organisation also serves one of these records; merge them together "
                "with that organisation."
            )
        )
    if survivor.user_id and merged.user_id:
        raise ValidationError(_("Both records have their own account; they cannot be merged."))


def _move_account_and_health(survivor: Candidate, merged: Candidate, moved: dict) -> None:
    """The person's own account and functional limitations move to the surviving record;
    two sets of functional limitations are combined by a person first."""
    if merged.user_id and not survivor.user_id:
        survivor.user_id, merged.user_id = merged.user_id, None
        merged.save(update_fields=["user"])
        moved["user"] = True
    if HealthInformation.objects.filter(candidate=merged).exists():
        if HealthInformation.objects.filter(candidate=survivor).exists():
            raise ValidationError(
                _("Both records have functional limitations; combine them first.")
            )
        HealthInformation.objects.filter(candidate=merged).update(candidate=survivor)
        moved["health"] = True


def _move_servings_and_consents(survivor: Candidate, merged: Candidate, moved: dict) -> None:
    """Servings of organisations the survivor lacks, and every consent, move over."""
    survivor_orgs = set(survivor.servings.values_list("organisation_id", flat=True))
    for serving in merged.servings.all():
        if serving.organisation_id not in survivor_orgs:
            serving.candidate = survivor
            serving.save(update_fields=["candidate", "updated_at"])
            moved["servings"].append(serving.pk)
    for consent in merged.consents.all():
        consent.candidate = survivor
        consent.save(update_fields=["candidate", "updated_at"])
        moved["consents"].append(consent.pk)


def _add_what_is_missing(survivor: Candidate, merged: Candidate, moved: dict) -> None:
    """Occupations, skills and target groups the survivor lacks are added to it (the merged
    record keeps its own, so undoing removes only what was added)."""
    have = set(survivor.occupations.values_list("pk", flat=True))
    for occupation in merged.occupations.all():
        if occupation.pk not in have:
            survivor.occupations.add(occupation)
            moved["occupations"].append(occupation.pk)
    have = set(survivor.skills.values_list("skill_id", flat=True))
    for row in merged.skills.all():
        if row.skill_id not in have:
            added = CandidateSkill.objects.create(
                candidate=survivor,
                skill_id=row.skill_id,
                source=row.source,
                acquired_on=row.acquired_on,
                route_step=row.route_step,
                trained_on=row.trained_on,
            )
            moved["skills"].append(added.pk)
    groups = set(survivor.target_group_rows.values_list("group", flat=True))
    for group_row in merged.target_group_rows.all():
        if group_row.group not in groups:
            group = CandidateTargetGroup.objects.create(candidate=survivor, group=group_row.group)
            moved["groups"].append(group.pk)


def _fill_empty_fields(survivor: Candidate, merged: Candidate, moved: dict) -> None:
    """Profile fields empty on the survivor take the merged record's value; ``moved`` keeps
    the survivor's former (empty) state."""
    for name in PROFILE_FIELDS:
        if _empty(survivor, name) and not _empty(merged, name):
            moved["fields"][name] = _field_state(survivor, name)
            field = _profile_field(name)
            setattr(survivor, field.attname, field.value_from_object(merged))


def _move_bsn(survivor: Candidate, merged: Candidate, moved: dict) -> None:
    """A BSN only the merged record has moves to the survivor (its index is unique)."""
    if not survivor.bsn_index and merged.bsn_index:
        survivor.bsn_encrypted, survivor.bsn_index = merged.bsn_encrypted, merged.bsn_index
        merged.bsn_index = None
        merged.save(update_fields=["bsn_index"])
        moved["bsn"] = True


def _record_merge(actor: Actor, pair, survivor, merged, moved) -> CandidateMerge:
    """Decide the pair, keep what moved, and audit and log both records."""
    pair.status = DuplicateStatus.MERGED
    pair.decided_by, pair.decided_at = actor.user, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    record = CandidateMerge.objects.create(
        survivor=survivor, merged=merged, pair=pair, moved=moved, merged_by=actor.user
    )
    audit.record(
        "candidate.merged",
        actor=actor,
        target=survivor,
        changes={"merged": [None, str(merged.uuid)], "moved": [None, moved]},
    )
    audit.record(
        "candidate.merged_into",
        actor=actor,
        target=merged,
        changes={"merged_into": [None, str(survivor.uuid)]},
    )
    _log(actor, survivor)
    _log(actor, merged)
    return record


@transaction.atomic
def unmerge(*, actor: Actor, merge_record: CandidateMerge) -> CandidateMerge:
    """Undo a merge: everything that moved goes back; both records are separate again."""
    allowed = merges_for(actor).filter(pk=merge_record.pk).values("pk")
    record = CandidateMerge.objects.select_for_update().filter(pk__in=allowed).first()
    if record is None or not actor.has_perm(Permission.MANAGE_CANDIDATES):
        raise NotFoundError(_("Merge not found."))
    survivor = Candidate.objects.select_for_update().get(pk=record.survivor_id)
    merged = Candidate.objects.select_for_update().get(pk=record.merged_id)
    _move_back(survivor, merged, record.moved)
    merged.merged_into = None
    merged.save()
    survivor.completeness = completeness_of(survivor)
    survivor.save()
    merged.completeness = completeness_of(merged)
    merged.save(update_fields=["completeness"])
    record.undone_at = timezone.now()
    record.save(update_fields=["undone_at", "updated_at"])
    if record.pair_id:
        DuplicatePair.objects.filter(pk=record.pair_id).update(
            status=DuplicateStatus.OPEN, decided_by=None, decided_at=None
        )
    audit.record(
        "candidate.unmerged",
        actor=actor,
        target=survivor,
        changes={"merged": [str(merged.uuid), None]},
    )
    audit.record(
        "candidate.unmerged",
        actor=actor,
        target=merged,
        changes={"merged_into": [str(survivor.uuid), None]},
    )
    _log(actor, survivor)
    _log(actor, merged)
    return record


def _move_back(survivor: Candidate, merged: Candidate, moved: dict) -> None:
    """Put back what :func:`merge` moved: servings, consents, what was added, the fields it
    filled, functional limitations, the account and the BSN (saved by the caller)."""
    survivor.servings.filter(pk__in=moved["servings"]).update(candidate=merged)
    survivor.consents.filter(pk__in=moved["consents"]).update(candidate=merged)
    survivor.occupations.remove(*moved["occupations"])
    CandidateSkill.objects.filter(pk__in=moved["skills"]).delete()
    CandidateTargetGroup.objects.filter(pk__in=moved["groups"]).delete()
    for name, state in moved["fields"].items():
        field = _profile_field(name)
        value = None if state is None else field.to_python(state)
        if value is None and not field.null:
            value = ""
        setattr(survivor, field.attname, value)
    if moved.get("health"):
        HealthInformation.objects.filter(candidate=survivor).update(candidate=merged)
    if moved.get("user"):
        merged.user_id, survivor.user_id = survivor.user_id, None
        survivor.save(update_fields=["user"])
    if moved["bsn"]:
        index = survivor.bsn_index
        survivor.bsn_index = None
        survivor.save(update_fields=["bsn_index"])
        merged.bsn_index = index
        survivor.bsn_encrypted = ""
