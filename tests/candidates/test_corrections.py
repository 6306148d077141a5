"""Corrections of the profile proposed by the person (Mijn gegevens), decided by a
klantmanager of an organisation that serves them: audited, access-logged, mailed to the
klantmanager, in the klantmanager's inbox until decided, the outcome on the person's page."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.candidates import inbox
from perspectief.candidates.forms.corrections import CorrectionForm
from perspectief.candidates.models import ProfileCorrection
from perspectief.candidates.services import corrections as services
from perspectief.candidates.services.erasure import candidate_erase
from perspectief.candidates.services.journey import candidate_change_status
from perspectief.core.exceptions import NotFoundError
from perspectief.notifications.inbox import inbox_for
from perspectief.taxonomy.models import EducationLevel

from ..conftest import sign_in
from ..factories import (
    CandidateFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
)


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English texts (the product speaks Dutch by default)."""
    client.cookies.load({"django_language": "en"})
    with translation.override("en"):
        yield


@pytest.fixture
def person(make_member, world):
    km = make_member("klantmanager")
    seeker = make_member("werkzoekende")
    candidate = CandidateFactory(
        served_by=km.organisation,
        user=seeker.user,
        klantmanager=km.user,
        phone="0201234567",
        email="oud@example.invalid",
        regional_consent=True,
    )
    return SimpleNamespace(km=km, seeker=seeker, candidate=candidate)


def _propose(client, person, field, data):
    sign_in(client, person.seeker.user)
    return client.post(reverse("candidates:self-correction", args=[field]), data)


def _decide(client, membership, correction, **data):
    sign_in(client, membership.user)
    return client.post(reverse("candidates:correction-decide", args=[correction.uuid]), data)


def _other_gemeente_klantmanager(world):
    """A klantmanager of another gemeente in the same region: sees the person's shared
    profile (regional consent), does not serve them."""
    municipality = MunicipalityFactory(code="GM0437", name="Ouder-Amstel", region=world.am18)
    organisation = OrganisationFactory(kind="gemeente", municipality=municipality)
    membership = MembershipFactory(organisation=organisation, role="klantmanager")
    TOTPDeviceFactory(user=membership.user)
    return membership


@pytest.mark.django_db
def test_the_person_proposes_and_the_klantmanager_accepts(
    person, client, django_capture_on_commit_callbacks
):
    sign_in(client, person.seeker.user)
    page = client.get(reverse("candidates:self"))
    assert reverse("candidates:self-correction", args=["hours_per_week"]) in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _propose(
            client, person, "hours_per_week", {"value": "20", "reason": "Ik werk nu ook 's avonds"}
        )
    assert response.status_code == 302
    correction = ProfileCorrection.objects.get()
    assert (correction.field, correction.proposed_value, correction.current_value) == (
        "hours_per_week",
        "20",
        "32",
    )
    assert correction.status == "proposed" and correction.proposed_by == person.seeker.user
    # The person sees it waiting; the klantmanager gets one e-mail that links to the page.
    assert "20" in client.get(reverse("candidates:self")).content.decode()
    assert [m.to for m in mail.outbox] == [[person.km.user.email]]
    person_url = reverse("candidates:detail", args=[person.candidate.uuid])
    assert person_url in mail.outbox[0].body
    assert AuditEvent.objects.filter(event="candidate.correction_proposed").count() == 1
    assert AccessRecord.objects.filter(
        activity="candidate.self", operation="change", actor_user_id=person.seeker.user.pk
    ).exists()

    sign_in(client, person.km.user)
    page = client.get(person_url).content.decode()
    assert (
        "Ik werk nu ook" in page
        and reverse("candidates:correction-decide", args=[correction.uuid]) in page
    )
    response = _decide(client, person.km, correction, action="accept")
    assert response.status_code == 302
    person.candidate.refresh_from_db()
    correction.refresh_from_db()
    assert person.candidate.hours_per_week == 20
    assert correction.status == "accepted" and correction.decided_by == person.km.user
    assert correction.decided_for == person.km.organisation
    updated = AuditEvent.objects.get(event="candidate.updated")
    assert updated.changes["hours_per_week"] == [32, 20]
    assert AuditEvent.objects.filter(event="candidate.correction_accepted").count() == 1
    assert AccessRecord.objects.filter(
        activity="candidate.service", operation="change", actor_user_id=person.km.user.pk
    ).exists()
    # Decided once: a second decision is refused and changes nothing.
    with pytest.raises(ValidationError):
        services.correction_accept(actor=actor_for(person.km), correction=correction)


