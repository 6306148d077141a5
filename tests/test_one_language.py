"""User-facing text comes in the active language only: no "nl / en" pairs in pages, API
errors or exports. Operators' messages (commands, start-up checks) and stored import
rejections keep both languages (docs/development.md, "Translations")."""

import ast
import re
import uuid
from pathlib import Path

import pytest
from django.utils import translation

from perspectief.candidates import parsing

from .conftest import sign_in

SOURCE = Path(__file__).resolve().parent.parent / "src" / "perspectief"

#: A Dutch and an English text joined by " / ": a word on at least one side (a value between
#: them, "{} / {}", is a ratio or a pair of values, not two languages).
PAIR = re.compile(r"[A-Za-zÀ-ÿ]{2}[.,:;)'\"]? / |(?<=\S) / \(?[A-Za-zÀ-ÿ]{2}")

#: Modules whose text is read by operators (commands, settings checks at start-up, the
#: database-role check) or stored with an import in both languages. Everything else that
#: a person can read uses English msgids through gettext.
BILINGUAL_ALLOWED = (
    "*/management/commands/*.py",
    "conf/*.py",
    "audit/roles.py",
    "audit/backup.py",  # `perspectief backup` and `restore-drill`, for operators
    "audit/drill.py",
    "core/reference.py",
    "demo/credentials.py",
    "taxonomy/loaders.py",
    "taxonomy/embedding_baselines.py",  # for `evaluate-search --method embedding` only
    "candidates/importers.py",
    "vacancies/importers.py",
    "imports/*.py",
)

GETTEXT = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}


def _docstrings(tree) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _msgids(tree) -> set[int]:
    """The literals passed to gettext: one English msgid, whatever it contains."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT:
            found |= {id(arg) for arg in node.args}
    return found


def _text(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def bilingual_literals(path: Path, root: Path = SOURCE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    skip = _docstrings(tree) | _msgids(tree) | parts  # an f-string is checked as a whole
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) in skip:
            continue
        text = _text(node)
        if text and PAIR.search(text):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {text[:80]!r}")
    return found


def test_the_scan_finds_a_pair_and_passes_a_msgid(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from django.utils.translation import gettext as _\n"
        'A = _("moped / scooter")\n'
        'B = ["Onbekende plek / unknown place"]\n'
        'C = f"onbekend {A} nummer / unknown {A} number"\n'
        'D = f"{A} / {A}"\n'
        'E = f"{A} is geen ja/nee / {A} is not yes/no"\n'
    )
    found = bilingual_literals(sample, tmp_path)
    assert sorted(line.split(":")[1] for line in found) == ["3", "4", "6"]


def test_no_bilingual_text_outside_operator_and_import_code():
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if "migrations" in relative.parts or any(
            relative.match(pattern) for pattern in BILINGUAL_ALLOWED
        ):
            continue
        found += bilingual_literals(path)
    assert not found, "Dutch / English text outside operator code:\n" + "\n".join(found)


TRANSLATE_TAG = re.compile(r'{%\s*(?:translate|trans)\s+"(?:[^"\\]|\\.)*"[^%]*%}')


def test_no_bilingual_text_in_templates():
    found = []
    for path in sorted((SOURCE / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PAIR.search(TRANSLATE_TAG.sub("", line)):
                found.append(f"{path.relative_to(SOURCE)}:{number}: {line.strip()[:80]}")
    assert not found, "Dutch / English text in a template:\n" + "\n".join(found)


def test_a_parser_refusal_speaks_the_active_language():
    with pytest.raises(ValueError) as refused:
        parsing.postcode("12")
    with translation.override("nl"):
        dutch = str(refused.value)
    with translation.override("en"):
        english = str(refused.value)
    assert "ongeldige postcode" in dutch and "invalid" not in dutch
    assert "invalid postcode" in english and "ongeldige" not in english


@pytest.mark.django_db
def test_a_parser_refusal_is_stored_in_both_languages_with_an_import():
    from perspectief.imports.rows import Rejected, parse_field

    rejected = Rejected(line=2, raw={})
    assert parse_field(rejected, "postcode", parsing.postcode, "12") is None
    [(nl, en)] = rejected.reasons
    assert nl.startswith("postcode: ongeldige postcode") and " / " not in nl
    assert en.startswith("postcode: invalid postcode") and " / " not in en


def _probes(place):
    unknown = str(uuid.uuid4())
    return [
        ("programmamanager", "get", "/api/v1/indicators", {"from": "gisteren"}),
        ("programmamanager", "get", "/api/v1/indicators", {"municipality": "GM9999"}),
        ("programmamanager", "get", "/api/v1/indicators", {"sector": "Z"}),
        ("programmamanager", "get", "/api/v1/indicators", {"until": "2000-01-01"}),
        ("klantmanager", "get", "/api/v1/proposals", {}),
        ("klantmanager", "post", "/api/v1/proposals", {"vacancy": unknown, "candidate": unknown}),
        (
            "klantmanager",
            "post",
            f"/api/v1/vacancies/{place.uuid}/shortlist",
            {"candidate": unknown},
        ),
        (
            "klantmanager",
            "post",
            "/api/v1/candidates",
            {"firstName": "A", "lastName": "B", "postcode": "12"},
        ),
        ("klantmanager", "get", "/api/v1/candidates", {"occupation": "geen beroep"}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("probe", range(9))
def test_api_errors_come_in_the_active_language_only(client, make_member, place, probe):
    role, method, url, data = _probes(place)[probe]
    sign_in(client, make_member(role).user)
    answers = {}
    for language in ("nl", "en"):
        if method == "get":
            response = client.get(url, data, HTTP_ACCEPT_LANGUAGE=language)
        else:
            response = client.post(
                url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
            )
        assert response.status_code == 400, response.content
        reasons = [p["reason"] for p in response.json()["invalidParams"]]
        assert reasons and not any(PAIR.search(r) for r in reasons), reasons
        answers[language] = reasons
    assert answers["nl"] != answers["en"]


@pytest.mark.django_db
def test_a_failed_matching_run_says_why_in_the_active_language(client, make_member):
    from perspectief.matching.constants import RunStatus
    from perspectief.matching.models import MatchRun
    from perspectief.matching.services import runs as batch

    member = make_member("klantmanager")
    run = MatchRun.objects.create(
        region_id=member.organisation.region_id,
        started_by=member.user,
        started_for=member.organisation,
        status=RunStatus.FAILED,
        error=batch.STOPPED,
    )
    with translation.override("nl"):
        assert run.error_text.startswith("De matching is afgebroken")
    with translation.override("en"):
        assert run.error_text.startswith("The matching run stopped")
    sign_in(client, member.user)
    for language, words in (("nl", "afgebroken"), ("en", "stopped")):
        answer = client.get(f"/api/v1/match-runs/{run.uuid}", HTTP_ACCEPT_LANGUAGE=language)
        assert answer.status_code == 200, answer.content
        assert words in answer.json()["error"] and not PAIR.search(answer.json()["error"])
    # A run that failed before this change kept both languages: one half is shown.
    run.error = "de matching is afgebroken; start opnieuw / the matching run stopped; start again"
    with translation.override("en"):
        assert run.error_text == "the matching run stopped; start again"
