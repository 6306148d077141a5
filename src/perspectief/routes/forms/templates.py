"""The form for a route template: its name and up to eight steps."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.catalogue.constants import OfferStatus
from perspectief.catalogue.models import Offer

from ..constants import StepKind
from ..services.templates import TemplateStepInput

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
