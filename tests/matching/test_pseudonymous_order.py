"""Issue #14 item 6: people shown under a pseudonym are ordered, filtered and searched only
on what the viewer may see. The first code in a partner's list must not be the person whose
hidden surname comes first in the alphabet.

Each list is checked twice: against the visible fields alone (the codes in order), and by
shuffling the hidden fields (names, contact details, benefit, completeness, date of birth)
over the people and asking again — the order a viewer sees must not move."""

import random
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from perspectief.candidates.models import Candidate, CandidateTargetGroup
from perspectief.matching.models import ShortlistEntry
from perspectief.matching.selectors import employer as employer_side
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import Vacancy
from tests.conftest import sign_in
from tests.factories import (
    CandidateFactory,
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
)

CODE = re.compile(r"K-[0-9A-F]{6}")
SURNAMES = ["Aalts", "Bakker", "Claassen", "Dekker", "Evers", "Flipse", "Gerritsen", "Hendriks"]
HIDDEN = ("first_name", "last_name", "email", "phone", "benefit", "date_of_birth", "completeness")


def _shared_people(km):
    """Eight people of the gemeente with an agreed regional profile, named so that the
    alphabet of their surnames runs exactly against the order of their codes."""
    people = [
        CandidateFactory(
            served_by=km.organisation,
            regional_consent=True,
            status="werkfit",
            availability_confirmed_at=timezone.now(),
        )
        for _ in SURNAMES
    ]
    people.sort(key=lambda c: c.partner_label, reverse=True)
    for surname, person in zip(SURNAMES, people, strict=True):
        person.last_name = surname
        person.save()
    return people


def _shuffle_hidden(people, seed):
    """Give the people each other's hidden fields (a permutation that moves every surname)."""
    values = [{f: getattr(p, f) for f in HIDDEN} for p in people]
    rng = random.Random(seed)
    order = list(range(len(people)))
    while any(i == j for i, j in enumerate(order)):
        rng.shuffle(order)
    for person, j in zip(people, order, strict=True):
        Candidate.objects.filter(pk=person.pk).update(**values[j])


def _codes_in_page(response) -> list[str]:
    body = response.content.decode()
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    return CODE.findall(table)


def _names_in_page(response) -> list[str]:
    return [
        f"{c.last_name}, {c.first_name}" for c, level in response.context["rows"] if level == "full"
    ]


@pytest.fixture
def shared(world, make_member):
    km = make_member("klantmanager")
    return km, _shared_people(km)


@pytest.mark.django_db
def test_a_partner_sees_the_regional_profiles_in_the_order_of_their_codes(
    client, make_member, shared
):
    _km, people = shared
    partner = make_member("intermediair")
    sign_in(client, partner.user)
    response = client.get(reverse("candidates:list"))
    codes = _codes_in_page(response)
    assert sorted(codes) == sorted(p.partner_label for p in people)
    assert codes == sorted(codes)  # the visible code alone decides the order
    body = response.content.decode()
    table = body[body.index("<tbody>") : body.index("</tbody>")]  # not the filters' options
    for surname in SURNAMES:
        assert surname not in table
    _shuffle_hidden(people, seed=6)
    assert _codes_in_page(client.get(reverse("candidates:list"))) == codes


@pytest.mark.django_db
def test_the_api_lists_regional_profiles_in_the_order_of_their_codes(client, make_member, shared):
    _km, people = shared
    partner = make_member("intermediair")
    sign_in(client, partner.user)
    url = reverse("api:candidate-list")
    data = client.get(url).json()
    codes = [item["label"] for item in data["results"]]
    assert codes == sorted(p.partner_label for p in people)
    assert all(item["view"] == "partner" for item in data["results"])
    _shuffle_hidden(people, seed=7)
    assert [item["label"] for item in client.get(url).json()["results"]] == codes
    # A page boundary does not reorder either: two pages of three read as one list.
    first = client.get(url, {"page_size": 3}).json()
    second = client.get(url, {"page_size": 3, "page": 2}).json()
    assert [i["label"] for i in first["results"] + second["results"]] == codes[:6]


@pytest.mark.django_db
def test_an_organisation_with_its_own_people_sees_them_by_name_then_the_profiles_by_code(
    client, world, shared
):
    _km, people = shared
    uwv = OrganisationFactory(kind="uwv", municipality=world.amsterdam, region=world.am18)
    partner = MembershipFactory(organisation=uwv, role="klantmanager")
    TOTPDeviceFactory(user=partner.user)
    own = [
        CandidateFactory(served_by=partner.organisation, first_name="Ilse", last_name=name)
        for name in ("Zwart", "Mulder")
    ]
    sign_in(client, partner.user)
    response = client.get(reverse("candidates:list"))
    assert _names_in_page(response) == ["Mulder, Ilse", "Zwart, Ilse"]
    levels = [level for _c, level in response.context["rows"]]
    assert levels == ["full", "full"] + ["partner"] * len(people)  # own people first
    codes = _codes_in_page(response)
    assert codes == sorted(p.partner_label for p in people)
    _shuffle_hidden(people, seed=8)
    assert _codes_in_page(client.get(reverse("candidates:list"))) == codes
    api = client.get(reverse("api:candidate-list")).json()["results"]
    assert [i.get("lastName") for i in api[:2]] == ["Mulder", "Zwart"]
    assert [i["label"] for i in api[2:]] == codes
    assert {str(o.uuid) for o in own} == {i["uuid"] for i in api[:2]}


