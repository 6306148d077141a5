"""Forms of the leeragenda; the rules live in :mod:`perspectief.lessons.services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.candidates.constants import TargetGroup
from perspectief.core import codes
from perspectief.monitoring.constants import ActivityKind
from perspectief.monitoring.models import PlanActivity
from perspectief.regions.models import Municipality, Region
from perspectief.taxonomy.models import Sector

from . import selectors
from .constants import Outcome, Pillar, ReactionKind
from .models import Lesson

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


def _sector_choices():
    return [(s.code, f"{s.code} {s.short_name or s.name}") for s in Sector.objects.order_by("code")]


class ActivityField(forms.ModelChoiceField):
    """An activity of the region's plans, under its plan's title (the plan's long title after
    every activity's name made the choices too wide to read)."""

    def label_from_instance(self, obj: PlanActivity) -> str:
        return obj.name

    def grouped_choices(self) -> list:
        groups: dict[str, list] = {}
        for activity in self.queryset or ():
            groups.setdefault(activity.plan.title, []).append(
                (self.prepare_value(activity), self.label_from_instance(activity))
            )
        return [("", self.empty_label), *groups.items()]


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    outcome = forms.ChoiceField(label=_("How it turned out"), choices=Outcome.choices)
    activity = ActivityField(
        label=_("Activity of the plan"),
        queryset=PlanActivity.objects.none(),
        required=False,
        help_text=_("Its numbers are then taken from the platform and shown with the lesson."),
    )
    tried = forms.CharField(label=_("What was tried"), widget=TEXT)
    for_whom = forms.CharField(label=_("For whom"), max_length=300, required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place = forms.CharField(
        label=_("Where"),
        max_length=300,
        required=False,
        help_text=_("A district, a location, an employer's sector: where it was done."),
    )
    started_on = forms.DateField(label=_("From"), required=False, widget=DATE)
    ended_on = forms.DateField(label=_("Until"), required=False, widget=DATE)
    result = forms.CharField(
        label=_("Result"),
        widget=TEXT,
        # Required, so the page does not call it optional; in the service's (and API's) words.
        error_messages={
            "required": _(
                "Describe the result: what came of it, also when it failed or was stopped."
            )
        },
        help_text=_("What came of it, also when it failed or was stopped. No names or BSNs."),
    )
    worked = forms.CharField(label=_("What worked"), widget=TEXT, required=False)
    failed = forms.CharField(label=_("What failed, and why"), widget=TEXT, required=False)
    conditions = forms.CharField(
        label=_("Under which conditions it would work elsewhere"), widget=TEXT, required=False
    )
    pillars = forms.MultipleChoiceField(
        label=_("Pillars"),
        choices=Pillar.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    instruments = forms.MultipleChoiceField(
        label=_("Instruments"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    activity_kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", "—"), *ActivityKind.choices],
        required=False,
        help_text=_("Empty: the kind of the plan's activity."),
    )

    def __init__(self, *args, region_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        activity = self.fields["activity"]
        assert isinstance(activity, ActivityField)
        activity.queryset = selectors.activity_choices(region_id)
        activity.widget.choices = activity.grouped_choices()
        self.fields["municipalities"].queryset = Municipality.objects.filter(
            region_id=region_id
        ).order_by("name")
        self.fields["sectors"].choices = _sector_choices()
        self.fields["instruments"].choices = selectors.instrument_choices(region_id)

    @staticmethod
    def initial_for(lesson: Lesson) -> dict:
        initial = {
            name: getattr(lesson, name)
            for name in (
                "title",
                "outcome",
                "activity",
                "tried",
                "for_whom",
                "place",
                "started_on",
                "ended_on",
                "result",
                "worked",
                "failed",
                "conditions",
                "activity_kind",
            )
        }
        for name in ("pillars", "target_groups", "sectors", "instruments"):
            initial[name] = codes.split(getattr(lesson, name))
        initial["municipalities"] = list(lesson.municipalities.all())
        return initial


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    outcome = forms.ChoiceField(
        label=_("How it turned out"), choices=[("", _("all")), *Outcome.choices], required=False
    )
    pillar = forms.ChoiceField(
        label=_("Pillar"), choices=[("", _("all")), *Pillar.choices], required=False
    )
    target_group = forms.ChoiceField(
        label=_("Target group"), choices=[("", _("all")), *TargetGroup.choices], required=False
    )
    region = forms.ChoiceField(label=_("Region"), choices=(), required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            ("", _("all")),
            *Region.objects.order_by("name").values_list("code", "name"),
        ]
        self.fields["sector"].choices = [("", _("all")), *_sector_choices()]

    def filters(self) -> selectors.Filters:
        data = self.cleaned_data
        return selectors.Filters(
            text=data["q"].strip(),
            outcome=data["outcome"],
            pillar=data["pillar"],
            target_group=data["target_group"],
            sector=data["sector"],
            region=data["region"],
        )


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of reaction"), choices=ReactionKind.choices)
    text = forms.CharField(label=_("Reaction"), widget=TEXT)


class AdoptionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("What your region takes over, and what it changes."),
    )
