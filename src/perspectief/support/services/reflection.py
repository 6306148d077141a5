"""A region's reflection round (lerende evaluatie): the programme manager opens it for a
period with the standard short questions — what works, what doesn't, what we need — and
optionally one of the region's own; every partner organisation of the region answers once;
the region and the support team read the rounds side by side over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perspectief.accounts.models import Membership
from perspectief.audit import services as audit
from perspectief.candidates import personal_data
from perspectief.core.authz import ROLE_PERMISSIONS, Actor, Permission
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify

from ..constants import QuestionKind, QuestionnaireKind, QuestionnaireStatus
from ..models import Question, Questionnaire
from .access import require_region_manager

#: The standard questions of every round, in this order (comparable over time).
STANDARD = (
    (gettext_lazy("What works?"), gettext_lazy("What went well in this period, and why.")),
    (
        gettext_lazy("What doesn't work?"),
        gettext_lazy("What did not work or stalled, and why (failures count as much)."),
    ),
    (
        gettext_lazy("What do we need?"),
        gettext_lazy("From each other, the region or the support team."),
    ),
)

#: Roles that answer a reflection for their organisation.
REFLECTING_ROLES = sorted(r for r, perms in ROLE_PERMISSIONS.items() if Permission.REFLECT in perms)


@dataclass
class RoundInput:
    period_start: date
    period_end: date
    deadline: date
    extra_question: str = ""


def partners(region_id):
    """The memberships that answer the region's reflection."""
    return Membership.objects.active().filter(
        role__in=REFLECTING_ROLES, organisation__region_id=region_id, user__is_active=True
    )


@transaction.atomic
def round_open(*, actor: Actor, data: RoundInput) -> Questionnaire:
    """Open a reflection round of the actor's region and tell its partners."""
    require_region_manager(
        actor, _("Only the region's programme manager opens a reflection round.")
    )
    errors: dict[str, list] = {}
    if data.period_end < data.period_start:
        errors["period_end"] = [_("The period ends before it starts.")]
    if data.deadline < data.period_start:
        errors["deadline"] = [_("The deadline cannot lie before the period starts.")]
    if len(data.extra_question.strip()) > 300:
        errors["extra_question"] = [_("Keep the question under 300 characters.")]
    if errors:
        raise ValidationError(errors)
    personal_data.check(
        {"extra_question": data.extra_question},
        labels={"extra_question": _("A question of the region's own")},
        region_ids=[actor.region_id],
    )
    region = actor.region
    questionnaire = Questionnaire.objects.create(
        kind=QuestionnaireKind.REFLECTION,
        title="",  # said from the region and period in the reader's language
        region=region,
        period_start=data.period_start,
        period_end=data.period_end,
        deadline=data.deadline,
        status=QuestionnaireStatus.PUBLISHED,
        created_by=actor.user,
        published_at=timezone.now(),
        published_by=actor.user,
    )
    questions = [
        Question(
            questionnaire=questionnaire,
            order=n,
            text=str(text),
            help=str(help_text),
            kind=QuestionKind.TEXT,
        )
        for n, (text, help_text) in enumerate(STANDARD, start=1)
    ]
    if data.extra_question.strip():
        questions.append(
            Question(
                questionnaire=questionnaire,
                order=len(questions) + 1,
                text=data.extra_question.strip(),
                kind=QuestionKind.TEXT,
                required=False,
            )
        )
    Question.objects.bulk_create(questions)
    audit.record(
        "support.reflection_opened",
        actor=actor,
        target=questionnaire,
        changes={"period": [None, f"{data.period_start}/{data.period_end}"]},
    )
    notify(
        kind=Kind.REFLECTION,
        memberships=partners(region.pk).select_related("user", "organisation"),
        url=reverse("support:reflection", args=[questionnaire.uuid]),
    )
    return questionnaire
