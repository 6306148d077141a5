"""The form of a hire into a job the person found outside the platform."""

from django import forms
from django.utils.translation import gettext_lazy

from perspectief.core.authz import Actor
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.constants import Contract


class OutsideHireForm(forms.Form):
    """A hire into a job found outside the platform: the evidence every match carries."""

    employer = forms.ModelChoiceField(
        label=gettext_lazy("Employer with an account here"),
        queryset=EmployerAccount.objects.none(),
        required=False,
        empty_label="—",
    )
    employer_name = forms.CharField(
        label=gettext_lazy("Or the employer's name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("When the employer has no account here."),
    )
    job_title = forms.CharField(label=gettext_lazy("Job"), max_length=200)
    contract = forms.ChoiceField(
        label=gettext_lazy("Contract"), choices=[("", "—"), *Contract.choices]
    )
    start_date = forms.DateField(
        label=gettext_lazy("Starts work on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        employer = self.fields["employer"]
        assert isinstance(employer, forms.ModelChoiceField)
        employer.queryset = (
            EmployerAccount.objects.visible_to(actor)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        # An employer is named by its organisation in the list.
        employer.label_from_instance = _organisation_name  # type: ignore[method-assign,assignment]


def _organisation_name(account: EmployerAccount) -> str:
    return str(account.organisation.name)
