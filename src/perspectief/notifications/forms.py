"""The inbox's filter and the choice of how often to get e-mail per kind."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import ALWAYS_SENT, KINDS, Frequency, Kind


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of work"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + [(k, Kind(k).label) for k in kinds]


def kinds_for_roles(roles) -> list[str]:
    """The kinds of e-mail a person with these roles can get (the overview aside)."""
    return [
        kind for kind, info in KINDS.items() if kind not in ALWAYS_SENT and info.roles & set(roles)
    ]


class PreferencesForm(forms.Form):
    """One choice per kind the person can receive."""

    def __init__(self, *args, kinds=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for kind in kinds:
            self.fields[kind] = forms.ChoiceField(
                label=Kind(kind).label.capitalize(),
                choices=Frequency.choices,
                initial=current.get(kind, KINDS[kind].default),
                widget=forms.RadioSelect,
            )
