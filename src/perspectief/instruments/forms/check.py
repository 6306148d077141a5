""" "Vul aan wat je weet": the facts an adviser may add to a case on the page of what the
employer can get. Sent as GET parameters and checked with :func:`facts.clean_case`, so the
page says the same as the API about a wrong value; nothing is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from perspectief.core.refusals import chosen
from perspectief.core.rules import localised

from ..facts import VOCABULARY, CaseError, clean_case

#: The form's fields and the facts they fill, in the order the page asks them.
FIELDS: dict[str, str] = {
    "workedHereBefore": "person.employedByThisEmployerInLast6Months",
    "weeksOnBenefit": "person.weeksOnBenefit",
    "wageValuePercent": "person.wageValuePercent",
    "limitation": "person.structuralFunctionalLimitation",
    "hoursPerWeek": "job.hoursPerWeek",
    "hourlyWage": "job.hourlyWage",
    "contractMonths": "job.contractMonths",
    "trialMonths": "job.trialPlacementMonths",
    "trainingCompany": "employer.recognisedTrainingCompany",
    "promisedMonths": "employer.intendsContractMonths",
}

#: Only who may read health information is asked about a limitation.
HEALTH_FIELDS = frozenset({"limitation"})

YES_NO = [("", _("not known")), ("yes", _("yes")), ("no", _("no"))]


def _number(text: str) -> Any:
    """A number as typed ("15,50" too); anything else is passed on as typed, so
    ``clean_case`` refuses it with its own reason ("geef een getal")."""
    cleaned = text.strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


class CheckForm(forms.Form):
    """The unknown facts of a case; ``base`` are the facts from the records, so a
    contradiction with them (a BBL place at a company that is no training company) is
    refused too."""

    def __init__(self, *args, base: dict[str, Any], health: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.base = base
        for name, fact_name in FIELDS.items():
            if name in HEALTH_FIELDS and not health:
                continue
            fact = VOCABULARY[fact_name]
            label = localised(fact.label)
            label = label[:1].upper() + label[1:]
            if fact.kind == "bool":
                field: forms.Field = forms.ChoiceField(label=label, choices=YES_NO, required=False)
            else:
                field = forms.CharField(label=label, required=False, max_length=20)
                field.widget.attrs["inputmode"] = "decimal"
            known = base.get(fact_name)
            if known is not None:
                field.help_text = _("From the records: %(value)s") % {"value": _shown(known)}
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        flat: dict[str, Any] = {}
        for name, value in data.items():
            if value in (None, ""):
                continue
            fact_name = FIELDS[name]
            if VOCABULARY[fact_name].kind == "bool":
                flat[fact_name] = value == "yes"
            else:
                flat[fact_name] = _number(value)
        try:
            clean_case({**self.base, **flat})
        except CaseError as exc:
            self._refuse(exc, flat)
        self.additions = flat
        return data

    def _refuse(self, exc: CaseError, typed: dict[str, Any]) -> None:
        """Each reason on the field that was typed; a contradiction with the records (a
        BBL place) on the answer that contradicts them. What came from the records alone
        is not the adviser's error."""
        by_fact = {fact: name for name, fact in FIELDS.items() if name in self.fields}
        for fact_name, reason in exc.errors.items():
            if fact_name == "job.bbl" and "employer.recognisedTrainingCompany" in typed:
                fact_name = "employer.recognisedTrainingCompany"
            if fact_name in typed:
                self.add_error(by_fact[fact_name], chosen(*reason))


def _shown(value: Any) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
