"""Issue #20 item 2: a person's page costs what one person has, whatever the caseload.

The number of queries of the page does not grow with what the person has (hires, instrument
applications, consents, organisations, skills) nor with the people the klantmanager serves;
no query of the page first lists every person the actor may see (an ``IN (SELECT … FROM
candidates)``: the instrument panel did, three times — 100 of the page's 108 ms of SQL on
the demo);
and every view of the page is still one read in the access log."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from perspectief.audit.models import AccessRecord
from perspectief.candidates.models import CandidateSkill, CandidateTargetGroup
from perspectief.candidates.services.people import legal_basis_for
from perspectief.taxonomy.models import Skill

from ..conftest import sign_in
from ..factories import CandidateFactory, OrganisationFactory, SkillFactory
from ..instruments.applications_world import hired, load_shipped, outside, record

#: A query that lists people as a whole (``… IN (SELECT … FROM "candidates_candidate" …``).
EVERY_PERSON = re.compile(r'IN \(SELECT [^()]*FROM "candidates_candidate"')


def _give(world, person, km, n: int) -> None:
    """``n`` more of everything the page shows of a person."""
    start = timezone.localdate() - timedelta(days=30)
    for i in range(n):
        proposal = hired(world, person, km.organisation, start - timedelta(days=i))
        record(km, proposal, "LKS")
        record(km, outside(person, km.organisation, start - timedelta(days=i)), "NO_RISK")
        other = OrganisationFactory(kind="uwv", municipality=world.amsterdam)
        person.servings.create(organisation=other, legal_basis=legal_basis_for(other))
        person.consents.create(
            scope="introduction",
            employer=proposal.vacancy.employer,
            method="in_person",
            statement_version="1",
            granted_at=timezone.now(),
            approved_at=timezone.now(),
        )
        CandidateSkill.objects.create(candidate=person, skill=SkillFactory())
    groups = ["statushouder", "jongere", "arbeidsbeperking", "55plus"]
    for group in groups[: min(n, len(groups))]:
        CandidateTargetGroup.objects.get_or_create(candidate=person, group=group)
    person.occupations.add(world.occupation)


def _view(client, person) -> list[str]:
    url = reverse("candidates:detail", args=[person.uuid])
    client.get(url)  # templates and caches warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.django_db
def test_a_persons_page_costs_what_the_person_has_not_the_caseload(client, world, make_member):
    load_shipped()
    km = make_member("klantmanager")
    person = CandidateFactory(served_by=km.organisation, date_of_birth=date(1990, 5, 1))
    _give(world, person, km, 1)
    sign_in(client, km.user)
    few = _view(client, person)

    _give(world, person, km, 4)
    for _i in range(20):
        CandidateFactory(served_by=km.organisation, regional_consent=True)
    reads = AccessRecord.objects.count()
    many = _view(client, person)

    assert len(many) == len(few), "\n".join(many)
    # Every view is one read of the person in the access log (two views above).
    assert AccessRecord.objects.count() == reads + 2
    assert not [sql for sql in many if EVERY_PERSON.search(sql)]
    assert Skill.objects.count() >= 5  # the person's skills above are all distinct
