"""Reads of instrument applications: the hire an application is made on, the applications
of a hire, one application with its history, the organisation's list, the deadlines that
wait for a person, and the numbers per instrument the PoW-dashboard shows.

Every read that shows a person goes through :mod:`perspectief.instruments.query` and is
written to the access log by the caller (the pages) at the level the actor sees the person.
"""

from __future__ import annotations

import datetime
import uuid as uuid_lib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.audit.models import AuditEvent
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor
from perspectief.core.exceptions import NotFoundError
from perspectief.core.ids import parse_uuid
from perspectief.core.rules import localised
from perspectief.matching.models import OutsideHire, Proposal

from ..check import published_versions
from ..constants import ApplicationStatus
from ..models import Application, Deadline, InstrumentVersion, Payment
from ..query import (
    applications_visible_to,
    hired_proposals_visible_to,
    outside_hires_visible_to,
)

#: Statuses in which an instrument brought (or brings) money: granted, running, ended.
GRANTED_STATUSES = (ApplicationStatus.GRANTED, ApplicationStatus.RUNNING, ApplicationStatus.ENDED)

#: Statuses whose open deadlines still wait for someone (a refusal or an end closes them).
OPEN_STATUSES = (ApplicationStatus.APPLIED, ApplicationStatus.GRANTED, ApplicationStatus.RUNNING)

#: Days ahead the inbox shows an open deadline (overdue ones always).
INBOX_DAYS = 30


@dataclass
class Hire:
    """A hire an application is made on: a hired proposal or a hire outside the platform."""

    proposal: Proposal | None = None
    outside_hire: OutsideHire | None = None

    @property
    def record(self) -> Proposal | OutsideHire:
        record = self.proposal or self.outside_hire
        assert record is not None
        return record

    @property
    def uuid(self):
        return self.record.uuid

    @property
    def candidate(self) -> Candidate:
        return self.record.candidate

    @property
    def start_date(self) -> datetime.date | None:
        return self.record.start_date

    @property
    def employer_name(self) -> str:
        if self.proposal is not None:
            return self.proposal.vacancy.employer.organisation.name
        assert self.outside_hire is not None
        return self.outside_hire.employer_name

    @property
    def job_title(self) -> str:
        if self.proposal is not None:
            return self.proposal.vacancy.title
        assert self.outside_hire is not None
        return self.outside_hire.job_title

    @property
    def query(self) -> str:
        """The query string of the page that records an application on this hire."""
        return f"proposal={self.uuid}" if self.proposal is not None else f"hire={self.uuid}"


def hire_of(application: Application) -> Hire:
    return Hire(proposal=application.proposal, outside_hire=application.outside_hire)


def _proposals(actor: Actor):
    return hired_proposals_visible_to(actor).select_related(
        "candidate", "vacancy__employer__organisation"
    )


def _uuid(value) -> uuid_lib.UUID:
    parsed = parse_uuid(value)
    if parsed is None:
        raise NotFoundError()
    return parsed


def hire_get(actor: Actor, *, proposal=None, hire=None) -> Hire:
    """The hire by a proposal's or an outside hire's uuid, if the actor may see it; an
    absent, unhired or invisible one raises :class:`NotFoundError` (the page answers 404)."""
    if proposal is not None:
        found = _proposals(actor).filter(uuid=_uuid(proposal)).first()
        if found is not None:
            return Hire(proposal=found)
    elif hire is not None:
        outside = (
            outside_hires_visible_to(actor)
            .select_related("candidate")
            .filter(uuid=_uuid(hire))
            .first()
        )
        if outside is not None:
            return Hire(outside_hire=outside)
    raise NotFoundError()


def hire_by_uuid(actor: Actor, uuid) -> Hire:
    """A hire by the uuid of either kind (the page of a hire's applications)."""
    try:
        return hire_get(actor, proposal=uuid)
    except NotFoundError:
        return hire_get(actor, hire=uuid)


def hires_of(actor: Actor, candidate: Candidate) -> list[Hire]:
    """The person's hires the actor may see, newest start first."""
    hires = [Hire(proposal=p) for p in _proposals(actor).filter(candidate=candidate)]
    hires += [
        Hire(outside_hire=h) for h in outside_hires_visible_to(actor).filter(candidate=candidate)
    ]
    return sorted(hires, key=lambda h: h.start_date or datetime.date.min, reverse=True)


def on_hire(hire: Hire) -> Q:
    if hire.proposal is not None:
        return Q(proposal=hire.proposal)
    return Q(outside_hire=hire.outside_hire)


