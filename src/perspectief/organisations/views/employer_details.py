"""Changing an employer: its name, KvK number, sector, size and address (the region's
account managers and intermediaries), its locations and contact persons (they, and the
employer's own users, who keep its places too). A refused form comes back with its
messages beside the fields and what was typed kept; nothing is saved half."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from perspectief.core.authz import Permission
from perspectief.core.exceptions import NotFoundError
from perspectief.core.policies import deny, requires

from ..forms.employer_details import ContactForm, EmployerEditForm, LocationForm
from ..models import EmployerAccount, EmployerContact, EmployerLocation
from ..selectors.employers import can_edit, can_edit_people_and_places
from ..services import employer_details as details


def _account(request, uuid) -> EmployerAccount:
    return get_object_or_404(
        EmployerAccount.objects.visible_to(request.actor).select_related(
            "organisation", "postcode", "sector"
        ),
        uuid=uuid,
    )


def _editable(request, uuid, check: Callable) -> EmployerAccount:
    """The employer, when the actor sees it (404 otherwise) and may change this (403)."""
    account = _account(request, uuid)
    if not check(request.actor, account):
        deny(request, "not_allowed_for_this_employer")
    return account


def _employer_page(account, anchor: str = "") -> str:
    return reverse("organisations:employer", kwargs={"uuid": account.uuid}) + anchor


def _save(form, save: Callable) -> bool:
    """Run ``save``; a refusal of the service lands beside its field in the form."""
    try:
        save()
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    return True


@requires(Permission.MANAGE_EMPLOYERS)
def employer_edit_view(request, uuid):
    account = _editable(request, uuid, can_edit)
    form = EmployerEditForm(request.POST or None, initial=EmployerEditForm.initial_for(account))
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: details.employer_update(
                actor=request.actor, account=account, data=form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("Employer saved."))
        return redirect(_employer_page(account))
    return render(
        request, "organisations/employers/employer_edit.html", {"form": form, "account": account}
    )


def _edit_part(request, uuid, pk, *, model, form_class, save, saved, anchor, template, name):
    """A location or a contact person of the employer: new (no ``pk``) or changed."""
    account = _editable(request, uuid, can_edit_people_and_places)
    part = get_object_or_404(model, account=account, pk=pk) if pk else None
    form = form_class(request.POST or None, initial=form_class.initial_for(part) if part else {})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(
            form,
            lambda: save(actor=request.actor, account=account, data=form.cleaned_data, pk=pk),
        )
    ):
        messages.success(request, saved)
        return redirect(_employer_page(account, anchor))
    return render(request, template, {"form": form, "account": account, name: part})


@requires(Permission.VIEW_EMPLOYERS)
def location_view(request, uuid, pk=None):
    return _edit_part(
        request,
        uuid,
        pk,
        model=EmployerLocation,
        form_class=LocationForm,
        save=lambda pk, **kw: details.location_save(location_id=pk, **kw),
        saved=_("Location saved."),
        anchor="#locations",
        template="organisations/employers/location_form.html",
        name="location",
    )


@requires(Permission.VIEW_EMPLOYERS)
def contact_person_view(request, uuid, pk=None):
    return _edit_part(
        request,
        uuid,
        pk,
        model=EmployerContact,
        form_class=ContactForm,
        save=lambda pk, **kw: details.contact_save(contact_id=pk, **kw),
        saved=_("Contact person saved."),
        anchor="#contacts",
        template="organisations/employers/contact_form.html",
        name="contact",
    )


@requires(Permission.VIEW_EMPLOYERS)
@require_POST
def location_remove_view(request, uuid, pk):
    account = _editable(request, uuid, can_edit_people_and_places)
    try:
        details.location_remove(actor=request.actor, account=account, location_id=pk)
    except NotFoundError:
        messages.error(request, _("This location was already removed."))
    else:
        messages.success(request, _("Location removed."))
    return redirect(_employer_page(account, "#locations"))


@requires(Permission.VIEW_EMPLOYERS)
@require_POST
def contact_person_remove_view(request, uuid, pk):
    account = _editable(request, uuid, can_edit_people_and_places)
    try:
        details.contact_remove(actor=request.actor, account=account, contact_id=pk)
    except NotFoundError:
        messages.error(request, _("This contact person was already removed."))
    else:
        messages.success(request, _("Contact person removed."))
    return redirect(_employer_page(account, "#contacts"))
