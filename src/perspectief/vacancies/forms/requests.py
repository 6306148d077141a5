"""The public request form of the Werkgeversservicepunt, protected against bots: a field
people do not see, and a signed moment the form was shown (too old: expired; too young: not
filled in by a person)."""

from django import forms
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perspectief.candidates import parsing
from perspectief.organisations.services.employers import validate_kvk

MIN_SECONDS = 3  # a person needs longer than this to fill in the form


MAX_SECONDS = 24 * 3600  # a form left open longer has expired


SALT = "wsp-request-form"


class RequestForm(forms.Form):
    # autocomplete names each field's purpose (WCAG 1.3.5), so a browser fills in what it knows.
    company_name = forms.CharField(
        label=gettext_lazy("Company name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    kvk_number = forms.CharField(label=gettext_lazy("KvK number"), max_length=12, required=False)
    contact_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    postcode = forms.CharField(
        label=gettext_lazy("Postcode of your company"),
        help_text=gettext_lazy("1234 AB"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    message = forms.CharField(
        label=gettext_lazy("What can we do for you?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("For example: we need 3 welders; can we offer a basisbaan?"),
    )
    # Spam protection: a field people do not see, and a signed moment the form was shown.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )
    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_kvk_number(self):
        value = self.cleaned_data.get("kvk_number")
        if not value:
            return ""
        try:
            return validate_kvk(value)
        except Exception as exc:  # ValidationError with a field dict
            raise forms.ValidationError(exc.message_dict["kvk_number"]) from None

    def clean_postcode(self):
        try:
            return parsing.postcode(self.cleaned_data["postcode"])
        except ValueError as exc:
            raise forms.ValidationError(parsing.in_language(exc)) from None

    def clean(self):
        """Signed when the form was shown: older than a day is expired; younger than a few
        seconds was not filled in by a person. The field is hidden, so the reason is an
        error of the whole form, shown above it (what was typed stays in the form)."""
        data = super().clean()
        signer = signing.TimestampSigner(salt=SALT)
        token = data.get("shown") or ""
        try:
            signer.unsign(token, max_age=MAX_SECONDS)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _(
                    "Your request has not been sent: the form was open for more than a day "
                    "and has expired. What you filled in is still here; press Send again."
                ),
                code="expired",
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                _(
                    "Your request has not been sent: the form could not be checked. What "
                    "you filled in is still here; press Send again."
                ),
                code="unchecked",
            ) from None
        try:
            signer.unsign(token, max_age=MIN_SECONDS)
        except signing.SignatureExpired:
            return data
        raise forms.ValidationError(
            _(
                "Your request has not been sent: it came in within a few seconds of opening "
                "the form, which is how we recognise automatic submissions (autofill or "
                "pasting can do this too). Check what you filled in and press Send again."
            ),
            code="too_fast",
        )


def fresh_form():
    """An empty form, signed with the moment it is shown."""
    return RequestForm(initial={"shown": signing.TimestampSigner(salt=SALT).sign("form")})