def _with_related(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related(
        "version__instrument",
        "candidate",
        "responsible__user",
        "recorded_for",
        "proposal__vacancy__employer__organisation",
        "outside_hire",
    ).annotate(amount_paid=Sum("payments__amount"))


def applications_of_hire(actor: Actor, hire: Hire) -> list[Application]:
    return list(
        _with_related(applications_visible_to(actor).filter(on_hire(hire))).order_by(
            "applied_on", "id"
        )
    )


def application_get(actor: Actor, uuid) -> Application:
    """One application the actor may see, with ``amount_paid``; else NotFoundError."""
    application = _with_related(applications_visible_to(actor)).filter(uuid=_uuid(uuid)).first()
    if application is None:
        raise NotFoundError()
    return application


def may_change(actor: Actor, application: Application) -> bool:
    """The organisation that recorded the application keeps it up to date."""
    return application.recorded_for_id == actor.organisation.pk


#: What each audit event of an application says on its page.
EVENT_LABELS = {
    "instrument_application.recorded": _("Application recorded"),
    "instrument_application.status": _("Status changed"),
    "instrument_application.payment": _("Payment recorded"),
    "instrument_application.deadline_done": _("Deadline done"),
}


@dataclass
class HistoryRow:
    created_at: datetime.datetime
    label: str
    detail: str
    actor_display: str


def _status(value) -> str:
    return str(ApplicationStatus(value).label) if value in ApplicationStatus.values else "—"


def _detail(event: AuditEvent) -> str:
    changes = event.changes or {}
    if "payment" in changes:
        paid = changes["payment"][1] or {}
        return f"€ {paid.get('amount', '')} ({paid.get('paid_on', '')})"
    if "deadline" in changes:
        return str(changes["deadline"][0])
    if "status" in changes:
        old, new = changes["status"]
        return _status(new) if old is None else f"{_status(old)} → {_status(new)}"
    return ""


def history(application: Application) -> list[HistoryRow]:
    """The application's audit events, oldest first: its status history."""
    events = AuditEvent.objects.filter(
        target_type=Application._meta.label_lower, target_id=str(application.uuid)
    ).order_by("created_at", "id")
    return [
        HistoryRow(
            e.created_at, str(EVENT_LABELS.get(e.event, e.event)), _detail(e), e.actor_display
        )
        for e in events
    ]


def category_name(application: Application) -> str:
    names = dict(categories(application.version))
    return localised(names[application.category]) if application.category in names else ""


def with_category_names(applications):
    for application in applications:
        application.category_name = category_name(application)
    return applications


def shown_name(actor: Actor, candidate: Candidate) -> str:
    """The person's name for an organisation that serves them, the partner label else."""
    served = Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()
    return candidate.full_name if served else candidate.partner_label


def served_ids(actor: Actor, candidate_ids: list[int]) -> set[int]:
    """Of these people, the ones the actor's organisation serves (they see the name)."""
    return set(
        Candidate.objects.served_by(actor.organisation)
        .filter(pk__in=candidate_ids)
        .values_list("pk", flat=True)
    )


def log_read(actor: Actor, candidate: Candidate) -> None:
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_SERVICE)


def versions_for(actor: Actor, hire: Hire) -> list[InstrumentVersion]:
    """The published versions valid on the hire's start (the national instruments and the
    region's own): an application is made under the rules of its start."""
    start = hire.start_date or timezone.localdate()
    return published_versions(actor.region_id, start)


def categories(version: InstrumentVersion) -> list[tuple[str, Any]]:
    """(code, name) of a version's categories (LKV's four); empty without categories."""
    return [
        (c.get("code", ""), c.get("name", ""))
        for c in version.rules.get("categories", [])
        if c.get("code")
    ]


# --- the organisation's list ------------------------------------------------------------------


def application_list(
    actor: Actor, *, status: str = "", instrument: str = "", overdue: bool = False
) -> QuerySet[Application]:
    """The applications the actor's organisation recorded, narrowed by the filters."""
    qs = applications_visible_to(actor).filter(recorded_for=actor.organisation)
    if status:
        qs = qs.filter(status=status)
    if instrument:
        qs = qs.filter(version__instrument__code=instrument)
    if overdue:
        late = Deadline.objects.filter(
            application=OuterRef("pk"), done_on__isnull=True, due_on__lt=timezone.localdate()
        )
        qs = qs.filter(Exists(late), status__in=OPEN_STATUSES)
    return _with_related(qs).order_by("-applied_on", "-id")