@pytest.mark.django_db
def test_a_search_or_filter_on_hidden_fields_reveals_no_profile(client, make_member, shared):
    _km, people = shared
    # The first two by surname belong to a target group; the partner may not see target groups.
    for person in people[:2]:
        CandidateTargetGroup.objects.create(candidate=person, group="banenafspraak")
    Candidate.objects.filter(pk=people[0].pk).update(completeness=10)
    partner = make_member("intermediair")
    sign_in(client, partner.user)
    url, api = reverse("candidates:list"), reverse("api:candidate-list")
    assert _codes_in_page(client.get(url, {"q": "Aalts"})) == []
    assert _codes_in_page(client.get(url, {"target_group": "banenafspraak"})) == []
    assert client.get(api, {"targetGroup": "banenafspraak"}).json()["count"] == 0
    assert _codes_in_page(client.get(url, {"max_completeness": 50})) == []
    assert client.get(api, {"maxCompleteness": 50}).json()["count"] == 0
    assert _codes_in_page(client.get(url, {"availability": "reconfirm"})) == []
    # What the partner does see can be searched: the code itself, and the status.
    code = people[3].partner_label
    assert _codes_in_page(client.get(url, {"q": code.lower()})) == [code]
    assert len(_codes_in_page(client.get(url, {"status": "werkfit"}))) == len(people)


@pytest.mark.django_db
def test_a_partner_sees_no_completeness_in_the_list(client, make_member, shared):
    _km, people = shared
    Candidate.objects.filter(pk__in=[p.pk for p in people]).update(completeness=37)
    partner = make_member("intermediair")
    sign_in(client, partner.user)
    assert "37%" not in client.get(reverse("candidates:list")).content.decode()


def _employer(world):
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    account = EmployerAccount.objects.create(organisation=organisation, kvk_number="12345678")
    user = MembershipFactory(organisation=organisation, role="werkgever")
    return account, user


@pytest.mark.django_db
def test_the_employer_search_orders_on_the_profile_it_shows(client, world, shared):
    """Completeness counts the date of birth, contact details and benefit, none of which an
    employer sees: ordering by it told the employer who is on benefit."""
    _km, people = shared
    for i, person in enumerate(people):
        Candidate.objects.filter(pk=person.pk).update(completeness=10 * i, benefit="")
    account, user = _employer(world)
    sign_in(client, user.user)
    url = reverse("api:employer-candidates")
    profiles = client.get(url).json()["profiles"]
    codes = [p["pseudonym"] for p in profiles]
    assert sorted(codes) == sorted(employer_side.code_for(account, p) for p in people)
    _shuffle_hidden(people, seed=9)
    assert [p["pseudonym"] for p in client.get(url).json()["profiles"]] == codes
    # The visible availability date leads: someone available now comes before a later date.
    later = people[0]
    Candidate.objects.filter(pk=later.pk).update(
        available_from=timezone.localdate() + timezone.timedelta(days=30)
    )
    profiles = client.get(url).json()["profiles"]
    assert profiles[-1]["pseudonym"] == employer_side.code_for(account, later)
    assert [p["pseudonym"] for p in profiles[:-1]] == [
        c for c in codes if c != employer_side.code_for(account, later)
    ]


@pytest.mark.django_db
def test_a_shortlist_is_ordered_by_the_score_the_viewer_sees(client, world, make_member, shared):
    """The priority bonus is left out of a partner's score; ordering by the full score would
    put it back (a person shown 0.40 above one shown 0.45 got a target-group bonus)."""
    km, people = shared
    bonus, plain = people[0], people[1]
    account, _user = _employer(world)
    place = Vacancy.objects.create(
        employer=account,
        title="Orderpicker",
        place_type="job",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=world.amsterdam.postcodes.first(),
        places=2,
        status="open",
    )
    ShortlistEntry.objects.create(
        vacancy=place,
        candidate=bonus,
        added_for=km.organisation,
        engine_score=0.50,
        engine_priority=0.10,
    )
    ShortlistEntry.objects.create(
        vacancy=place, candidate=plain, added_for=km.organisation, engine_score=0.45
    )
    partner = make_member("intermediair")
    sign_in(client, partner.user)
    url = reverse("api:vacancy-shortlist", args=[place.uuid])
    entries = client.get(url).json()["entries"]
    assert [e["name"] for e in entries] == [plain.partner_label, bonus.partner_label]
    # The serving organisation sees the full score and its order.
    sign_in(client, km.user)
    entries = client.get(url).json()["entries"]
    assert [e["candidate"] for e in entries] == [str(bonus.uuid), str(plain.uuid)]
