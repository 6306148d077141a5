"""The engine's file interface: `perspectief match run|assign` on JSON Lines, with every
malformed line reported by number and left out, and a non-zero exit when that happened."""

import json

import pytest
from django.core.management import call_command


@pytest.fixture
def esco():
    """Real ESCO URIs from the shipped export: an occupation and two of its skills."""
    import csv
    import gzip

    from perspectief.matching.management.commands.match import DATA

    with gzip.open(DATA / "esco" / "v1.1.1" / "occupationSkillRelations.csv.gz", "rt") as f:
        rows = [r for r in csv.DictReader(f) if r["relationType"] == "essential"][:200]
    occupation = rows[0]["occupationUri"]
    skills = [r["skillUri"] for r in rows if r["occupationUri"] == occupation][:3]
    return occupation, skills


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_run_ranks_and_explains_and_reports_bad_lines(tmp_path, esco, capsys):
    occupation, skills = esco
    good = {
        "id": "anna",
        "pc4": "1011",
        "hours": 32,
        "max_distance_km": 20,
        "education_level": 3,
        "driving_licence": True,
        "occupations": [occupation],
        "skills": skills,
    }
    candidates = _write(
        tmp_path / "c.jsonl",
        [
            json.dumps(good),
            json.dumps({**good, "id": "bram", "skills": skills[:1], "occupations": []}),
            "{broken",
            json.dumps({**good, "id": "anna"}),
            json.dumps({"id": "nowhere"}),
            json.dumps({**good, "id": "nan", "pc4": None, "lat": float("nan"), "lon": 4.9}),
            json.dumps({**good, "id": "odd", "skills": ["http://data.europa.eu/esco/skill/x"]}),
        ],
    )
    vacancies = _write(
        tmp_path / "v.jsonl",
        [
            json.dumps(
                {
                    "id": "v1",
                    "pc4": "1012",
                    "hours": 32,
                    "places": 2,
                    "occupation": occupation,
                    "essential_skills": skills,
                    "teachable_skills": skills[-1:],
                }
            ),
            json.dumps({"id": "v0", "pc4": "1012", "places": 0}),
        ],
    )
    out = tmp_path / "r.jsonl"
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "match",
            "run",
            "--candidates",
            candidates,
            "--vacancies",
            vacancies,
            "--top",
            "5",
            "--out",
            str(out),
        )
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    for expected in (
        "c.jsonl:3: not valid JSON",
        "c.jsonl:4: duplicate candidate id anna (first on line 1)",
        "c.jsonl:5: no location",
        "c.jsonl:6: not valid JSON: NaN is not a number",
        "c.jsonl:7: unknown ESCO URI(s): http://data.europa.eu/esco/skill/x",
        "v.jsonl:2: 'places' must be between 1 and 100000",
    ):
        assert expected in err
    (line,) = _jsonl(out)
    assert line["vacancy"] == "v1"
    assert [c["id"] for c in line["candidates"]] == ["anna", "bram"]
    anna, bram = line["candidates"]
    assert anna["missing_essential"] == []
    assert sum(anna["contributions"].values()) == pytest.approx(anna["score"], abs=1e-5)
    assert {m["skill"] for m in bram["missing_essential"]} == set(skills[1:])


def test_assign_from_files_and_from_given_pairs(tmp_path, esco):
    _occupation, skills = esco
    people = [
        {"id": f"p{i}", "pc4": "1011", "skills": skills, "priority": i == 2} for i in range(3)
    ]
    candidates = _write(tmp_path / "c.jsonl", [json.dumps(p) for p in people])
    vacancies = _write(
        tmp_path / "v.jsonl",
        [json.dumps({"id": "v1", "pc4": "1011", "places": 2, "essential_skills": skills})],
    )
    out = tmp_path / "a.jsonl"
    call_command(
        "match", "assign", "--candidates", candidates, "--vacancies", vacancies, "--out", str(out)
    )
    *pairs, summary = _jsonl(out)
    assert len(pairs) == 2 and summary["summary"]["places_filled"] == 2
    pairs_file = _write(
        tmp_path / "p.jsonl",
        [
            json.dumps({"candidate": "p0", "vacancy": "v1", "score": 0.9}),
            json.dumps({"candidate": "p1", "vacancy": "v1", "score": 0.8}),
            json.dumps({"candidate": "p2", "vacancy": "v1", "score": 0.1}),
        ],
    )
    call_command(
        "match",
        "assign",
        "--candidates",
        candidates,
        "--vacancies",
        vacancies,
        "--pairs",
        pairs_file,
        "--min-priority",
        "1",
        "--out",
        str(out),
    )
    *pairs, summary = _jsonl(out)
    assert {p["candidate"] for p in pairs} == {"p0", "p2"}
    assert summary["summary"]["total_score"] == pytest.approx(1.0)
    bad = _write(
        tmp_path / "bad.jsonl", [json.dumps({"candidate": "p0", "vacancy": "nope", "score": 1})]
    )
    with pytest.raises(SystemExit):
        call_command("match", "assign", "--vacancies", vacancies, "--pairs", bad, "--out", str(out))


