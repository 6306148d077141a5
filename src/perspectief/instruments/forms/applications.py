"""Forms of instrument applications: record one on a hire, its decision and course, a
payment, a deadline done, and the filters of the organisation's list."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.accounts.models import Membership
from perspectief.accounts.selectors import members_of
from perspectief.core.authz import Actor, Permission
from perspectief.core.rules import localised

from ..constants import APPLICATION_STEPS, ApplicationStatus
from ..models import Application, InstrumentVersion
from ..selectors.applications import categories

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _version_name(version: InstrumentVersion) -> str:
    name = version.name
    return name if version.instrument.code in name else f"{name} ({version.instrument.code})"


def _name(membership) -> str:
    return membership.user.get_full_name() or membership.user.get_username()


class ApplicationForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Instrument"), queryset=InstrumentVersion.objects.none(), empty_label=None
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        help_text=_("Only for an instrument with categories (LKV): the one applied for."),
    )
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)
    responsible = forms.ModelChoiceField(
        label=_("Who acts on the deadlines"),
        queryset=Membership.objects.none(),
        empty_label=None,
    )
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, actor: Actor, versions: list[InstrumentVersion], **kwargs):
        super().__init__(*args, **kwargs)
        version = cast(forms.ModelChoiceField, self.fields["version"])
        version.queryset = InstrumentVersion.objects.filter(
            pk__in=[v.pk for v in versions]
        ).select_related("instrument")
        version.label_from_instance = _version_name  # type: ignore[method-assign,assignment]
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("no category"))] + [
            (code, f"{v.instrument.code}: {localised(name)}")
            for v in versions
            for code, name in categories(v)
        ]
        responsible = cast(forms.ModelChoiceField, self.fields["responsible"])
        responsible.queryset = members_of(
            actor.organisation, permission=Permission.RECORD_APPLICATIONS
        )
        responsible.label_from_instance = _name  # type: ignore[method-assign,assignment]
        if not self.is_bound:
            self.fields["applied_on"].initial = timezone.localdate()
            self.fields["responsible"].initial = actor.membership

    def clean(self):
        data = super().clean()
        version = data.get("version")
        if version is not None:
            codes = [code for code, _n in categories(version)]
            if codes and data.get("category") not in codes:
                self.add_error("category", _("Choose a category of this instrument."))
            elif not codes:
                data["category"] = ""
        return data


def _next_statuses(application: Application) -> list[tuple[str, Any]]:
    return [(s, ApplicationStatus(s).label) for s in APPLICATION_STEPS.get(application.status, ())]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    decided_on = forms.DateField(
        label=_("Decided on"),
        required=False,
        widget=DATE,
        help_text=_("Needed for granted or refused."),
    )
    amount_granted = forms.DecimalField(
        label=_("Amount granted (euro)"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("The total in the decision."),
    )
    period_start = forms.DateField(label=_("Granted from"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("Granted until"), required=False, widget=DATE)
    reference = forms.CharField(label=_("Decision reference"), max_length=100, required=False)

    def __init__(self, *args, application: Application, **kwargs):
        kwargs["prefix"] = "status"
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = _next_statuses(application)
        if not self.is_bound:
            self.fields["decided_on"].initial = application.decided_on
            self.fields["amount_granted"].initial = application.amount_granted
            self.fields["period_start"].initial = application.period_start
            self.fields["period_end"].initial = application.period_end


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    amount = forms.DecimalField(
        label=_("Amount (euro)"), min_value=0.01, max_digits=10, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs["prefix"] = "payment"
        super().__init__(*args, **kwargs)


class ApplicationFilters(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    instrument = forms.ChoiceField(label=_("Instrument"), required=False)
    overdue = forms.BooleanField(label=_("With an overdue deadline"), required=False)

    def __init__(self, *args, instruments: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        status = cast(forms.ChoiceField, self.fields["status"])
        status.choices = [("", _("all")), *ApplicationStatus.choices]
        cast(forms.ChoiceField, self.fields["instrument"]).choices = [("", _("all")), *instruments]
