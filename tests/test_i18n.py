"""The product is Dutch first: every msgid has a reviewed Dutch translation, and the compiled
catalogue that ships (.mo) matches the source (.po)."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parent.parent / "src" / "perspectief" / "locale"
PO = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "nl" / "LC_MESSAGES" / "django.mo"


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: entries with msgid, msgid_plural, msgstr[n] and flags."""
    entries, entry, key = [], {"flags": set()}, None

    def flush():
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {"flags": set()}

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    flush()
    return [e for e in entries if e["msgid"]]  # skip the header


def test_every_dutch_entry_is_translated_and_reviewed():
    entries = parse_po(PO)
    assert len(entries) > 100
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy translations: {fuzzy[:10]}"
    untranslated = [
        e["msgid"] for e in entries if not any(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert not untranslated, f"untranslated: {untranslated[:10]}"


def test_compiled_catalogue_matches_the_source():
    catalogue = gettext.GNUTranslations(MO.open("rb"))
    stale = []
    for entry in parse_po(PO):
        if "msgid_plural" in entry:
            continue
        key = (
            entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        )
        if catalogue._catalog.get(key) != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert not stale, f".mo is stale for {stale[:5]}: run `make messages`"


@pytest.mark.django_db
def test_pages_are_dutch_by_default_and_english_on_request(client):
    dutch = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="nl"' in dutch
    assert "Inloggen" in dutch
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    english = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in english
    assert "Sign in" in english


SOURCE = LOCALE.parent
TEMPLATE_STRING = re.compile(r'{%\s*translate\s+"((?:[^"\\]|\\.)*)"')
PYTHON_STRING = re.compile(r'\b_\(\s*"((?:[^"\\]|\\.)*)"\s*\)')


def test_every_marked_string_is_in_the_catalogue():
    """A string marked for translation but missing from the .po means `make messages` was
    not run: the page would show English to Dutch users."""
    known = {e["msgid"] for e in parse_po(PO)}
    missing = set()
    for path in SOURCE.rglob("*.html"):
        missing |= {m for m in TEMPLATE_STRING.findall(path.read_text()) if m not in known}
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for match in PYTHON_STRING.findall(path.read_text()):
            text = ast.literal_eval(f'"{match}"')
            if text not in known:
                missing.add(text)
    assert not missing, f"not in the Dutch catalogue (run `make messages`): {sorted(missing)[:10]}"
