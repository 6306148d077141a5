"""The form to write a note about a person."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..constants import NOTE_MAX_LENGTH
from ..models import cleaned_text
from ..services.notes import EMPTY, TOO_LONG

#: The value of "to everyone who may see the person" in the form.
EVERYONE = ""


class NoteForm(forms.Form):
    """A note and whom it is for: one organisation that may see the person, or everyone
    who may (``organisations``: the addressable organisations)."""

    text = forms.CharField(
        label=_("Note"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX_LENGTH}),
        help_text=_(
            "Everyone who may see this person reads the note: the organisations that serve "
            "them and, with the person's consent, partners in the region. The person may ask "
            "to read it. Write only what partners need for the work with this person."
        ),
    )
    to = forms.ChoiceField(label=_("For"), required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        # Its own ids: the person's page holds the note and the message form together.
        kwargs.setdefault("auto_id", "note-%s")
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.uuid): o for o in organisations}
        self.fields["to"].choices = [
            (EVERYONE, _("Everyone who may see this person")),
            *((key, o.name) for key, o in self.organisations.items()),
        ]

    def clean_text(self):
        try:
            return cleaned_text(
                self.cleaned_data.get("text"), limit=NOTE_MAX_LENGTH, empty=EMPTY, too_long=TOO_LONG
            )
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def clean_to(self):
        key = self.cleaned_data.get("to") or EVERYONE
        return None if key == EVERYONE else self.organisations[key]
