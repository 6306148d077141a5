"""#21: axe-core (vendored, tests/e2e/axe.py) in Debian's Chromium over the pages of the
authorisation matrix's routes, each as a role that uses it, and a form in its error state:
no WCAG 2.1 A/AA violation and no "needs review" ARIA attribute value.

Which pages: every route of tests/authz_matrix.py whose GET answers 200 to a role, except the
API (its documentation is third-party Swagger UI, see the accessibility statement) and what
is not a whole HTML page (downloads, htmx fragments). Each page is checked once, as the
first role in ROLE_ORDER that gets it (a page looks the same to every role that may open it,
up to its data), and the home page as every role (its tasks and navigation are per role):
the full role × page product took too long for every CI run (see docs/accessibility.md)."""

import time

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from ..authz_matrix import ANON, MATRIX, ROLES
from ..conftest import sign_in
from ..test_authorisation_matrix import MatrixWorld
from .axe import axe_problems, checked_axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # The markup axe reads does not depend on the database; the check runs in CI's SQLite
    # phase and is not repeated in its PostgreSQL phase (it takes some six minutes).
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="axe checks the pages once, on SQLite (the markup does not depend on the database)",
    ),
]

#: The roles in the order pages are given to them: the people-facing roles first.
ROLE_ORDER = [ANON, *ROLES]
#: Routes that are not a page of their own to check (besides the API and non-HTML answers).
SKIP = {"set_language", "health", "not-found"}


def _pages(matrix_world, memberships) -> dict[str, list[tuple[str, str]]]:
    """role → [(route name, url)] of the pages that role checks."""
    pages: dict[str, list[tuple[str, str]]] = {role: [] for role in ROLE_ORDER}
    for name, (kwargs_builder, methods) in sorted(MATRIX.items()):
        if name.startswith("api:") or name in SKIP:
            continue
        get = methods.get("GET", {})
        role = next((r for r in ROLE_ORDER if get.get(r) == 200), None)
        if role is None:
            continue
        membership = memberships.get(role)
        try:
            with transaction.atomic():
                kwargs = (
                    kwargs_builder(matrix_world, membership) if callable(kwargs_builder) else {}
                )
        except IntegrityError:
            # Builders made for one route per fresh database (e.g. a second questionnaire of
            # the same quarter): that page's route was built already under another name.
            print(f"axe: {name} skipped, its object cannot be made twice in one database")
            continue
        pages[role].append((name, reverse(name, kwargs=kwargs or None)))
    for role in ROLES:
        if ("home", "/") not in pages[role]:
            pages[role].append(("home", "/"))
    return pages


def _context_as(browser, live_server, membership):
    context = browser.new_context(locale="nl-NL", bypass_csp=True)
    if membership is not None:
        client = sign_in(Client(), membership.user)
        host = live_server.url.split("//", 1)[1].split(":")[0]
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "domain": host,
                    "path": "/",
                }
            ]
        )
    return context


def test_no_page_violates_wcag_21_aa(browser, live_server, world, make_member):
    checked_axe()
    matrix_world = MatrixWorld(world, make_member)
    memberships = {role: make_member(role, "AM18") for role in ROLES}
    pages = _pages(matrix_world, memberships)
    problems, checked, started = [], [], time.monotonic()
    for role in ROLE_ORDER:
        if not pages[role]:
            continue
        context = _context_as(browser, live_server, memberships.get(role))
        page = context.new_page()
        for name, url in pages[role]:
            answer = context.request.get(live_server.url + url, max_redirects=0)
            body = answer.text() if answer.ok else ""
            if (
                answer.status != 200
                or not answer.headers.get("content-type", "").startswith("text/html")
                or "<html" not in body[:200]
            ):
                continue
            page.goto(live_server.url + url)
            checked.append((role, name))
            problems += [(role, url, p) for p in axe_problems(page)]
        context.close()
    seconds = time.monotonic() - started
    print(f"axe: {len(checked)} pages, {len({r for r, _ in checked})} roles, {seconds:.0f} s")
    assert len(checked) > 100, checked  # 136 on 7 December 2026
    assert not problems, "\n".join(f"{role} {url}: {p}" for role, url, p in problems)


def test_a_form_in_its_error_state_has_no_violation(browser, live_server, world, make_member):
    """The person form sent empty: the error summary, the fields' messages and their
    aria-describedby (the "needs review" rule that #21 found failing) pass."""
    checked_axe()
    context = _context_as(browser, live_server, make_member("klantmanager", "AM18"))
    page = context.new_page()
    page.goto(live_server.url + reverse("candidates:create"))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").count() == 1
    assert page.locator("[aria-invalid=true]").count() >= 2
    problems = axe_problems(page)
    context.close()
    assert not problems, problems
