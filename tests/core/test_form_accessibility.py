"""The shared form templates speak to a screen reader: every id an input's aria-describedby
names is on the page, a checkbox group is a fieldset with its question as legend, and a failed
submit shows an error summary that links to each field and says "Error:" in the page title."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


class AskingForm(forms.Form):
    first_name = forms.CharField(label="First name", help_text="As in the passport.")
    born_on = forms.DateField(label="Date of birth", help_text="dd-mm-jjjj", required=False)
    groups = forms.MultipleChoiceField(
        label="Target groups",
        help_text="All that apply.",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        raise forms.ValidationError("Nothing was saved.")


def described_ids_missing(html: str) -> list[str]:
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    named = [i for value in re.findall(r'aria-describedby="([^"]*)"', html) for i in value.split()]
    assert named, "no aria-describedby at all: the test would prove nothing"
    return [i for i in named if i not in ids]


def render(form: forms.Form) -> str:
    fields = "".join(render_to_string("_field.html", {"field": field}) for field in form)
    return render_to_string("_form_errors.html", {"form": form}) + fields


def test_every_id_an_input_is_described_by_is_on_the_page():
    form = AskingForm({"first_name": "", "born_on": "31-02-1990", "groups": []})
    assert not form.is_valid()
    html = render(form)
    assert described_ids_missing(html) == []
    assert 'aria-describedby="id_first_name_helptext id_first_name_error"' in html
    assert 'id="id_first_name_helptext"' in html and 'id="id_first_name_error"' in html


def test_a_checkbox_group_is_a_fieldset_with_its_question_as_legend():
    html = render(AskingForm({"first_name": "x", "groups": []}))
    group = re.search(r'<fieldset class="field"([^>]*)>\s*<legend>Target groups', html)
    assert group, html
    assert 'aria-describedby="id_groups_helptext id_groups_error"' in group[1]
    assert '<label for="">' not in html


def test_the_error_summary_links_to_each_field_and_takes_the_focus():
    form = AskingForm({"first_name": "", "born_on": "31-02-1990", "groups": []})
    form.is_valid()
    html = render_to_string("_form_errors.html", {"form": form})
    summary = re.search(r"<div [^>]*data-error-summary[^>]*>", html)
    assert summary and 'role="alert"' in summary[0] and 'tabindex="-1"' in summary[0]
    links = re.findall(r'<a href="#([^"]+)">', html)
    assert links == ["id_first_name", "id_born_on", "id_groups_0"]
    assert "Nothing was saved." in html
    whole = render(form)
    for target in links:
        assert f'id="{target}"' in whole


@pytest.mark.django_db
def test_a_failed_submit_says_error_in_the_title_and_loads_the_focus_script(client_as):
    client, _membership = client_as("klantmanager")
    with translation.override("nl"):
        page = client.post(reverse("candidates:create"), {"first_name": ""})
    html = page.content.decode()
    title = re.search(r"<title>([^<]*)</title>", html)[1]
    assert title.startswith("Fout: "), title
    assert "data-error-summary" in html
    assert '<script src="/static/js/error-summary.js" defer></script>' in html
    assert described_ids_missing(html) == []
    fresh = client.get(reverse("candidates:create")).content.decode()
    assert "Fout:" not in re.search(r"<title>([^<]*)</title>", fresh)[1]
    assert "data-error-summary" not in fresh
