"""Job seekers: one person once (BSN), who sees whom, consent with double opt-in, journey
status, health information, and the access log of every person shown."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.audit.constants import ProcessingActivity, SubjectType
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates.models import Candidate
from perspectief.candidates.services.consent import consent_approve, consent_grant, consent_revoke
from perspectief.candidates.services.journey import candidate_change_status
from perspectief.candidates.services.people import (
    CandidateInput,
    candidate_register,
    candidate_update,
)
from perspectief.core import bsn as bsn_lib
from perspectief.core.exceptions import NotFoundError

from ..conftest import sign_in
from ..factories import CandidateFactory, MembershipFactory, OrganisationFactory

VALID_BSN = "111222333"  # passes the elfproef
OTHER_BSN = "123456782"


def _records(candidate, activity=None):
    qs = AccessRecord.objects.for_subject(SubjectType.CANDIDATE, candidate.uuid)
    return qs.filter(activity=activity) if activity else qs


@pytest.mark.parametrize(
    ("raw", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("123.456.782", True),
        ("12345678", False),  # 8 digits → 012345678, fails
        ("123456789", False),
        ("000000000", False),
        ("abcdefghi", False),
        ("", False),
    ],
)
def test_elfproef(raw, valid):
    assert bsn_lib.is_valid(raw) is valid


def test_bsn_is_encrypted_with_rotation_and_indexed_with_a_key(settings):
    token = bsn_lib.encrypt(VALID_BSN)
    assert VALID_BSN not in token
    assert bsn_lib.decrypt(token) == VALID_BSN
    old_key = settings.BSN_ENCRYPTION_KEYS[0]
    settings.BSN_ENCRYPTION_KEYS = [bsn_lib.derive_fernet_key("new"), old_key]
    rotated = bsn_lib.rotate(token)
    settings.BSN_ENCRYPTION_KEYS = [bsn_lib.derive_fernet_key("new")]
    assert bsn_lib.decrypt(rotated) == VALID_BSN
    index = bsn_lib.blind_index(VALID_BSN)
    settings.BSN_INDEX_KEY = "another-key"
    assert bsn_lib.blind_index(VALID_BSN) != index


@pytest.mark.django_db
def test_register_stores_no_plain_bsn_and_audits(actor_as, world):
    actor = actor_as("klantmanager")
    candidate, created = candidate_register(
        actor=actor,
        data=CandidateInput(
            first_name="Anna",
            last_name="Jansen",
            bsn=VALID_BSN,
            postcode=world.amsterdam.postcodes.first(),
        ),
    )
    assert created
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM candidates_candidate")
        dump = repr(cursor.fetchall())
    assert VALID_BSN not in dump
    event = AuditEvent.objects.get(event="candidate.registered")
    assert VALID_BSN not in repr(event.changes)
    assert candidate.servings.get().legal_basis == "participatiewet"
    assert _records(candidate, ProcessingActivity.CANDIDATE_REGISTER).count() == 1


@pytest.mark.django_db
def test_invalid_bsn_is_refused_and_nothing_is_stored(actor_as, world):
    actor = actor_as("klantmanager")
    with pytest.raises(ValidationError) as info:
        candidate_register(
            actor=actor, data=CandidateInput(first_name="A", last_name="B", bsn="123456789")
        )
    assert "bsn" in info.value.message_dict
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_same_bsn_at_gemeente_and_uwv_is_one_person_with_two_serving_organisations(actor_as, world):
    gemeente = actor_as("klantmanager")
    uwv_org = OrganisationFactory(kind="uwv", municipality=world.amsterdam)
    uwv = actor_for(MembershipFactory(organisation=uwv_org, role="klantmanager"))
    first, created_first = candidate_register(
        actor=gemeente, data=CandidateInput(first_name="Anna", last_name="Jansen", bsn=VALID_BSN)
    )
    second, created_second = candidate_register(
        actor=uwv,
        data=CandidateInput(first_name="Anna", last_name="Jansen", bsn="111 222 333", benefit="ww"),
    )
    assert created_first and not created_second
    assert first.pk == second.pk
    assert Candidate.objects.count() == 1
    assert {s.legal_basis for s in first.servings.all()} == {"participatiewet", "suwi"}
    assert Candidate.objects.visible_to(uwv).filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert second.benefit == "ww"


@pytest.mark.django_db
def test_another_gemeentes_klantmanager_sees_nothing(actor_as, make_member, client, world):
    ours = actor_as("klantmanager", "AM18")
    candidate, _ = candidate_register(
        actor=ours, data=CandidateInput(first_name="Anna", last_name="Jansen", bsn=VALID_BSN)
    )
    other = make_member("klantmanager", "AM22")
    sign_in(client, other.user)
    assert client.get(reverse("candidates:list")).context["page"].paginator.count == 0
    foreign = client.get(reverse("candidates:detail", args=[candidate.uuid]))
    absent = client.get(reverse("candidates:detail", args=[uuid.uuid4()]))
    assert foreign.status_code == absent.status_code == 404
    # Registering the same BSN elsewhere is allowed (their own legal task), but reveals
    # nothing of the first organisation's data in the answer of the list.
    assert not Candidate.objects.visible_to(actor_for(other)).exists()


@pytest.mark.django_db
def test_consent_needs_both_person_and_klantmanager_and_revocation_works_at_once(
    actor_as, make_member, client, world
):
    km = actor_as("klantmanager")
    candidate = CandidateFactory(
        served_by=km.organisation, first_name="Zeldzamevoornaam", last_name="Zeldzameachternaam"
    )
    partner = make_member("intermediair")
    sign_in(client, partner.user)
    detail = reverse("candidates:detail", args=[candidate.uuid])
    assert client.get(detail).status_code == 404
    consent = consent_grant(
        actor=km, candidate=candidate, method="in_person", statement_version="1"
    )
    assert client.get(detail).status_code == 404  # not yet: the klantmanager must agree
    consent_approve(actor=km, consent=consent)
    page = client.get(detail)
    assert page.status_code == 200
    assert page.context["level"] == "partner"
    body = page.content.decode()
    assert candidate.last_name not in body
    assert candidate.first_name not in body  # partners see a code, not a name
    assert candidate.partner_label in body
    consent_revoke(actor=km, consent=consent)
    assert client.get(detail).status_code == 404  # the very next request
    assert candidate.servings.filter(is_active=True).exists()  # refusing costs nothing
    events = list(
        AuditEvent.objects.filter(target_id=str(candidate.uuid)).values_list("event", flat=True)
    )
    assert {"consent.granted", "consent.approved", "consent.revoked"} <= set(events)


@pytest.mark.django_db
def test_list_writes_one_access_record_per_person_shown(client, make_member, world):
    km = make_member("klantmanager")
    people = [CandidateFactory(served_by=km.organisation) for _ in range(3)]
    CandidateFactory()  # not served: not shown, not logged
    sign_in(client, km.user)
    response = client.get(reverse("candidates:list"))
    assert response.context["page"].paginator.count == 3
    for person in people:
        assert _records(person, ProcessingActivity.CANDIDATE_SERVICE).count() == 1
    assert AccessRecord.objects.filter(data_subject_type="candidate").count() == 3


@pytest.mark.django_db
def test_status_follows_the_journey(actor_as, world):
    km = actor_as("klantmanager")
    candidate = CandidateFactory(served_by=km.organisation)
    candidate_change_status(actor=km, candidate=candidate, status="in_beeld")
    with pytest.raises(ValidationError):
        candidate_change_status(actor=km, candidate=candidate, status="geplaatst")
    candidate.refresh_from_db()
    assert candidate.status == "in_beeld"
    assert AuditEvent.objects.filter(event="candidate.status_changed").count() == 1


@pytest.mark.django_db
def test_only_the_serving_organisation_changes_a_profile(actor_as, world):
    km = actor_as("klantmanager")
    other = actor_as("klantmanager", "AM22")
    candidate = CandidateFactory(served_by=km.organisation)
    with pytest.raises(NotFoundError):
        candidate_update(
            actor=other, candidate=candidate, data=CandidateInput(first_name="X", last_name="Y")
        )


@pytest.mark.django_db
def test_health_information_has_its_own_permission_and_activity(client, make_member, world):
    km = make_member("klantmanager")
    candidate = CandidateFactory(served_by=km.organisation, regional_consent=True)
    sign_in(client, km.user)
    url = reverse("candidates:health", args=[candidate.uuid])
    client.post(url, {"functional_limitations": "Kan niet lang staan", "adjustments": "Stoel"})
    assert _records(candidate, ProcessingActivity.CANDIDATE_HEALTH).count() == 1
    event = AuditEvent.objects.get(event="candidate.health_updated")
    assert "staan" not in repr(event.changes)  # the audit names fields, not content
    partner = make_member("intermediair")
    client.logout()
    sign_in(client, partner.user)
    assert client.get(url).status_code == 403
    page = client.get(reverse("candidates:detail", args=[candidate.uuid])).content.decode()
    assert "staan" not in page


@pytest.mark.django_db
def test_register_form_shows_precise_errors_and_stores_nothing(client, make_member, world):
    km = make_member("klantmanager")
    sign_in(client, km.user)
    response = client.post(
        reverse("candidates:create"),
        {
            "first_name": "Anna",
            "last_name": "Jansen",
            "bsn": "123456789",
            "postcode": "9999 ZZ",
            "date_of_birth": "31-02-1990",
            "hours_per_week": "70",
            "occupations": "astronaut op de maan",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"postcode", "date_of_birth", "hours_per_week", "occupations"} <= set(errors)
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_register_form_creates_a_complete_profile(client, make_member, world):
    km = make_member("klantmanager")
    sign_in(client, km.user)
    response = client.post(
        reverse("candidates:create"),
        {
            "first_name": "Anna",
            "last_name": "Jansen",
            "bsn": VALID_BSN,
            "postcode": "1011 AB",
            "date_of_birth": "15-03-1990",
            "hours_per_week": "24",
            "occupations": "orderpicker",
            "skills": world.skill.uri,
            "driving_licence": "ja",
            "target_groups": ["statushouder"],
            "barriers": ["taal", "vervoer"],
        },
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.postcode.code == "1011"
    assert list(candidate.occupations.all()) == [world.occupation]
    assert candidate.skills.get().skill == world.skill
    assert candidate.barrier_list == ["taal", "vervoer"]
    assert 0 < candidate.completeness < 100
    page = client.get(response["Location"])
    assert VALID_BSN not in page.content.decode()
    assert page.context["missing"]


@pytest.mark.django_db
def test_api_registers_and_finds_the_same_person_by_bsn(client, make_member, world):
    from perspectief.accounts.actor import actor_for as _actor_for
    from perspectief.accounts.services.users import token_create

    km = make_member("klantmanager")
    _token, raw = token_create(actor=_actor_for(km), membership=km, name="gemeente-systeem")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = {
        "bsn": VALID_BSN,
        "firstName": "Anna",
        "lastName": "Jansen",
        "postcode": "1011AB",
        "hoursPerWeek": 20,
        "occupations": ["orderpicker"],
        "targetGroups": ["50plus"],
    }
    first = client.post(
        reverse("api:candidate-list"), body, content_type="application/json", **auth
    )
    assert first.status_code == 201, first.content
    again = client.post(
        reverse("api:candidate-list"), body, content_type="application/json", **auth
    )
    assert again.status_code == 200
    assert first.json()["uuid"] == again.json()["uuid"]
    assert VALID_BSN not in first.content.decode()
    assert first.json()["hasBsn"] is True
    assert first.json()["occupations"] == [world.occupation.uri]
    listing = client.get(reverse("api:candidate-list"), **auth).json()
    assert listing["count"] == 1


@pytest.mark.django_db
def test_api_rejects_bad_input_with_named_parameters(client, make_member, world):
    km = make_member("klantmanager")
    sign_in(client, km.user)
    response = client.post(
        reverse("api:candidate-list"),
        {
            "firstName": "A",
            "lastName": "B",
            "bsn": "123456789",
            "postcode": "0000",
            "hoursPerWeek": 61,
            "dateOfBirth": "1990-13-01",
            "occupations": ["maanwandelaar"],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert {"postcode", "hoursPerWeek", "dateOfBirth", "occupations"} <= names
    assert not Candidate.objects.exists()
    response = client.post(
        reverse("api:candidate-list"),
        {"firstName": "A", "lastName": "B", "bsn": "123456789"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "bsn"


@pytest.mark.django_db
def test_api_partner_view_is_an_allowlist(client, make_member, world):
    from perspectief.candidates.api.people import PARTNER_FIELDS

    km = make_member("klantmanager")
    candidate = CandidateFactory(
        served_by=km.organisation,
        regional_consent=True,
        bsn=VALID_BSN,
        email="anna@example.invalid",
    )
    partner = make_member("intermediair")
    sign_in(client, partner.user)
    data = client.get(reverse("api:candidate-detail", args=[candidate.uuid])).json()
    assert data["view"] == "partner"
    assert set(data) <= set(PARTNER_FIELDS)
    for forbidden in ("lastName", "email", "phone", "postcode", "dateOfBirth", "hasBsn"):
        assert forbidden not in data
    assert _records(candidate, ProcessingActivity.CANDIDATE_PARTNER_VIEW).count() == 1


@pytest.mark.django_db
def test_api_status_command(client, make_member, world):
    km = make_member("klantmanager")
    candidate = CandidateFactory(served_by=km.organisation)
    sign_in(client, km.user)
    url = reverse("api:candidate-status", args=[candidate.uuid])
    ok = client.post(url, {"status": "in_beeld"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "in_beeld"
    bad = client.post(url, {"status": "geplaatst"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "status"


@pytest.mark.django_db
def test_filters_on_the_page_and_in_the_api(client, make_member, world):
    km = make_member("klantmanager")
    picker = CandidateFactory(served_by=km.organisation)
    picker.occupations.add(world.occupation)
    CandidateFactory(served_by=km.organisation)
    sign_in(client, km.user)
    page = client.get(reverse("candidates:list"), {"occupation": "orderpicker"})
    assert page.context["page"].paginator.count == 1
    page = client.get(reverse("candidates:list"), {"organisation": km.organisation.pk})
    assert page.context["page"].paginator.count == 2
    api = client.get(reverse("api:candidate-list"), {"occupation": world.occupation.uri})
    assert api.json()["count"] == 1
    assert client.get(reverse("api:candidate-list"), {"region": "AM22"}).json()["count"] == 0
    bad = client.get(reverse("api:candidate-list"), {"maxCompleteness": "200"})
    assert bad.status_code == 400
    assert bad.json()["invalidParams"][0]["name"] == "maxCompleteness"
