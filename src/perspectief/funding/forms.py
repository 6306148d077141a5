"""Forms of the funding pages. They parse input; the rules live in
:mod:`perspectief.funding.services` (and the conditions in :mod:`.conditions`)."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from perspectief.catalogue.constants import OfferStatus
from perspectief.catalogue.models import Offer
from perspectief.core.dates import parse_date

from .conditions import format_rules, parse_rules
from .constants import PotKind
from .facts import VOCABULARY
from .models import FundingPot
from .services import PotInput

_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/]\d{1,2}[-/]\d{4}")


def parse_periods(text: str) -> list[tuple[date | None, date | None]]:
    """One period a line: the date it opens, then (optionally) the date it closes."""
    periods: list[tuple[date | None, date | None]] = []
    problems = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        found = _DATE.findall(line)
        try:
            days = [parse_date(value) for value in found]
        except ValueError:
            days = []
        if not 1 <= len(days) <= 2:
            problems.append(
                _(
                    "Line %(n)s: write the date it opens and the date it closes, e.g. "
                    "“1-1-2027 30-6-2027”."
                )
                % {"n": number}
            )
            continue
        periods.append((days[0], days[1] if len(days) == 2 else None))
    if problems:
        raise ValidationError(problems)
    return periods


def _facts_help() -> str:
    return ", ".join(sorted(VOCABULARY))


class PotForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PotKind.choices)
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    who_may_apply = forms.CharField(
        label=_("Who may apply"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    conditions_text = forms.CharField(
        label=_("Conditions in words"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rules = forms.CharField(
        label=_("Conditions the platform can check"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "One per line: fact, comparison, value | the condition in words. For example "
            "“person.age >= 27 | 27 years or older” or “offer.kind in mbo, bbl | only "
            "courses”. Facts: %(facts)s."
        ),
    )
    amount_available = forms.DecimalField(
        label=_("Amount available (€)"), max_digits=14, decimal_places=2, required=False
    )
    periods = forms.CharField(
        label=_("Application periods"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: the date it opens and the date it closes (empty: open-ended). "
            "One can apply all year: one line with only the date it opens. No lines: not "
            "known."
        ),
    )
    sources = forms.CharField(
        label=_("Sources (one web address a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    verified = forms.BooleanField(label=_("Verified against the sources"), required=False)
    verify_note = forms.CharField(
        label=_("What is not confirmed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contact = forms.CharField(label=_("Contact"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rules"].help_text = self.fields["rules"].help_text % {"facts": _facts_help()}

    def clean_rules(self):
        try:
            return parse_rules(self.cleaned_data.get("rules") or "")
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["rules"]) from None

    def clean_periods(self):
        return parse_periods(self.cleaned_data.get("periods") or "")

    def clean_sources(self):
        return [s.strip() for s in (self.cleaned_data.get("sources") or "").split() if s.strip()]

    def pot_input(self) -> PotInput:
        d = self.cleaned_data
        return PotInput(
            name=d["name"],
            kind=d["kind"],
            purpose=d.get("purpose") or "",
            who_may_apply=d.get("who_may_apply") or "",
            conditions_text=d.get("conditions_text") or "",
            rules=d.get("rules") or [],
            amount_available=d.get("amount_available"),
            periods=d.get("periods") or [],
            sources=d.get("sources") or [],
            verified=bool(d.get("verified")),
            verify_note=d.get("verify_note") or "",
            contact=d.get("contact") or "",
        )

    @classmethod
    def initial_for(cls, pot: FundingPot) -> dict:
        return {
            "name": pot.name,
            "kind": pot.kind,
            "purpose": pot.purpose,
            "who_may_apply": pot.who_may_apply,
            "conditions_text": pot.conditions_text,
            "rules": format_rules(pot.rules),
            "amount_available": pot.amount_available,
            "periods": "\n".join(
                f"{p.opens_on:%d-%m-%Y} {p.closes_on:%d-%m-%Y}"
                if p.closes_on
                else f"{p.opens_on:%d-%m-%Y}"
                for p in pot.periods.all()
            ),
            "sources": "\n".join(pot.sources),
            "verified": pot.verified,
            "verify_note": pot.verify_note,
            "contact": pot.contact,
        }


class QuestionForm(forms.Form):
    """Which pot can pay for this course for this person? (a GET form)"""

    offer = forms.ModelChoiceField(
        label=_("Service or course"), queryset=Offer.objects.none(), to_field_name="uuid"
    )
    person = forms.CharField(
        label=_("Person (their code, e.g. K-3F9A0C)"),
        max_length=40,
        help_text=_("Only people your organisation serves."),
    )

    def __init__(self, *args, region_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = Offer.objects.filter(
            region_id=region_id, status=OfferStatus.ACTIVE
        ).order_by("title")
