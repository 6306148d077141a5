"""Benchmark (issue #18): the employer's anonymous search, ranked by the engine.

A region of 1,000 people with a regional-profile consent, spread over 20 real ESCO
occupations with their real essential skills (order pickers among them). Measured through
Django's test client, signed in as an employer, each against a plain baseline in the same
run (these machines are shared and noisy):

* ``GET /api/v1/employer/candidates?occupation=orderpiker`` (free words with a typo, resolved
  to an occupation, then the pool ranked and the first page of 20 explained);
* the same with ``occupationUri`` (no resolving);
* the plain filter without an occupation (what the search did before #18: a filtered,
  ordered query and its first 20);
* ``GET /api/v1/me`` (the cost of any signed-in API call).

The rate limits are lifted for the measurement.

    PYTHONPATH=src .venv/bin/pytest -m bench -s bench/test_bench_employer_search.py

Results in bench/results/employer_search.json, one entry per database vendor."""

import csv
import datetime
import gzip
import json
import platform
from pathlib import Path

import pytest
from benchlib import timed
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from tests.conftest import make_member, sign_in, world  # noqa: F401 (fixtures)
from tests.factories import CandidateFactory, MembershipFactory, OrganisationFactory

from perspectief.candidates.models import CandidateSkill
from perspectief.matching import engine_records
from perspectief.organisations.models import EmployerAccount
from perspectief.taxonomy.models import Occupation, OccupationSkill, Skill

RESULTS = Path(__file__).resolve().parent / "results" / "employer_search.json"
PEOPLE = 1_000
ORDERPICKER = "http://data.europa.eu/esco/occupation/cd94def5-3442-4c2e-ae3d-0761a3008bcb"


def _occupations(n=20):
    """ORDERPICKER and n-1 other real occupations, each with up to 8 essential skills."""
    wanted: dict[str, list[str]] = {ORDERPICKER: []}
    with gzip.open(engine_records.ESCO_DIR / "occupationSkillRelations.csv.gz", "rt") as f:
        for row in csv.DictReader(f):
            if row["relationType"] != "essential":
                continue
            uri = row["occupationUri"]
            if uri not in wanted and len(wanted) < n:
                wanted[uri] = []
            if uri in wanted and len(wanted[uri]) < 8:
                wanted[uri].append(row["skillUri"])
    out = []
    for i, (uri, skills) in enumerate(wanted.items()):
        label = "orderpicker" if uri == ORDERPICKER else f"beroep {i}"
        occupation, _ = Occupation.objects.get_or_create(uri=uri, defaults={"label_nl": label})
        rows = []
        for s in skills:
            skill, _ = Skill.objects.get_or_create(uri=s, defaults={"label_en": s[-12:]})
            OccupationSkill.objects.get_or_create(
                occupation=occupation, skill=skill, defaults={"relation": "essential"}
            )
            rows.append(skill)
        out.append((occupation, rows))
    return out


@pytest.mark.bench
@pytest.mark.django_db
def test_bench_employer_search(client, world, make_member, settings):  # noqa: F811
    settings.EMPLOYER_SEARCHES_PER_HOUR = 10**9
    settings.EMPLOYER_PROFILES_PER_DAY = 10**9
    km = make_member("klantmanager")
    # The shared fixture's made-up occupation is called "orderpicker" too.
    Occupation.objects.filter(pk=world.occupation.pk).update(label_nl="testberoep", label_en="")
    occupations = _occupations()
    postcode = world.amsterdam.postcodes.first()
    for i in range(PEOPLE):
        occupation, skills = occupations[i % len(occupations)]
        person = CandidateFactory(
            served_by=km.organisation,
            regional_consent=True,
            status="werkfit",
            availability_confirmed_at=timezone.now(),
            postcode=postcode,
        )
        person.occupations.add(occupation)
        CandidateSkill.objects.bulk_create(
            [CandidateSkill(candidate=person, skill=s) for s in skills[: 4 + i % 5]],
            ignore_conflicts=True,
        )
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    EmployerAccount.objects.create(
        organisation=organisation, kvk_number="31415926", postcode=postcode
    )
    sign_in(client, MembershipFactory(organisation=organisation, role="werkgever").user)
    api = reverse("api:employer-candidates")

    def get(params):
        response = client.get(api, params)
        assert response.status_code == 200, response.content
        return response.json()

    typed = get({"occupation": "orderpiker"})
    assert typed["rankedFor"][0]["uri"] == ORDERPICKER and typed["total"] >= PEOPLE // 20
    result = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "people_in_pool": PEOPLE,
        "found_for_orderpiker": typed["total"],
        "ranked_free_words_ms": timed(lambda: get({"occupation": "orderpiker"})),
        "ranked_occupation_uri_ms": timed(lambda: get({"occupationUri": ORDERPICKER})),
        "baseline_plain_filter_ms": timed(lambda: get({})),
        "baseline_api_me_ms": timed(lambda: client.get(reverse("api:me"))),
    }
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[connection.vendor] = result
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(result, indent=2))
