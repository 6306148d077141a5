"""Employer requests to the Werkgeversservicepunt: a public form (spam-protected) files a
request in the region's queue with a first-contact deadline in working days and tells the
WSP by e-mail; who serves employers takes it, writes notes on it, records the first contact
and closes it. A request still without a first contact when it falls due is told once more
(the daily task ``vacancies.overdue_requests``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core import ratelimit
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify
from perspectief.organisations.models import EmployerAccount

from ..constants import RequestStatus
from ..models import EmployerRequest, RequestNote
from ..selectors.requests import handlers_of, queue_for, waiting

#: The longest note on a request.
NOTE_LENGTH = 1000

#: Requests per client address per hour from the public form.
FLOOD_LIMIT = 5


def add_working_days(start: datetime, days: int) -> datetime:
    current = start
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def flooding(ip: str) -> bool:
    """True when this address sent too many requests in the last hour (counts this one)."""
    return not ratelimit.consume("wsp-request", ip, limit=FLOOD_LIMIT, window=3600)


@transaction.atomic
def request_submit(*, data: dict) -> EmployerRequest:
    """File a request in the queue of the region of the employer's postcode; a known
    employer (by KvK) goes to its account owner."""
    postcode = data["postcode"]
    employer = None
    if data.get("kvk_number"):
        employer = EmployerAccount.objects.filter(kvk_number=data["kvk_number"]).first()
    request = EmployerRequest.objects.create(
        region=postcode.municipality.region,
        company_name=data["company_name"],
        kvk_number=data.get("kvk_number") or "",
        contact_name=data["contact_name"],
        email=data["email"],
        phone=data.get("phone") or "",
        postcode=postcode,
        message=data["message"],
        employer=employer,
        assigned_to=employer.owner if employer and employer.owner_id else None,
        due_at=add_working_days(timezone.now(), settings.WSP_RESPONSE_DAYS),
    )
    audit.record("employer_request.submitted", actor=None, target=request)
    tell_handlers(request)
    return request


def request_url(request: EmployerRequest) -> str:
    """The request's page (its UUID only: a mail's link names nobody)."""
    return reverse("vacancies:request-detail", kwargs={"uuid": request.uuid})


def tell_handlers(request: EmployerRequest) -> None:
    """E-mail whoever should call the employer back (see ``handlers_of``) that the request
    waits; inside the caller's transaction, so a request not saved sends nothing."""
    notify(kind=Kind.WSP_REQUEST, memberships=handlers_of(request), url=request_url(request))


def notify_overdue() -> int:
    """Tell the WSP once about each request that fell due without a first contact; each
    request in its own transaction, marked so that the next run does not tell again."""
    due = waiting(EmployerRequest.objects.filter(overdue_notified_at__isnull=True))
    told = 0
    for pk in due.filter(due_at__lt=timezone.now()).values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            request = (
                waiting(EmployerRequest.objects.select_for_update())
                .filter(pk=pk, overdue_notified_at__isnull=True)
                .first()
            )
            if request is None:  # contacted, closed or told in the meantime
                continue
            request.overdue_notified_at = timezone.now()
            request.save(update_fields=["overdue_notified_at", "updated_at"])
            tell_handlers(request)
            told += 1
    return told


def locked(actor: Actor, request) -> EmployerRequest:
    """The request locked for a change, when it is in the actor's queue (404 otherwise)."""
    allowed = queue_for(actor).filter(pk=request.pk).values("pk")
    found = EmployerRequest.objects.select_for_update().filter(pk__in=allowed).first()
    if found is None:
        raise NotFoundError(_("Request not found."))
    return found


@transaction.atomic
def request_take(*, actor: Actor, request: EmployerRequest) -> EmployerRequest:
    request = locked(actor, request)
    request.assigned_to = actor.membership
    if request.status == RequestStatus.NEW:
        request.status = RequestStatus.IN_PROGRESS
    request.save(update_fields=["assigned_to", "status", "updated_at"])
    audit.record("employer_request.taken", actor=actor, target=request)
    return request


@transaction.atomic
def request_contacted(*, actor: Actor, request: EmployerRequest) -> EmployerRequest:
    request = locked(actor, request)
    if request.first_contact_at is None:
        request.first_contact_at = timezone.now()
    request.status = RequestStatus.IN_PROGRESS
    request.assigned_to = request.assigned_to or actor.membership
    request.save(update_fields=["first_contact_at", "status", "assigned_to", "updated_at"])
    audit.record("employer_request.contacted", actor=actor, target=request)
    return request


@transaction.atomic
def request_close(*, actor: Actor, request: EmployerRequest) -> EmployerRequest:
    request = locked(actor, request)
    request.status = RequestStatus.DONE
    request.save(update_fields=["status", "updated_at"])
    audit.record("employer_request.closed", actor=actor, target=request)
    return request


@transaction.atomic
def note_add(*, actor: Actor, request: EmployerRequest, text: str) -> RequestNote:
    """A short dated note on the request by someone of the WSP (who and when are kept)."""
    if not actor.has_perm(Permission.MANAGE_EMPLOYERS):
        raise PermissionDeniedError()
    request = locked(actor, request)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    if len(text) > NOTE_LENGTH:
        raise ValidationError(
            {
                "text": _("A note has at most %(n)d characters; this one has %(length)d.")
                % {"n": NOTE_LENGTH, "length": len(text)}
            }
        )
    note = RequestNote.objects.create(request=request, author=actor.membership, text=text)
    audit.record(
        "employer_request.note_added",
        actor=actor,
        target=request,
        changes={"note": [None, str(note.uuid)]},
    )
    return note
