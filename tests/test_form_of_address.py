"""One form of address per audience (issue #14 item 13; docs/development.md, "Translations").

Employers and every public page (sign-in, the Werkgeversservicepunt form and its thanks
page, the error pages) are addressed with "u"; staff and job seekers with "je". A text that
two audiences read (a shared layout, a message any role can get) addresses nobody directly.
"""

import ast
import html
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.matching.services import proposals

from .conftest import sign_in
from .factories import CandidateFactory
from .matching.test_employer_view import _employer, _person
from .test_i18n import PO

#: Informal and formal "you"; word boundaries keep "u" inside words ("uur", "nu") out.
JE = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
U = re.compile(r"\b(u|uw|uzelf)\b", re.IGNORECASE)

#: Source files (as in the .po references) whose strings employers or anonymous visitors read.
#: (The employer portal moved in #15: the old paths stay until the catalogue is regenerated.)
U_AUDIENCE = re.compile(
    r"^(templates/matching/employer/[a-z_]+\.html"
    r"|matching/(views|forms|selectors)/employer\.py"
    # #18: the employer's wording of a match's explanation.
    r"|matching/selectors/explanation_employer\.py"
    r"|templates/matching/employer_[a-z_]+\.html"
    r"|templates/matching/_profile\.html"
    r"|matching/employer(_views)?\.py"
    r"|templates/(400|403|403_csrf|404|500|error_base)\.html"
    r"|templates/accounts/(login|otp|otp_setup|password_set)\.html"
    # #21: the accessibility statement, a public page.
    r"|templates/core/accessibility_statement\.html"
    r"|accounts/views\.py"  # its messages are about signing in; the token ones are neutral
    r"|accounts/views/sign_in\.py"
    r"|templates/vacancies/request_(form|thanks)\.html"
    r"|templates/notifications/demo_mail(_detail)?\.html"
    # #17 check: what the employer can get for its own proposal, and the link to it.
    r"|templates/instruments/check/(employer|panel_employer_proposal)\.html"
    # #17 public: the Regelingenwijzer, for employers and anyone without an account.
    r"|templates/instruments/public/[a-z_]+\.html|instruments/(views|forms|selectors)/public\.py)$"
)
#: Files that serve more than one audience, each string under its own condition: these are
#: checked by rendering the pages below, not by where their strings live.
MIXED = re.compile(
    r"^(accounts/context_processors\.py|templates/core/home\.html"
    r"|templates/accounts/invitations/accept\.html|accounts/services/invitations\.py"
    r"|accounts/forms\.py|vacancies/request_views\.py|vacancies/(views|forms)/requests\.py"
    r"|notifications/(constants|views|forms)\.py"
    r"|templates/notifications/(inbox|preferences|_count)\.html"
    r"|templates/notifications/mail/notice\.txt"
    # The words titles carry that search drops ("32 u", "m/v"): read, never shown to anyone.
    r"|taxonomy/(textindex|evaluation)\.py"
    # The engine's English messages name the SBI sections "A-U".
    r"|matching/engine/files\.py)$"
)
#: Files more than one audience reads with the same text: the layout, messages any role
#: can get, and what employers share with staff (places and their import, the employer
#: list, API tokens). Their strings address nobody.
SHARED = re.compile(
    r"^(templates/(base|document|_field|_form_errors|_pagination)\.html"
    r"|core/[a-z_]+\.py|api/problems\.py"
    r"|templates/accounts/profile\.html|templates/accounts/invitations/unusable\.html"
    r"|templates/vacancies/(?!request_)[a-z_]+\.html|vacancies/(?!request_)[a-z_]+\.py"
    r"|vacancies/[a-z]+/(?!requests\.py)[a-z_]+\.py|accounts/views/profile\.py"
    r"|templates/candidates/(_import_form_and_jobs|_import_status|import_detail)\.html"
    r"|candidates/import_views\.py"
    r"|templates/imports/(_form_and_jobs|_status|detail)\.html|imports/(views|forms)\.py"
    r"|templates/organisations/employer_(list|detail)\.html"
    # Employers keep their own locations and contact persons, and see their places there.
    r"|templates/organisations/employers/(location|contact)_form\.html"
    r"|organisations/(forms|services|views)/employer_details\.py"
    r"|templates/vacancies/panels/employer_places\.html"
    # #17 check: the amounts of an instrument, on the adviser's and the employer's page.
    r"|templates/instruments/check/_amounts\.html)$"
)


def _entries():
    """(source files, Dutch text) for every entry of the Dutch catalogue."""
    entries, refs, text, key = [], [], {}, None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if text.get("msgid"):
                dutch = " | ".join(v for k, v in text.items() if k.startswith("msgstr"))
                entries.append(({r.rsplit(":", 1)[0] for r in refs}, text["msgid"], dutch))
            refs, text, key = [], {}, None
        elif line.startswith("#:"):
            refs += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text[key] += line[1:-1]
        else:
            key, _, value = line.partition(" ")
            text[key] = value[1:-1]
    return entries


def test_the_catalogue_uses_one_form_of_address_per_audience():
    wrong = []
    for files, msgid, dutch in _entries():
        audiences = set()
        for name in files:
            if SHARED.match(name):
                audiences |= {"u", "je"}
            elif U_AUDIENCE.match(name):
                audiences.add("u")
            elif not MIXED.match(name):
                audiences.add("je")  # staff and job seekers
        if "u" in audiences and JE.search(dutch):
            wrong.append(f"je/jouw for employers or the public: {msgid!r} → {dutch!r}")
        if "je" in audiences and U.search(dutch):
            wrong.append(f"u/uw for staff or job seekers: {msgid!r} → {dutch!r}")
    assert not wrong, "\n".join(wrong)


