"""/api/v1/instruments and /api/v1/instruments/check: camelCase, problem+json with the field
and a reason in the request's language (Dutch by default), any signed-in API user, no
anonymous use (visitors have the public page)."""

import copy
import datetime

import pytest
from django.urls import reverse

from perspectief.core.loading import DEFAULT_DATA_DIR
from perspectief.instruments.constants import VersionStatus
from perspectief.instruments.loaders import INSTRUMENTS_FILE, import_instruments
from perspectief.instruments.models import Instrument, InstrumentVersion, Variation

from ..api.test_api_contract import assert_matches_schema

LIST = "/api/v1/instruments"
CHECK = "/api/v1/instruments/check"

#: The request of issue #17, as written there.
EXAMPLE = {
    "region": "AM18",
    "municipality": "GM0363",
    "date": "2027-01-01",
    "person": {
        "age": 57,
        "benefit": "ww",
        "targetGroups": ["banenafspraak"],
        "structuralFunctionalLimitation": False,
        "wageValuePercent": None,
        "employedByThisEmployerInLast6Months": False,
    },
    "job": {
        "hoursPerWeek": 32,
        "contractMonths": 12,
        "hourlyWage": 15.0,
        "bbl": False,
        "trialPlacementMonths": None,
    },
    "employer": {"recognisedTrainingCompany": False, "intendsContractMonths": 6},
}

ANSWER_KEYS = {
    "id",
    "name",
    "version",
    "eligible",
    "category",
    "categoryCode",
    "amountPerYear",
    "amountPerMonth",
    "amountTotal",
    "maxPerYear",
    "durationMonths",
    "amountNote",
    "conditions",
    "missing",
    "documents",
    "deadlines",
    "notes",
    "summary",
    "decidedBy",
    "contact",
    "sources",
    "verified",
    "verifyNote",
    "variation",
}


@pytest.fixture
def instruments(world):
    import_instruments(DEFAULT_DATA_DIR / INSTRUMENTS_FILE)
    return world


@pytest.fixture
def api_client(client_as, instruments):
    client, _membership = client_as("werkgever")
    return client


def _post(client, body, **extra):
    return client.post(CHECK, body, content_type="application/json", **extra)


def _by_id(response):
    return {item["id"]: item for item in response.json()["instruments"]}


def _own_instrument(region, *, valid_from=datetime.date(2026, 1, 1), valid_until=None):
    instrument = Instrument.objects.create(code="AM18_DPB", region=region)
    return InstrumentVersion.objects.create(
        instrument=instrument,
        number=1,
        status=VersionStatus.PUBLISHED,
        valid_from=valid_from,
        valid_until=valid_until,
        name="Duurzame-plaatsingsbijdrage",
        executing_body="Gemeente Amsterdam",
        decided_by={"nl": "De gemeente", "en": "The gemeente"},
        rules={
            "conditions": [
                {
                    "fact": "job.contractMonths",
                    "op": ">=",
                    "value": 12,
                    "text": {"nl": "Contract van 12 maanden", "en": "A 12-month contract"},
                }
            ],
            "amount": {"per": "once", "formula": "2500"},
        },
        verified=True,
    )


# --- the check ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_issues_example_gets_lkv_for_an_older_employee(api_client):
    response = _post(api_client, EXAMPLE)
    assert response.status_code == 200, response.json()
    assert_matches_schema("POST", CHECK, response)
    answers = _by_id(response)
    assert set(answers) == {"LKV", "LKS", "NO_RISK", "PROEFPLAATSING", "JOBCOACH", "PRAKTIJKLEREN"}
    lkv = answers["LKV"]
    assert set(lkv) == ANSWER_KEYS
    assert lkv["eligible"] is True
    assert lkv["categoryCode"] == "oudere_werknemer"  # not banenafspraak: only the highest
    assert lkv["category"] == "oudere werknemer"  # Dutch by default
    assert lkv["amountPerYear"] == 5075.2  # 32 × 52 × € 3.05, under the € 6,000 maximum
    assert lkv["maxPerYear"] == 6000
    assert lkv["durationMonths"] == 36 and lkv["amountTotal"] == 15225.6
    assert lkv["amountPerMonth"] == round(5075.2 / 12, 2)
    assert lkv["verified"] is False and lkv["verifyNote"]
    assert all(set(c) == {"text", "met", "missing"} for c in lkv["conditions"])
    assert all(c["met"] is True for c in lkv["conditions"])
    # The LKV target group statement: within three months of the start (the date given).
    (deadline,) = lkv["deadlines"]
    assert deadline["key"] == "doelgroepverklaring" and deadline["dueOn"] == "2027-04-01"
    assert lkv["sources"] and lkv["documents"] and lkv["decidedBy"]
    # The trial placement: a UWV benefit and a promised contract of 6 months.
    assert answers["PROEFPLAATSING"]["eligible"] is True
    assert answers["PROEFPLAATSING"]["verified"] is True
    # No BBL: no praktijkleren.
    assert answers["PRAKTIJKLEREN"]["eligible"] is False


