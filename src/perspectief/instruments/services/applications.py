"""Writes of instrument applications: record one on a hire, its decision and course
(aangevraagd → toegekend / afgewezen → lopend → beëindigd), the payments, the deadlines
ticked off, and the daily reminder of deadlines that come near.

Every write takes the keyword-only ``actor``, runs in one transaction and writes its audit
event in it. The version an application is made under is the published one valid on the
hire's start; it stays with the application when a newer version is published.

Deadlines are made from the version's ``rules["deadlines"]``, each counted from its anchor:
the start of work (``start``, and ``before_start``, due on the start), the end of the trial
(the start plus the rule's ``params.months``), the decision (made when the decision is
recorded) and the end of the period granted (made when it is known). A deadline to apply
*before the start* is done by recording the application itself.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.accounts.models import Membership
from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Actor, Permission
from perspectief.core.dates import add_months
from perspectief.core.exceptions import DomainError
from perspectief.notifications.constants import Kind
from perspectief.notifications.models import Message
from perspectief.notifications.services import notify

from ..constants import APPLICATION_STEPS, Anchor, ApplicationStatus
from ..models import Application, Deadline, InstrumentVersion, Payment
from ..selectors.applications import (
    GRANTED_STATUSES,
    OPEN_STATUSES,
    Hire,
    categories,
    on_hire,
    versions_for,
)

log = logging.getLogger("perspectief.instruments")

#: Days before a deadline its responsible person gets an e-mail (once per deadline).
REMIND_DAYS = 14

S = ApplicationStatus


def _may_change(actor: Actor, application: Application) -> None:
    if not actor.has_perm(Permission.RECORD_APPLICATIONS) or (
        application.recorded_for_id != actor.organisation.pk
    ):
        raise DomainError(_("Only the organisation that recorded the application can change it."))


def _responsible_ok(actor: Actor, responsible: Membership | None) -> None:
    if responsible is None:
        return
    if (
        responsible.organisation_id != actor.organisation.pk
        or not responsible.is_active
        or Permission.RECORD_APPLICATIONS not in responsible.permissions
    ):
        raise ValidationError(
            {"responsible": _("Choose a colleague of your organisation who records applications.")}
        )


# --- deadlines --------------------------------------------------------------------------------


def _due(base: datetime.date, months: float) -> datetime.date:
    whole = int(months)
    return add_months(base, whole) + datetime.timedelta(days=round((months - whole) * 30))


def anchors(application: Application, start: datetime.date | None) -> dict[str, datetime.date]:
    """The dates deadlines count from, as far as they are known now."""
    dates: dict[str, datetime.date] = {}
    if start is not None:
        dates[Anchor.START] = dates[Anchor.BEFORE_START] = start
        months = application.version.rules.get("params", {}).get("months")
        try:
            trial = float(months) if months is not None else 0.0
        except (TypeError, ValueError):
            trial = 0.0
        dates[Anchor.TRIAL_END] = _due(start, trial)
    if application.decided_on is not None:
        dates[Anchor.DECISION] = application.decided_on
    if application.period_end is not None and application.status in GRANTED_STATUSES:
        dates[Anchor.PERIOD_END] = application.period_end
    return dates


def _make_deadlines(
    application: Application, dates: Mapping[str, datetime.date], *, actor: Actor
) -> list[Deadline]:
    """The version's deadlines whose anchor is known and that do not exist yet."""
    existing = set(application.deadlines.values_list("key", flat=True))
    made = []
    for spec in application.version.rules.get("deadlines", []):
        anchor = spec.get("anchor", Anchor.START)
        if spec.get("key") in existing or anchor not in dates:
            continue
        deadline = Deadline(
            application=application,
            key=spec["key"],
            text=spec.get("text") or spec["key"],
            due_on=_due(dates[anchor], float(spec.get("months", 0) or 0)),
        )
        if anchor == Anchor.BEFORE_START:
            # Applying before the start is what recording the application does.
            deadline.done_on, deadline.done_by = application.applied_on, actor.user
        deadline.save()
        made.append(deadline)
    return made


# --- record -----------------------------------------------------------------------------------


