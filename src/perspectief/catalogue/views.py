"""The region's catalogue of services and training: search it; providers keep their own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import requires

from . import selectors, services
from .forms import EditionForm, OfferForm, SearchForm
from .models import Offer, OfferEdition


@requires(Permission.VIEW_CATALOGUE)
@require_GET
def offer_list_view(request):
    form = params.form(request, SearchForm)
    filters = form.filters() if form.is_bound else selectors.Filters()
    offers = selectors.offer_search(actor=request.actor, filters=filters)
    return render(
        request,
        "catalogue/offer_list.html",
        {
            "form": form,
            "offers": offers,
            "may_offer": request.actor.has_perm(Permission.MANAGE_OFFERS),
        },
    )


@requires(Permission.VIEW_CATALOGUE)
@require_GET
def offer_detail_view(request, uuid):
    offer = get_object_or_404(
        Offer.objects.visible_to(request.actor).select_related("provider", "postcode"), uuid=uuid
    )
    own = offer.provider_id == request.actor.organisation.pk and request.actor.has_perm(
        Permission.MANAGE_OFFERS
    )
    return render(
        request,
        "catalogue/offer_detail.html",
        {
            "offer": offer,
            "skills": offer.skills.select_related("skill"),
            "groups": offer.target_groups.all(),
            "editions": offer.editions.all(),
            "own": own,
            "edition_form": EditionForm() if own else None,
        },
    )


def _save(request, offer=None):
    initial = OfferForm.initial_for(offer) if offer is not None else None
    form = OfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.offer_save(actor=request.actor, data=form.cleaned_data, offer=offer)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved in the catalogue."))
            return redirect("routes:offer", uuid=saved.uuid)
    return render(request, "catalogue/offer_form.html", {"form": form, "offer": offer})


@requires(Permission.MANAGE_OFFERS)
def offer_create_view(request):
    return _save(request)


def _own_offer(request, uuid) -> Offer:
    return get_object_or_404(
        Offer.objects.filter(provider_id=request.actor.organisation.pk), uuid=uuid
    )


@requires(Permission.MANAGE_OFFERS)
def offer_edit_view(request, uuid):
    return _save(request, _own_offer(request, uuid))


@requires(Permission.MANAGE_OFFERS)
@require_POST
def offer_action_view(request, uuid):
    """Archive the offer, add a start, or remove one."""
    offer = _own_offer(request, uuid)
    action = request.POST.get("action")
    try:
        if action == "archive":
            services.offer_archive(actor=request.actor, offer=offer)
            messages.success(request, _("The offer is no longer in the catalogue."))
        elif action == "edition":
            form = EditionForm(request.POST)
            if not form.is_valid():
                raise ValidationError([str(e) for errors in form.errors.values() for e in errors])
            services.edition_add(actor=request.actor, offer=offer, **form.cleaned_data)
            messages.success(request, _("Start added."))
        elif action == "remove-edition":
            edition = get_object_or_404(
                OfferEdition.objects.filter(offer=offer),
                uuid=parse_uuid(request.POST.get("edition")),
            )
            services.edition_remove(actor=request.actor, edition=edition)
            messages.success(request, _("Start removed."))
        else:
            messages.error(request, _("Unknown action."))
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    return redirect("routes:offer", uuid=offer.uuid)
