"""Employer requests to the Werkgeversservicepunt: a public form (spam-protected) files a
request in the region's queue with a first-contact deadline in working days; who serves
employers takes it, records the first contact and closes it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from perspectief.audit import services as audit
from perspectief.core import ratelimit
from perspectief.core.authz import Actor
from perspectief.organisations.models import EmployerAccount

from ..constants import RequestStatus
from ..models import EmployerRequest
from ..selectors.requests import queue_for

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
    return request


def _locked(actor: Actor, request) -> EmployerRequest:
    allowed = queue_for(actor).filter(pk=request.pk).values("pk")
    return EmployerRequest.objects.select_for_update().get(pk__in=allowed)


@transaction.atomic
def request_take(*, actor: Actor, request: EmployerRequest) -> EmployerRequest:
    request = _locked(actor, request)
    request.assigned_to = actor.membership
    if request.status == RequestStatus.NEW:
        request.status = RequestStatus.IN_PROGRESS
    request.save(update_fields=["assigned_to", "status", "updated_at"])
    audit.record("employer_request.taken", actor=actor, target=request)
    return request


@transaction.atomic
def request_contacted(*, actor: Actor, request: EmployerRequest) -> EmployerRequest:
    request = _locked(actor, request)
    if request.first_contact_at is None:
        request.first_contact_at = timezone.now()
    request.status = RequestStatus.IN_PROGRESS
    request.assigned_to = request.assigned_to or actor.membership
    request.save(update_fields=["first_contact_at", "status", "assigned_to", "updated_at"])
    audit.record("employer_request.contacted", actor=actor, target=request)
    return request


@transaction.atomic
def request_close(*, actor: Actor, request: EmployerRequest) -> EmployerRequest:
    request = _locked(actor, request)
    request.status = RequestStatus.DONE
    request.save(update_fields=["status", "updated_at"])
    audit.record("employer_request.closed", actor=actor, target=request)
    return request
