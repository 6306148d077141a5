"""Corrections of the profile: the person proposes one from their own page, a klantmanager
of an organisation that serves them accepts it (the profile changes through
:func:`.people.candidate_update`, audited there too) or declines it with a reason. Every
step is audited and access-logged; a proposal tells the klantmanager by e-mail."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.accounts.models import Membership
from perspectief.accounts.selectors import members_of
from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Actor, Permission, Role
from perspectief.core.exceptions import NotFoundError
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify
from perspectief.regions.models import Postcode
from perspectief.taxonomy.models import EducationLevel, Occupation

from ..constants import CorrectionField, CorrectionStatus
from ..models import Candidate, ProfileCorrection
from ..selectors.corrections import may_decide, stored_value
from ..selectors.people import is_own
from .people import candidate_update, input_from

F = CorrectionField

#: Longest explanation or reason kept (a few sentences, not a letter).
MAX_REASON = 1000


def _reason(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > MAX_REASON:
        raise ValidationError(_("Keep it shorter: at most %(n)d characters.") % {"n": MAX_REASON})
    return text


@transaction.atomic
def correction_propose(
    *, actor: Actor, candidate: Candidate, field: str, value: str, reason: str = ""
) -> ProfileCorrection:
    """The person proposes ``value`` (in the fixed text form of the field, see
    ``selectors.corrections.stored_value``) for one field of their own profile. An open
    proposal for the same field is replaced. Tells the klantmanager(s) by e-mail."""
    if actor.role != Role.CANDIDATE or not is_own(actor, candidate):
        raise NotFoundError(_("Job seeker not found."))
    if field not in F.values:
        raise ValidationError(_("This cannot be changed here."))
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    current = stored_value(candidate, field)
    if value == current:
        raise ValidationError(_("This is already what is recorded. Nothing has changed."))
    correction = ProfileCorrection.objects.filter(
        candidate=candidate, field=field, status=CorrectionStatus.PROPOSED
    ).first() or ProfileCorrection(candidate=candidate, field=field)
    correction.proposed_value = value
    correction.current_value = current
    correction.reason = _reason(reason)
    correction.proposed_by = actor.user
    correction.save()
    audit.record(
        "candidate.correction_proposed",
        actor=actor,
        target=candidate,
        changes={"field": [None, field], "correction": [None, str(correction.uuid)]},
    )
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_SELF, Operation.CHANGE)
    notify(
        kind=Kind.CORRECTION,
        memberships=recipients(candidate),
        url=reverse("candidates:detail", kwargs={"uuid": candidate.uuid}) + "#corrections",
    )
    return correction


def recipients(candidate: Candidate) -> list[Membership]:
    """Whom a proposal is told: the person's own klantmanager when they act for an
    organisation that serves the person; otherwise every klantmanager of those
    organisations (someone must see it)."""
    memberships: list[Membership] = []
    for serving in candidate.servings.filter(is_active=True).select_related("organisation"):
        memberships += members_of(serving.organisation, permission=Permission.MANAGE_CANDIDATES)
    own = [m for m in memberships if m.user_id == candidate.klantmanager_id]
    return own or memberships


def _decidable(actor: Actor, correction: ProfileCorrection) -> ProfileCorrection:
    """The correction, locked, when the actor may decide on it and it is still open."""
    if not may_decide(actor, correction.candidate):
        raise NotFoundError(_("Job seeker not found."))
    correction = (
        ProfileCorrection.objects.select_for_update()
        .select_related("candidate")
        .get(pk=correction.pk)
    )
    if correction.status != CorrectionStatus.PROPOSED:
        raise ValidationError(_("This correction has already been decided."))
    return correction


def _decided(actor: Actor, correction: ProfileCorrection, status: str, reason: str = "") -> None:
    correction.status = status
    correction.decided_by = actor.user
    correction.decided_for = actor.organisation
    correction.decided_at = timezone.now()
    correction.decline_reason = reason
    correction.save()
    audit.record(
        f"candidate.correction_{status}",
        actor=actor,
        target=correction.candidate,
        changes={"field": [None, correction.field], "correction": [None, str(correction.uuid)]},
    )


@transaction.atomic
def correction_accept(*, actor: Actor, correction: ProfileCorrection) -> dict:
    """Apply the proposed value to the profile (through the profile's own update, which
    audits the change and logs the access) and mark the correction accepted. Returns the
    profile's changes."""
    correction = _decidable(actor, correction)
    candidate = correction.candidate
    value = to_value(correction.field, correction.proposed_value)
    changes = candidate_update(
        actor=actor, candidate=candidate, data=input_from(candidate, **{correction.field: value})
    )
    _decided(actor, correction, CorrectionStatus.ACCEPTED)
    return changes


@transaction.atomic
def correction_decline(
    *, actor: Actor, correction: ProfileCorrection, reason: str
) -> ProfileCorrection:
    """Decline the correction; the person reads the reason on their own page."""
    correction = _decidable(actor, correction)
    reason = _reason(reason)
    if not reason:
        raise ValidationError(_("Say why: the person reads it on their own page."))
    _decided(actor, correction, CorrectionStatus.DECLINED, reason)
    access.record_candidate(
        actor, correction.candidate, ProcessingActivity.CANDIDATE_SERVICE, Operation.CHANGE
    )
    return correction


def to_value(field: str, stored: str) -> Any:
    """A stored value as the profile's update takes it (``services.people.CandidateInput``)."""
    if field in (F.EMAIL, F.PHONE, F.TRANSPORT, F.DUTCH):
        return stored
    if field in (F.HOURS, F.TRAVEL):
        return int(stored)
    if field == F.AVAILABLE_FROM:
        return date.fromisoformat(stored)
    if field == F.DRIVING_LICENCE:
        return stored == "ja"
    if field == F.POSTCODE:
        return Postcode.objects.select_related("municipality__region").get(code=stored)
    if field == F.EDUCATION:
        return EducationLevel.objects.get(code=stored)
    if field == F.OCCUPATIONS:
        return list(Occupation.objects.filter(uri__in=stored.split()))
    raise ValueError(field)