def instrument_choices(actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of the national instruments and the region's own (the latest name)."""
    rows = (
        InstrumentVersion.objects.filter(
            Q(instrument__region__isnull=True) | Q(instrument__region_id=actor.region_id)
        )
        .order_by("instrument__code", "number")
        .values_list("instrument__code", "name")
    )
    return sorted(dict(rows).items())


def overdue_deadlines(applications: list[Application]) -> set[int]:
    """The ids of applications with an open deadline past its date."""
    today = timezone.localdate()
    return set(
        Deadline.objects.filter(
            application__in=applications, done_on__isnull=True, due_on__lt=today
        ).values_list("application_id", flat=True)
    )


# --- the inbox --------------------------------------------------------------------------------


def deadlines_waiting(actor: Actor, *, days: int = INBOX_DAYS) -> QuerySet[Deadline]:
    """Open deadlines of applications the actor's membership is responsible for, due
    within ``days`` or overdue, of applications still open, on hires the actor may see."""
    if actor.membership is None:
        return Deadline.objects.none()
    until = timezone.localdate() + datetime.timedelta(days=days)
    waiting = Deadline.objects.filter(
        done_on__isnull=True,
        due_on__lte=until,
        application__responsible=actor.membership,
        application__status__in=OPEN_STATUSES,
    )
    # Most members are responsible for none: then the visibility rule (subqueries over the
    # hires the actor may see, tens of ms on a region's data) is not asked at all.
    if not waiting.exists():
        return Deadline.objects.none()
    return (
        waiting.filter(application__in=applications_visible_to(actor))
        .select_related("application__version", "application__candidate")
        .order_by("due_on", "id")
    )


# --- the PoW-dashboard ------------------------------------------------------------------------


@dataclass
class InstrumentUse:
    """One instrument's use on a set of hires: the hires with a granted (running, ended)
    application, the euros granted on them and the euros recorded as paid."""

    code: str
    name: str
    matches: int
    granted: Decimal
    paid: Decimal


#: What the instrument tables read of each granted application.
_USE_FIELDS = (
    "pk",
    "proposal_id",
    "outside_hire_id",
    "amount_granted",
    "version__instrument__code",
    "version__name",
)


def _granted_on(references: list[str], region_id: int | None = None) -> list[dict[str, Any]]:
    """The granted (running, ended) applications on the hires named by ``references``,
    with what the instrument tables need.

    A region's hires run into the thousands. With ``region_id`` (the region of the people
    whose hires ``references`` names: an application is made for the hire's own person),
    the region's granted applications are read and kept when their hire is named — no list
    of hires is sent. Without it each reference is read as a UUID once (one that is not
    names no hire) and the list goes as one array parameter (:mod:`perspectief.core.lookups`)."""
    granted = Application.objects.filter(status__in=GRANTED_STATUSES).order_by(
        "version__instrument__code", "pk"
    )
    if region_id is not None:
        # Written as str(uuid) by the hire services; any other spelling is read as a UUID.
        named = {r.lower() if len(r) == 36 else str(parse_uuid(r)) for r in references if r}
        rows = granted.filter(candidate__region_id=region_id).values(
            *_USE_FIELDS, "proposal__uuid", "outside_hire__uuid"
        )
        return [
            {key: row[key] for key in _USE_FIELDS}
            for row in rows
            if str(row["proposal__uuid"] or row["outside_hire__uuid"]) in named
        ]
    refs = [u for u in dict.fromkeys(parse_uuid(r) for r in references if r) if u is not None]
    if not refs:
        return []
    rows = granted.filter(
        Q(proposal__uuid__any_of=refs) | Q(outside_hire__uuid__any_of=refs)
    ).values(*_USE_FIELDS)
    return [dict(row) for row in rows]


def _hire(row: dict[str, Any]) -> tuple[str, int]:
    return ("p", row["proposal_id"]) if row["proposal_id"] else ("o", row["outside_hire_id"])


def use_per_instrument(
    references: list[str], *, region_id: int | None = None
) -> list[InstrumentUse]:
    """Per instrument, over the hires named by ``references`` (proposal or outside-hire
    uuids, as the journey's placements refer to their hire): how many of them have a
    granted, running or ended application, its euros granted and the payments recorded
    (``region_id``: the region of the hires' people, see :func:`_granted_on`)."""
    return instrument_use(references, region_id=region_id)[0]


def instrument_use(
    references: list[str], *, region_id: int | None = None
) -> tuple[list[InstrumentUse], int]:
    """:func:`use_per_instrument`, and how many of the named hires have any granted
    application, from one read."""
    applications = _granted_on(references, region_id)
    paid = dict(
        Payment.objects.filter(application_id__in=[a["pk"] for a in applications])
        .values("application_id")
        .annotate(total=Sum("amount"))
        .values_list("application_id", "total")
    )
    hires: dict[str, set] = defaultdict(set)
    names: dict[str, str] = {}
    granted: dict[str, Decimal] = defaultdict(Decimal)
    paid_total: dict[str, Decimal] = defaultdict(Decimal)
    for row in applications:
        code = row["version__instrument__code"]
        names.setdefault(code, row["version__name"])
        hires[code].add(_hire(row))
        granted[code] += row["amount_granted"] or Decimal(0)
        paid_total[code] += paid.get(row["pk"]) or Decimal(0)
    uses = [
        InstrumentUse(code, names[code], len(hires[code]), granted[code], paid_total[code])
        for code in sorted(hires)
    ]
    return uses, len({_hire(row) for row in applications})