@pytest.mark.django_db
def test_english_is_given_when_asked(api_client):
    response = _post(api_client, EXAMPLE, HTTP_ACCEPT_LANGUAGE="en")
    assert _by_id(response)["LKV"]["category"] == "older employee"


@pytest.mark.django_db
def test_unknown_facts_give_null_with_the_missing_fact_named(api_client):
    body = {"region": "AM18", "person": {"age": 57}}
    response = _post(api_client, body)
    assert response.status_code == 200
    lkv = _by_id(response)["LKV"]
    assert lkv["eligible"] is None
    assert "person.benefit" in lkv["missing"]
    assert "person.employedByThisEmployerInLast6Months" in lkv["missing"]
    unknown = [c for c in lkv["conditions"] if c["met"] is None]
    assert unknown and all(c["missing"] for c in unknown)
    # shelteredWork defaults to false: a described hire is a regular job unless said.
    assert "job.shelteredWork" not in lkv["missing"]
    assert _by_id(_post(api_client, {**body, "job": {"shelteredWork": None}}))["LKV"][
        "missing"
    ].count("job.shelteredWork")


@pytest.mark.django_db
def test_a_region_own_instrument_and_a_gemeente_variation_count(api_client, instruments):
    _own_instrument(instruments.am18)
    lkv = Instrument.objects.get(code="LKV")
    Variation.objects.create(
        instrument=lkv,
        region=instruments.am18,
        scope="GM0363",
        status=VersionStatus.PUBLISHED,
        valid_from=datetime.date(2026, 1, 1),
        offered=False,
        note="Niet in Amsterdam",
    )
    body = copy.deepcopy(EXAMPLE)
    body["person"]["benefit"] = "bijstand"  # no UWV benefit: the gemeente's practice applies
    answers = _by_id(_post(api_client, body))
    assert answers["AM18_DPB"]["eligible"] is True and answers["AM18_DPB"]["amountTotal"] == 2500
    assert answers["LKV"]["eligible"] is False
    assert answers["LKV"]["variation"] == {
        "scope": "Amsterdam",
        "offered": False,
        "note": "Niet in Amsterdam",
    }
    # Another region does not see AM18's own instrument.
    other = _by_id(_post(api_client, {**body, "region": "AM22", "municipality": None}))
    assert "AM18_DPB" not in other


def _reasons(response):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}


def _with(path, value):
    body = copy.deepcopy(EXAMPLE)
    *groups, key = path.split(".")
    target = body
    for group in groups:
        target = target.setdefault(group, {})
    if value is ...:
        target.pop(key)
    else:
        target[key] = value
    return body


BAD = [
    ("region", "AM99", "region", "Onbekende arbeidsmarktregio AM99"),
    ("region", ..., "region", "Geef de arbeidsmarktregio"),
    ("municipality", "GM9999", "municipality", "Onbekende gemeente GM9999"),
    ("municipality", "GM0599", "municipality", "ligt niet in de regio Groot Amsterdam"),
    ("person.age", 14, "person.age", "moet tussen 15 en 100 liggen"),
    ("person.age", 101, "person.age", "moet tussen 15 en 100 liggen"),
    ("job.hoursPerWeek", -1, "job.hoursPerWeek", "moet tussen 0 en 60 liggen"),
    ("job.hoursPerWeek", 61, "job.hoursPerWeek", "moet tussen 0 en 60 liggen"),
    ("job.hoursPerWeek", 0, "job.hoursPerWeek", "geef meer dan 0 uur per week"),
    ("job.hourlyWage", -5, "job.hourlyWage", "moet tussen 0 en 200 liggen"),
    ("job.hourlyWage", 1000, "job.hourlyWage", "moet tussen 0 en 200 liggen"),
    ("person.benefit", "loterij", "person.benefit", "onbekende code 'loterij'"),
    ("person.targetGroups", ["piraat"], "person.targetGroups", "onbekende code 'piraat'"),
    ("person.age", "57", "person.age", "geef een getal"),
    ("job.bbl", "ja", "job.bbl", "geef ja of nee"),
    ("person.shoeSize", 44, "person.shoeSize", "onbekend gegeven"),
    ("date", "2027-13-01", "date", "geef een datum als JJJJ-MM-DD"),
    ("date", "9999-12-31", "date", "2000"),
    ("person", [], "person", "Geef een object"),
    ("colour", "red", "colour", "Onbekend veld"),
]


