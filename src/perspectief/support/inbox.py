"""What the support team's work puts in the inbox (Mijn werkvoorraad):

- the region's programme manager: each published progress questionnaire the region has not
  submitted, with its deadline (submitting takes it out), and the team's answers to the
  region's support requests (opening the answer takes it out);
- the region's partners: each reflection round their organisation has not answered;
- the support team: the regions' open support requests (answering takes them out).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.core.authz import Actor, Permission
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem

from .constants import QuestionnaireKind, QuestionnaireStatus, RequestStatus, ResponseStatus
from .models import Questionnaire, Response, SupportRequest

#: A questionnaire this long past its deadline no longer waits in the inbox.
STALE_DAYS = 90
LIMIT = 50


def _waiting(actor: Actor, kind: str, answered_by):
    submitted = Response.objects.filter(status=ResponseStatus.SUBMITTED, **answered_by)
    return (
        Questionnaire.objects.visible_to(actor)
        .filter(
            kind=kind,
            status=QuestionnaireStatus.PUBLISHED,
            deadline__gte=timezone.localdate() - timedelta(days=STALE_DAYS),
        )
        .exclude(pk__in=submitted.values("questionnaire_id"))
        .select_related("region")
        .order_by("deadline", "id")[:LIMIT]
    )


def progress_waiting(actor: Actor) -> list[InboxItem]:
    if not actor.has_perm(Permission.REPORT_PROGRESS) or not actor.region_id:
        return []
    return [
        InboxItem(
            kind=Kind.PROGRESS_QUESTIONNAIRE,
            title=_("Answer the progress questionnaire: %(title)s") % {"title": q.display_title},
            url=reverse("support:progress", args=[q.uuid]),
            due=q.deadline,
            detail=_("National support team"),
            key=f"support.progress:{q.uuid}",
        )
        for q in _waiting(actor, QuestionnaireKind.PROGRESS, {"region_id": actor.region_id})
    ]


def reflection_waiting(actor: Actor) -> list[InboxItem]:
    if not actor.has_perm(Permission.REFLECT) or not actor.region_id:
        return []
    mine = {"organisation_id": actor.organisation.pk}
    return [
        InboxItem(
            kind=Kind.REFLECTION,
            title=_("Answer the reflection for your organisation: %(title)s")
            % {"title": q.display_title},
            url=reverse("support:reflection", args=[q.uuid]),
            due=q.deadline,
            key=f"support.reflection:{q.uuid}",
        )
        for q in _waiting(actor, QuestionnaireKind.REFLECTION, mine)
    ]


def requests_waiting(actor: Actor) -> list[InboxItem]:
    if actor.has_perm(Permission.SUPPORT_REGIONS):
        open_requests = SupportRequest.objects.visible_to(actor).filter(status=RequestStatus.OPEN)
        return [
            InboxItem(
                kind=Kind.SUPPORT_REQUEST,
                title=_("Support asked: %(subject)s") % {"subject": r.subject},
                url=reverse("support:team-request", args=[r.uuid]),
                detail=r.region.name,
                key=f"support.request:{r.uuid}",
            )
            for r in open_requests.select_related("region").order_by("created_at")[:LIMIT]
        ]
    if actor.has_perm(Permission.REPORT_PROGRESS) and actor.region_id:
        answered = SupportRequest.objects.visible_to(actor).filter(
            status=RequestStatus.ANSWERED, answer_seen_at__isnull=True
        )
        return [
            InboxItem(
                kind=Kind.SUPPORT_ANSWER,
                title=_("The support team answered: %(subject)s") % {"subject": r.subject},
                url=reverse("support:request", args=[r.uuid]),
                key=f"support.answer:{r.uuid}",
            )
            for r in answered.order_by("answered_at")[:LIMIT]
        ]
    return []


def register() -> None:
    SOURCES.register("support.progress", progress_waiting)
    SOURCES.register("support.reflection", reflection_waiting)
    SOURCES.register("support.requests", requests_waiting)
