"""#21 item 4: the dashboard's matches per month come as a table too, not only as bars with
hover tooltips, and the chart points at that table."""

import re

import pytest
from django.urls import reverse
from django.utils import formats, translation

from ..conftest import sign_in
from ..factories import CandidateFactory
from .helpers import last_quarter, transition


@pytest.mark.django_db
def test_the_matches_per_month_chart_has_its_numbers_as_a_table(client, world, make_member):
    _year, _quarter, day, first, last = last_quarter()
    for _i in range(6):
        transition(CandidateFactory(), "geplaatst", day)
    manager = make_member("programmamanager")
    sign_in(client, manager.user)
    with translation.override("nl"):
        page = client.get(
            reverse("monitoring:dashboard"),
            {"start": str(first), "end": str(last)},
            HTTP_ACCEPT_LANGUAGE="nl",
        )
        month = formats.date_format(day, "F Y")
    html = page.content.decode()
    svg = re.search(r'<svg role="img" aria-labelledby="chart-title"[^>]*>', html)[0]
    described = re.search(r'aria-describedby="([^"]+)"', svg)[1]
    table = re.search(
        rf'<table class="chart-table">\s*<caption id="{described}">(.*?)</table>', html, re.S
    )
    assert table, "the chart's table with the caption the chart points at"
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", table[1])
    assert (month, "6") in rows
    assert sum(int(n) for _m, n in rows) == 6
