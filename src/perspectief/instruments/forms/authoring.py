"""Forms a region writes its instruments and variations in, without code.

Conditions are rows (see :mod:`.rules`); what rows cannot say is written as JSON in the
advanced field, which is checked by the same :func:`validation.validate_rules`.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from perspectief.core.rules import RuleError, validate_condition

from ..constants import AmountPer, Anchor, HarmonisationStatus
from ..facts import VOCABULARY
from ..models import InstrumentVersion, Variation
from ..services.authoring import VariationInput, VersionInput
from ..validation import validate_rules
from .rules import (
    DATE,
    MAX_ROWS,
    ConditionRows,
    code_help,
    en_of,
    keep_english,
    lines_of,
    nl_of,
    params_text,
    parse_params,
    shown,
    text_of,
    to_number,
)

__all__ = [
    "EndForm",
    "HarmonisationForm",
    "InstrumentForm",
    "VariationForm",
    "VersionForm",
    "code_help",
]


class VersionForm(ConditionRows):
    """A version of a region's instrument (a new instrument also asks for its code)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    summary = forms.CharField(
        label=_("In short (Dutch)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_en = forms.CharField(
        label=_("In short (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    executing_body = forms.CharField(label=_("Executed by"), max_length=300)
    decided_by = forms.CharField(label=_("Who decides"), max_length=500)
    contact = forms.CharField(label=_("Whom to call"), required=False, max_length=500)
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE,
        help_text=_("Empty: until further notice."),
    )
    params = forms.CharField(
        label=_("Parameters"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: a name, “=” and a number, e.g. “maxPerYear = 6000”."),
    )
    amount_per = forms.ChoiceField(label=_("Amount"), choices=AmountPer.choices)
    amount_formula = forms.CharField(
        label=_("Amount formula"),
        required=False,
        max_length=500,
        help_text=_(
            "Facts, parameters as params.name, numbers, + - * / and min, max, round, e.g. "
            "“min(job.hoursPerWeek * 52 * params.perHour, params.maxPerYear)”."
        ),
    )
    duration = forms.CharField(
        label=_("Duration in months"),
        required=False,
        max_length=500,
        help_text=_("A number, or a formula such as “job.trialPlacementMonths”."),
    )
    amount_note = forms.CharField(
        label=_("The amount explained"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    categories = forms.CharField(
        label=_("Categories (JSON, optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A list of categories, each with a code, a name, its own conditions and parameters; "
            "only the highest that applies counts (see the documentation)."
        ),
    )
    documents = forms.CharField(
        label=_("Documents to prepare"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the executing body checks that no fact here can tell; one per line."),
    )
    sources = forms.CharField(
        label=_("Sources"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Web addresses, one per line."),
    )
    verified = forms.BooleanField(label=_("Confirmed in a primary source"), required=False)
    verify_note = forms.CharField(
        label=_("What is not confirmed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    change_note = forms.CharField(label=_("What changed and why"), required=False, max_length=500)
    advanced = forms.BooleanField(
        label=_("Write the rules as JSON (advanced)"),
        required=False,
        help_text=_(
            "The JSON below replaces the parameters, conditions, amount, deadlines and notes above."
        ),
    )
    rules_json = forms.CharField(
        label=_("Rules as JSON"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, deadline_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline_count = max(2, min(deadline_count + 1, MAX_ROWS))
        if self.is_bound:
            try:
                self.deadline_count = max(
                    1, min(int(self.data.get("deadline_rows") or 2), MAX_ROWS)
                )
            except ValueError:
                pass
        anchors = [("", "—"), *Anchor.choices]
        for n in range(self.deadline_count):
            label = {"n": n + 1}
            self.fields[f"deadline_{n}_key"] = forms.CharField(
                label=_("Key (deadline %(n)s)") % label, required=False, max_length=40
            )
            self.fields[f"deadline_{n}_text"] = forms.CharField(
                label=_("What to do (deadline %(n)s)") % label, required=False, max_length=300
            )
            self.fields[f"deadline_{n}_anchor"] = forms.ChoiceField(
                label=_("Counted from (deadline %(n)s)") % label, choices=anchors, required=False
            )
            self.fields[f"deadline_{n}_months"] = forms.DecimalField(
                label=_("Months (deadline %(n)s)") % label,
                required=False,
                min_value=0,
                max_value=120,
                decimal_places=1,
            )

    def deadline_table(self) -> list[list[forms.BoundField]]:
        parts = ("key", "text", "anchor", "months")
        return [[self[f"deadline_{n}_{p}"] for p in parts] for n in range(self.deadline_count)]

    # --- reading ------------------------------------------------------------------------

    def clean_params(self):
        return parse_params(self.cleaned_data.get("params") or "")

    def clean_sources(self):
        urls = lines_of(self.cleaned_data.get("sources") or "")
        check = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                check(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(url)s” is not a web address (http:// or https://).") % {"url": url[:80]}
                ) from None
        return urls

    def clean_categories(self):
        return self._json(
            "categories", list, _("Give a list of categories ([…]), or leave it empty.")
        )

    def clean_rules_json(self):
        return self._json("rules_json", dict, _("Give the rules as one JSON object ({…})."))

    def _json(self, name: str, kind: type, message) -> Any:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(
                _("This is not valid JSON (line %(line)s): %(reason)s")
                % {"line": getattr(exc, "lineno", "?"), "reason": getattr(exc, "msg", str(exc))}
            ) from None
        if not isinstance(value, kind):
            raise forms.ValidationError(message)
        return value

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("advanced"):
            rules = data.get("rules_json")
            if rules is None:
                self.add_error(
                    "rules_json", _("Write the rules, or switch the advanced field off.")
                )
                return data
            paths = {"": "rules_json"}
        else:
            rules, paths = self._structured_rules(data)
            rules = keep_english(rules, self.originals)
        if self.errors:
            return data
        try:
            validate_rules(rules)
        except RuleError as exc:
            self.place_rule_error(exc, paths, "rules_json" if data.get("advanced") else "params")
        self.rules = rules
        return data

    def _structured_rules(self, data) -> tuple[dict[str, Any], dict[str, str]]:
        conditions, paths = self.build_conditions()
        rules: dict[str, Any] = {}
        if data.get("params"):
            rules["params"] = data["params"]
            paths["params"] = "params"
        if conditions:
            rules["conditions"] = conditions
        if data.get("categories"):
            rules["categories"] = data["categories"]
            paths["categories"] = "categories"
        formula = (data.get("amount_formula") or "").strip()
        # Always said, also "no amount": a service with no conditions still has rules.
        rules["amount"] = {"per": data["amount_per"], **({"formula": formula} if formula else {})}
        paths.update({"amount": "amount_formula", "durationMonths": "duration"})
        duration = (data.get("duration") or "").strip()
        if duration:
            try:
                rules["durationMonths"] = to_number(duration)
            except ValueError:
                rules["durationMonths"] = duration
        for name in ("documents", "notes"):
            if lines_of(data.get(name) or ""):
                rules[name] = lines_of(data[name])
                paths[name] = name
        if (data.get("amount_note") or "").strip():
            rules["amountNote"] = data["amount_note"].strip()
        deadlines = self._deadlines(data, paths)
        if deadlines:
            rules["deadlines"] = deadlines
        return rules, paths

    def _deadlines(self, data, paths) -> list[dict[str, Any]]:
        deadlines: list[dict[str, Any]] = []
        for n in range(self.deadline_count):
            key = (data.get(f"deadline_{n}_key") or "").strip()
            text = (data.get(f"deadline_{n}_text") or "").strip()
            anchor, months = data.get(f"deadline_{n}_anchor"), data.get(f"deadline_{n}_months")
            if not (key or text or anchor or months is not None):
                continue
            if not anchor:
                self.add_error(f"deadline_{n}_anchor", _("Choose what the deadline counts from."))
                continue
            paths[f"deadlines[{len(deadlines)}]"] = f"deadline_{n}_key"
            paths[f"deadlines[{len(deadlines)}].anchor"] = f"deadline_{n}_anchor"
            paths[f"deadlines[{len(deadlines)}].months"] = f"deadline_{n}_months"
            paths[f"deadlines[{len(deadlines)}].text"] = f"deadline_{n}_text"
            deadlines.append(
                {"key": key, "text": text, "anchor": anchor, "months": to_number(str(months or 0))}
            )
        return deadlines

    def version_input(self) -> VersionInput:
        d = self.cleaned_data
        return VersionInput(
            name=d["name"].strip(),
            summary=text_of(d.get("summary") or "", d.get("summary_en") or ""),
            executing_body=d["executing_body"].strip(),
            decided_by=keep_english(d["decided_by"].strip(), self.originals),
            contact=keep_english((d.get("contact") or "").strip(), self.originals),
            legal_basis=(d.get("legal_basis") or "").strip(),
            valid_from=d["valid_from"],
            valid_until=d.get("valid_until"),
            rules=self.rules,
            sources=d.get("sources") or [],
            verified=bool(d.get("verified")),
            verify_note=(d.get("verify_note") or "").strip(),
            change_note=(d.get("change_note") or "").strip(),
        )

    @classmethod
    def for_version(cls, version: InstrumentVersion, data=None) -> VersionForm:
        """The form filled in from a version (rows where rows can say it, else JSON)."""
        rules = version.rules or {}
        rows = cls.rows_initial(list(rules.get("conditions", [])))
        amount = rules.get("amount") or {}
        initial: dict[str, Any] = {
            "name": version.name,
            "summary": nl_of(version.summary),
            "summary_en": en_of(version.summary),
            "executing_body": version.executing_body,
            "decided_by": nl_of(version.decided_by),
            "contact": nl_of(version.contact),
            "legal_basis": version.legal_basis,
            "valid_from": version.valid_from,
            "valid_until": version.valid_until,
            "params": params_text(rules.get("params") or {}),
            "amount_per": amount.get("per", AmountPer.NONE),
            "amount_formula": amount.get("formula", ""),
            "duration": shown(rules.get("durationMonths")),
            "amount_note": nl_of(rules.get("amountNote")),
            "categories": json.dumps(rules["categories"], ensure_ascii=False, indent=1)
            if rules.get("categories")
            else "",
            "documents": "\n".join(nl_of(d) for d in rules.get("documents", [])),
            "notes": "\n".join(nl_of(n) for n in rules.get("notes", [])),
            "sources": "\n".join(version.sources or []),
            "verified": version.verified,
            "verify_note": version.verify_note,
            "change_note": version.change_note,
            "rules_json": json.dumps(rules, ensure_ascii=False, indent=1),
            "advanced": rows is None,
        }
        for n, deadline in enumerate(rules.get("deadlines", [])):
            initial.update(
                {
                    f"deadline_{n}_key": deadline.get("key", ""),
                    f"deadline_{n}_text": nl_of(deadline.get("text")),
                    f"deadline_{n}_anchor": deadline.get("anchor", ""),
                    f"deadline_{n}_months": deadline.get("months", 0),
                }
            )
        count = (rows or {}).pop("_count", 0)
        initial.update(rows or {})
        return cls(
            data,
            initial=initial,
            condition_count=count,
            deadline_count=len(rules.get("deadlines", [])),
            originals=[rules, version.decided_by, version.contact],
        )


class InstrumentForm(VersionForm):
    """A new instrument of the region: its code, and its first version."""

    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        help_text=_("Letters, digits and hyphens; the region's code is put in front (AM18-DPB)."),
    )
    field_order = ["code"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{1,29}", code):
            raise forms.ValidationError(_("Use letters, digits and hyphens only (2 to 30)."))
        return code


class VariationForm(ConditionRows):
    """What one gemeente (or UWV) of the region does differently."""

    scope = forms.ChoiceField(label=_("Gemeente or UWV"))
    offered = forms.TypedChoiceField(
        label=_("Offered"),
        choices=[("1", _("yes")), ("0", _("no, not offered here"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    params = forms.CharField(
        label=_("Other amounts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: a parameter of the instrument, “=” and its value here."),
    )
    note = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE,
        help_text=_("Empty: until further notice."),
    )
    change_note = forms.CharField(label=_("What changed and why"), required=False, max_length=500)

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["scope"]).choices = [("", "—"), *scopes]

    def clean_params(self):
        return parse_params(self.cleaned_data.get("params") or "")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        conditions, paths = self.build_conditions()
        for number, condition in enumerate(conditions):
            try:
                validate_condition(condition, VOCABULARY, path=f"conditions[{number}]")
            except RuleError as exc:
                self.place_rule_error(exc, paths, "note")
        self.conditions = keep_english(conditions, self.originals)
        return data

    def variation_input(self) -> VariationInput:
        d = self.cleaned_data
        return VariationInput(
            scope=d["scope"],
            offered=bool(d["offered"]),
            params=d.get("params") or {},
            conditions=self.conditions,
            note=(d.get("note") or "").strip(),
            valid_from=d["valid_from"],
            valid_until=d.get("valid_until"),
            change_note=(d.get("change_note") or "").strip(),
        )

    @classmethod
    def for_variation(cls, variation: Variation, scopes, data=None) -> VariationForm:
        rows = cls.rows_initial(list(variation.conditions or [])) or {}
        count = rows.pop("_count", 0)
        initial = {
            "scope": variation.scope,
            "offered": "1" if variation.offered else "0",
            "params": params_text(variation.params or {}),
            "note": variation.note,
            "valid_from": variation.valid_from,
            "valid_until": variation.valid_until,
            "change_note": variation.change_note,
            **rows,
        }
        return cls(
            data,
            initial=initial,
            scopes=scopes,
            condition_count=count,
            originals=variation.conditions,
        )


class EndForm(forms.Form):
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)


class HarmonisationForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=HarmonisationStatus.choices)
    note = forms.CharField(
        label=_("Agreement or next step"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
