"""Routes over the API: the same services and rules as the pages (issue #6, part 6)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.catalogue import services
from perspectief.routes.models import RouteStep

from ..conftest import sign_in
from ..factories import CandidateFactory

TODAY = timezone.localdate


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.mark.django_db
def test_a_route_over_the_api(client, make_member, settings):
    km = make_member("klantmanager")
    school = make_member("opleidingsadviseur")
    course = services.offer_save(
        actor=actor_for(school),
        data={"kind": "nt2", "title": "NT2", "funding": "regio", "online": True},
    )
    start = TODAY() + timedelta(days=7)
    edition = services.edition_add(actor=actor_for(school), offer=course, starts_on=start, seats=1)
    person = CandidateFactory(served_by=km.organisation, last_name="Zwanenburgh")
    other = CandidateFactory(served_by=km.organisation)
    sign_in(client, km.user)
    # Bad input: no such person, no uuid at all; then the route, without a template.
    assert _post(client, "/api/v1/routes", {"candidate": str(uuid.uuid4())}).status_code == 404
    assert _post(client, "/api/v1/routes", {"candidate": "nope"}).status_code == 400
    response = _post(client, "/api/v1/routes", {"candidate": str(person.uuid)})
    assert response.status_code == 201, response.content
    route = response.json()
    assert route["person"] == person.full_name and route["journeyStatus"] == "in_beeld"
    steps_url = f"/api/v1/routes/{route['uuid']}/steps"
    # Dates in the wrong order: a problem naming the field, nothing stored.
    bad = _post(
        client,
        steps_url,
        {
            "kind": "werkfit",
            "title": "Werkfit",
            "plannedStart": str(TODAY()),
            "plannedEnd": str(TODAY() - timedelta(days=1)),
        },
    )
    assert bad.status_code == 400
    assert "plannedEnd" in bad.content.decode() or "planned_end" in bad.content.decode()
    assert not RouteStep.objects.exists()
    step = _post(client, steps_url, {"kind": "nt2", "edition": str(edition.uuid)}).json()
    assert (step["ownerName"], step["handoff"], step["plannedStart"]) == (
        school.organisation.name,
        "pending",
        str(start),
    )
    # The one seat is taken: the next person does not fit.
    second = _post(client, "/api/v1/routes", {"candidate": str(other.uuid)}).json()
    full = _post(
        client,
        f"/api/v1/routes/{second['uuid']}/steps",
        {"kind": "nt2", "edition": str(edition.uuid)},
    )
    assert full.status_code == 400 and "vol" in full.content.decode()
    # The school answers over the API and sees the person by code until it accepts.
    sign_in(client, school.user)
    seen = client.get(f"/api/v1/routes/{route['uuid']}").json()
    assert seen["person"] == person.partner_label and seen["journeyStatus"] is None
    assert _post(client, f"/api/v1/route-steps/{step['uuid']}/start").status_code == 400
    assert _post(client, f"/api/v1/route-steps/{step['uuid']}/accept").status_code == 200
    assert client.get(f"/api/v1/routes/{route['uuid']}").json()["person"] == person.full_name
    assert _post(client, f"/api/v1/route-steps/{step['uuid']}/nonsense").status_code == 404
    # The journey over the API, for the serving organisation only.
    assert client.get(f"/api/v1/candidates/{person.uuid}/journey").status_code == 404
    sign_in(client, km.user)
    journey = client.get(f"/api/v1/candidates/{person.uuid}/journey").json()
    assert [(t["toStatus"], t["cause"]) for t in journey] == [("in_beeld", "route")]


@pytest.mark.django_db
def test_the_stuck_list_over_the_api(client, make_member):
    km = make_member("klantmanager")
    person = CandidateFactory(served_by=km.organisation, last_name="Zwanenburgh")
    sign_in(client, km.user)
    route = _post(client, "/api/v1/routes", {"candidate": str(person.uuid)}).json()
    _post(
        client,
        f"/api/v1/routes/{route['uuid']}/steps",
        {
            "kind": "werkfit",
            "title": "Werkfit",
            "plannedStart": str(TODAY() - timedelta(days=20)),
            "plannedEnd": str(TODAY() - timedelta(days=5)),
        },
    )
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    rows = client.get("/api/v1/stuck").json()
    assert [(r["person"], r["why"], r["days"]) for r in rows] == [(person.partner_label, "due", 5)]
    assert "Zwanenburgh" not in str(rows)
