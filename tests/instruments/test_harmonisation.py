"""The harmonisation table: per instrument and gemeente (and UWV), from the published
variations valid on the date: as the region, other amounts, extra conditions, not offered."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.audit.models import AuditEvent
from perspectief.demo.instruments import create_demo_instruments
from perspectief.demo.population import create_demo_population
from perspectief.instruments.models import InstrumentVersion
from perspectief.instruments.selectors import harmonisation
from perspectief.instruments.services import authoring as services
from perspectief.instruments.services.authoring import VariationInput

from ..factories import MunicipalityFactory
from .test_authoring import load_national

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(db):
    return load_national()


START = datetime.date(2026, 1, 1)
ON = datetime.date(2026, 6, 1)


@pytest.fixture
def region(world, actor_as, national):
    """AM18 with Amsterdam, Diemen and Amstelveen; Amsterdam pays less LKV, Diemen does not
    offer it, UWV asks 20 hours; Amstelveen is as the region; a draft changes nothing."""
    MunicipalityFactory(code="GM0384", name="Diemen", region=world.am18)
    MunicipalityFactory(code="GM0362", name="Amstelveen", region=world.am18)
    manager = actor_as("programmamanager")

    def publish(scope, **values):
        variation = services.variation_create(
            actor=manager,
            instrument=national,
            data=VariationInput(scope=scope, valid_from=values.pop("valid_from", START), **values),
        )
        return services.variation_publish(actor=manager, variation=variation)

    publish("GM0363", params={"maxPerYear": 5000})
    publish("GM0384", offered=False, note="Diemen gebruikt het niet")
    publish(
        "UWV",
        conditions=[{"fact": "job.hoursPerWeek", "op": ">=", "value": 20}],
        valid_until=datetime.date(2026, 12, 31),
    )
    services.variation_create(  # a draft: not in the table
        actor=manager,
        instrument=national,
        data=VariationInput(scope="GM0362", valid_from=START, offered=False),
    )
    return manager


def _row(table, code):
    return next(row for row in table.rows if row.instrument.code == code)


def _cells(row):
    return {cell.column.scope: cell for cell in row.cells}


def test_cells_say_same_other_amounts_extra_conditions_and_not_offered(region):
    table = harmonisation.table(region, ON)
    assert [c.scope for c in table.columns] == ["GM0362", "GM0363", "GM0384", "UWV"]
    cells = _cells(_row(table, "LKV"))
    assert cells["GM0362"].kind == harmonisation.SAME
    assert cells["GM0363"].kind == harmonisation.DIFFERS
    assert cells["GM0363"].amounts == [("maxPerYear", 6000, 5000)]
    assert cells["GM0384"].kind == harmonisation.NOT_OFFERED
    assert cells["GM0384"].note == "Diemen gebruikt het niet"
    assert cells["UWV"].kind == harmonisation.DIFFERS
    assert cells["UWV"].conditions and not cells["UWV"].amounts
    row = _row(table, "LKV")
    assert (row.gemeenten_differing, row.uwv_differs, table.gemeenten) == (2, True, 3)
    # Other instruments have no variation: as the region everywhere.
    assert {cell.kind for cell in _row(table, "LKS").cells} == {harmonisation.SAME}


def test_another_date_shows_the_variations_valid_then(region):
    cells = _cells(_row(harmonisation.table(region, datetime.date(2027, 3, 1)), "LKV"))
    assert cells["UWV"].kind == harmonisation.SAME  # its period ended
    before = _cells(_row(harmonisation.table(region, datetime.date(2025, 6, 1)), "LKV"))
    assert {cell.kind for cell in before.values()} == {harmonisation.SAME}


def test_a_variation_with_the_regions_own_amount_is_the_same(world, actor_as, national):
    manager = actor_as("programmamanager")
    variation = services.variation_create(
        actor=manager,
        instrument=national,
        data=VariationInput(scope="GM0363", valid_from=START, params={"perHour": 3.05}),
    )
    services.variation_publish(actor=manager, variation=variation)
    cells = _cells(_row(harmonisation.table(manager, ON), "LKV"))
    assert cells["GM0363"].kind == harmonisation.SAME


def test_the_page_reads_without_colour_and_tracks_the_status(client_as, region, national):
    client, _m = client_as("programmamanager")
    client.cookies.load({"django_language": "en"})
    url = reverse("instruments:harmonisation")
    page = client.get(url, {"datum": "2026-06-01"}).content.decode()
    assert "<caption" in page and 'class="table-scroll"' in page
    assert '<th scope="col">' in page and '<th scope="row">' in page
    assert "not offered" in page and "as the region" in page
    assert "maxPerYear 6000 → 5000" in page
    assert "extra condition: hours per week at least 20" in page
    assert "2 of 3 gemeenten differ" in page
    status = reverse("instruments:harmonisation-status", kwargs={"uuid": national.uuid})
    prefix = f"h{national.pk}"
    response = client.post(
        status, {f"{prefix}-status": "afgesproken", f"{prefix}-note": "Eén maximum"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "agreed" in page and "Eén maximum" in page
    assert AuditEvent.objects.filter(event="instrument_harmonisation.changed").count() == 1


def test_viewers_see_the_table_but_do_not_set_the_status(client_as, region, national):
    client, _m = client_as("klantmanager")
    page = client.get(reverse("instruments:harmonisation")).content.decode()
    assert "harmonisation-status" not in page and f"h{national.pk}-status" not in page
    status = reverse("instruments:harmonisation-status", kwargs={"uuid": national.uuid})
    assert client.post(status, {f"h{national.pk}-status": "afgesproken"}).status_code == 403


def test_a_bad_date_is_a_400_that_names_it(client_as, region):
    client, _m = client_as("klantmanager")
    assert client.get(reverse("instruments:harmonisation"), {"datum": "morgen"}).status_code == 400


def test_the_demo_writes_instruments_variations_and_status_once(world, demo_geography):
    create_demo_population()
    load_national()
    assert create_demo_instruments() == 7
    assert create_demo_instruments() == 0
    dpb = InstrumentVersion.objects.filter(instrument__code="AM18-DPB").order_by("number")
    assert [(v.number, v.status) for v in dpb] == [(1, "published"), (2, "draft")]
    manager = actor_for(Membership.objects.get(user__username="pm.amsterdam"))
    table = harmonisation.table(manager, datetime.date.today())
    cells = _cells(_row(table, "AM18-DPB"))
    assert cells["GM0362"].kind == harmonisation.NOT_OFFERED
    assert _cells(_row(table, "PROEFPLAATSING"))["UWV"].amounts == [("months", 2, 1)]
    assert _row(table, "LKS").item.status == "in_bespreking"
    # Next year's draft follows this year's version: it can be published as it is.
    services.version_publish(actor=manager, version=dpb[1])