@transaction.atomic
def application_record(
    *,
    actor: Actor,
    hire: Hire,
    version: InstrumentVersion,
    applied_on: datetime.date,
    category: str = "",
    responsible: Membership | None = None,
    reference: str = "",
    note: str = "",
) -> Application:
    """Record an application for ``version``'s instrument on ``hire`` (which the caller
    found through :func:`selectors.applications.hire_get`: the actor may see it)."""
    if not actor.has_perm(Permission.RECORD_APPLICATIONS):
        raise DomainError(_("You are not allowed to do this."))
    if version.pk not in {v.pk for v in versions_for(actor, hire)}:
        raise ValidationError(
            {"version": _("This instrument has no published version valid on the start of work.")}
        )
    codes = [code for code, _name in categories(version)]
    if codes and category not in codes:
        raise ValidationError({"category": _("Choose the category applied for.")})
    if not codes:
        category = ""
    if applied_on > timezone.localdate():
        raise ValidationError(
            {"applied_on": _("The date of the application cannot be in the future.")}
        )
    responsible = responsible or actor.membership
    _responsible_ok(actor, responsible)
    if (
        Application.objects.filter(on_hire(hire), version__instrument=version.instrument_id)
        .exclude(status=S.REFUSED)
        .exists()
    ):
        raise DomainError(
            _("This hire already has an application for this instrument that was not refused.")
        )
    application = Application(
        proposal=hire.proposal,
        outside_hire=hire.outside_hire,
        candidate=hire.candidate,
        version=version,
        category=category,
        applied_on=applied_on,
        responsible=responsible,
        reference=reference,
        note=note,
        recorded_by=actor.user,
        recorded_for=actor.organisation,
    )
    application.full_clean()
    application.save()
    deadlines = _make_deadlines(application, anchors(application, hire.start_date), actor=actor)
    audit.record(
        "instrument_application.recorded",
        actor=actor,
        target=application,
        changes={
            "status": [None, application.status],
            "instrument": [None, str(version)],
            "category": [None, category],
            "applied_on": [None, applied_on.isoformat()],
            "deadlines": [None, [d.key for d in deadlines]],
        },
    )
    access.record_candidate(
        actor, hire.candidate, ProcessingActivity.CANDIDATE_SERVICE, Operation.CREATE
    )
    return application


# --- the course of an application ----------------------------------------------------------


def _check_step(application: Application, status: str) -> None:
    allowed = APPLICATION_STEPS.get(application.status, ())
    if status not in allowed:
        if not allowed:
            raise DomainError(
                _("A %(status)s application is closed: its status does not change any more.")
                % {"status": application.get_status_display()}
            )
        raise DomainError(
            _("From %(status)s an application can only go to: %(next)s.")
            % {
                "status": application.get_status_display(),
                "next": ", ".join(str(S(s).label) for s in allowed),
            }
        )


