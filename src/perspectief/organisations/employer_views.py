"""Employer pages: the region's employers, who owns each, the account's history."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from perspectief.accounts.models import Membership
from perspectief.core import params
from perspectief.core.authz import ROLE_PERMISSIONS, Permission
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires
from perspectief.regions import selectors as regions
from perspectief.taxonomy.models import Sector

from . import employers
from .constants import EmployerSize
from .models import EmployerAccount


class EmployerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kvk_number = forms.CharField(label=gettext_lazy("KvK number"), max_length=12)
    postcode = forms.CharField(
        label=gettext_lazy("Postcode of the main location"), help_text=gettext_lazy("1234 AB")
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector (SBI)"), queryset=Sector.objects.all(), required=False
    )
    size = forms.ChoiceField(
        label=gettext_lazy("Size"), choices=[("", "—"), *EmployerSize.choices], required=False
    )
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), required=False)
    contact_email = forms.EmailField(label=gettext_lazy("Contact email"), required=False)
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone"), required=False, max_length=30
    )

    def clean_kvk_number(self):
        try:
            return employers.validate_kvk(self.cleaned_data["kvk_number"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["kvk_number"]) from None

    def clean_postcode(self):
        try:
            return regions.postcode(self.cleaned_data["postcode"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def _accounts(actor):
    return EmployerAccount.objects.visible_to(actor).select_related(
        "organisation__municipality", "sector", "owner__user", "owner__organisation"
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
    colleagues = []
    if account.owner_id and actor.membership and account.owner_id == actor.membership.pk:
        # Who can take over: active memberships in the region whose role may own employers.
        owner_roles = [
            r for r, perms in ROLE_PERMISSIONS.items() if Permission.MANAGE_EMPLOYERS in perms
        ]
        colleagues = list(
            Membership.objects.active()
            .filter(organisation__region_id=account.organisation.region_id, role__in=owner_roles)
            .exclude(pk=actor.membership.pk)
            .select_related("user", "organisation")
        )
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
            "is_owner": bool(actor.membership and account.owner_id == actor.membership.pk),
            "colleagues": colleagues,
        },
    )


def _act(request, uuid, action, done: str):
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
    return _act(
        request,
        uuid,
        lambda account: employers.employer_claim(actor=request.actor, account=account),
        _("You are now the account owner."),
    )


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def employer_release_view(request, uuid):
    return _act(
        request,
        uuid,
        lambda account: employers.employer_release(actor=request.actor, account=account),
        _("You are no longer the account owner."),
    )


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def employer_handover_view(request, uuid):
    def handover(account):
        to = Membership.objects.filter(uuid=parse_uuid(request.POST.get("to"))).first()
        if to is None:
            raise ValidationError(_("Choose to whom."))
        employers.employer_handover(actor=request.actor, account=account, to=to)

    return _act(request, uuid, handover, _("Handed over."))


@requires(Permission.MANAGE_EMPLOYERS)
@require_POST
def employer_contact_view(request, uuid):
    return _act(
        request,
        uuid,
        lambda account: employers.contact_record(
            actor=request.actor, account=account, note=request.POST.get("note")
        ),
        _("Contact moment recorded."),
    )
