"""A region writes its own instruments and the gemeenten's variations: draft → published,
never changed once published (the rules are in services/authoring.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires

from ..constants import VersionStatus
from ..forms.authoring import (
    EndForm,
    InstrumentForm,
    VariationForm,
    VersionForm,
    code_help,
)
from ..models import InstrumentVersion, Variation
from ..selectors.catalogue import visible_instruments
from ..services import authoring as services


def _errors_to_form(form, exc: ValidationError, fallback: str) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else fallback
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def _version_page(request, form, *, version=None, instrument=None):
    return render(
        request,
        "instruments/authoring/version_form.html",
        {"form": form, "version": version, "instrument": instrument, "codes": code_help()},
    )


@requires(Permission.MANAGE_INSTRUMENTS)
def instrument_create_view(request):
    form = InstrumentForm(request.POST or None, initial={"amount_per": "none"})
    if request.method == "POST" and not request.POST.get("more_rows") and form.is_valid():
        try:
            version = services.instrument_create(
                actor=request.actor, code=form.cleaned_data["code"], data=form.version_input()
            )
        except ValidationError as exc:
            _errors_to_form(form, exc, "rules_json")
        except DomainError as exc:
            form.add_error(None, user_message(exc))
        else:
            messages.success(request, _("The instrument is saved as a draft."))
            return redirect("instruments:version", uuid=version.uuid)
    return _version_page(request, form)


def _own_version(request, uuid) -> InstrumentVersion:
    return get_object_or_404(
        InstrumentVersion.objects.filter(
            instrument__region_id=request.actor.region_id, instrument__region__isnull=False
        ).select_related("instrument"),
        uuid=uuid,
    )


@requires(Permission.MANAGE_INSTRUMENTS)
def version_edit_view(request, uuid):
    version = _own_version(request, uuid)
    if version.status != VersionStatus.DRAFT:
        messages.error(
            request,
            _(
                "A published version is never changed. Make a new version: it starts as a "
                "copy you can change and publish."
            )
            if version.is_published
            else _("A withdrawn draft is not changed."),
        )
        return redirect("instruments:version", uuid=version.uuid)
    form = VersionForm.for_version(version, request.POST or None)
    if request.method == "POST" and not request.POST.get("more_rows") and form.is_valid():
        try:
            services.version_save(actor=request.actor, version=version, data=form.version_input())
        except ValidationError as exc:
            _errors_to_form(form, exc, "rules_json")
        except DomainError as exc:
            form.add_error(None, user_message(exc))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("instruments:version", uuid=version.uuid)
    return _version_page(request, form, version=version, instrument=version.instrument)


@requires(Permission.MANAGE_INSTRUMENTS)
@require_POST
def version_action_view(request, uuid):
    """Publish, withdraw, copy into a new version, or end a published version."""
    version = get_object_or_404(
        InstrumentVersion.objects.filter(instrument__in=visible_instruments(request.actor)),
        uuid=uuid,
    )
    return _act(
        request,
        publish=lambda: services.version_publish(actor=request.actor, version=version),
        withdraw=lambda: services.version_withdraw(actor=request.actor, version=version),
        copy=lambda: services.version_copy(actor=request.actor, version=version),
        end=lambda day: services.version_end(actor=request.actor, version=version, valid_until=day),
        published=_("Published: this version is now used for its period."),
        edit="instruments:version-edit",
        back=redirect("instruments:version", uuid=version.uuid),
    )


def _act(request, *, publish, withdraw, copy, end, published, edit, back):
    """One of the actions a draft or a published version (or variation) takes: publish,
    withdraw, copy into a new draft (then edit it), or end an open period."""
    action = request.POST.get("action")
    try:
        if action == "publish":
            publish()
            messages.success(request, published)
        elif action == "withdraw":
            withdraw()
            messages.success(request, _("The draft is withdrawn."))
        elif action == "copy":
            target = copy()
            messages.success(
                request, _("A new version is made as a draft: change it and publish it.")
            )
            return redirect(edit, uuid=target.uuid)
        elif action == "end":
            form = EndForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            end(form.cleaned_data["valid_until"])
            messages.success(request, _("The end date is set."))
        else:
            messages.error(request, _("Unknown action."))
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    return back


# --- variations ---------------------------------------------------------------------------


def _variation_page(request, form, instrument, variation=None):
    return render(
        request,
        "instruments/authoring/variation_form.html",
        {"form": form, "instrument": instrument, "variation": variation, "codes": code_help()},
    )


@requires(Permission.MANAGE_INSTRUMENTS)
def variation_create_view(request, uuid):
    instrument = get_object_or_404(visible_instruments(request.actor), uuid=uuid)
    scopes = services.scopes_of(request.actor.region_id) if request.actor.region_id else []
    form = VariationForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and not request.POST.get("more_rows") and form.is_valid():
        try:
            services.variation_create(
                actor=request.actor, instrument=instrument, data=form.variation_input()
            )
        except ValidationError as exc:
            _errors_to_form(form, exc, "note")
        except DomainError as exc:
            form.add_error(None, user_message(exc))
        else:
            messages.success(request, _("The variation is saved as a draft."))
            return redirect("instruments:instrument", uuid=instrument.uuid)
    return _variation_page(request, form, instrument)


def _own_variation(request, uuid) -> Variation:
    return get_object_or_404(
        Variation.objects.filter(region_id=request.actor.region_id).select_related("instrument"),
        uuid=uuid,
    )


@requires(Permission.MANAGE_INSTRUMENTS)
def variation_edit_view(request, uuid):
    variation = _own_variation(request, uuid)
    if variation.status != VersionStatus.DRAFT:
        messages.error(
            request,
            _(
                "A published version is never changed. Make a new version: it starts as a "
                "copy you can change and publish."
            )
            if variation.is_published
            else _("A withdrawn draft is not changed."),
        )
        return redirect("instruments:instrument", uuid=variation.instrument.uuid)
    scopes = services.scopes_of(request.actor.region_id)
    form = VariationForm.for_variation(variation, scopes, request.POST or None)
    if request.method == "POST" and not request.POST.get("more_rows") and form.is_valid():
        try:
            services.variation_save(
                actor=request.actor, variation=variation, data=form.variation_input()
            )
        except ValidationError as exc:
            _errors_to_form(form, exc, "note")
        except DomainError as exc:
            form.add_error(None, user_message(exc))
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("instruments:instrument", uuid=variation.instrument.uuid)
    return _variation_page(request, form, variation.instrument, variation)


@requires(Permission.MANAGE_INSTRUMENTS)
@require_POST
def variation_action_view(request, uuid):
    variation = _own_variation(request, uuid)
    return _act(
        request,
        publish=lambda: services.variation_publish(actor=request.actor, variation=variation),
        withdraw=lambda: services.variation_withdraw(actor=request.actor, variation=variation),
        copy=lambda: services.variation_copy(actor=request.actor, variation=variation),
        end=lambda day: services.variation_end(
            actor=request.actor, variation=variation, valid_until=day
        ),
        published=_("Published: this variation is now used for its period."),
        edit="instruments:variation-edit",
        back=redirect("instruments:instrument", uuid=variation.instrument.uuid),
    )
