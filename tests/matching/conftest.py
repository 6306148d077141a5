"""A region where proposals flow between partners (issue #16): a gemeente that serves the
person (their own klantmanager and a colleague), the WSP at UWV that proposes, another
gemeente that sees the person only through consent, an employer with two users, another
employer, and the person with an account of their own."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import Vacancy
from tests.factories import (
    CandidateFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
)


def staff(organisation, role):
    membership = MembershipFactory(organisation=organisation, role=role)
    TOTPDeviceFactory(user=membership.user)
    return membership


def employer_with_place(world, kvk, title="Orderpicker"):
    organisation = OrganisationFactory(kind="employer", municipality=world.amsterdam)
    account = EmployerAccount.objects.create(organisation=organisation, kvk_number=kvk)
    place = Vacancy.objects.create(
        employer=account,
        title=title,
        place_type="job",
        hours_per_week=32,
        contract="tijdelijk",
        postcode=world.amsterdam.postcodes.first(),
        places=2,
        status="open",
    )
    return account, place


@pytest.fixture
def region(world, make_member):
    km = make_member("klantmanager")
    colleague = staff(km.organisation, "klantmanager")
    wsp = OrganisationFactory(kind="uwv", municipality=world.amsterdam)
    am = staff(wsp, "accountmanager")
    am_colleague = staff(wsp, "accountmanager")
    amstelveen = MunicipalityFactory(code="GM0362", name="Amstelveen", region=world.am18)
    other_km = staff(
        OrganisationFactory(kind="gemeente", municipality=amstelveen, region=world.am18),
        "klantmanager",
    )
    far_am = make_member("accountmanager", "AM22")
    employer, place = employer_with_place(world, "24242424")
    bosses = [
        MembershipFactory(organisation=employer.organisation, role="werkgever") for _ in range(2)
    ]
    ended = MembershipFactory(organisation=employer.organisation, role="werkgever")
    ended.is_active = False
    ended.save(update_fields=["is_active"])
    other_employer, other_place = employer_with_place(world, "35353535", "Magazijn")
    other_boss = MembershipFactory(organisation=other_employer.organisation, role="werkgever")
    person = CandidateFactory(
        served_by=km.organisation,
        regional_consent=True,
        status="werkfit",
        availability_confirmed_at=timezone.now(),
        first_name="Sanne",
        last_name="Zeldzaamnaam",
        klantmanager=km.user,
    )
    seeker = MembershipFactory(organisation=km.organisation, role="werkzoekende")
    person.user = seeker.user
    person.save(update_fields=["user"])
    other_person = CandidateFactory(
        served_by=km.organisation,
        regional_consent=True,
        status="werkfit",
        availability_confirmed_at=timezone.now(),
    )
    other_seeker = MembershipFactory(organisation=km.organisation, role="werkzoekende")
    other_person.user = other_seeker.user
    other_person.save(update_fields=["user"])
    return SimpleNamespace(
        km=km,
        colleague=colleague,
        am=am,
        am_colleague=am_colleague,
        other_km=other_km,
        far_am=far_am,
        employer=employer,
        place=place,
        bosses=bosses,
        ended_boss=ended,
        other_employer=other_employer,
        other_place=other_place,
        other_boss=other_boss,
        person=person,
        seeker=seeker,
        other_person=other_person,
        other_seeker=other_seeker,
    )
