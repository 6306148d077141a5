"""Pages for the region's route templates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from ..forms.templates import TemplateForm
from ..models import RouteTemplate
from ..services import templates
from .routes import form_errors


@requires(Permission.MANAGE_ROUTE_TEMPLATES)
@require_GET
def templates_view(request):
    templates = RouteTemplate.objects.filter(region_id=request.actor.region_id).prefetch_related(
        "steps__offer"
    )
    return render(request, "routes/templates.html", {"templates": templates})


@requires(Permission.MANAGE_ROUTE_TEMPLATES)
def template_edit_view(request, uuid=None):
    template = None
    if uuid is not None:
        template = get_object_or_404(
            RouteTemplate.objects.filter(region_id=request.actor.region_id), uuid=uuid
        )
    form = TemplateForm(
        request.POST or None,
        initial=TemplateForm.initial_for(template) if template else None,
        region_id=request.actor.region_id,
    )
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "retire" and template is not None:
            templates.template_retire(actor=request.actor, template=template)
            messages.success(request, _("The template is no longer offered for new routes."))
            return redirect("route:templates")
        try:
            templates.template_save(
                actor=request.actor,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                steps=form.steps(),
                template=template,
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Template saved."))
            return redirect("route:templates")
    return render(request, "routes/template_form.html", {"form": form, "template": template})
