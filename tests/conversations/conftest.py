from types import SimpleNamespace

import pytest
from django.utils import translation

from perspectief.core.authz import Role

from ..factories import CandidateFactory, MembershipFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _english(client):
    """The tests read the English texts (pages, API, services), whatever the catalogue says."""
    client.cookies.load({"django_language": "en"})
    with translation.override("en"):
        yield


@pytest.fixture
def people(world, make_member):
    """A gemeente in AM18 serving a person (with a regional consent) whose klantmanager is
    ``km``; a colleague klantmanager and a jobcoach of the same gemeente; an intermediary
    and a school of AM18 (they see the person through the consent); a klantmanager of
    AM22 (sees nothing); an employer; the person's own account; and a second person of the
    same gemeente with an account of their own."""
    km = make_member(Role.KLANTMANAGER)
    gemeente = km.organisation
    person = CandidateFactory(served_by=gemeente, regional_consent=True, klantmanager=km.user)
    seeker = MembershipFactory(organisation=gemeente, role=Role.CANDIDATE)
    person.user = seeker.user
    person.save(update_fields=["user"])
    other = CandidateFactory(served_by=gemeente, klantmanager=km.user)
    other_seeker = MembershipFactory(organisation=gemeente, role=Role.CANDIDATE)
    other.user = other_seeker.user
    other.save(update_fields=["user"])
    intermediary = make_member(Role.INTERMEDIARY)
    intermediary_colleague = MembershipFactory(
        organisation=intermediary.organisation, role=Role.INTERMEDIARY
    )
    return SimpleNamespace(
        km=km,
        gemeente=gemeente,
        colleague=make_member(Role.KLANTMANAGER),
        jobcoach=make_member(Role.JOBCOACH),
        intermediary=intermediary,
        intermediary_colleague=intermediary_colleague,
        school=make_member(Role.TRAINING_ADVISOR),
        outsider=make_member(Role.KLANTMANAGER, "AM22"),
        employer=make_member(Role.EMPLOYER),
        person=person,
        seeker=seeker,
        other=other,
        other_seeker=other_seeker,
    )


@pytest.fixture
def uwv(world):
    return OrganisationFactory(kind="uwv", municipality=world.amsterdam)
