"""``/api/v1/indicators``: the dashboard's numbers over the API, with the same
suppression rules."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from perspectief.monitoring.selectors.indicator_query import answer, read_query

from ..conftest import sign_in
from ..factories import CandidateFactory
from .helpers import last_quarter, transition


@pytest.mark.django_db
def test_indicators_over_the_api(client, world, make_member):
    km = make_member("klantmanager")
    for _i in range(6):
        transition(CandidateFactory(served_by=km.organisation), "geplaatst", date.today())
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    body = client.get("/api/v1/indicators").json()
    assert (body["region"], body["counts"]["matches"], body["suppressed"]) == ("AM18", 6, False)
    assert client.get("/api/v1/indicators", {"region": "AM22"}).status_code == 404
    assert client.get("/api/v1/indicators", {"from": "gisteren"}).status_code == 400
    # Below region level only per completed quarter.
    assert client.get("/api/v1/indicators", {"targetGroup": "statushouder"}).status_code == 400
    _y, _q, _day, q_first, q_last = last_quarter()
    group = client.get(
        "/api/v1/indicators",
        {"targetGroup": "statushouder", "from": str(q_first), "until": str(q_last)},
    ).json()
    assert group["suppressed"] and group["counts"]["matches"] == 0
    assert client.get("/api/v1/indicators", {"sector": "Z"}).status_code == 400
    assert client.get("/api/v1/indicators", {"activity": "nope"}).status_code == 400
    _year, _quarter, day, first, last = last_quarter()
    for _i in range(5):
        transition(CandidateFactory(served_by=km.organisation), "geplaatst", day)
    transition(CandidateFactory(served_by=km.organisation), "duurzaam", day)
    analyst = make_member("analist_szw")
    sign_in(client, analyst.user)
    national = client.get("/api/v1/indicators", {"region": "AM18"}).json()  # last quarter
    assert national["suppressed"] and (national["start"], national["end"]) == (
        str(first),
        str(last),
    )
    assert (national["counts"]["matches"], national["counts"]["durable"]) == (5, None)
    # Not an arbitrary or running period: two of them would give a hidden count away.
    since = {"region": "AM18", "from": str(first), "until": str(date.today())}
    assert client.get("/api/v1/indicators", since).status_code == 400
    assert client.get("/api/v1/indicators").status_code == 400  # which region?


@pytest.mark.django_db
def test_the_query_is_read_and_answered_without_http(world, make_member):
    """The API's computation is a selector: what a query may ask and what it gets, with
    no request in sight; the view only says who asks for which region."""
    km = make_member("klantmanager")
    for _i in range(6):
        transition(CandidateFactory(served_by=km.organisation), "geplaatst", date.today())
    today = date.today()
    query = read_query({}, region=world.am18, national=False, today=today)
    assert (query.filters.start, query.filters.end) == (today.replace(month=1, day=1), today)
    body = answer(query)
    assert (body["region"], body["counts"]["matches"], body["suppressed"]) == ("AM18", 6, False)
    assert sum(month["matches"] for month in body["matchesByMonth"]) == 6
    # Below region level: one completed quarter, the cells of the suppressed table.
    _y, _q, _day, first, last = last_quarter()
    quarter = {"from": str(first), "until": str(last)}
    table = answer(
        read_query({**quarter, "by": "targetGroup"}, region=world.am18, national=False, today=today)
    )
    assert table["suppressed"] and "matchesByMonth" not in table
    assert {row["value"] for row in table["rows"]} >= {"statushouder", None}
    # The ministry: aggregates per completed quarter, the region's row of the national table.
    national = read_query({}, region=world.am18, national=True, today=today)
    assert national.suppressed and (national.filters.start, national.filters.end) == (
        first,
        last,
    )


@pytest.mark.parametrize(
    ("params", "national", "refused"),
    [
        ({"from": "gisteren"}, False, "from"),
        ({"from": "2026-02-01", "until": "2026-01-01"}, False, "until"),
        ({"municipality": "GM0599"}, False, "municipality"),  # of another region
        ({"targetGroup": "nope"}, False, "targetGroup"),
        ({"sector": "Z"}, False, "sector"),
        ({"occupation": "http://example.org/none"}, False, "occupation"),
        ({"activity": "nope"}, False, "activity"),
        ({"by": "occupation"}, False, "by"),
        ({"by": "everything"}, False, "by"),
        ({"targetGroup": "statushouder"}, False, "from"),  # not one completed quarter
        ({"targetGroup": "statushouder", "by": "sector"}, False, "by"),  # two at a time
        ({"from": "2026-01-01", "until": "2026-12-31"}, True, "from"),  # not one quarter
    ],
)
@pytest.mark.django_db
def test_a_query_that_breaks_a_rule_names_its_parameter(world, params, national, refused):
    if refused == "by" and "targetGroup" in params:
        _y, _q, _day, first, last = last_quarter()
        params = {**params, "from": str(first), "until": str(last)}
    with pytest.raises(ValidationError) as exc:
        read_query(params, region=world.am18, national=national, today=date.today())
    assert set(exc.value.message_dict) == {refused}


@pytest.mark.django_db
def test_the_ministry_is_not_given_a_region_narrowed(world):
    _y, _q, _day, first, last = last_quarter()
    with pytest.raises(ValidationError) as exc:
        read_query(
            {"from": str(first), "until": str(last), "municipality": "GM0363"},
            region=world.am18,
            national=True,
            today=date.today(),
        )
    assert set(exc.value.message_dict) == {"region"}
