"""Consent records how it was given, the version of the text the person was shown and who
recorded it; the texts are kept so what the person saw can be shown later (issue #14 item 9)."""

import dataclasses
import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.candidates import consent_statements
from perspectief.candidates.constants import ConsentScope
from perspectief.candidates.models import Consent
from perspectief.candidates.services.consent import consent_grant, consent_revoke

from ..conftest import sign_in
from ..factories import CandidateFactory, MembershipFactory

REGIONAL = ConsentScope.REGIONAL_PROFILE


@pytest.fixture
def served(make_member, world):
    km = make_member("klantmanager")
    return km, CandidateFactory(served_by=km.organisation)


@pytest.fixture
def own_account(served):
    km, candidate = served
    seeker = MembershipFactory(organisation=km.organisation, role="werkzoekende")
    candidate.user = seeker.user
    candidate.save(update_fields=["user"])
    return seeker


@pytest.fixture
def version_2(monkeypatch):
    """A new wording of the regional-profile statement, in force since yesterday."""
    v1 = consent_statements.get(REGIONAL, "1")
    v2 = dataclasses.replace(
        v1,
        version="2",
        in_force_from=timezone.now() - timedelta(days=1),
        nl="Nieuwe tekst: werkgevers in de regio zien je profiel zonder naam.",
        en="New text: employers in the region see your profile without your name.",
    )
    monkeypatch.setattr(consent_statements, "STATEMENTS", (*consent_statements.STATEMENTS, v2))
    return v2


@pytest.mark.django_db
def test_staff_record_how_consent_was_given_and_the_text_version_shown(served, client):
    km, candidate = served
    sign_in(client, km.user)
    page = client.get(reverse("candidates:detail", args=[candidate.uuid])).content.decode()
    # The klantmanager is shown the text to read to the person, and must say how it was given.
    assert consent_statements.current(REGIONAL).nl in page
    assert 'name="method"' in page and "telefonisch" in page
    client.post(
        reverse("candidates:consent", args=[candidate.uuid]),
        {"action": "grant", "method": "phone", "statement_version": "1"},
    )
    consent = candidate.consents.get()
    assert (consent.method, consent.statement_version) == ("phone", "1")
    assert consent.recorded_by == km.user and consent.recorded_for == km.organisation
    assert consent.approved_at is None  # agreeing is a separate, explicit step
    page = client.get(reverse("candidates:detail", args=[candidate.uuid])).content.decode()
    assert "telefonisch" in page.lower() and "versie 1" in page


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["", "self", "unknown", "by pigeon"])
def test_staff_cannot_record_consent_without_saying_how_it_was_given(served, client, method):
    km, candidate = served
    sign_in(client, km.user)
    response = client.post(
        reverse("candidates:consent", args=[candidate.uuid]),
        {"action": "grant", "method": method, "statement_version": "1"},
        follow=True,
    )
    assert not candidate.consents.exists()
    assert "telefonisch of schriftelijk" in response.content.decode()


@pytest.mark.django_db
def test_consent_in_the_own_account_is_method_self_with_the_version_shown(own_account, client):
    candidate = own_account.user.candidate
    sign_in(client, own_account.user)
    page = client.get(reverse("candidates:self")).content.decode()
    assert consent_statements.current(REGIONAL).nl in page
    client.post(reverse("candidates:self-consent"), {"action": "grant", "statement_version": "1"})
    consent = candidate.consents.get()
    assert (consent.method, consent.statement_version) == ("self", "1")
    assert consent.recorded_by == own_account.user
    # The person cannot claim it was given otherwise.
    with pytest.raises(Exception, match="method"):
        consent_grant(
            actor=actor_for(own_account),
            candidate=candidate,
            method="phone",
            statement_version="1",
        )


@pytest.mark.django_db
def test_a_new_text_version_is_recorded_and_the_old_text_still_shown(
    served, own_account, client, version_2
):
    km, candidate = served
    # Given under version 1 before the text changed.
    old = consent_grant(
        actor=actor_for(km), candidate=candidate, method="in_person", statement_version="2"
    )
    consent_revoke(actor=actor_for(km), consent=old)
    Consent.objects.filter(pk=old.pk).update(statement_version="1")
    sign_in(client, own_account.user)
    page = client.get(reverse("candidates:self")).content.decode()
    assert version_2.nl in page and 'value="2"' in page
    # A page opened before the change (version 1) does not count as consent to version 2.
    response = client.post(
        reverse("candidates:self-consent"),
        {"action": "grant", "statement_version": "1"},
        follow=True,
    )
    assert not candidate.consents.filter(revoked_at__isnull=True).exists()
    assert "tekst" in response.content.decode()
    client.post(reverse("candidates:self-consent"), {"action": "grant", "statement_version": "2"})
    assert candidate.consents.get(revoked_at__isnull=True).statement_version == "2"
    # The klantmanager still sees the text the person was shown the first time.
    sign_in(client, km.user)
    page = client.get(reverse("candidates:detail", args=[candidate.uuid])).content.decode()
    assert consent_statements.get(REGIONAL, "1").nl in page
    assert version_2.nl in page


#: The published texts, pinned: a version, once shown to people, never changes.
PUBLISHED = {
    ("regional_profile", "1"): "67c9ad3d",
    ("introduction", "0"): "efb8b60a",
    ("introduction", "1"): "4998623a",
}


def test_published_statement_texts_never_change():
    seen = {}
    for s in consent_statements.STATEMENTS:
        digest = hashlib.sha256(f"{s.nl}\n{s.en}".encode()).hexdigest()[:8]
        seen[(str(s.scope), s.version)] = digest
    assert seen == PUBLISHED, "a published consent text changed: add a new version instead"
    for scope in ConsentScope:
        assert consent_statements.current(scope).version == "1"


@pytest.mark.django_db
def test_existing_consents_get_their_method_and_version(served, own_account):
    """The data migration: given in the own account → self; recorded by staff → unknown;
    introductions get version 0 (no fixed text was shown then)."""
    import importlib

    migration = importlib.import_module(
        "perspectief.candidates.migrations.0014_consent_method_of_existing_consents"
    )
    km, candidate = served
    now = timezone.now()
    own = Consent.objects.create(
        candidate=candidate,
        scope=REGIONAL,
        method="x",
        statement_version="x",
        granted_at=now,
        recorded_by=own_account.user,
    )
    staff = Consent.objects.create(
        candidate=CandidateFactory(served_by=km.organisation),
        scope=REGIONAL,
        method="x",
        statement_version="x",
        granted_at=now,
        recorded_by=km.user,
    )
    migration.record_method_and_version(apps, None)
    own.refresh_from_db()
    staff.refresh_from_db()
    assert (own.method, own.statement_version) == ("self", "1")
    assert (staff.method, staff.statement_version) == ("unknown", "1")


@pytest.mark.django_db
def test_the_database_refuses_a_consent_without_method_or_version(served):
    from django.db import IntegrityError, transaction

    _km, candidate = served
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(candidate=candidate, scope=REGIONAL, granted_at=timezone.now())
