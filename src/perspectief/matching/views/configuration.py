"""Pages of the region's matching configuration (#18): what is in force — every criterion
with its weight, bounds, default and what it means, and the minimum score — its history of
versions, one version, and the form with which the region's programme manager makes a new
version. Whoever sees rankings, the fairness report or sets the configuration reads it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core.authz import Permission
from perspectief.core.policies import deny, requires, signed_in

from ..forms.configuration import ConfigurationForm
from ..models import MatchingConfiguration
from ..selectors.configuration import (
    Setting,
    changes_between,
    criteria_rows,
    history,
    in_force,
    may_see,
    previous_of,
)
from ..services.configuration import configuration_save


def _reader(request):
    if not may_see(request.actor):
        deny(request, "missing_permission", Permission.CONFIGURE_MATCHING)
    return request.actor


def _name(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@signed_in
@require_GET
def configuration_view(request):
    """The configuration in force in the actor's region, and its history."""
    actor = _reader(request)
    setting = in_force(actor.region_id)
    return render(
        request,
        "matching/configuration/detail.html",
        {
            "setting": setting,
            "rows": criteria_rows(setting),
            "history": history(actor.region_id),
            "region": actor.region,
            "may_edit": actor.has_perm(Permission.CONFIGURE_MATCHING),
        },
    )


@signed_in
@require_GET
def configuration_version_view(request, uuid):
    """One version, of any region (a ranking may have used another region's), with what it
    changed against the version before it."""
    _reader(request)
    configuration = get_object_or_404(
        MatchingConfiguration.objects.select_related("region", "changed_by", "changed_for"),
        uuid=uuid,
    )
    setting = Setting.of(configuration)
    latest = in_force(configuration.region_id)
    return render(
        request,
        "matching/configuration/version.html",
        {
            "setting": setting,
            "configuration": configuration,
            "rows": criteria_rows(setting),
            "changes": changes_between(previous_of(configuration), setting),
            "is_current": latest.version == configuration.version,
            "who": _name(configuration.changed_by),
        },
    )


@requires(Permission.CONFIGURE_MATCHING)
def configuration_edit_view(request):
    """A new version of the region's configuration: nothing is saved unless all of it is
    right."""
    actor = request.actor
    if not actor.region_id:
        deny(request, "no_region", Permission.CONFIGURE_MATCHING)
    setting = in_force(actor.region_id)
    form = ConfigurationForm(request.POST or None, setting=setting)
    if request.method == "POST" and form.is_valid():
        try:
            saved = configuration_save(actor=actor, data=form.configuration_input())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Version %(version)s of the setting is in force from now on.")
                % {"version": saved.version},
            )
            return redirect("matching:configuration")
    return render(
        request,
        "matching/configuration/form.html",
        {"form": form, "setting": setting, "rows": criteria_rows(setting)},
    )
