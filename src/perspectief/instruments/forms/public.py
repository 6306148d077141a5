"""The questions of the public Regelingenwijzer, asked of an employer in plain words.

The answers describe a job and a person without naming anyone. "I don't know" (or an empty
field) is *not known*, never a guess: the answer then says which fact is missing. The
facts are checked by the same rules as the API (``facts.clean_case``), so the page and the
API refuse the same values with the same reasons.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from perspectief.candidates.constants import Benefit
from perspectief.core.refusals import in_language as refusal_text
from perspectief.regions import selectors as regions
from perspectief.regions.models import Region

from ..selectors import public as selectors
from ..selectors.public import CaseError

UNKNOWN = "unknown"
YES, NO = "yes", "no"


def _yes_no(label):
    return forms.ChoiceField(
        label=label,
        required=False,
        widget=forms.RadioSelect,
        choices=[
            (YES, pgettext_lazy("employer", "Yes")),
            (NO, pgettext_lazy("employer", "No")),
            (UNKNOWN, pgettext_lazy("employer", "I don't know")),
        ],
    )


def _number_input(mode: str = "numeric"):
    return forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"})


#: The benefits in plain words (the codes are the profile's).
BENEFITS = [
    (Benefit.WW, pgettext_lazy("employer", "WW (unemployment benefit from UWV)")),
    (Benefit.BIJSTAND, pgettext_lazy("employer", "Bijstand (social assistance from the gemeente)")),
    (Benefit.IOAW, pgettext_lazy("employer", "IOAW (from the gemeente, for older unemployed)")),
    (Benefit.IOW, pgettext_lazy("employer", "IOW (from UWV, for older unemployed)")),
    (Benefit.WIA, pgettext_lazy("employer", "WIA (incapacity for work)")),
    (Benefit.WAO, pgettext_lazy("employer", "WAO (incapacity for work, the old scheme)")),
    (Benefit.WAZ, pgettext_lazy("employer", "WAZ (incapacity for work, self-employed)")),
    (Benefit.WAJONG, pgettext_lazy("employer", "Wajong (disabled from a young age)")),
    (Benefit.ZIEKTEWET, pgettext_lazy("employer", "Ziektewet (sickness benefit)")),
    (Benefit.NONE, pgettext_lazy("employer", "No benefit")),
    (Benefit.OTHER, pgettext_lazy("employer", "Another benefit")),
    (UNKNOWN, pgettext_lazy("employer", "I don't know")),
]

#: Which form field a fact comes from (so a refused fact is shown at its question).
FIELD_OF = {
    "person.age": "age",
    "person.benefit": "benefit",
    "person.targetGroups": "banenafspraak",
    "person.structuralFunctionalLimitation": "limitation",
    "person.wageValuePercent": "wage_value",
    "person.employedByThisEmployerInLast6Months": "worked_here",
    "person.weeksOnBenefit": "months_on_benefit",
    "job.hoursPerWeek": "hours",
    "job.contractMonths": "contract_months",
    "job.permanent": "contract",
    "job.hourlyWage": "hourly_wage",
    "job.bbl": "bbl",
    "employer.recognisedTrainingCompany": "recognised",
    "employer.intendsContractMonths": "trial_months",
}

NUMBER = re.compile(r"^\s*(\d{1,6})(?:[.,](\d{1,2}))?\s*$")


def _bool(value: str) -> bool | None:
    return {YES: True, NO: False}.get(value)


class RegelingenForm(forms.Form):
    """The Regelingenwijzer's questions; every one may be left open."""

    region = forms.ChoiceField(
        label=pgettext_lazy("employer", "Labour-market region"), required=False
    )
    place = forms.CharField(
        label=pgettext_lazy("employer", "Or: gemeente or postcode of the workplace"),
        help_text=pgettext_lazy("employer", "For example Amsterdam or 1011 AB."),
        required=False,
        max_length=60,
    )
    start = forms.DateField(
        label=pgettext_lazy("employer", "When does the work start?"),
        help_text=pgettext_lazy("employer", "Empty: we use today."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    age = forms.CharField(
        label=pgettext_lazy("employer", "Age of the person"),
        required=False,
        max_length=3,
        widget=_number_input(),
    )
    benefit = forms.ChoiceField(
        label=pgettext_lazy("employer", "Which benefit does the person have now?"),
        required=False,
        widget=forms.RadioSelect,
        choices=BENEFITS,
    )
    months_on_benefit = forms.CharField(
        label=pgettext_lazy("employer", "How many months has the person had this benefit?"),
        required=False,
        max_length=3,
        widget=_number_input(),
    )
    banenafspraak = _yes_no(
        pgettext_lazy("employer", "Is the person in the doelgroepregister banenafspraak?")
    )
    limitation = _yes_no(
        pgettext_lazy(
            "employer", "Is the person structurally limited in work (structureel beperkt)?"
        )
    )
    worked_here = _yes_no(
        pgettext_lazy("employer", "Did the person work for you in the 6 months before the start?")
    )
    wage_value = forms.CharField(
        label=pgettext_lazy("employer", "Wage value (loonwaarde) in percent of the minimum wage"),
        help_text=pgettext_lazy("employer", "Only if it has been assessed; else leave it empty."),
        required=False,
        max_length=6,
        widget=_number_input("decimal"),
    )
    hours = forms.CharField(
        label=pgettext_lazy("employer", "Hours per week"),
        required=False,
        max_length=6,
        widget=_number_input("decimal"),
    )
    contract = forms.ChoiceField(
        label=pgettext_lazy("employer", "Which contract do you offer?"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("permanent", pgettext_lazy("employer", "Permanent")),
            ("temporary", pgettext_lazy("employer", "Temporary")),
            (UNKNOWN, pgettext_lazy("employer", "I don't know yet")),
        ],
    )
    contract_months = forms.CharField(
        label=pgettext_lazy("employer", "A temporary contract: for how many months?"),
        required=False,
        max_length=3,
        widget=_number_input(),
    )
    hourly_wage = forms.CharField(
        label=pgettext_lazy("employer", "Gross hourly wage in euro"),
        help_text=pgettext_lazy("employer", "For example 15,50."),
        required=False,
        max_length=9,
        widget=_number_input("decimal"),
    )
    bbl = _yes_no(
        pgettext_lazy("employer", "Is it a learning-working job with BBL (a vocational course)?")
    )
    recognised = _yes_no(
        pgettext_lazy("employer", "Are you a recognised training company (erkend leerbedrijf)?")
    )
    trial = _yes_no(
        pgettext_lazy(
            "employer",
            "After a trial placement, would you promise the person a contract?",
        )
    )
    trial_months = forms.CharField(
        label=pgettext_lazy("employer", "For how many months?"),
        required=False,
        max_length=3,
        widget=_number_input(),
    )

    #: The questions in groups, each a fieldset with a legend on the page.
    GROUPS = (
        (pgettext_lazy("employer", "Where is the work?"), ("region", "place", "start")),
        (
            pgettext_lazy("employer", "The person"),
            (
                "age",
                "benefit",
                "months_on_benefit",
                "banenafspraak",
                "limitation",
                "worked_here",
                "wage_value",
            ),
        ),
        (
            pgettext_lazy("employer", "The job"),
            ("hours", "contract", "contract_months", "hourly_wage", "bbl", "recognised"),
        ),
        (pgettext_lazy("employer", "A trial placement"), ("trial", "trial_months")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", pgettext_lazy("employer", "Choose a region"))] + [
            (region.code, region.name) for region in Region.objects.order_by("name")
        ]
        self.place_found: dict[str, Any] = {}
        self.facts: dict[str, Any] = {}

    def groups(self):
        """(legend, [bound fields]) per group of questions."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    # --- numbers as people type them ("32", "32,5", "15.50") -------------------------------
    def _number(self, name: str, *, whole: bool = False) -> float | int | None:
        raw = self.cleaned_data.get(name) or ""
        if not raw.strip():
            return None
        match = NUMBER.match(raw)
        if not match or (whole and match[2]):
            raise forms.ValidationError(
                pgettext_lazy("employer", "Give a whole number, for example 12.")
                if whole
                else pgettext_lazy("employer", "Give a number, for example 32 or 15,50.")
            )
        if whole:
            return int(match[1])
        return float(f"{match[1]}.{match[2] or 0}")

    def clean_start(self):
        start = self.cleaned_data.get("start")
        if start is not None and not selectors.FIRST_DAY <= start <= selectors.LAST_DAY:
            raise forms.ValidationError(
                pgettext_lazy("employer", "Give a date from the year 2000 to 2099.")
            )
        return start

    def clean_age(self):
        return self._number("age", whole=True)

    def clean_months_on_benefit(self):
        value = self._number("months_on_benefit", whole=True)
        if value is not None and value > 600:
            raise forms.ValidationError(pgettext_lazy("employer", "Give at most 600 months."))
        return value

    def clean_wage_value(self):
        return self._number("wage_value")

    def clean_hours(self):
        return self._number("hours")

    def clean_contract_months(self):
        return self._number("contract_months", whole=True)

    def clean_hourly_wage(self):
        return self._number("hourly_wage")

    def clean_trial_months(self):
        return self._number("trial_months", whole=True)

    # --- the place, and the facts -----------------------------------------------------------
    def _clean_place(self, data: dict[str, Any]) -> None:
        region = selectors.region_by_code(data.get("region") or "")
        place = (data.get("place") or "").strip()
        municipality = None
        if place and re.match(r"^\s*\d", place):
            try:
                area = regions.postcode(place)
            except ValueError as exc:
                self.add_error("place", refusal_text(exc))
                return
            municipality = area.municipality if area else None
        elif place:
            municipality = selectors.municipality_by_code_or_name(place)
            if municipality is None:
                self.add_error(
                    "place",
                    pgettext_lazy(
                        "employer",
                        "We do not know this gemeente. Check the spelling, or give the postcode.",
                    ),
                )
                return
        if municipality is not None and region is not None and municipality.region_id != region.pk:
            self.add_error(
                "place", selectors.in_language(selectors.outside_region(municipality, region))
            )
            return
        if municipality is not None:
            region = municipality.region
        if region is None:
            self.add_error("region", selectors.no_place())
            return
        self.place_found = {"region": region, "municipality": municipality}

    def _case(self, data: dict[str, Any]) -> dict[str, Any]:
        benefit = data.get("benefit")
        months_on_benefit = data.get("months_on_benefit")
        banenafspraak = _bool(data.get("banenafspraak") or "")
        contract = data.get("contract")
        trial = data.get("trial")
        promised = data.get("trial_months")
        if trial == NO:
            promised = 0
        elif trial == UNKNOWN:
            promised = None
        return {
            "person": {
                "age": data.get("age"),
                "benefit": benefit if benefit and benefit != UNKNOWN else None,
                "targetGroups": None
                if banenafspraak is None
                else (["banenafspraak"] if banenafspraak else []),
                "structuralFunctionalLimitation": _bool(data.get("limitation") or ""),
                "wageValuePercent": data.get("wage_value"),
                "employedByThisEmployerInLast6Months": _bool(data.get("worked_here") or ""),
                "weeksOnBenefit": (
                    None if months_on_benefit is None else round(months_on_benefit * 52 / 12, 1)
                ),
            },
            "job": {
                "hoursPerWeek": data.get("hours"),
                "permanent": {"permanent": True, "temporary": False}.get(contract or ""),
                "contractMonths": None if contract == "permanent" else data.get("contract_months"),
                "hourlyWage": data.get("hourly_wage"),
                "bbl": _bool(data.get("bbl") or ""),
            },
            "employer": {
                "recognisedTrainingCompany": _bool(data.get("recognised") or ""),
                "intendsContractMonths": promised,
            },
        }

    def clean(self):
        data = super().clean()
        self._clean_place(data)
        if self.errors:
            return data
        try:
            self.facts = selectors.clean_facts(self._case(data))
        except CaseError as exc:
            for name, reason in exc.errors.items():
                field = FIELD_OF.get(name)
                text = selectors.in_language(reason)
                self.add_error(field, f"{text[:1].upper()}{text[1:]}.")
        return data

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) of every error, in the order of the questions."""
        rows = []
        for name in self.fields:
            for message in self.errors.get(name, []):
                rows.append((self[name].auto_id, str(self[name].label), str(message)))
        return rows + [("", "", str(message)) for message in self.non_field_errors()]