@pytest.mark.django_db
def test_a_decline_needs_a_reason_and_the_person_reads_it(person, client):
    correction = services.correction_propose(
        actor=actor_for(person.seeker),
        candidate=person.candidate,
        field="phone",
        value="0612345678",
    )
    _decide(client, person.km, correction, action="decline", reason="   ")
    correction.refresh_from_db()
    assert correction.status == "proposed"
    _decide(client, person.km, correction, action="decline", reason="Dit nummer werkt niet.")
    correction.refresh_from_db()
    person.candidate.refresh_from_db()
    assert correction.status == "declined" and correction.decline_reason == "Dit nummer werkt niet."
    assert person.candidate.phone == "0201234567"
    assert AuditEvent.objects.filter(event="candidate.correction_declined").count() == 1
    sign_in(client, person.seeker.user)
    page = client.get(reverse("candidates:self")).content.decode()
    assert "Dit nummer werkt niet." in page


@pytest.mark.django_db
def test_only_a_klantmanager_of_a_serving_organisation_decides(person, client, make_member, world):
    correction = services.correction_propose(
        actor=actor_for(person.seeker), candidate=person.candidate, field="phone", value="06"
    )
    partner = _other_gemeente_klantmanager(world)
    elsewhere = make_member("klantmanager", "AM22")
    for outsider in (partner, elsewhere):
        response = _decide(client, outsider, correction, action="accept")
        assert response.status_code == 404
        with pytest.raises(NotFoundError):
            services.correction_accept(actor=actor_for(outsider), correction=correction)
        # The partner sees the shared profile, never the corrections.
        if outsider is partner:
            page = client.get(reverse("candidates:detail", args=[person.candidate.uuid]))
            assert page.status_code == 200
            assert "0201234567" not in page.content.decode()
            assert 'id="corrections"' not in page.content.decode()
    jobcoach = make_member("jobcoach")
    assert _decide(client, jobcoach, correction, action="accept").status_code == 403
    correction.refresh_from_db()
    person.candidate.refresh_from_db()
    assert correction.status == "proposed" and person.candidate.phone == "0201234567"


@pytest.mark.django_db
def test_the_person_corrects_only_their_own_record_and_only_allowed_fields(
    person, client, make_member
):
    sign_in(client, person.seeker.user)
    for field in ("status", "bsn", "first_name", "date_of_birth", "work_readiness"):
        response = client.get(reverse("candidates:self-correction", args=[field]))
        assert response.status_code == 404, field
    # Someone else's account without a record has nothing to correct.
    stranger = make_member("werkzoekende")
    sign_in(client, stranger.user)
    response = client.post(
        reverse("candidates:self-correction", args=["hours_per_week"]), {"value": "10"}
    )
    assert response.status_code == 404
    with pytest.raises(NotFoundError):
        services.correction_propose(
            actor=actor_for(stranger), candidate=person.candidate, field="phone", value="06"
        )
    # Staff do not propose corrections: they edit the profile.
    with pytest.raises(NotFoundError):
        services.correction_propose(
            actor=actor_for(person.km), candidate=person.candidate, field="phone", value="06"
        )
    assert not ProfileCorrection.objects.exists()


@pytest.mark.django_db
def test_the_same_value_is_refused_and_a_new_proposal_replaces_the_open_one(person, client):
    response = _propose(client, person, "hours_per_week", {"value": "32"})
    assert response.status_code == 200
    assert "already what is recorded" in response.content.decode() or (
        "al wat" in response.content.decode()
    )
    assert not ProfileCorrection.objects.exists()
    _propose(client, person, "hours_per_week", {"value": "20"})
    _propose(client, person, "hours_per_week", {"value": "24", "reason": "toch meer"})
    correction = ProfileCorrection.objects.get()
    assert correction.proposed_value == "24" and correction.reason == "toch meer"


@pytest.mark.django_db
def test_bad_input_gets_a_clear_message_and_stores_nothing(person, client):
    for field, value in [
        ("hours_per_week", "80"),
        ("postcode", "9999"),
        ("email", "geen-adres"),
        ("available_from", (date.today() + timedelta(days=365 * 3)).isoformat()),
        ("occupations", "astronaut op de maan"),
        ("transport", "raket"),
    ]:
        response = _propose(client, person, field, {"value": value})
        assert response.status_code == 200, field
        assert 'class="errorlist"' in response.content.decode(), field
    assert not ProfileCorrection.objects.exists()


def _stored(field, value):
    form = CorrectionForm({"value": value}, field=field)
    assert form.is_valid(), form.errors
    return form.cleaned_data["value"]


