from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from .models import Municipality, Region
from .services import region_set_centrumgemeente


class CentrumgemeenteForm(forms.Form):
    centrumgemeente = forms.ModelChoiceField(
        label=gettext_lazy("Centrumgemeente"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=gettext_lazy("(not set)"),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centrumgemeente"].queryset = region.municipalities.all()


@requires(Permission.VIEW_REFERENCE_DATA)
@require_GET
def region_list_view(request):
    regions = (
        Region.objects.select_related("centrumgemeente")
        .annotate(municipality_count=Count("municipalities"))
        .order_by("code")
    )
    return render(request, "regions/region_list.html", {"regions": regions})


@requires(Permission.VIEW_REFERENCE_DATA)
@require_GET
def region_detail_view(request, code):
    region = get_object_or_404(Region.objects.select_related("centrumgemeente"), code=code.upper())
    can_manage = (
        request.actor.has_perm(Permission.MANAGE_REGION) and request.actor.region_id == region.pk
    )
    form = CentrumgemeenteForm(region=region, initial={"centrumgemeente": region.centrumgemeente})
    municipalities = region.municipalities.annotate(postcode_count=Count("postcodes")).order_by(
        "name"
    )
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "municipalities": municipalities,
            "form": form,
            "can_manage": can_manage,
        },
    )


@requires(Permission.MANAGE_REGION)
@require_POST
def region_centrumgemeente_view(request, code):
    region = get_object_or_404(Region, code=code.upper(), pk=request.actor.region_id)
    form = CentrumgemeenteForm(request.POST, region=region)
    if form.is_valid():
        try:
            region_set_centrumgemeente(
                actor=request.actor,
                region=region,
                municipality=form.cleaned_data["centrumgemeente"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The centrumgemeente has been saved."))
    else:
        messages.error(request, _("Choose a municipality of this region."))
    return redirect("regions:detail", code=region.code)
