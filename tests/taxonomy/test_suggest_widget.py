"""Suggest-as-you-type in occupation and skill fields: the htmx endpoints and the widget."""

import re

import pytest
from django import forms
from django.urls import reverse

from perspectief.candidates.forms.profile import CandidateForm
from perspectief.catalogue.forms import OfferForm
from perspectief.taxonomy.forms import ConceptInput
from perspectief.vacancies.forms.places import VacancyForm
from tests.factories import OccupationFactory, SkillFactory

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def signed_in(client_as, world):
    client, _membership = client_as("klantmanager")
    OccupationFactory(label_nl="orderpicker", label_en="order picker")
    OccupationFactory(label_nl="heftruckchauffeur", label_en="forklift driver")
    SkillFactory(label_en="operate forklift", label_nl="")
    return client


def suggestions(client, value, **extra):
    query = {"kind": "occupation", "field": "id_occupations", "name": "occupations"}
    query.update(extra)
    query[query["name"]] = value
    return client.get(reverse("concept-suggestions"), query, **HX)


def test_typing_with_a_typo_suggests_the_occupation(signed_in):
    response = suggestions(signed_in, "orderpiker")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_occupations-suggestions-status"' in html
    first = re.search(r'<button type="button" class="suggestion"[^>]*>([^<]*)</button>', html)
    assert first and first[1] == "orderpicker"
    assert 'hx-include="#id_occupations"' in html


def test_several_values_suggest_for_the_part_being_typed(signed_in):
    html = suggestions(signed_in, "orderpicker; heftruk", multiple="1").content.decode()
    assert ">heftruckchauffeur</button>" in html


def test_choosing_puts_the_label_in_place_of_what_was_typed(signed_in):
    query = {
        "kind": "occupation",
        "field": "id_occupations",
        "name": "occupations",
        "multiple": "1",
        "describedby": "id_occupations_helptext",
        "label": "heftruckchauffeur",
        "occupations": "orderpicker; heftruk",
    }
    response = signed_in.get(reverse("concept-pick"), query, **HX)
    html = response.content.decode()
    assert 'value="orderpicker; heftruckchauffeur; "' in html
    assert "autofocus" in html
    assert 'aria-describedby="id_occupations_helptext id_occupations-suggestions-status"' in html
    single = {**query, "multiple": "0", "occupations": "orderpik", "label": "orderpicker"}
    assert 'value="orderpicker"' in signed_in.get(reverse("concept-pick"), single).content.decode()


def test_english_only_skills_are_marked(signed_in):
    query = {"kind": "skill", "field": "id_skills", "name": "skills", "skills": "forklift"}
    html = signed_in.get(reverse("concept-suggestions"), query, **HX).content.decode()
    assert 'lang="en">operate forklift</button>' in html


def test_bad_text_gets_a_message_not_an_error(signed_in):
    response = suggestions(signed_in, "x" * 10_000)
    assert response.status_code == 200
    assert 'role="status"' in response.content.decode()
    plain = signed_in.get(
        reverse("concept-suggestions"), {"name": "q", "q": "?!?!"}
    )  # not htmx: the 400 page
    assert plain.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "isco"},
        {"field": '"><script>'},
        {"name": "a b"},
        {"describedby": "ok <b>"},
    ],
)
def test_bad_parameters_are_a_400(signed_in, query):
    assert signed_in.get(reverse("concept-suggestions"), query).status_code == 400


def test_nothing_typed_suggests_nothing(signed_in):
    response = signed_in.get(reverse("concept-suggestions"))
    assert response.status_code == 200
    assert "<button" not in response.content.decode()


def test_the_widget_is_a_labelled_text_field_that_works_without_javascript():
    class Form(forms.Form):
        job = forms.CharField(help_text="e.g. orderpicker", widget=ConceptInput(kind="occupation"))

    html = str(Form({"job": ""})["job"])
    assert re.search(r'<input type="text" name="job" id="id_job" value=""', html)
    assert 'aria-describedby="id_job_helptext id_job_error id_job-suggestions-status"' in html
    assert 'aria-live="polite"' in html
    assert "hx-get=" in html and "kind=occupation" in html
    with pytest.raises(ValueError):
        ConceptInput(kind="isco_group")


@pytest.mark.parametrize(
    ("form_class", "fields"),
    [
        (CandidateForm, {"occupations": "occupation", "skills": "skill"}),
        (
            VacancyForm,
            {
                "occupation": "occupation",
                "essential_skills": "skill",
                "teachable_skills": "skill",
                "optional_skills": "skill",
            },
        ),
        (OfferForm, {"skills": "skill"}),
    ],
)
def test_forms_suggest_esco_concepts(form_class, fields):
    form = form_class()
    for name, kind in fields.items():
        widget = form.fields[name].widget
        assert isinstance(widget, ConceptInput) and widget.kind == kind


def test_the_occupation_page_ranks_and_tolerates_typos(signed_in):
    html = signed_in.get("/occupations/", {"q": "orderpiker"}, **HX).content.decode()
    assert re.search(r"<td><a href=[^>]*>orderpicker</a>", html)  # the first row
    page = signed_in.get("/occupations/", {"q": "?" * 400})
    assert page.status_code == 200
    assert 'role="status"' in page.content.decode()
