"""Forms for a route and its steps. They parse input; the rules live in the services
(:mod:`perspectief.routes.services.steps` and :mod:`~perspectief.routes.services.routes`)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from perspectief.catalogue.constants import OfferStatus
from perspectief.catalogue.models import Offer, OfferEdition
from perspectief.funding.models import FundingPot
from perspectief.funding.services import Payer
from perspectief.organisations.models import Organisation

from ..constants import StepKind
from ..models import RouteTemplate
from ..selectors.courses import editions_with_seats_taken
from ..services.steps import STEP_OWNER_KINDS, StepInput, step_input

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def owners_for(region_id):
    """Organisations that can own a step for a person of the region: the region's own, and
    schools, intermediaries and SW companies based in it."""
    return (
        Organisation.objects.filter(is_active=True, kind__in=sorted(STEP_OWNER_KINDS))
        .filter(Q(region_id=region_id) | Q(municipality__region_id=region_id))
        .distinct()
        .order_by("name")
    )


class EditionChoice(forms.ModelChoiceField):
    def label_from_instance(self, edition):
        free = "" if edition.seats is None else f" ({edition.seats - edition.taken} vrij)"
        return f"{edition.offer.title} — {edition.starts_on:%d-%m-%Y}{free}"


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of step"), choices=StepKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    edition = EditionChoice(
        label=_("On a start of a course or service"),
        queryset=OfferEdition.objects.none(),
        required=False,
        help_text=_("The provider becomes the owner and the start's dates are taken over."),
    )
    offer = forms.ModelChoiceField(
        label=_("Or a service without fixed starts"),
        queryset=Offer.objects.none(),
        required=False,
    )
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("step of a route", "Owner"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "Another organisation than yours must accept the step (a hand-off). Empty: your "
            "organisation, or the provider of the course."
        ),
    )
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DATE)
    planned_end = forms.DateField(label=_("Due (planned end)"), required=False, widget=DATE)
    handoff_note = forms.CharField(
        label=_("What the partner should know"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only for a step handed to another organisation, which sees it with the step. "
            "No name or BSN: until it accepts, it knows the person by their code."
        ),
    )
    funding_pot = forms.ModelChoiceField(
        label=_("Paid from (funding pot)"),
        queryset=FundingPot.objects.none(),
        required=False,
        help_text=_("The pot that pays this step; its committed amount counts this step."),
    )
    funding_amount = forms.DecimalField(
        label=_("Amount paid from the pot (€)"),
        max_digits=12,
        decimal_places=2,
        required=False,
    )

    def __init__(self, *args, region_id, own, **kwargs):
        super().__init__(*args, **kwargs)
        self.own = own
        self.fields["edition"].queryset = editions_with_seats_taken(region_id)
        self.fields["offer"].queryset = Offer.objects.filter(
            region_id=region_id, status=OfferStatus.ACTIVE
        ).order_by("title")
        self.fields["owner"].queryset = owners_for(region_id)
        self.fields["funding_pot"].queryset = FundingPot.objects.for_region(region_id).order_by(
            "name"
        )

    def step_input(self) -> StepInput:
        d = self.cleaned_data
        return step_input(
            kind=d["kind"],
            own=self.own,
            title=d.get("title") or "",
            owner=d.get("owner"),
            offer=d.get("offer"),
            edition=d.get("edition"),
            planned_start=d.get("planned_start"),
            planned_end=d.get("planned_end"),
            handoff_note=d.get("handoff_note") or "",
            funding=Payer(d.get("funding_pot"), d.get("funding_amount")),
        )

    @classmethod
    def initial_for(cls, step) -> dict:
        return {
            "kind": step.kind,
            "title": step.title,
            "edition": step.edition_id,
            "offer": step.offer_id,
            "owner": step.owner_id,
            "planned_start": step.planned_start,
            "planned_end": step.planned_end,
            "handoff_note": step.handoff_note,
            "funding_pot": step.funding_pot_id,
            "funding_amount": step.funding_amount,
        }


class StartForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Route template"),
        queryset=RouteTemplate.objects.none(),
        required=False,
        empty_label=_("— an empty route, steps added one by one —"),
    )
    start_on = forms.DateField(label=_("First step starts on"), required=False, widget=DATE)

    def __init__(self, *args, region_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = RouteTemplate.objects.filter(
            region_id=region_id, is_active=True
        )
