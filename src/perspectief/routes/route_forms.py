"""Forms for routes, steps, templates and support at work. They parse input; the rules live
in the services (planning.py, support.py)."""

from __future__ import annotations

from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from perspectief.organisations.models import Organisation

from .constants import (
    CHECK_IN_MONTHS,
    CheckInOutcome,
    ConfirmationMethod,
    ConfirmationSource,
    OfferStatus,
    StepKind,
    StepStatus,
)
from .models import Offer, OfferEdition, RouteTemplate
from .planning import STEP_OWNER_KINDS, StepInput, TemplateStepInput, step_input

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


def editions_for(region_id):
    return (
        OfferEdition.objects.filter(
            offer__region_id=region_id,
            offer__status=OfferStatus.ACTIVE,
            starts_on__gte=timezone.localdate(),
        )
        .select_related("offer")
        # Seats taken in one query, not one per start on the form.
        .annotate(taken=Count("steps", filter=~Q(steps__status=StepStatus.STOPPED)))
        .order_by("offer__title", "starts_on")
    )


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

    def __init__(self, *args, region_id, own, **kwargs):
        super().__init__(*args, **kwargs)
        self.own = own
        self.fields["edition"].queryset = editions_for(region_id)
        self.fields["offer"].queryset = Offer.objects.filter(
            region_id=region_id, status=OfferStatus.ACTIVE
        ).order_by("title")
        self.fields["owner"].queryset = owners_for(region_id)

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


TEMPLATE_ROWS = 8


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, region_id, **kwargs):
        super().__init__(*args, **kwargs)
        offers = Offer.objects.filter(region_id=region_id, status=OfferStatus.ACTIVE).order_by(
            "title"
        )
        for i in range(1, TEMPLATE_ROWS + 1):
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Kind"), choices=[("", "—"), *StepKind.choices], required=False
            )
            self.fields[f"title_{i}"] = forms.CharField(
                label=_("Title"), max_length=200, required=False
            )
            self.fields[f"weeks_{i}"] = forms.IntegerField(
                label=_("Weeks"), min_value=1, max_value=104, required=False
            )
            self.fields[f"offer_{i}"] = forms.ModelChoiceField(
                label=_("Service or training"), queryset=offers, required=False
            )

    def rows(self):
        """The step rows as (number, kind, title, weeks, offer) bound fields."""
        return [
            (i, self[f"kind_{i}"], self[f"title_{i}"], self[f"weeks_{i}"], self[f"offer_{i}"])
            for i in range(1, TEMPLATE_ROWS + 1)
        ]

    def steps(self) -> list[TemplateStepInput]:
        d = self.cleaned_data
        return [
            TemplateStepInput(
                kind=d[f"kind_{i}"],
                title=d[f"title_{i}"] or (d[f"offer_{i}"].title if d[f"offer_{i}"] else ""),
                weeks=d[f"weeks_{i}"] or (d[f"offer_{i}"].duration_weeks if d[f"offer_{i}"] else 0),
                offer=d[f"offer_{i}"],
            )
            for i in range(1, TEMPLATE_ROWS + 1)
            if d.get(f"kind_{i}") or d.get(f"title_{i}") or d.get(f"offer_{i}")
        ]

    @classmethod
    def initial_for(cls, template) -> dict:
        initial = {"name": template.name, "description": template.description}
        for i, step in enumerate(template.steps.all(), start=1):
            initial.update(
                {
                    f"kind_{i}": step.kind,
                    f"title_{i}": step.title,
                    f"weeks_{i}": step.weeks,
                    f"offer_{i}": step.offer_id,
                }
            )
        return initial


class CheckInForm(forms.Form):
    month = forms.TypedChoiceField(
        label=_("Check-in"),
        coerce=int,
        choices=lambda: [
            (m, ngettext("after %(n)s month", "after %(n)s months", m) % {"n": m})
            for m in CHECK_IN_MONTHS
        ],
    )
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    with_person = forms.BooleanField(label=_("Spoke with the person"), required=False)
    with_employer = forms.BooleanField(label=_("Spoke with the employer"), required=False)
    outcome = forms.ChoiceField(label=_("How it goes"), choices=CheckInOutcome.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DropOutForm(forms.Form):
    on = forms.DateField(label=_("Last day of work"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ConfirmationForm(forms.Form):
    """The evidence of durable work: who confirmed, how, when, and whether the person still
    works there (with the last day of work when not)."""

    confirmed_on = forms.DateField(label=_("Confirmed on"), widget=DATE)
    source = forms.ChoiceField(
        label=_("Confirmed by"), choices=ConfirmationSource.choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(label=_("How"), choices=ConfirmationMethod.choices)
    still_employed = forms.TypedChoiceField(
        label=_("Does the person still work there?"),
        choices=[("yes", _("yes, still works there")), ("no", _("no, no longer works there"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    last_day = forms.DateField(
        label=_("Last day of work (when no longer there)"), required=False, widget=DATE
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
