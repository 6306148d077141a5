"""Reads about employer accounts that pages of more than one app need: who may change an
employer's data, and which employers of the region a new one may be a duplicate of."""

from __future__ import annotations

import re

from django.db.models import Q

from perspectief.core.authz import Actor, Permission

from ..models import EmployerAccount

#: Legal forms left out when names are compared ("Bakkerij Jansen B.V." = "Bakkerij Jansen").
LEGAL_FORM = re.compile(
    r"[\s,.]+(b\.?\s?v|n\.?\s?v|v\.?\s?o\.?\s?f|c\.?\s?v)\.?\s*$", re.IGNORECASE
)

#: How many possible duplicates are offered at most, and how many names starting alike
#: are compared (a region has a few thousand employers; few share a name's start).
MAX_DUPLICATES = 10
SCANNED = 200


def can_edit(actor: Actor, account: EmployerAccount) -> bool:
    """Name, KvK number, sector, size and address: the region's account managers and
    intermediaries (``MANAGE_EMPLOYERS``), the account owner among them. ``account`` is one
    the actor sees (``EmployerAccount.objects.visible_to``), so it is in the actor's region."""
    return (
        actor.has_perm(Permission.MANAGE_EMPLOYERS)
        and actor.region_id is not None
        and account.organisation.region_id == actor.region_id
    )


def can_edit_people_and_places(actor: Actor, account: EmployerAccount) -> bool:
    """Locations and contact persons: whoever may edit the employer, and the employer's own
    users (who already keep its places in the employer portal)."""
    if can_edit(actor, account):
        return True
    return (
        actor.has_perm(Permission.EMPLOYER_PORTAL)
        and actor.organisation is not None
        and actor.organisation.pk == account.organisation_id
    )


def core_name(name: str) -> str:
    """A company name without its legal form and surrounding spaces, for comparing."""
    return LEGAL_FORM.sub("", " ".join((name or "").split())).strip(" ,.")


def duplicates(actor: Actor, *, name: str = "", kvk_number: str = "") -> list[EmployerAccount]:
    """Employers of the actor's region that may be the one described: the same KvK number,
    or the same name (case, spaces and a legal form such as B.V. aside). KvK matches first."""
    core = core_name(name).lower()
    match = Q(pk__in=[])
    if kvk_number:
        match |= Q(kvk_number=kvk_number)
    if core:
        match |= Q(organisation__name__istartswith=core)
    rows = (
        EmployerAccount.objects.visible_to(actor)
        .filter(match)
        .select_related("organisation", "owner__user", "owner__organisation")
        .order_by("organisation__name", "id")[:SCANNED]
    )
    found = [
        a
        for a in rows
        if (kvk_number and a.kvk_number == kvk_number)
        or (core and core_name(a.organisation.name).lower() == core)
    ]
    found.sort(key=lambda a: a.kvk_number != kvk_number)
    return found[:MAX_DUPLICATES]
