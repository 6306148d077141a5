"""Pages of the directory of participating organisations; administrators add one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from ..forms.organisations import OrganisationFilterForm, OrganisationForm
from ..models import Organisation
from ..services.organisations import organisation_create


@requires(Permission.VIEW_ORGANISATIONS)
@require_GET
def organisation_list_view(request):
    form = params.form(request, OrganisationFilterForm)
    qs = Organisation.objects.visible_to(request.actor).select_related("region", "municipality")
    if form.is_bound:
        if form.cleaned_data["region"]:
            qs = qs.filter(region=form.cleaned_data["region"])
        if form.cleaned_data["kind"]:
            qs = qs.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["q"]:
            qs = qs.filter(name__icontains=form.cleaned_data["q"])
    page = params.page(request, qs.order_by("name", "id"), 50)
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "form": form,
            "page": page,
            "can_manage": request.actor.has_perm(Permission.MANAGE_ORGANISATIONS),
        },
    )


@requires(Permission.MANAGE_ORGANISATIONS)
def organisation_create_view(request):
    region = request.actor.region
    form = OrganisationForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = organisation_create(
                actor=request.actor,
                name=data["name"],
                kind=data["kind"],
                region=region,
                municipality=data["municipality"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("Organisation %(name)s created.") % {"name": organisation.name}
            )
            return redirect("organisations:list")
    return render(request, "organisations/organisation_form.html", {"form": form, "region": region})
