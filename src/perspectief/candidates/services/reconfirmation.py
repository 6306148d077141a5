"""The 90-day availability cycle: people with their own account whose reconfirmation is due
are asked by e-mail, once per cycle. They answer with one click on their own page
(``views.own_page.self_reconfirm_view`` → :func:`.people.availability_confirm`)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.models import Membership
from perspectief.core.authz import Role
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify

from ..models import Candidate

logger = logging.getLogger(__name__)

#: The anchor of the reconfirmation block on the own page (the e-mail's link).
ANCHOR = "reconfirm"


def own_page_url() -> str:
    """Where the e-mail leads: the own page, at the reconfirmation block (which stands at
    the top of the page while it is due, so signing in first, which loses the anchor,
    still lands on the button)."""
    return reverse("candidates:self") + "#" + ANCHOR


def to_ask(*, now: datetime | None = None):
    """People with an active own account whose reconfirmation is due and who were not
    asked in this cycle: never asked, asked before their last confirmation ran out, or
    asked more than one period ago without answering (a reminder each period)."""
    now = now or timezone.now()
    period = timedelta(days=settings.CANDIDATE_RECONFIRM_DAYS)
    return Candidate.objects.reconfirmation_due(now=now).filter(
        Q(reconfirmation_asked_at__isnull=True)
        | Q(reconfirmation_asked_at__lt=F("availability_confirmed_at") + period)
        | Q(reconfirmation_asked_at__lt=now - period),
        user__isnull=False,
        user__is_active=True,
    )


def ask_reconfirmation(*, now: datetime | None = None) -> int:
    """E-mail everyone :func:`to_ask` finds (each in its own transaction, recorded as asked
    with the message); returns how many were asked. A person without an active job-seeker
    membership cannot be reached through the notices and is left for the klantmanager."""
    now = now or timezone.now()
    asked = 0
    url = own_page_url()
    for pk, user_id, before in (
        to_ask(now=now).values_list("pk", "user_id", "reconfirmation_asked_at").iterator()
    ):
        membership = (
            Membership.objects.active()
            .filter(user_id=user_id, role=Role.CANDIDATE)
            .select_related("user", "organisation")
            .first()
        )
        if membership is None:
            continue
        with transaction.atomic():
            # Compare-and-set: two runs at once ask a person once.
            if not Candidate.objects.filter(pk=pk, reconfirmation_asked_at=before).update(
                reconfirmation_asked_at=now
            ):
                continue
            notify(kind=Kind.RECONFIRMATION, memberships=[membership], url=url)
        asked += 1
    if asked:
        logger.info("reconfirmation: asked %d people", asked)
    return asked
