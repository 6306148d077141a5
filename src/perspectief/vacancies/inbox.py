"""What the WSP finds in its inbox ("Mijn werkvoorraad"): employers' requests that wait for
a first contact, overdue first, each linking to the request's page. An item leaves when the
first contact is recorded or the request is closed there. Registered in
``VacanciesConfig.ready()``."""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from perspectief.core.authz import Actor, Permission
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem

from .selectors.requests import INBOX_LIMIT, waiting_for
from .services.requests import request_url


def requests_waiting(actor: Actor) -> list[InboxItem]:
    """The open requests of the actor's queue without a first contact (see
    ``selectors.requests.waiting_for``): the same query as the request's page."""
    if not actor.has_perm(Permission.MANAGE_EMPLOYERS) or not actor.region_id:
        return []
    items = []
    for request in waiting_for(actor)[:INBOX_LIMIT]:
        items.append(
            InboxItem(
                kind=Kind.WSP_REQUEST,
                title=_("Request of %(company)s: call back") % {"company": request.company_name},
                url=request_url(request),
                due=timezone.localdate(request.due_at),
                detail=Truncator(" ".join(request.message.split())).chars(90),
                key=f"vacancies.request:{request.uuid}",
            )
        )
    return items


def register() -> None:
    SOURCES.register("vacancies.requests", requests_waiting, order=50)