@pytest.mark.django_db
def test_every_correctable_field_is_applied_as_proposed(person, world):
    level = EducationLevel.objects.create(
        code="MBO2",
        name="mbo niveau 2",
        school_type="mbo",
        nlqf="2",
        eqf=2,
        cbs_level="middelbaar",
        startkwalificatie=True,
        rank=5,
    )
    start = date.today() + timedelta(days=30)
    proposals = {
        "email": ("nieuw@example.invalid", "email", "nieuw@example.invalid"),
        "phone": ("", "phone", ""),
        "postcode": ("3011 AB", "postcode", world.rotterdam.postcodes.get()),
        "hours_per_week": ("16", "hours_per_week", 16),
        "available_from": (start.isoformat(), "available_from", start),
        "max_travel_km": ("25", "max_travel_km", 25),
        "transport": ("fiets", "transport", "fiets"),
        "driving_licence": ("ja", "driving_licence", True),
        "education_level": ("MBO2", "education_level", level),
        "dutch_level": ("B1", "dutch_level", "B1"),
        "occupations": ("orderpicker", None, [world.occupation]),
    }
    seeker, km = actor_for(person.seeker), actor_for(person.km)
    for field, (typed, attribute, expected) in proposals.items():
        correction = services.correction_propose(
            actor=seeker, candidate=person.candidate, field=field, value=_stored(field, typed)
        )
        services.correction_accept(actor=km, correction=correction)
        person.candidate.refresh_from_db()
        if attribute is None:
            assert list(person.candidate.occupations.all()) == expected
        else:
            assert getattr(person.candidate, attribute) == expected, field
    # Moving house moves the person to the region of the new postcode.
    assert person.candidate.region == world.am22
    assert ProfileCorrection.objects.filter(status="accepted").count() == len(proposals)


@pytest.mark.django_db
def test_the_inbox_shows_open_corrections_to_who_may_decide_until_decided(
    person, client, make_member, world
):
    correction = services.correction_propose(
        actor=actor_for(person.seeker), candidate=person.candidate, field="phone", value="06"
    )
    colleague = make_member("klantmanager")  # same gemeente, not the person's own klantmanager
    for member in (person.km, colleague):
        items = inbox.corrections(actor_for(member))
        assert len(items) == 1
        assert items[0].url == (
            reverse("candidates:detail", args=[person.candidate.uuid]) + "#corrections"
        )
        assert person.candidate.full_name in items[0].title
        # The item links to a page that shows the correction to this member.
        sign_in(client, member.user)
        assert 'id="corrections"' in client.get(items[0].url).content.decode()
    for outsider in (
        _other_gemeente_klantmanager(world),
        make_member("klantmanager", "AM22"),
        make_member("jobcoach"),
        make_member("intermediair"),
        person.seeker,
    ):
        assert inbox.corrections(actor_for(outsider)) == []
        assert not [i for i in inbox_for(actor_for(outsider)) if i.kind == "correction"]
    services.correction_decline(actor=actor_for(colleague), correction=correction, reason="nee")
    assert inbox.corrections(actor_for(person.km)) == []


@pytest.mark.django_db
def test_the_mail_goes_to_the_persons_own_klantmanager_or_else_every_klantmanager(
    person, make_member, django_capture_on_commit_callbacks
):
    colleague = make_member("klantmanager")
    seeker = actor_for(person.seeker)
    with django_capture_on_commit_callbacks(execute=True):
        services.correction_propose(
            actor=seeker, candidate=person.candidate, field="phone", value="06"
        )
    assert [m.to for m in mail.outbox] == [[person.km.user.email]]
    mail.outbox.clear()
    person.candidate.klantmanager = None
    person.candidate.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.correction_propose(
            actor=seeker, candidate=person.candidate, field="email", value=""
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [person.km.user.email, colleague.user.email]
    )


@pytest.mark.django_db
def test_corrections_are_part_of_the_persons_data_and_go_with_erasure(person, client):
    services.correction_propose(
        actor=actor_for(person.seeker),
        candidate=person.candidate,
        field="email",
        value="nieuw@example.invalid",
        reason="verhuisd",
    )
    sign_in(client, person.seeker.user)
    data = client.get(reverse("candidates:self-export")).json()
    assert data["corrections"][0]["proposed"] == "nieuw@example.invalid"
    assert data["corrections"][0]["status"] == "proposed"
    document = client.get(reverse("candidates:self-document")).content.decode()
    assert "nieuw@example.invalid" in document
    km = actor_for(person.km)
    candidate_change_status(actor=km, candidate=person.candidate, status="uitgestroomd")
    candidate_erase(actor=km, candidate=person.candidate)
    assert not ProfileCorrection.objects.exists()