def _words(response_or_html) -> str:
    """The visible text of a page."""
    body = getattr(response_or_html, "content", response_or_html)
    body = body.decode() if isinstance(body, bytes) else body
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _wrong_form(text: str, form: str, page: str) -> list[str]:
    """The sentences of a page that use the other form of address."""
    other = JE if form == "u" else U
    sentences = re.split(r"(?<=[.?!:;])\s+|\n\s*\n", " ".join(text.split(" ")))
    return [f"{page}: {' '.join(s.split())}" for s in sentences if other.search(s)]


@pytest.mark.django_db
def test_public_pages_say_u(client, make_member, world):
    pages = {
        "sign-in": client.get(reverse("accounts:login")),
        "employer request form": client.get(reverse("wsp-request")),
        "regelingenwijzer": client.get(reverse("wsp-instruments")),
        "regelingenwijzer refused": client.get(reverse("wsp-instruments"), {"age": "x"}),
        "not found": client.get("/no-such-page/"),
    }
    wrong = []
    for name, response in pages.items():
        wrong += _wrong_form(_words(response), "u", name)
    client.post(reverse("accounts:logout"))
    wrong += _wrong_form(_words(client.get(reverse("accounts:login"))), "u", "signed out")
    with translation.override("nl"):
        for template, context in [
            ("vacancies/request_thanks.html", {"days": 2}),
            ("403.html", {}),
            ("500.html", {}),
            ("accounts/password_set.html", {"valid": False}),
            ("accounts/password_set.html", {"valid": True}),
        ]:
            wrong += _wrong_form(_words(render_to_string(template, context)), "u", template)
    # Staff sign in with a second factor: the sign-in pages are public pages too.
    staff = make_member("klantmanager")
    client.post(reverse("accounts:login"), {"username": staff.user.username, "password": "pw"})
    client.force_login(staff.user)
    response = client.post(reverse("accounts:otp"), {"token": "000000"})
    wrong += _wrong_form(_words(response), "u", "second factor")
    staff.user.totpdevice_set.all().delete()
    setup = client.get(reverse("accounts:otp-setup"))
    wrong += _wrong_form(_words(setup), "u", "second factor set-up")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_the_employer_portal_says_u(client, make_member, world):
    km = make_member("klantmanager")
    account, user, place = _employer(world)
    person = _person(km, first_name="Sanne", last_name="Zeldzaam")
    proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=person)
    sign_in(client, user.user)
    wrong = []
    for name, url in {
        "home": reverse("home"),
        "portal": reverse("employer:home"),
        "place": reverse("employer:place", args=[place.uuid]),
        "search": reverse("employer:search"),
        "profile": reverse("accounts:profile"),
        "inbox": reverse("notifications:inbox"),
        "e-mail settings": reverse("notifications:preferences"),
        # The places and employer pages staff use too: worded for both.
        "places": reverse("vacancies:list"),
        "place detail": reverse("vacancies:detail", args=[place.uuid]),
        "new place": reverse("vacancies:create"),
        "employers": reverse("organisations:employers"),
        "own employer": reverse("organisations:employer", args=[account.uuid]),
        "place import": reverse("vacancies:import"),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        wrong += _wrong_form(_words(response), "u", f"employer {name}")
    response = client.post(
        reverse("accounts:token-create"),
        {"name": "ERP", "membership": str(user.uuid)},
        follow=True,
    )
    assert response.context["new_token"]["name"] == "ERP"
    wrong += _wrong_form(_words(response), "u", "employer new token")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_job_seeker_pages_say_je(client, make_member):
    km = make_member("klantmanager")
    seeker = make_member("werkzoekende")
    CandidateFactory(served_by=km.organisation, user=seeker.user)
    sign_in(client, seeker.user)
    wrong = []
    for name, url in {
        "home": reverse("home"),
        "my data": reverse("candidates:self"),
        "document": reverse("candidates:self-document"),
        "profile": reverse("accounts:profile"),
        "inbox": reverse("notifications:inbox"),
        "e-mail settings": reverse("notifications:preferences"),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        wrong += _wrong_form(_words(response), "je", f"job seeker {name}")
    response = client.post(reverse("candidates:self-consent"), {"action": "revoke"}, follow=True)
    wrong += _wrong_form(_words(response), "je", "job seeker after withdrawing consent")
    assert not wrong, "\n".join(wrong)


def test_the_audience_map_names_files_that_exist():
    """A renamed template must not silently drop out of the check."""
    source = PO.parent.parent.parent.parent
    for name in ["templates/matching/employer/home.html", "templates/vacancies/request_form.html"]:
        assert (source / name).exists()
        assert U_AUDIENCE.match(name)
    assert any(name for files, _, _ in _entries() for name in files if U_AUDIENCE.match(name))
    assert Path(source / "templates/candidates/self.html").exists()


def test_dutch_written_in_the_code_follows_the_same_rule():
    """Dutch that does not go through the catalogue (stored import reasons, consent
    statements) is held to the same rule, read from the string literals of the source."""
    source = PO.parent.parent.parent.parent
    wrong = []
    for path in sorted(source.rglob("*.py")):
        name = path.relative_to(source).as_posix()
        if "migrations" in path.parts or MIXED.match(name):
            continue
        shared, formal = SHARED.match(name), U_AUDIENCE.match(name)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if id(node) in docstrings:
                continue
            if (shared or formal) and JE.search(node.value):
                wrong.append(f"{name}:{node.lineno}: {node.value!r}")
            if (shared or not formal) and U.search(node.value):
                wrong.append(f"{name}:{node.lineno}: {node.value!r}")
    assert not wrong, "\n".join(wrong)
