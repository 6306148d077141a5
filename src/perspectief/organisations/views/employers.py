"""Employer pages: the region's employers, who owns each, the account's history.

Handing an employer over to a colleague needs the memberships of the region, which live in
``accounts`` (a higher layer): that block of the owner's page is a panel (``panels.py``) and
its form posts to ``accounts.views.employers``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.core import params
from perspectief.core.authz import Actor, Permission
from perspectief.core.contributions import render_panels
from perspectief.core.policies import requires
from perspectief.taxonomy.models import Sector

from ..forms.employers import EmployerForm
from ..models import EmployerAccount
from ..panels import EMPLOYER_OWNER, EMPLOYER_PAGE
from ..selectors.employers import can_edit, can_edit_people_and_places
from ..services import employers


def _accounts(actor: Actor):
    return EmployerAccount.objects.visible_to(actor).select_related(
        "organisation__municipality",
        "sector",
        "postcode__municipality",
        "owner__user",
        "owner__organisation",
    )


def _get(request, uuid) -> EmployerAccount:
    return get_object_or_404(_accounts(request.actor), uuid=uuid)


@requires(Permission.VIEW_EMPLOYERS)
@require_GET
def employer_list_view(request):
    actor = request.actor
    qs = _accounts(actor)
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(organisation__name__icontains=q) | qs.filter(kvk_number=q)
    ownership = params.choice(request, "owner", ["mine", "none"])
    if ownership == "mine" and actor.membership:
        qs = qs.filter(owner=actor.membership)
    elif ownership == "none":
        qs = qs.filter(owner__isnull=True)
    sector = params.choice(
        request, "sector", Sector.objects.order_by("code").values_list("code", flat=True)
    )
    if sector:
        qs = qs.filter(sector__code=sector)
    page = params.page(request, qs.order_by("organisation__name", "id"), 50)
    return render(
        request,
        "organisations/employer_list.html",
        {
            "page": page,
            "q": q,
            "ownership": ownership,
            "sector": sector,
            "sectors": Sector.objects.order_by("code"),
            "can_manage": actor.has_perm(Permission.MANAGE_EMPLOYERS),
        },
    )


@requires(Permission.MANAGE_EMPLOYERS)
def employer_create_view(request):
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = employers.employer_register(actor=request.actor, **data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Employer registered. Claim it to become its owner."))
            return redirect("organisations:employer", uuid=account.uuid)
    return render(request, "organisations/employer_form.html", {"form": form})


@requires(Permission.VIEW_EMPLOYERS)
@require_GET
def employer_detail_view(request, uuid):
    account = _get(request, uuid)
    actor = request.actor
    is_owner = bool(actor.membership and account.owner_id == actor.membership.pk)
    return render(
        request,
        "organisations/employer_detail.html",
        {
            "account": account,
            "locations": account.locations.select_related("postcode__municipality"),
            "contacts": account.contacts.all(),
            "events": account.events.select_related(
                "by__user", "by__organisation", "to__user", "to__organisation"
            )[:50],
            "can_manage": actor.has_perm(Permission.MANAGE_EMPLOYERS),
            "can_edit": can_edit(actor, account),
            "can_edit_people": can_edit_people_and_places(actor, account),
            "is_owner": is_owner,
            # What the owner may do besides releasing, such as handing over (panels.py).
            "owner_panels": render_panels(EMPLOYER_OWNER, request, account=account)
            if is_owner
            else [],
            # The employer's places and requests, which vacancies keeps (panels.py).
            "page_panels": render_panels(EMPLOYER_PAGE, request, account=account),
        },
    )


def account_action(request, uuid, action, done: str):
    """Run one account action; its refusal becomes a message, as does its success."""
    account = _get(request, uuid)
    try:
        action(account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("organisations:employer", uuid=account.uuid)


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def employer_claim_view(request, uuid):
    return account_action(
        request,
        uuid,
        lambda account: employers.employer_claim(actor=request.actor, account=account),
        _("You are now the account owner."),
    )


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def employer_release_view(request, uuid):
    return account_action(
        request,
        uuid,
        lambda account: employers.employer_release(actor=request.actor, account=account),
        _("You are no longer the account owner."),
    )


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def employer_contact_view(request, uuid):
    return account_action(
        request,
        uuid,
        lambda account: employers.contact_record(
            actor=request.actor, account=account, note=request.POST.get("note")
        ),
        _("Contact moment recorded."),
    )
