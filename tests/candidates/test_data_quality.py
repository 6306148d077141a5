"""The data-quality page (#14 item 16): every count links to the people it counts, and the
list behind the link shows exactly that many — the organisation's own people, never a
partner's people found by a field the organisation may not see."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from perspectief.candidates.models import Candidate

from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory


def _rows(page: str) -> list[tuple[str, str | None]]:
    """(count, link or None) of every count cell of the page's tables."""
    cells = []
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        for cell in re.findall(r"<td>(.*?)</td>", row, re.S):
            if cell.strip().endswith("%") and "<a" not in cell:
                continue  # a share, or a completeness band's name
            link = re.search(r'<a href="([^"]+)">\s*(\d+)\s*</a>', cell)
            cells.append((link[2], link[1].replace("&amp;", "&")) if link else (cell, None))
    return cells


@pytest.mark.django_db
def test_every_count_links_to_exactly_the_people_it_counts(client, make_member, world):
    km = make_member("klantmanager")
    own = km.organisation
    old = timezone.now() - datetime.timedelta(days=400)
    CandidateFactory(served_by=own, bsn="111222333", work_readiness="gereed", completeness=100)
    CandidateFactory(served_by=own, postcode=None, hours_per_week=None, completeness=40)
    CandidateFactory(served_by=own, completeness=85, availability_confirmed_at=old)
    CandidateFactory(served_by=own, completeness=60, available_from=datetime.date(2099, 1, 1))
    gone = CandidateFactory(served_by=own, completeness=10)
    Candidate.objects.filter(pk=gone.pk).update(anonymised_at=timezone.now())  # nobody now
    # A partner's person the klantmanager sees under a pseudonym: not counted, not listed.
    CandidateFactory(served_by=OrganisationFactory(kind="uwv"), regional_consent=True)
    sign_in(client, km.user)
    page = client.get(reverse("candidates:quality")).content.decode()
    cells = _rows(page)
    assert len(cells) == 4 + 7  # four completeness bands, seven things missing or current
    unlinked = [count for count, link in cells if link is None and count.strip() != "0"]
    assert not unlinked, f"counts without a link to their people: {unlinked}"
    for count, link in cells:
        if link is None:
            continue
        listed = client.get(link)
        assert listed.status_code == 200, link
        assert listed.context["page"].paginator.count == int(count), link
        assert all(level == "full" for _c, level in listed.context["rows"]), link


@pytest.mark.django_db
def test_missing_fields_filter_only_the_organisations_own_people(client, make_member, world):
    """Filtering a partner's pseudonymous people on a hidden field would reveal it."""
    km = make_member("klantmanager")
    CandidateFactory(served_by=OrganisationFactory(kind="uwv"), regional_consent=True)
    sign_in(client, km.user)
    listed = client.get(reverse("candidates:list") + "?missing=bsn")
    assert listed.context["page"].paginator.count == 0
