"""In Debian's Chromium, the "done when" of #19 item 5 for the national view: the ministry's
analyst (szw.analist) opens "Regio's vergeleken", follows the link to the trend and sees,
per region, the matches of the last completed quarters against the plan's aim, a chart per
region and one for the country with the numbers in a table beside it; small numbers as x.
The support team (ot.landelijk) sees the same page; a programme manager does not get it.

The ORM arranges what has no page: the demo population and the dated placements (recorded
hires) of the last two completed quarters in Groot Amsterdam and Rijnmond."""

import re
from datetime import timedelta

import pytest

from perspectief.candidates.models import JourneyTransition
from perspectief.demo.population import create_demo_population
from perspectief.monitoring.periods import completed_quarters, quarter_bounds
from perspectief.regions.models import Municipality, Region

from ..factories import CandidateFactory, PostcodeFactory
from .conftest import main_nav, screenshot, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: region → (postcode, municipality, matches in the quarter before the last, in the last)
PLACED = {"AM18": ("1011", "GM0363", 7, 9), "AM22": ("3011", "GM0599", 2, 6)}


def _arrange():
    Region.objects.filter(code="AM18").update(name="Groot Amsterdam")
    Region.objects.filter(code="AM22").update(name="Rijnmond")
    create_demo_population()
    (last_y, last_q), (before_y, before_q) = completed_quarters(2)
    days = (quarter_bounds(before_y, before_q)[0], quarter_bounds(last_y, last_q)[0])
    for postcode, gm, *counts in PLACED.values():
        code = PostcodeFactory(code=postcode, municipality=Municipality.objects.get(code=gm))
        for first, n in zip(days, counts, strict=True):
            for _i in range(n):
                JourneyTransition.objects.create(
                    candidate=CandidateFactory(postcode=code),
                    from_status="bemiddelbaar",
                    to_status="geplaatst",
                    occurred_on=first + timedelta(days=12),
                    cause="hire",
                )
    return (before_y, before_q), (last_y, last_q)


def test_the_analyst_sees_the_trend_per_region(
    page, browser, live_server, demo_geography, settings
):
    settings.DEMO_MODE = True  # the second factor's code is shown on the page
    (before_y, before_q), (last_y, last_q) = _arrange()
    base = live_server.url
    sign_in_as(page, base, "szw.analist")
    main_nav(page).get_by_role("link", name="Regio's vergeleken").click()
    page.wait_for_url(base + "/monitoring/national/")
    page.get_by_role("link", name=re.compile("Trend per regio")).click()
    page.wait_for_url(base + "/monitoring/national/trend/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Trend per regio")
    # The country's chart is an image with a name; its numbers stand in the table.
    assert page.get_by_role("img", name=re.compile("Nederland|The Netherlands")).count() == 1
    table = page.locator("table.trend")
    header = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert header[-2:] == [
        f"{before_y} kwartaal {before_q}",
        f"{last_y} kwartaal {last_q}",
    ]
    rows = {}
    for row in table.locator("tbody tr").all():
        name = row.locator("th").inner_text().splitlines()[0].strip()
        rows[name] = [c.strip() for c in row.locator("td").all_inner_texts()][1:]
        assert row.locator("svg").count() == 1  # the region's own trend chart
    # The last quarter: both shown. The one before: Rijnmond's 2 is under 5, and Groot
    # Amsterdam's 7 hidden with it (the total would give the 2 away).
    assert rows["AM18 Groot Amsterdam"][-1].startswith("9")
    assert rows["AM22 Rijnmond"][-1].startswith("6")
    assert rows["AM22 Rijnmond"][-2].startswith("x")
    assert rows["AM18 Groot Amsterdam"][-2].startswith("x")
    # The national total per quarter.
    total = page.locator("table").first
    last_row = total.locator("tbody tr").last
    assert last_row.locator("td").first.inner_text().strip() == "15"
    screenshot(page, "national-trend")

    # The support team sees it too; a region's programme manager does not.
    support = browser.new_context(locale="nl-NL").new_page()
    sign_in_as(support, base, "ot.landelijk")
    response = support.goto(base + "/monitoring/national/trend/")
    assert response.status == 200
    manager = browser.new_context(locale="nl-NL").new_page()
    sign_in_as(manager, base, "pm.amsterdam")
    assert manager.goto(base + "/monitoring/national/trend/").status == 403
