"""The public Regelingenwijzer: anyone, signed out, answers a few questions and sees which
instruments may apply, why, for how much and whom to call; bad answers are refused with a
Dutch reason at the question; unknown answers say what is missing."""

import re

import pytest
from django.urls import reverse

from perspectief.core.loading import DEFAULT_DATA_DIR
from perspectief.instruments.loaders import INSTRUMENTS_FILE, import_instruments
from perspectief.instruments.models import Application
from perspectief.instruments.views import public as public_view
from perspectief.vacancies.models import EmployerRequest

from ..test_form_of_address import _words, _wrong_form

URL = "/werkgeversservicepunt/regelingen/"

#: The issue's example, as an employer answers it on the page.
EXAMPLE = {
    "region": "AM18",
    "age": "57",
    "benefit": "ww",
    "banenafspraak": "no",
    "limitation": "no",
    "worked_here": "no",
    "hours": "32",
    "contract": "temporary",
    "contract_months": "12",
    "hourly_wage": "15,00",
    "bbl": "no",
    "recognised": "no",
    "trial": "yes",
    "trial_months": "6",
}


@pytest.fixture
def instruments(world):
    import_instruments(DEFAULT_DATA_DIR / INSTRUMENTS_FILE)
    return world


@pytest.fixture
def english(client):
    client.cookies.load({"django_language": "en"})
    return client


def _group(html: str, heading: str) -> str:
    """The part of the page under one ``<h3>`` group heading (up to the next one)."""
    start = html.index(f"<h3>{heading}")
    end = html.find("<h3>", start + 4)
    return html[start : end if end != -1 else len(html)]


def test_the_url_is_on_the_wsp_pages():
    assert reverse("wsp-instruments") == URL


@pytest.mark.django_db
def test_signed_out_visitors_get_the_questions_without_personal_data(client, instruments):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    form = html[html.index('<form method="get" action="' + URL) :]
    form = form[: form.index("</form>")]
    names = set(re.findall(r'name="([^"]+)"', form))
    assert names == set(EXAMPLE) | {"place", "start", "months_on_benefit", "wage_value"}
    assert not {"name", "bsn", "birth_date", "email"} & names
    assert "csrfmiddlewaretoken" not in form  # a GET form: the answer is a link to share
    # Radio groups are fieldsets with a legend; every other question has a label.
    assert form.count("<fieldset") == form.count("<legend>")
    for field_id in re.findall(r'<input type="text"[^>]*id="([^"]+)"', form):
        assert f'<label for="{field_id}">' in form


