"""Support requests: a region's programme manager asks the national support team
(subject, question, pillar); the team answers. Both sides find the other's move in their
inbox and by e-mail; every step is audited. Neither the request nor the answer may name one
of the region's people or hold a BSN (refused, nothing saved)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from perspectief.accounts.models import Membership
from perspectief.audit import services as audit
from perspectief.candidates import personal_data
from perspectief.core.authz import Actor, Permission, Role
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify

from ..constants import Pillar, RequestStatus
from ..models import SupportRequest
from .access import require_region_manager, require_team
from .reminders import managers


def _label(name: str) -> str:
    field = SupportRequest._meta.get_field(name)
    assert isinstance(field, Field)
    return capfirst(str(field.verbose_name))


@dataclass
class RequestInput:
    subject: str
    question: str
    pillar: str


@transaction.atomic
def request_ask(*, actor: Actor, data: RequestInput) -> SupportRequest:
    require_region_manager(
        actor, _("Only a region's programme manager asks the support team for support.")
    )
    errors: dict[str, list] = {}
    if not data.subject.strip():
        errors["subject"] = [_("Give the request a subject.")]
    if not data.question.strip():
        errors["question"] = [_("Write what you need support with.")]
    if data.pillar not in Pillar.values:
        errors["pillar"] = [_("Choose the pillar the request is about.")]
    if errors:
        raise ValidationError(errors)
    personal_data.check(
        {"subject": data.subject, "question": data.question},
        labels={name: _label(name) for name in ("subject", "question")},
        region_ids=[actor.region_id],
    )
    request = SupportRequest(
        region_id=actor.region_id,
        organisation=actor.organisation,
        asked_by=actor.user,
        subject=data.subject.strip()[:200],
        question=data.question.strip()[:5000],
        pillar=data.pillar,
    )
    request.full_clean(exclude=["asked_by"])
    request.save()
    audit.record(
        "support.request_asked",
        actor=actor,
        target=request,
        changes={"subject": [None, request.subject]},
    )
    team = Membership.objects.active().filter(role=Role.SUPPORT_TEAM, user__is_active=True)
    notify(
        kind=Kind.SUPPORT_REQUEST,
        memberships=team.select_related("user", "organisation"),
        url=reverse("support:team-request", args=[request.uuid]),
    )
    return request


@transaction.atomic
def request_answer(*, actor: Actor, request: SupportRequest, answer: str) -> SupportRequest:
    require_team(actor)
    if not answer.strip():
        raise ValidationError({"answer": [_("Write the answer.")]})
    locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
    personal_data.check(
        {"answer": answer}, labels={"answer": _label("answer")}, region_ids=[locked.region_id]
    )
    before = locked.answer
    locked.answer = answer.strip()[:5000]
    locked.status = RequestStatus.ANSWERED
    locked.answered_by = actor.user
    locked.answered_at = timezone.now()
    locked.answer_seen_at = None  # a changed answer is news again
    locked.save()
    audit.record(
        "support.request_answered",
        actor=actor,
        target=locked,
        changes={"answer": [before, locked.answer]},
    )
    notify(
        kind=Kind.SUPPORT_ANSWER,
        memberships=managers()
        .filter(organisation__region_id=locked.region_id)
        .select_related("user", "organisation"),
        url=reverse("support:request", args=[locked.uuid]),
    )
    return locked


def answer_seen(*, actor: Actor, request: SupportRequest) -> None:
    """The region opened the team's answer: it leaves the region's inbox."""
    if (
        request.status == RequestStatus.ANSWERED
        and request.answer_seen_at is None
        and actor.has_perm(Permission.REPORT_PROGRESS)
        and actor.region_id == request.region_id
    ):
        SupportRequest.objects.filter(pk=request.pk).update(answer_seen_at=timezone.now())
