from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.policies import requires
from perspectief.regions.models import Municipality, Region

from .constants import OrganisationKind
from .models import Organisation
from .services import organisation_create


class OrganisationFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("All regions"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("All kinds")), *OrganisationKind.choices],
        required=False,
    )
    q = forms.CharField(label=gettext_lazy("Name contains"), required=False, max_length=100)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=OrganisationKind.choices)
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "Required for a gemeente; otherwise where the organisation is based."
        ),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = region.municipalities.all()


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
