"""Telling the regions about the progress questionnaire: when it is published, a week
before its deadline, and once it is overdue — each stage once per region (a
:class:`~perspectief.support.models.Reminder` row records it, so the daily task may run
any number of times). The inbox shows the questionnaire until the region has submitted;
the e-mail follows each programme manager's preference (``notifications.services.notify``)."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.models import Membership
from perspectief.core.authz import Role
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify
from perspectief.regions.models import Region

from ..constants import REMIND_DAYS, QuestionnaireKind, QuestionnaireStatus, ReminderStage
from ..models import Questionnaire, Reminder, Response

log = logging.getLogger("perspectief.support")

KIND_OF_STAGE: dict[str, str] = {
    ReminderStage.PUBLISHED: Kind.PROGRESS_QUESTIONNAIRE,
    ReminderStage.BEFORE: Kind.PROGRESS_REMINDER,
    ReminderStage.OVERDUE: Kind.PROGRESS_REMINDER,
}


def managers():
    """The active programme managers of the regions."""
    return Membership.objects.active().filter(
        role=Role.PROGRAMME_MANAGER, organisation__region__isnull=False, user__is_active=True
    )


def regions_to_answer():
    """The regions that answer the progress questionnaire: those with a programme manager."""
    return Region.objects.filter(pk__in=managers().values("organisation__region_id")).order_by(
        "code"
    )


def tell(questionnaire: Questionnaire, stage: str, regions) -> int:
    """Tell each region's programme managers about the questionnaire at ``stage``, unless
    that region was told at this stage before. Returns the regions told."""
    url = reverse("support:progress", args=[questionnaire.uuid])
    told = 0
    for region in regions:
        try:
            with transaction.atomic():
                Reminder.objects.create(questionnaire=questionnaire, region=region, stage=stage)
        except IntegrityError:  # told at this stage before
            continue
        notify(
            kind=KIND_OF_STAGE[stage],
            memberships=managers()
            .filter(organisation__region=region)
            .select_related("user", "organisation"),
            url=url,
        )
        told += 1
    return told


def remind_questionnaires(*, today: date | None = None) -> int:
    """Daily: a reminder to the regions that have not submitted, a week before the
    deadline, and once more when it has passed. Idempotent."""
    today = today or timezone.localdate()
    told = 0
    open_questionnaires = Questionnaire.objects.filter(
        kind=QuestionnaireKind.PROGRESS,
        status=QuestionnaireStatus.PUBLISHED,
        deadline__gte=today - timedelta(days=90),
    )
    for questionnaire in open_questionnaires:
        if today > questionnaire.deadline:
            stage = ReminderStage.OVERDUE
        elif today >= questionnaire.deadline - timedelta(days=REMIND_DAYS):
            stage = ReminderStage.BEFORE
        else:
            continue
        answered = Response.objects.filter(
            questionnaire=questionnaire, submitted_at__isnull=False
        ).values("region_id")
        with transaction.atomic():
            told += tell(questionnaire, stage, regions_to_answer().exclude(pk__in=answered))
    log.info("questionnaire reminders told=%d", told)
    return told