def _check_decision(
    application: Application,
    status: str,
    decided_on: datetime.date | None,
    amount_granted: Decimal | None,
    period: tuple[datetime.date | None, datetime.date | None],
) -> None:
    errors: dict[str, str] = {}
    deciding = status in (S.GRANTED, S.REFUSED)
    if deciding and decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    if decided_on is not None and decided_on < application.applied_on:
        errors["decided_on"] = _("The decision cannot be before the application.")
    if decided_on is not None and decided_on > timezone.localdate():
        errors["decided_on"] = _("The date of the decision cannot be in the future.")
    if amount_granted is not None and amount_granted < 0:
        errors["amount_granted"] = _("The amount cannot be negative.")
    start, end = period
    if start and end and end < start:
        errors["period_end"] = _("The end of the period cannot be before its start.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_status(
    *,
    actor: Actor,
    application: Application,
    status: str,
    decided_on: datetime.date | None = None,
    amount_granted: Decimal | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    reference: str | None = None,
) -> Application:
    """Move the application one step (``APPLICATION_STEPS``), with the decision's date,
    the amount and period granted where they are known; other steps are refused."""
    application = (
        Application.objects.select_for_update().select_related("version").get(pk=application.pk)
    )
    _may_change(actor, application)
    _check_step(application, status)
    decided_on = decided_on or application.decided_on
    _check_decision(application, status, decided_on, amount_granted, (period_start, period_end))
    before: dict[str, Any] = {
        f: getattr(application, f)
        for f in (
            "status",
            "decided_on",
            "amount_granted",
            "period_start",
            "period_end",
            "reference",
        )
    }
    application.status = status
    application.decided_on = decided_on
    if amount_granted is not None:
        application.amount_granted = amount_granted
    application.period_start = period_start or application.period_start
    application.period_end = period_end or application.period_end
    if reference is not None and reference != "":
        application.reference = reference
    application.full_clean()
    application.save()
    made = []
    if status in GRANTED_STATUSES or status == S.REFUSED:
        start = (application.proposal or application.outside_hire).start_date  # type: ignore[union-attr]
        made = _make_deadlines(application, anchors(application, start), actor=actor)
    changes = {
        f: [_plain(old), _plain(getattr(application, f))]
        for f, old in before.items()
        if old != getattr(application, f)
    }
    if made:
        changes["deadlines"] = [None, [d.key for d in made]]
    audit.record("instrument_application.status", actor=actor, target=application, changes=changes)
    return application


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def payment_record(
    *,
    actor: Actor,
    application: Application,
    paid_on: datetime.date,
    amount: Decimal,
    note: str = "",
) -> Payment:
    """A payment received on a granted application; the amount paid is their sum."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _may_change(actor, application)
    if application.status not in GRANTED_STATUSES:
        raise DomainError(_("Payments are recorded on a granted application only."))
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("A payment is more than € 0.")})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The date of the payment cannot be in the future.")})
    payment = Payment(
        application=application, paid_on=paid_on, amount=amount, note=note, recorded_by=actor.user
    )
    payment.full_clean()
    payment.save()
    audit.record(
        "instrument_application.payment",
        actor=actor,
        target=application,
        changes={"payment": [None, {"paid_on": paid_on.isoformat(), "amount": str(amount)}]},
    )
    return payment


@transaction.atomic
def deadline_done(
    *, actor: Actor, deadline: Deadline, done_on: datetime.date | None = None
) -> Deadline:
    """Tick a deadline done (the responsible person, or a colleague of the recording
    organisation standing in); it leaves the inbox."""
    deadline = (
        Deadline.objects.select_for_update().select_related("application").get(pk=deadline.pk)
    )
    _may_change(actor, deadline.application)
    if deadline.done_on is not None:
        raise DomainError(_("This deadline was already done."))
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date cannot be in the future.")})
    deadline.done_on, deadline.done_by = done_on, actor.user
    deadline.save(update_fields=["done_on", "done_by"])
    audit.record(
        "instrument_application.deadline_done",
        actor=actor,
        target=deadline.application,
        changes={"deadline": [deadline.key, done_on.isoformat()]},
    )
    return deadline


# --- the daily reminder ---------------------------------------------------------------------


def deadline_url(deadline: Deadline) -> str:
    return (
        reverse("instruments:application-detail", args=[deadline.application.uuid])
        + f"#deadline-{deadline.pk}"
    )


@transaction.atomic
def remind_deadlines(*, today: datetime.date | None = None) -> int:
    """Once a day: e-mail the responsible person of each open deadline due within
    :data:`REMIND_DAYS` days, once per deadline (the sent-mail log is the record: a
    message of this kind with the deadline's link). The text names nobody."""
    today = today or timezone.localdate()
    deadlines = (
        Deadline.objects.filter(
            done_on__isnull=True,
            due_on__gte=today,
            due_on__lte=today + datetime.timedelta(days=REMIND_DAYS),
            application__status__in=OPEN_STATUSES,
            application__responsible__is_active=True,
        )
        .select_related("application__responsible__user", "application__responsible__organisation")
        .order_by("due_on", "id")
    )
    told = 0
    for deadline in deadlines:
        url = deadline_url(deadline)
        if Message.objects.filter(kind=Kind.INSTRUMENT_DEADLINE, url=url).exists():
            continue
        if notify(
            kind=Kind.INSTRUMENT_DEADLINE,
            memberships=[deadline.application.responsible],
            url=url,
        ):
            told += 1
    log.info("instrument deadlines told=%d", told)
    return told