@pytest.mark.django_db
def test_the_page_is_csp_safe(client, instruments):
    response = client.get(URL, EXAMPLE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "script-src" in response["Content-Security-Policy"]
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []  # no inline scripts
    assert " style=" not in html and " onclick=" not in html


@pytest.mark.django_db
def test_the_issues_example_gets_lkv_for_an_older_employee(english, instruments):
    response = english.get(URL, EXAMPLE)
    assert response.status_code == 200
    html = response.content.decode()
    may_apply = _group(html, "May apply")
    assert "Loonkostenvoordeel (LKV) — older employee" in may_apply
    # 32 hours × 52 weeks × € 3.05 = € 5,075.20 a year (at most € 6,000), for 36 months.
    assert "5,075.20" in may_apply and "at most € 6,000.00 a year" in may_apply
    assert "36 months" in may_apply and "15,225.60" in may_apply
    # A WW benefit and a promised contract of 6 months: the trial placement may apply.
    assert "Proefplaatsing (UWV)" in may_apply
    # Not a disability, no training company: no jobcoach, no praktijkleren.
    does_not = _group(html, "Does not apply")
    assert "Subsidieregeling praktijkleren" in does_not
    assert "Jobcoaching" in does_not
    # Whom to call: the instrument's contact and the region's Werkgeversservicepunt.
    assert "UWV employer service point" in may_apply
    assert "Werkgeversservicepunt of the region Groot Amsterdam" in html
    assert f'href="{reverse("wsp-request")}"' in html
    # LKV is not confirmed in a primary source: the page says so.
    assert "Not confirmed" in may_apply
    # Nothing is stored: a description, not a person.
    assert not Application.objects.exists() and not EmployerRequest.objects.exists()


@pytest.mark.django_db
def test_a_trial_placement_is_shown_per_month_and_in_total_not_per_year(english, instruments):
    html = english.get(URL, EXAMPLE).content.decode()
    trial = html[html.index("<h4>Proefplaatsing (UWV)") :]
    trial = trial[: trial.find("<h4>", 4)]
    assert "Per month" in trial and "In total" in trial and "2 months" in trial
    assert "Per year" not in trial


@pytest.mark.django_db
def test_the_answers_say_u_to_the_employer(client, instruments):
    """The page with its answers, in Dutch: one form of address (u), as on the WSP form."""
    response = client.get(URL, {**EXAMPLE, "worked_here": "unknown", "start": "2027-01-01"})
    assert "<h3>" in response.content.decode()
    assert _wrong_form(_words(response), "u", "regelingenwijzer") == []


@pytest.mark.django_db
def test_the_reasons_are_given_condition_by_condition(english, instruments):
    html = english.get(URL, {**EXAMPLE, "age": "50"}).content.decode()
    lkv = _group(html, "Does not apply")
    lkv = lkv[lkv.index("<h4>Loonkostenvoordeel (LKV)") :]
    lkv = lkv[: lkv.find("<h4>", 4)]
    assert "Not met:</strong> older employee: 56 or older at the start" in lkv
    assert "Met:</strong> Did not work for this employer in the 6 months before the start" in lkv


@pytest.mark.django_db
def test_unknown_answers_say_what_is_missing(english, instruments):
    response = english.get(URL, {"region": "AM18", "age": "57", "benefit": "unknown"})
    assert response.status_code == 200
    html = response.content.decode()
    cannot_tell = _group(html, "Can't tell yet")
    assert "Loonkostenvoordeel (LKV)" in cannot_tell
    assert "To tell, we still need to know: benefit" in cannot_tell
    assert "Not known yet:</strong>" in cannot_tell


@pytest.mark.django_db
def test_a_postcode_or_gemeente_finds_the_region(english, instruments):
    html = english.get(URL, {**EXAMPLE, "region": "", "place": "1011 AB"}).content.decode()
    assert "What may apply in the region Groot Amsterdam (Amsterdam)" in html
    html = english.get(URL, {**EXAMPLE, "region": "", "place": "rotterdam"}).content.decode()
    assert "What may apply in the region Rijnmond (Rotterdam)" in html


@pytest.mark.parametrize(
    ("answers", "field", "reason"),
    [
        ({"age": "12"}, "age", "Moet tussen 15 en 100 liggen."),
        ({"age": "101"}, "age", "Moet tussen 15 en 100 liggen."),
        ({"hours": "70"}, "hours", "Moet tussen 0 en 60 liggen."),
        ({"hours": "0"}, "hours", "Geef meer dan 0 uur per week."),
        ({"hourly_wage": "250"}, "hourly_wage", "Moet tussen 0 en 200 liggen."),
        ({"wage_value": "120"}, "wage_value", "Moet tussen 0 en 100 liggen."),
        (
            {"bbl": "yes", "recognised": "no"},
            "bbl",
            "Een BBL-leerbaan kan alleen bij een erkend leerbedrijf.",
        ),
        (
            {"region": "AM22", "place": "Amsterdam"},
            "place",
            "Amsterdam (GM0363) ligt niet in de regio Rijnmond (AM22)",
        ),
        ({"region": "", "place": "9999"}, "place", "onbekende postcode 9999"),
    ],
)
@pytest.mark.django_db
def test_bad_answers_get_a_dutch_reason_at_the_question(
    client, instruments, answers, field, reason
):
    response = client.get(URL, {**EXAMPLE, **answers})
    assert response.status_code == 200
    form = response.context["form"]
    assert any(reason in str(message) for message in form.errors[field]), form.errors
    html = response.content.decode()
    assert 'id="error-summary"' in html and f'href="#id_{field}"' in html
    assert "<h3>" not in html  # no answer from refused facts
    if field != "bbl":  # what was typed stays in the form
        assert f'value="{answers[field]}"' in html


@pytest.mark.django_db
def test_no_region_and_no_place_is_refused(english, instruments):
    response = english.get(URL, {**EXAMPLE, "region": ""})
    assert "Choose a region, or give the gemeente or postcode" in str(
        response.context["form"].errors["region"]
    )


@pytest.mark.django_db
def test_numbers_are_read_as_people_type_them(english, instruments):
    form = english.get(URL, {**EXAMPLE, "hours": "32,5", "hourly_wage": "abc"}).context["form"]
    assert form.cleaned_data["hours"] == 32.5
    assert "Give a number" in str(form.errors["hourly_wage"])


@pytest.mark.django_db
def test_checks_are_limited_per_address(client, instruments, monkeypatch):
    monkeypatch.setattr(public_view, "CHECK_LIMIT", 2)
    assert client.get(URL, EXAMPLE).status_code == 200
    assert client.get(URL, EXAMPLE).status_code == 200
    assert client.get(URL, EXAMPLE).status_code == 429
    assert client.get(URL).status_code == 200  # the empty questions are not a check


@pytest.mark.django_db
def test_the_wsp_request_page_links_here(client, instruments):
    assert f'href="{URL}"' in client.get(reverse("wsp-request")).content.decode()
    assert f'href="{URL}"' in client.get(reverse("accounts:login")).content.decode()
