"""Error pages and bad parameters (#14 item 11): the demo runs without DEBUG; a page asked for
with a value it cannot use answers 400 with a Dutch page that names the parameter (not a
server error, not a debug page, not other numbers than were asked for); 400, 403, 404 and
500 are plain Dutch pages in the site's layout, and the 500 page needs no database."""

import os
import subprocess
import sys

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from .conftest import sign_in

#: (role, url name, url kwargs, query, parameter named on the page)
BAD_PARAMETERS = [
    ("analist_szw", "monitoring:national", {}, "quarter=abc", "quarter"),
    ("analist_szw", "monitoring:national", {}, "quarter=1999-1", "quarter"),
    ("analist_szw", "monitoring:national-export", {"fmt": "csv"}, "quarter=2026-9", "quarter"),
    ("programmamanager", "monitoring:dashboard", {}, "start=gisteren", "Van"),
    ("programmamanager", "monitoring:dashboard", {}, "quarter=abc", "Kwartaal"),
    ("programmamanager", "monitoring:export", {"fmt": "csv"}, "end=2026-13-45", "Tot"),
    ("klantmanager", "monitoring:drill", {"key": "matches"}, "municipality=999999", "Gemeente"),
    ("programmamanager", "matching:fairness", {}, "since=1-1-2026", "since"),
    ("klantmanager", "candidates:list", {}, "page=abc", "page"),
    ("klantmanager", "candidates:list", {}, "page=0", "page"),
    ("klantmanager", "candidates:list", {}, "status=weg", "Status"),
    ("klantmanager", "candidates:list", {}, "max_completeness=500", "Volledigheid"),
    ("accountmanager", "vacancies:list", {}, "status=zoek", "Status"),
    ("accountmanager", "vacancies:list", {}, "page=-1", "page"),
    ("accountmanager", "vacancies:requests", {}, "status=alles", "status"),
    ("accountmanager", "organisations:employers", {}, "owner=iemand", "owner"),
    ("accountmanager", "organisations:employers", {}, "sector=ZZ", "sector"),
    ("accountmanager", "organisations:list", {}, "kind=bakker", "Soort"),
    ("functioneel_beheerder", "accounts:manage-users", {}, "page=1e3", "page"),
    ("klantmanager", "routes:offers", {}, "km=ver", "km"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "kwargs", "query", "named"), BAD_PARAMETERS)
def test_a_bad_parameter_is_a_dutch_400_page_naming_it(
    client, make_member, role, name, kwargs, query, named
):
    sign_in(client, make_member(role).user)
    response = client.get(reverse(name, kwargs=kwargs) + "?" + query)
    assert response.status_code == 400, (name, query, response.status_code)
    page = response.content.decode()
    assert "Dit adres kan niet worden gebruikt" in page
    assert named in page
    assert 'class="site-header"' in page  # the site's layout, with its navigation
    assert "Traceback" not in page and "urlpatterns" not in page.lower()


@pytest.mark.django_db
def test_a_bad_parameter_is_a_400_page_also_with_debug_on(client, make_member, settings):
    settings.DEBUG = True
    sign_in(client, make_member("analist_szw").user)
    response = client.get(reverse("monitoring:national") + "?quarter=abc")
    assert response.status_code == 400
    assert "Dit adres kan niet worden gebruikt" in response.content.decode()


@pytest.mark.django_db
def test_a_page_number_past_the_end_shows_the_last_page(client, make_member):
    sign_in(client, make_member("klantmanager").user)
    response = client.get(reverse("candidates:list") + "?page=999")
    assert response.status_code == 200
    assert response.context["page"].number == 1


@pytest.mark.django_db
def test_no_access_and_not_found_are_dutch_pages_in_the_layout(client, make_member):
    sign_in(client, make_member("werkzoekende").user)
    denied = client.get(reverse("monitoring:national"))
    assert denied.status_code == 403 and "Geen toegang" in denied.content.decode()
    missing = client.get("/bestaat-niet/")
    assert missing.status_code == 404
    assert "Pagina niet gevonden" in missing.content.decode()
    assert 'class="site-header"' in missing.content.decode()


def test_the_server_error_page_needs_no_database_and_no_request_context():
    """Rendered the way Django renders it after a failure: no database (this test has
    none), no session, no user, no context processors."""
    from django.utils import translation

    from perspectief.urls import handler500

    request = RequestFactory().get("/candidates/")
    with translation.override("nl"):  # as LocaleMiddleware left it for the request
        response = handler500(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in page and "/ Something" not in page
    assert 'class="site-header"' in page and "/static/css/perspectief.css" in page


@pytest.mark.django_db
def test_a_refused_form_is_a_dutch_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("wsp-request"), {"company_name": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Het formulier kon niet worden verwerkt" in page and "CSRF" not in page


def test_the_demo_settings_run_without_debug():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSPECTIEF_")}
    env["DJANGO_SETTINGS_MODULE"] = "perspectief.conf.dev"
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.DEMO_MODE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.django_db
def test_static_files_are_served_without_debug(client, settings):
    """Without DEBUG, runserver does not serve /static/; WhiteNoise does (from the apps'
    static directories, no collectstatic needed for the demo)."""
    assert settings.DEBUG is False
    response = client.get("/static/css/perspectief.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])