@pytest.mark.parametrize(("path", "value", "field", "reason"), BAD)
@pytest.mark.django_db
def test_bad_input_is_a_400_naming_the_field_with_a_dutch_reason(
    api_client, path, value, field, reason
):
    response = _post(api_client, _with(path, value))
    reasons = _reasons(response)
    assert field in reasons, reasons
    assert reason.lower() in reasons[field].lower(), reasons[field]
    assert_matches_schema("POST", CHECK, response)


@pytest.mark.django_db
def test_a_bbl_job_needs_a_recognised_training_company(api_client):
    body = _with("job.bbl", True)
    reasons = _reasons(_post(api_client, body))
    assert reasons["job.bbl"] == "een BBL-leerbaan kan alleen bij een erkend leerbedrijf"
    english = _reasons(_post(api_client, body, HTTP_ACCEPT_LANGUAGE="en"))
    assert english["job.bbl"] == "a BBL apprenticeship needs a recognised training company"
    body["employer"]["recognisedTrainingCompany"] = True
    assert _by_id(_post(api_client, body))["PRAKTIJKLEREN"]["eligible"] is True


@pytest.mark.django_db
def test_every_bad_field_is_named_at_once(api_client):
    body = _with("person.age", 12)
    body["job"]["hoursPerWeek"] = 90
    assert {"person.age", "job.hoursPerWeek"} <= set(_reasons(_post(api_client, body)))


@pytest.mark.django_db
def test_a_body_that_is_no_object_is_refused(api_client):
    response = api_client.post(CHECK, "[1, 2]", content_type="application/json")
    assert response.status_code == 400


# --- the list -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_list_has_the_published_instruments_of_the_region(api_client, instruments):
    _own_instrument(instruments.am18, valid_until=datetime.date(2026, 12, 31))
    response = api_client.get(LIST, {"region": "AM18", "date": "2026-06-01"})
    assert response.status_code == 200
    assert_matches_schema("GET", LIST, response)
    items = {item["id"]: item for item in response.json()}
    assert "AM18_DPB" in items and items["AM18_DPB"]["region"] == "AM18"
    lkv = items["LKV"]
    assert lkv["region"] is None and lkv["version"] == 1 and lkv["validFrom"] == "2022-01-01"
    assert lkv["validUntil"] is None and lkv["verified"] is False and lkv["verifyNote"]
    assert lkv["sources"][0].startswith("https://")
    assert lkv["categories"][0]["code"] == "oudere_werknemer"
    assert lkv["decidedBy"] and lkv["contact"] and lkv["executingBody"] and lkv["summary"]
    assert lkv["documents"] and lkv["deadlines"][0]["key"] == "doelgroepverklaring"
    assert (
        "Heeft in de 6 maanden voor de start niet bij deze werkgever gewerkt" in (lkv["conditions"])
    )
    # Valid on the date: the region's instrument ended; LKS starts on 1 July 2025.
    later = api_client.get(LIST, {"region": "AM18", "date": "2027-01-01"}).json()
    assert "AM18_DPB" not in {item["id"] for item in later}
    early = {i["id"] for i in api_client.get(LIST, {"region": "AM18", "date": "2025-01-01"}).json()}
    assert "LKS" not in early and "LKV" in early
    # Another region, or none: the national instruments only.
    assert "AM18_DPB" not in {i["id"] for i in api_client.get(LIST, {"region": "AM22"}).json()}
    assert "AM18_DPB" not in {i["id"] for i in api_client.get(LIST).json()}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"region": "AM99"}, "region"), ({"date": "2027-02-30"}, "date"), ({"x": "1"}, "x")],
)
@pytest.mark.django_db
def test_the_list_refuses_bad_parameters(api_client, params, field):
    assert field in _reasons(api_client.get(LIST, params))


# --- who may ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_anonymous_callers_are_refused_and_sent_nowhere(client, instruments):
    for response in (client.get(LIST), _post(client, EXAMPLE)):
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", ["werkgever", "werkzoekende", "accountmanager", "analist_szw"])
@pytest.mark.django_db
def test_any_signed_in_user_may_ask(client_as, instruments, role):
    client, _membership = client_as(role)
    assert client.get(LIST, {"region": "AM18"}).status_code == 200
    assert _post(client, EXAMPLE).status_code == 200


@pytest.mark.django_db
def test_a_token_works(client, make_member, instruments):
    from perspectief.accounts.models import ApiToken, hash_token

    membership = make_member("werkgever")
    raw = ApiToken.generate()
    ApiToken.objects.create(
        membership=membership, name="ERP", prefix=raw[:8], key_hash=hash_token(raw)
    )
    response = _post(client, EXAMPLE, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert _by_id(response)["LKV"]["eligible"] is True


def test_the_routes_are_where_the_issue_says():
    assert reverse("api:instrument-list") == LIST
    assert reverse("api:instrument-check") == CHECK
