"""'Which pot can pay for this course for this person?': yes, no or can't tell yet, with
the reason condition by condition, the open period and what is left."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from perspectief.audit.models import AccessRecord
from perspectief.funding.conditions import parse_rules
from perspectief.funding.models import ApplicationPeriod

from ..conftest import sign_in
from ..factories import CandidateFactory, FundingPotFactory

AGE_27 = "person.age >= 27 | 27 years or older"


def _born(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=1)


def _all_year(pot):
    ApplicationPeriod.objects.create(pot=pot, opens_on=date(2020, 1, 1))
    return pot


def _ask(client, offer, person):
    response = client.get("/funding/question/", {"offer": offer.uuid, "person": person.label})
    assert response.status_code == 200
    return {a.pot.pk: a for a in response.context["answers"]}


@pytest.fixture
def adviser(client, make_member):
    km = make_member("klantmanager")
    sign_in(client, km.user)
    client.cookies.load({"django_language": "en"})
    return km


@pytest.mark.django_db
def test_both_sides_of_a_condition(client, world, adviser, offer):
    pot = _all_year(FundingPotFactory(region=world.am18, rules=parse_rules(AGE_27)))
    older = CandidateFactory(served_by=adviser.organisation, date_of_birth=_born(27))
    younger = CandidateFactory(served_by=adviser.organisation, date_of_birth=_born(26))
    yes = _ask(client, offer, older)[pot.pk]
    assert yes.answer == "yes" and [c.met for c in yes.conditions] == [True]
    no = _ask(client, offer, younger)[pot.pk]
    assert no.answer == "no" and [c.met for c in no.conditions] == [False]
    assert no.conditions[0].text == "27 years or older"


@pytest.mark.django_db
def test_an_unknown_fact_is_named_never_guessed(client, world, adviser, offer):
    rules = parse_rules(AGE_27 + "\noffer.kind in mbo, bbl | a course")
    pot = _all_year(FundingPotFactory(region=world.am18, rules=rules))
    person = CandidateFactory(served_by=adviser.organisation, date_of_birth=None)
    answer = _ask(client, offer, person)[pot.pk]
    assert answer.answer == "unknown"
    assert [(c.met, c.missing) for c in answer.conditions] == [(None, ["age"]), (True, [])]
    page = client.get("/funding/question/", {"offer": offer.uuid, "person": person.label})
    assert "not known: age is missing" in page.content.decode()


@pytest.mark.django_db
def test_a_failed_condition_wins_over_an_unknown_one(client, world, adviser, offer):
    rules = parse_rules(AGE_27 + "\noffer.kind = bbl | only BBL")
    pot = _all_year(FundingPotFactory(region=world.am18, rules=rules))
    person = CandidateFactory(served_by=adviser.organisation, date_of_birth=None)
    assert _ask(client, offer, person)[pot.pk].answer == "no"


@pytest.mark.django_db
def test_period_and_money_decide_too(client, world, adviser, offer, paying):
    today = timezone.localdate()
    closed = FundingPotFactory(region=world.am18)
    ApplicationPeriod.objects.create(
        pot=closed, opens_on=today + timedelta(days=30), closes_on=today + timedelta(days=60)
    )
    empty = _all_year(FundingPotFactory(region=world.am18, amount_available=Decimal("2000")))
    paying(empty, "1000")  # 1,000 left; the course costs 1,800
    unrecorded = FundingPotFactory(region=world.am18)  # no periods: not known
    person = CandidateFactory(served_by=adviser.organisation)
    answers = _ask(client, offer, person)
    assert answers[closed.pk].answer == "no" and not answers[closed.pk].open_now
    assert "next opens on" in " ".join(answers[closed.pk].reasons)
    assert answers[empty.pk].answer == "no" and answers[empty.pk].money.remaining == 1000
    assert "Not enough is left" in " ".join(answers[empty.pk].reasons)
    assert answers[unrecorded.pk].answer == "unknown"


@pytest.mark.django_db
def test_only_people_the_organisation_serves_and_the_read_is_logged(
    client, world, adviser, offer, make_member
):
    other = make_member("klantmanager", "AM22")
    stranger = CandidateFactory(served_by=other.organisation, postcode=None, region=world.am22)
    response = client.get("/funding/question/", {"offer": offer.uuid, "person": stranger.label})
    assert response.context["answers"] is None
    assert "No person with this code" in response.content.decode()
    assert not AccessRecord.objects.for_subject("candidate", stranger.uuid).exists()
    own = CandidateFactory(served_by=adviser.organisation)
    client.get("/funding/question/", {"offer": offer.uuid, "person": str(own.uuid)})
    assert (
        AccessRecord.objects.for_subject("candidate", own.uuid)
        .filter(activity="route.plan")
        .exists()
    )


@pytest.mark.django_db
def test_a_bad_offer_is_a_400(client, world, adviser):
    response = client.get("/funding/question/", {"offer": "nope", "person": "K-1"})
    assert response.status_code == 400
