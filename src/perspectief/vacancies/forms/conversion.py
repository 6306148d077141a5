"""The form that turns an employer's request into an employer account and a place,
prefilled from the request. When the region already knows an employer with the request's
KvK number or name, it is offered (and chosen) instead of registering a duplicate."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from perspectief.organisations.constants import EmployerSize
from perspectief.organisations.services.employer_details import clean_contact
from perspectief.organisations.services.employers import validate_kvk
from perspectief.regions import selectors as regions
from perspectief.taxonomy.models import Sector

from ..constants import Contract, PlaceType
from .places import physical_load_field, support_offered_field, work_demands_field

NEW = "new"

#: The fields that describe a new employer (ignored when a known one is chosen).
EMPLOYER_FIELDS = (
    "name",
    "kvk_number",
    "postcode",
    "address",
    "sector",
    "size",
    "contact_name",
    "contact_email",
    "contact_phone",
)
PLACE_FIELDS = (
    "title",
    "description",
    "place_type",
    "places",
    "hours_per_week",
    "min_hours_per_week",
    "contract",
    "place_postcode",
    "physical_load",
    "work_demands",
    "support_offered",
)


def title_from(question: str) -> str:
    """A place's working title from the employer's question: its first line, shortened."""
    first = next((line.strip() for line in (question or "").splitlines() if line.strip()), "")
    return Truncator(first).chars(80)


def prefill(request) -> dict:
    """The form's values as the employer gave them in the request."""
    return {
        "name": request.company_name,
        "kvk_number": request.kvk_number,
        "postcode": request.postcode.code,
        "contact_name": request.contact_name,
        "contact_email": request.email,
        "contact_phone": request.phone,
        "title": title_from(request.message),
        "description": request.message,
        "place_type": PlaceType.JOB,
        "places": 1,
        "hours_per_week": 32,
        "place_postcode": request.postcode.code,
    }


def _postcode(value: str):
    try:
        found = regions.postcode(value)
    except ValueError as exc:
        raise forms.ValidationError(str(exc)) from None
    if found is None:
        raise forms.ValidationError(_("Give the postcode, for example 1011 AB."))
    return found


class ConvertForm(forms.Form):
    employer = forms.ChoiceField(label=gettext_lazy("Which employer"), widget=forms.RadioSelect)
    # A new employer
    name = forms.CharField(label=gettext_lazy("Company name"), max_length=200, required=False)
    kvk_number = forms.CharField(
        label=gettext_lazy("KvK number"),
        max_length=12,
        required=False,
        help_text=gettext_lazy("Eight digits; ask the employer if the request has none."),
    )
    postcode = forms.CharField(
        label=gettext_lazy("Postcode of the employer"),
        required=False,
        help_text=gettext_lazy("1234 AB; it places the employer in the region."),
    )
    address = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Street, number and town."),
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector (SBI)"), queryset=Sector.objects.all(), required=False
    )
    size = forms.ChoiceField(
        label=gettext_lazy("Size"), choices=[("", "—"), *EmployerSize.choices], required=False
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contact person"), max_length=200, required=False
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Contact e-mail address"), required=False, max_length=254
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact phone"), max_length=30, required=False
    )
    # The place (a draft)
    title = forms.CharField(label=gettext_lazy("Title of the place"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("The employer's question; rewrite it as the place's description."),
    )
    place_type = forms.ChoiceField(label=gettext_lazy("Type of place"), choices=PlaceType.choices)
    places = forms.IntegerField(
        label=gettext_lazy("Number of places"), min_value=1, max_value=10000
    )
    hours_per_week = forms.IntegerField(
        label=gettext_lazy("Hours per week"), min_value=1, max_value=60
    )
    min_hours_per_week = forms.IntegerField(
        label=gettext_lazy("Part time from (hours per week)"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=gettext_lazy(
            "The fewest hours a week a new colleague may work here. Empty: only the hours "
            "per week above."
        ),
    )
    contract = forms.ChoiceField(
        label=gettext_lazy("Contract"), choices=[("", "—"), *Contract.choices]
    )
    place_postcode = forms.CharField(
        label=gettext_lazy("Location of the place (postcode)"), help_text=gettext_lazy("1234 AB")
    )
    physical_load = physical_load_field()
    work_demands = work_demands_field()
    support_offered = support_offered_field()

    def __init__(self, *args, known=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.known = {str(a.uuid): a for a in known}
        self.fields["employer"].choices = [
            *[
                (
                    key,
                    _("Use %(name)s (KvK %(kvk)s), already known in the region")
                    % {"name": a.organisation.name, "kvk": a.kvk_number},
                )
                for key, a in self.known.items()
            ],
            (NEW, _("Register a new employer with the details below")),
        ]
        if not self.is_bound:
            self.initial.setdefault("employer", next(iter(self.known), NEW))

    def clean_place_postcode(self):
        return _postcode(self.cleaned_data["place_postcode"])

    def clean(self):
        data = super().clean()
        self._clean_contact(data)
        low, hours = data.get("min_hours_per_week"), data.get("hours_per_week")
        if low is not None and hours is not None and low > hours:
            self.add_error(
                "min_hours_per_week",
                _("Part time cannot start above the hours per week (%(hours)d).")
                % {"hours": hours},
            )
        if data.get("employer") != NEW:
            return data
        for field, message in (
            ("name", _("Give the company name.")),
            ("kvk_number", _("Give the KvK number (eight digits).")),
            ("postcode", _("Give the postcode of the employer.")),
        ):
            if not data.get(field):
                self.add_error(field, message)
        if data.get("kvk_number"):
            try:
                data["kvk_number"] = validate_kvk(data["kvk_number"])
            except ValidationError as exc:
                self.add_error("kvk_number", exc.message_dict["kvk_number"])
        if data.get("postcode"):
            try:
                data["postcode"] = _postcode(data["postcode"])
            except forms.ValidationError as exc:
                self.add_error("postcode", exc)
        return data

    def _clean_contact(self, data) -> None:
        """The contact person, checked as the employer's page checks one (when given)."""
        given = {k: data.get(f"contact_{k}") or "" for k in ("name", "email", "phone")}
        if not any(given.values()):
            return
        try:
            cleaned = clean_contact(given)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(f"contact_{field}", errors)
        else:
            for key in given:
                data[f"contact_{key}"] = cleaned[key]

    def contact(self) -> dict | None:
        """The contact person to add to the employer (None when none was given)."""
        data = self.cleaned_data
        if not data.get("contact_name"):
            return None
        return {k: data.get(f"contact_{k}") or "" for k in ("name", "email", "phone")}

    def chosen(self):
        """The known employer chosen, or None for a new one."""
        return self.known.get(self.cleaned_data["employer"])

    def new_employer(self) -> dict:
        data = self.cleaned_data
        return {field: data.get(field) or "" for field in EMPLOYER_FIELDS} | {
            "sector": data.get("sector"),
            "postcode": data.get("postcode"),
        }

    def place(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data.get("description") or "",
            "place_type": data["place_type"],
            "places": data["places"],
            "hours_per_week": data["hours_per_week"],
            "min_hours_per_week": data.get("min_hours_per_week"),
            "contract": data["contract"],
            "postcode": data["place_postcode"],
            "physical_load": data.get("physical_load") or "",
            "work_demands": list(data.get("work_demands") or []),
            "support_offered": list(data.get("support_offered") or []),
        }
