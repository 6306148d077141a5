"""An employer's request becomes an employer account and a place in one step.

The WSP reads the request, checks what the form prefilled from it, and either registers
the employer or takes the one the region already knows (same KvK number or name), and saves
a draft place for it. All of it is one transaction: a refusal at any point (a KvK number
another employer has, a postcode outside the region, a place the rules refuse) leaves no
employer, place or link behind. The request then links to both; it stays open until the
first contact is recorded, which this step does not do for anyone.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.organisations.models import EmployerAccount
from perspectief.organisations.services import employer_details, employers

from ..constants import RequestStatus
from ..models import EmployerRequest, Vacancy
from . import places
from .requests import locked


def _existing(actor: Actor, employer: EmployerAccount, contact: dict | None):
    """The chosen known employer, if the actor's region has it; the request's contact person
    is added to it unless it has one with that e-mail address (or name) already."""
    found = EmployerAccount.objects.visible_to(actor).filter(pk=employer.pk).first()
    if found is None or found.organisation.region_id != actor.region_id:
        raise NotFoundError(_("Employer not found."))
    if contact and contact.get("name"):
        same = (
            found.contacts.filter(email__iexact=contact["email"])
            if contact.get("email")
            else found.contacts.filter(name__iexact=contact["name"])
        )
        if not same.exists():
            employer_details.contact_save(actor=actor, account=found, data=contact)
    return found


@transaction.atomic
def request_convert(
    *,
    actor: Actor,
    request: EmployerRequest,
    place: dict,
    employer: EmployerAccount | None = None,
    new_employer: dict | None = None,
    contact: dict | None = None,
) -> tuple[EmployerAccount, Vacancy]:
    """Register the employer (``new_employer``: the fields of ``employer_register``, its
    contact person among them) or use a known one (``employer``, to which ``contact`` is
    added), save the place (``place``: model fields of a place) as a draft, and link both
    to the request."""
    if not (
        actor.has_perm(Permission.MANAGE_EMPLOYERS) and actor.has_perm(Permission.MANAGE_PLACES)
    ):
        raise PermissionDeniedError()
    request = locked(actor, request)
    if request.vacancy_id is not None:
        raise ValidationError(_("This request has already become a place."))
    created = employer is None
    if employer is not None:
        account = _existing(actor, employer, contact)
    elif new_employer is not None:
        account = employers.employer_register(actor=actor, **new_employer)
    else:
        raise ValidationError({"employer": _("Choose the employer, or register a new one.")})
    # A new place is a draft (Vacancy.status's default): the WSP opens it with the employer.
    vacancy = places.vacancy_save(actor=actor, employer=account, data=place)
    before = {"employer": request.employer, "vacancy": None, "status": request.status}
    request.employer, request.vacancy = account, vacancy
    if request.status == RequestStatus.NEW:
        request.status = RequestStatus.IN_PROGRESS
    request.assigned_to = request.assigned_to or actor.membership
    request.save(update_fields=["employer", "vacancy", "status", "assigned_to", "updated_at"])
    changes = audit.diff(
        before, {"employer": account, "vacancy": vacancy, "status": request.status}
    )
    changes["employer_registered"] = [None, created]
    audit.record("employer_request.converted", actor=actor, target=request, changes=changes)
    return account, vacancy
