"""GET /api/v1/funding: the region's pots and the national ones, camelCase."""

from decimal import Decimal

import pytest

from perspectief.funding.conditions import parse_rules
from perspectief.funding.models import ApplicationPeriod

from ..conftest import sign_in
from ..factories import FundingPotFactory


@pytest.mark.django_db
def test_funding_over_the_api(client, world, make_member, paying):
    pot = FundingPotFactory(
        region=world.am18,
        name="UWV scholingsbudget",
        kind="uwv_scholing",
        amount_available=Decimal("4000"),
        rules=parse_rules("offer.kind in mbo, bbl | Het is een opleiding"),
        sources=["https://www.uwv.nl/"],
    )
    ApplicationPeriod.objects.create(pot=pot, opens_on="2026-01-01", closes_on="2026-06-30")
    FundingPotFactory(region=None, name="ESF+", kind="esf", amount_available=None)
    FundingPotFactory(region=world.am22, name="Rijnmond")
    paying(pot, "1500")
    sign_in(client, make_member("programmamanager").user)
    body = client.get("/api/v1/funding", {"region": "am18"}).json()
    assert sorted(p["name"] for p in body) == ["ESF+", "UWV scholingsbudget"]
    own = next(p for p in body if p["name"] == "UWV scholingsbudget")
    assert set(own) == {
        "uuid", "code", "name", "kind", "region", "purpose", "whoMayApply", "conditions",
        "checkedConditions", "periods", "openNow", "available", "committed", "remaining",
        "overCommitted", "sources", "verified", "verifyNote", "contact",
    }  # fmt: skip
    assert (own["kind"], own["region"], own["available"], own["committed"]) == (
        "uwv_scholing",
        "AM18",
        "4000.00",
        "1500.00",
    )
    assert own["remaining"] == "2500.00" and own["overCommitted"] is False
    assert own["periods"] == [{"opensOn": "2026-01-01", "closesOn": "2026-06-30"}]
    assert own["checkedConditions"] == ["Het is een opleiding"]
    national = next(p for p in body if p["name"] == "ESF+")
    assert national["region"] is None and national["available"] is None
    assert national["openNow"] is None and national["remaining"] is None
    assert client.get("/api/v1/funding").json() == body  # default: own region
    assert client.get("/api/v1/funding", {"region": "AM22"}).status_code == 404
    refused = client.get("/api/v1/funding", {"region": "AM99X"})
    assert refused.status_code == 400 and refused["Content-Type"].startswith(
        "application/problem+json"
    )


@pytest.mark.django_db
def test_funding_api_needs_the_permission(client, world, make_member):
    assert client.get("/api/v1/funding").status_code == 401
    sign_in(client, make_member("werkgever").user)
    assert client.get("/api/v1/funding").status_code == 403
