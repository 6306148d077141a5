"""The harmonisation table of a region: where its gemeenten and UWV differ per instrument,
and where the region stands in harmonising each."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires

from ..forms.authoring import HarmonisationForm
from ..selectors import harmonisation as selectors
from ..selectors.catalogue import visible_instruments
from ..services import authoring as services


@requires(Permission.VIEW_INSTRUMENTS)
@require_GET
def harmonisation_view(request):
    on = params.iso_date(request, "datum", default=timezone.localdate())
    if not request.actor.region_id:
        return render(request, "instruments/harmonisation.html", {"table": None, "on": on})
    table = selectors.table(request.actor, on)
    manage = request.actor.has_perm(Permission.MANAGE_INSTRUMENTS)
    forms = (
        {
            row.instrument.pk: HarmonisationForm(
                initial={"status": row.item.status, "note": row.item.note} if row.item else None,
                prefix=f"h{row.instrument.pk}",
            )
            for row in table.rows
        }
        if manage
        else {}
    )
    return render(
        request,
        "instruments/harmonisation.html",
        {
            "table": table,
            "on": on,
            "rows": [(row, forms.get(row.instrument.pk)) for row in table.rows],
            "may_manage": manage,
        },
    )


@requires(Permission.MANAGE_INSTRUMENTS)
@require_POST
def harmonisation_status_view(request, uuid):
    instrument = get_object_or_404(visible_instruments(request.actor), uuid=uuid)
    form = HarmonisationForm(request.POST, prefix=f"h{instrument.pk}")
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.harmonisation_set(
            actor=request.actor,
            instrument=instrument,
            status=form.cleaned_data["status"],
            note=form.cleaned_data.get("note") or "",
        )
        messages.success(request, _("The harmonisation status is saved."))
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    return redirect(f"{reverse('instruments:harmonisation')}#h-{instrument.code}")
