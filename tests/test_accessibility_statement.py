"""#21: the accessibility statement is public, linked from every page's footer, and says in
the Dutch government's format what the status is, what was checked, how and when; the API
documentation page says it is in English."""

import re

import pytest
from django.urls import reverse

from perspectief.views import ACCESSIBILITY_CHECK


@pytest.mark.django_db
def test_the_statement_is_public_and_in_the_footer_of_every_page(client):
    statement = reverse("accessibility-statement")
    assert statement == "/toegankelijkheid/"
    login = client.get(reverse("accounts:login")).content.decode()
    assert re.search(rf'<footer[^>]*>.*<a href="{statement}">', login, re.S)
    page = client.get(statement, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    for part in ["partially complies", "What was checked", "How it was checked", "Known problems"]:
        assert part in html, part
    assert f"axe-core {ACCESSIBILITY_CHECK['axe_version']}" in html
    assert ACCESSIBILITY_CHECK["pages"] > 0, "the statement reports a real run of the check"
    assert f"{ACCESSIBILITY_CHECK['pages']} pages" in html


@pytest.mark.django_db
def test_the_api_documentation_page_is_marked_as_english(client):
    html = client.get("/api/v1/docs").content.decode()
    assert '<html lang="en">' in html
    assert '<main id="swagger-ui">' in html
