"""Turning an employer's request into an employer account and a place, in one form
prefilled from the request (``forms/conversion.py``, ``services/conversion.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.policies import requires
from perspectief.organisations.selectors.employers import duplicates

from ..forms.conversion import ConvertForm, prefill
from ..selectors.requests import queue_for
from ..services.conversion import request_convert


def _known(actor, item, form_data) -> list:
    """Employers of the region the request may be about: the one it was linked to (a known
    KvK number on the public form), and those with the KvK number or name of the request or
    of what was typed."""
    found = {}
    if item.employer is not None:
        found[item.employer.pk] = item.employer
    pairs = [(item.company_name, item.kvk_number)]
    if form_data:
        pairs.append((form_data.get("name", ""), form_data.get("kvk_number", "")))
    for name, kvk in pairs:
        for account in duplicates(actor, name=name, kvk_number=(kvk or "").replace(" ", "")):
            found.setdefault(account.pk, account)
    return list(found.values())


def _refused(form, exc: ValidationError, known: bool) -> None:
    """The service's refusal beside its field; with a known employer, a postcode refused is
    the place's (a new employer's postcode has its own field)."""
    errors = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, messages_ in errors:
        target = "place_postcode" if known and field == "postcode" else field
        form.add_error(target if target in form.fields else None, messages_)


@requires(Permission.MANAGE_EMPLOYERS)  # every role that may has MANAGE_PLACES too
def request_convert_view(request, uuid):
    actor = request.actor
    item = get_object_or_404(
        queue_for(actor).select_related("employer__organisation", "vacancy"), uuid=uuid
    )
    if item.vacancy_id is not None:
        messages.info(request, _("This request has already become a place."))
        return redirect("vacancies:request-detail", uuid=item.uuid)
    known = _known(actor, item, request.POST if request.method == "POST" else None)
    form = ConvertForm(request.POST or None, initial=prefill(item), known=known)
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen()
        try:
            account, vacancy = request_convert(
                actor=actor,
                request=item,
                place=form.place(),
                employer=chosen,
                new_employer=None if chosen else form.new_employer(),
                contact=form.contact(),
            )
        except ValidationError as exc:
            _refused(form, exc, chosen is not None)
        except DomainError as exc:
            form.add_error(None, user_message(exc))
        else:
            messages.success(
                request,
                _("%(employer)s and the draft place are saved; the request links to both.")
                % {"employer": account.organisation.name},
            )
            return redirect("vacancies:detail", uuid=vacancy.uuid)
    return render(
        request,
        "vacancies/requests/convert.html",
        {"form": form, "item": item, "known": known},
    )
