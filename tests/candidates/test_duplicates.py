"""One person once without a BSN: likely duplicates are flagged, merged on a person's
decision (audited) and the merge can be undone."""

import datetime

import pytest
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.candidates.models import Candidate, DuplicatePair
from perspectief.candidates.selectors.duplicates import pairs_for
from perspectief.candidates.services import duplicates
from perspectief.candidates.services.people import CandidateInput, candidate_register

from ..conftest import sign_in

BORN = datetime.date(1990, 3, 15)


@pytest.fixture
def two_records(make_member, world):
    """The gemeente registered Anna without a BSN, and later again with her BSN (the form
    cannot know it is the same person): two records the gemeente serves."""
    gemeente = make_member("klantmanager")
    actor = actor_for(gemeente)
    postcode = world.amsterdam.postcodes.first()
    a, _ = candidate_register(
        actor=actor,
        data=CandidateInput(
            first_name="Anna",
            last_name="Jansen",
            date_of_birth=BORN,
            postcode=postcode,
            hours_per_week=20,
        ),
    )
    b, _ = candidate_register(
        actor=actor,
        data=CandidateInput(
            first_name="anna",
            last_name="JANSEN",
            date_of_birth=BORN,
            postcode=postcode,
            bsn="111222333",
            benefit="ww",
        ),
    )
    return gemeente, a, b


@pytest.mark.django_db
def test_same_name_birth_and_postcode_are_flagged_once(two_records):
    _gemeente, a, b = two_records
    pair = DuplicatePair.objects.get()
    assert {pair.first_id, pair.second_id} == {a.pk, b.pk}
    assert duplicates.flag([a, b]) == 0  # not twice


@pytest.mark.django_db
def test_a_person_with_a_bsn_is_compared_with_those_stored_without_one(two_records):
    """The check after an import of people with a BSN reads only the namesakes stored
    without one (two BSNs are never a pair), and still finds them."""
    _gemeente, a, b = two_records
    DuplicatePair.objects.all().delete()
    assert duplicates.flag([b]) == 1  # b has a BSN, a has none
    pair = DuplicatePair.objects.get()
    assert {pair.first_id, pair.second_id} == {a.pk, b.pk}


@pytest.mark.django_db
def test_two_different_bsns_are_never_flagged(make_member, world):
    km = actor_for(make_member("klantmanager"))
    postcode = world.amsterdam.postcodes.first()
    for bsn in ("111222333", "123456782"):
        candidate_register(
            actor=km,
            data=CandidateInput(
                first_name="Jan", last_name="Smit", bsn=bsn, date_of_birth=BORN, postcode=postcode
            ),
        )
    assert not DuplicatePair.objects.exists()


@pytest.mark.django_db
def test_merge_keeps_the_record_with_bsn_moves_everything_and_can_be_undone(two_records, client):
    gemeente, a, b = two_records
    actor = actor_for(gemeente)
    pair = DuplicatePair.objects.get()
    record = duplicates.merge(actor=actor, pair=pair)
    assert record.survivor == b and record.merged == a
    b.refresh_from_db()
    a.refresh_from_db()
    assert a.merged_into == b
    assert [s.organisation_id for s in b.servings.all()] == [gemeente.organisation_id]
    assert b.hours_per_week == 20  # filled from the merged record
    assert b.benefit == "ww"
    visible = Candidate.objects.visible_to(actor)
    assert list(visible) == [b]
    assert AuditEvent.objects.filter(event="candidate.merged").exists()
    # The merged record's URL answers 404 now, like any unknown person.
    sign_in(client, gemeente.user)
    assert client.get(reverse("candidates:detail", args=[a.uuid])).status_code == 404

    duplicates.unmerge(actor=actor, merge_record=record)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.merged_into is None
    assert [s.organisation_id for s in a.servings.all()] == [gemeente.organisation_id]
    assert [s.organisation_id for s in b.servings.all()] == [gemeente.organisation_id]
    assert b.hours_per_week is None and a.hours_per_week == 20
    assert b.has_bsn and not a.has_bsn
    assert DuplicatePair.objects.get().status == "open"
    assert AuditEvent.objects.filter(event="candidate.unmerged").count() == 2


@pytest.mark.django_db
def test_keep_apart_closes_the_pair(two_records):
    gemeente, _a, _b = two_records
    pair = DuplicatePair.objects.get()
    duplicates.keep_apart(actor=actor_for(gemeente), pair=pair)
    pair.refresh_from_db()
    assert pair.status == "kept_apart"
    assert not pairs_for(actor_for(gemeente)).exists()


@pytest.mark.django_db
def test_other_organisations_do_not_see_the_pair(two_records, make_member, client):
    other = make_member("klantmanager", "AM22")
    assert not pairs_for(actor_for(other)).exists()
    sign_in(client, other.user)
    pair = DuplicatePair.objects.get()
    response = client.post(reverse("candidates:duplicate-merge", args=[pair.uuid]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_pages_merge_and_undo(two_records, client):
    gemeente, _a, b = two_records
    sign_in(client, gemeente.user)
    page = client.get(reverse("candidates:duplicates"))
    assert len(page.context["pairs"]) == 1
    pair = DuplicatePair.objects.get()
    response = client.post(reverse("candidates:duplicate-merge", args=[pair.uuid]))
    assert response["Location"] == reverse("candidates:detail", args=[b.uuid])
    detail = client.get(response["Location"])
    merge = detail.context["merges"][0]
    client.post(reverse("candidates:merge-undo", args=[merge.uuid]))
    assert Candidate.objects.filter(merged_into__isnull=True).count() == 2


@pytest.mark.django_db
def test_records_of_different_organisations_are_never_paired(make_member, world):
    """Pairing across organisations would tell anyone whether a name exists elsewhere."""
    postcode = world.amsterdam.postcodes.first()
    for member in (make_member("klantmanager", "AM18"), make_member("klantmanager", "AM22")):
        candidate_register(
            actor=actor_for(member),
            data=CandidateInput(
                first_name="Fatima", last_name="Ouali", date_of_birth=BORN, postcode=postcode
            ),
        )
    assert not DuplicatePair.objects.exists()


@pytest.mark.django_db
def test_merge_moves_the_own_account_and_health_and_undo_moves_them_back(two_records):
    from perspectief.candidates.models import HealthInformation

    from ..factories import UserFactory

    gemeente, a, b = two_records
    a.user = UserFactory()
    a.save()
    HealthInformation.objects.create(candidate=a, functional_limitations="niet tillen")
    record = duplicates.merge(actor=actor_for(gemeente), pair=DuplicatePair.objects.get())
    b.refresh_from_db()
    assert b.user == a.user and b.health.functional_limitations == "niet tillen"
    duplicates.unmerge(actor=actor_for(gemeente), merge_record=record)
    a.refresh_from_db()
    assert a.user is not None and a.health.functional_limitations == "niet tillen"
