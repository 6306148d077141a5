"""Keeping the region's pots: who may, another region's pot and a national one are not
editable, and bad input is refused with the reason (nothing is lost)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from perspectief.audit.models import AuditEvent
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.funding.models import FundingPot
from perspectief.funding.services import PotInput, pot_save

from ..conftest import sign_in
from ..factories import FundingPotFactory

FORM = {
    "name": "Re-integratiebudget Amsterdam",
    "kind": "reintegratie",
    "purpose": "Re-integratie",
    "who_may_apply": "De klantmanager",
    "conditions_text": "Inwoner met bijstand",
    "rules": "person.benefit in bijstand, geen | bijstand of NUG\nperson.age >= 18",
    "amount_available": "850000",
    "periods": "1-1-2027 31-12-2027\n2028-01-01",
    "sources": "https://www.amsterdam.nl/werk",
    "contact": "Werk en Inkomen",
}


@pytest.mark.django_db
def test_programme_manager_keeps_a_pot(client, world, make_member):
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    response = client.post("/funding/new/", FORM)
    pot = FundingPot.objects.get(name=FORM["name"])
    assert response.status_code == 302 and pot.region == world.am18
    assert pot.amount_available == Decimal("850000") and pot.created_by == manager.user
    assert [(p.opens_on, p.closes_on) for p in pot.periods.all()] == [
        (date(2027, 1, 1), date(2027, 12, 31)),
        (date(2028, 1, 1), None),
    ]
    assert pot.rules[0] == {
        "fact": "person.benefit",
        "op": "in",
        "value": ["bijstand", "geen"],
        "text": "bijstand of NUG",
    }
    assert AuditEvent.objects.filter(event="funding.pot_created").count() == 1
    # The edit form shows what was saved, and saving it unchanged keeps it.
    form = client.get(f"/funding/{pot.uuid}/edit/").context["form"]
    assert form.initial["rules"].splitlines()[1] == "person.age >= 18"
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["verified"] = "on"
    assert client.post(f"/funding/{pot.uuid}/edit/", data).status_code == 302
    pot.refresh_from_db()
    assert pot.verified and pot.periods.count() == 2 and len(pot.rules) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("periods", "1-7-2027 1-1-2027", "closes (1-1-2027) before it opens (1-7-2027)"),
        ("periods", "1-1-2027 31-12-2027\n1-6-2027", "Two periods overlap"),
        ("periods", "gisteren", "write the date it opens"),
        ("amount_available", "-5", "cannot be negative"),
        ("rules", "person.age >= 200 | te oud", "Line 1"),
        ("rules", "person.shoeSize = 42", "unknown fact"),
        ("sources", "geen-url", "is not a web address"),
    ],
)
def test_bad_input_is_refused_with_the_reason(client, world, make_member, field, value, message):
    sign_in(client, make_member("programmamanager").user)
    client.cookies.load({"django_language": "en"})
    response = client.post("/funding/new/", {**FORM, field: value})
    assert response.status_code == 200 and not FundingPot.objects.exists()
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    assert FORM["name"] in page  # nothing typed is lost


@pytest.mark.django_db
def test_who_may_see_and_keep(client, world, make_member):
    pot = FundingPotFactory(region=world.am18)
    for role, overview, create in [
        ("programmamanager", 200, 200),
        ("functioneel_beheerder", 200, 200),
        ("klantmanager", 200, 403),
        ("werkgever", 403, 403),
        ("analist_szw", 403, 403),
    ]:
        client.logout()
        sign_in(client, make_member(role).user)
        assert client.get("/funding/").status_code == overview, role
        assert client.get("/funding/new/").status_code == create, role
        assert client.get(f"/funding/{pot.uuid}/edit/").status_code == (
            200 if create == 200 else 403
        ), role


@pytest.mark.django_db
def test_another_regions_pot_and_a_national_one_are_not_editable(
    client, world, make_member, actor_as
):
    theirs = FundingPotFactory(region=world.am22, name="Rijnmond-potje")
    national = FundingPotFactory(region=None, amount_available=None, name="ESF+")
    sign_in(client, make_member("programmamanager").user)
    assert client.get(f"/funding/{theirs.uuid}/").status_code == 404
    assert client.get(f"/funding/{theirs.uuid}/edit/").status_code == 404
    assert client.post(f"/funding/{theirs.uuid}/edit/", FORM).status_code == 404
    assert client.get(f"/funding/{national.uuid}/").status_code == 200
    assert client.get(f"/funding/{national.uuid}/edit/").status_code == 404
    assert "Rijnmond-potje" not in client.get("/funding/").content.decode()
    manager = actor_as("programmamanager")
    for pot in (theirs, national):
        with pytest.raises(NotFoundError):
            pot_save(actor=manager, data=PotInput(name="x", kind="pow"), pot=pot)
    with pytest.raises(PermissionDeniedError):
        pot_save(actor=actor_as("klantmanager"), data=PotInput(name="x", kind="pow"))


@pytest.mark.django_db
def test_service_refuses_bad_input(world, actor_as):
    manager = actor_as("programmamanager")
    with pytest.raises(ValidationError) as refused:
        pot_save(
            actor=manager,
            data=PotInput(
                name="",
                kind="geldboom",
                amount_available=Decimal("-1"),
                periods=[(date(2027, 2, 1), date(2027, 1, 1)), (None, None)],
                rules=[{"fact": "person.age", "op": "has", "value": 3}],
            ),
        )
    assert set(refused.value.message_dict) == {
        "name",
        "kind",
        "amount_available",
        "periods",
        "rules",
    }
    assert not FundingPot.objects.exists()