def test_assign_on_given_pairs_needs_only_id_and_places_of_a_vacancy(tmp_path, capsys):
    """With --pairs nothing is scored, so a vacancy needs no location or skills: only its id
    and number of places (#14 item 15). A vacancy without places is still reported."""
    vacancies = _write(
        tmp_path / "v.jsonl",
        [
            json.dumps({"id": "v1", "places": 1}),
            json.dumps({"id": "v2", "places": 2, "essential_skills": ["not a uri"]}),
        ],
    )
    pairs_file = _write(
        tmp_path / "p.jsonl",
        [
            json.dumps({"candidate": "a", "vacancy": "v1", "score": 0.9}),
            json.dumps({"candidate": "b", "vacancy": "v2", "score": 0.5}),
        ],
    )
    out = tmp_path / "a.jsonl"
    call_command(
        "match", "assign", "--vacancies", vacancies, "--pairs", pairs_file, "--out", str(out)
    )
    *pairs, summary = _jsonl(out)
    assert {(p["candidate"], p["vacancy"]) for p in pairs} == {("a", "v1"), ("b", "v2")}
    assert summary["summary"]["places"] == 3
    # The line without places is reported and left out, and the command still exits non-zero.
    bad = _write(tmp_path / "v2.jsonl", [json.dumps({"id": "v1", "places": 1}), "{}"])
    with pytest.raises(SystemExit):
        call_command(
            "match", "assign", "--vacancies", bad, "--pairs", pairs_file, "--out", str(out)
        )
    assert "v2.jsonl:2: 'places' is required" in capsys.readouterr().err


def test_soft_factors_in_files_are_read_checked_and_decide(tmp_path, esco, capsys):
    """The soft factors of #18 are optional keys: read when given, a clear message per bad
    line, and a person who cannot carry the place's hours is not ranked for it."""
    occupation, skills = esco
    base = {"pc4": "1011", "skills": skills, "occupations": [occupation]}
    soft = {
        "readiness": 0.5,
        "ready_from": "2026-01-05",
        "motivation": 1.0,
        "max_load": 2,
        "excluded_sectors": ["Q"],
        "needs": ["jobcoach"],
        "limitations": ["noise"],
    }
    candidates = _write(
        tmp_path / "c.jsonl",
        [
            json.dumps({**base, **soft, "id": "fits", "max_hours": 24}),
            json.dumps({**base, "id": "carries-16", "max_hours": 16}),
            json.dumps({**base, "id": "bad-sector", "excluded_sectors": ["Z"]}),
            json.dumps({**base, "id": "bad-need", "needs": "jobcoach"}),
            json.dumps({**base, "id": "bad-readiness", "readiness": 2}),
            json.dumps({**base, "id": "bad-load", "max_load": 1.5}),
            json.dumps({**base, "id": "bad-limit", "limitations": ["lifting"]}),
        ],
    )
    place = {
        "id": "v1",
        "pc4": "1012",
        "places": 1,
        "essential_skills": skills,
        "occupation": occupation,
    }
    vacancies = _write(
        tmp_path / "v.jsonl",
        [
            json.dumps(
                {
                    **place,
                    "hours": 36,
                    "min_hours": 24,
                    "load": 2,
                    "sector": "G",
                    "offers": ["jobcoach", "adjusted"],
                    "demands": ["customer_contact"],
                }
            ),
            json.dumps({**place, "id": "v2", "hours": 20, "min_hours": 24}),
            json.dumps({**place, "id": "v3", "sector": "g"}),
            json.dumps({**place, "id": "v4", "offers": ["coffee"]}),
        ],
    )
    out = tmp_path / "r.jsonl"
    with pytest.raises(SystemExit):
        call_command(
            "match", "run", "--candidates", candidates, "--vacancies", vacancies, "--out", str(out)
        )
    err = capsys.readouterr().err
    for expected in (
        "c.jsonl:3: 'excluded_sectors': unknown 'Z'",
        "c.jsonl:4: 'needs' must be a list of: adjusted, jobcoach, flexible_hours",
        "c.jsonl:5: 'readiness' must be between 0 and 1",
        "c.jsonl:6: 'max_load' must be a whole number",
        "c.jsonl:7: 'limitations': unknown 'lifting'",
        "v.jsonl:2: 'min_hours' cannot be more than 'hours'",
        "v.jsonl:3: 'sector' must be an SBI section, one letter A-U",
        "v.jsonl:4: 'offers': unknown 'coffee'",
    ):
        assert expected in err
    (line,) = _jsonl(out)
    # Part time down to 24 hours: who carries 24 fits, who carries 16 does not.
    assert [c["id"] for c in line["candidates"]] == ["fits"]
    (fits,) = line["candidates"]
    assert fits["contributions"]["support"] > 0 and fits["related_essential"] == []
    assert fits["occupation_via"] == "occupation"


def test_evaluate_refuses_shares_outside_zero_to_one():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--soft must be between 0 and 1"):
        call_command("match", "evaluate", "--soft", "1.5")
