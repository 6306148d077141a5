"""The form to write a message: for the job seeker (to one of the organisations serving
them) and for staff (to the person)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..constants import MESSAGE_MAX_LENGTH
from ..models import cleaned_text
from ..services.messages import EMPTY, NOT_YOURS, TOO_LONG


class MessageForm(forms.Form):
    """``organisations``: whom the job seeker can write to (a choice only when there is
    more than one); staff leave it out."""

    text = forms.CharField(
        label=_("Your message"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH}),
    )
    organisation = forms.ChoiceField(label=_("To"), required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        # Its own ids: the person's page holds the note and the message form together.
        kwargs.setdefault("auto_id", "message-%s")
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.uuid): o for o in organisations}
        if len(self.organisations) > 1:
            self.fields["organisation"].required = True
            self.fields["organisation"].error_messages["required"] = _(
                "Choose who you want to write to."
            )
            self.fields["organisation"].error_messages["invalid_choice"] = NOT_YOURS
            self.fields["organisation"].choices = [
                ("", _("Choose…")),
                *((key, o.name) for key, o in self.organisations.items()),
            ]
        else:
            del self.fields["organisation"]

    def clean_text(self):
        try:
            return cleaned_text(
                self.cleaned_data.get("text"),
                limit=MESSAGE_MAX_LENGTH,
                empty=EMPTY,
                too_long=TOO_LONG,
            )
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def clean(self):
        cleaned = super().clean()
        # One organisation to write to: no choice is asked, but an organisation posted all
        # the same (an old page, a guess) is refused rather than quietly replaced.
        posted = self.data.get("organisation") if "organisation" not in self.fields else None
        if posted and posted not in self.organisations:
            raise forms.ValidationError(NOT_YOURS)
        return cleaned

    def chosen_organisation(self):
        if "organisation" in self.fields:
            return self.organisations[self.cleaned_data["organisation"]]
        return next(iter(self.organisations.values()), None)
