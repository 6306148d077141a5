"""Functional administrators manage their region: centrumgemeente, organisations, users and
roles. Every change writes its audit event in the same transaction; other regions' objects
answer 404, exactly like objects that do not exist."""

import re
import uuid

import pytest
from django.db import transaction
from django.urls import reverse

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership, User
from perspectief.accounts.services.users import token_create
from perspectief.audit import services as audit
from perspectief.audit.models import AuditEvent
from perspectief.organisations.models import Organisation
from perspectief.organisations.services.organisations import organisation_create

from ..conftest import sign_in
from ..factories import MunicipalityFactory


@pytest.mark.django_db
def test_region_admin_sets_centrumgemeente_with_audit(client_as, world):
    client, admin = client_as("functioneel_beheerder")
    response = client.post(
        reverse("regions:centrumgemeente", args=["AM18"]),
        {"centrumgemeente": world.amsterdam.pk},
    )
    assert response.status_code == 302
    world.am18.refresh_from_db()
    assert world.am18.centrumgemeente == world.amsterdam
    event = AuditEvent.objects.get(event="region.centrumgemeente_set")
    assert event.actor_user == admin.user
    assert event.organisation == admin.organisation
    assert event.changes == {"centrumgemeente": [None, "GM0363"]}


@pytest.mark.django_db
def test_centrumgemeente_must_lie_in_the_region(client_as, world):
    client, _ = client_as("functioneel_beheerder")
    client.post(
        reverse("regions:centrumgemeente", args=["AM18"]), {"centrumgemeente": world.rotterdam.pk}
    )
    world.am18.refresh_from_db()
    assert world.am18.centrumgemeente is None
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_admin_of_another_region_cannot_set_it(client_as, world):
    client, _ = client_as("functioneel_beheerder", "AM22")
    response = client.post(
        reverse("regions:centrumgemeente", args=["AM18"]), {"centrumgemeente": world.amsterdam.pk}
    )
    assert response.status_code == 404
    world.am18.refresh_from_db()
    assert world.am18.centrumgemeente is None


@pytest.mark.django_db
def test_admin_creates_an_organisation_in_their_region(client_as, world):
    client, admin = client_as("functioneel_beheerder")
    response = client.post(
        reverse("organisations:create"),
        {"name": "Leerwerkbedrijf Noord", "kind": "employer", "municipality": world.amsterdam.pk},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Leerwerkbedrijf Noord")
    assert organisation.region == world.am18
    assert AuditEvent.objects.filter(
        event="organisation.created", target_id=str(organisation.uuid), actor_user=admin.user
    ).exists()


@pytest.mark.django_db
def test_a_gemeente_needs_its_municipality_and_only_one_per_municipality(client_as, world):
    client, _ = client_as("functioneel_beheerder")
    response = client.post(
        reverse("organisations:create"), {"name": "Gemeente X", "kind": "gemeente"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    municipality = MunicipalityFactory(code="GM0362", name="Amstelveen", region=world.am18)
    ok = client.post(
        reverse("organisations:create"),
        {"name": "Gemeente Amstelveen", "kind": "gemeente", "municipality": municipality.pk},
    )
    assert ok.status_code == 302
    again = client.post(
        reverse("organisations:create"),
        {"name": "Gemeente Amstelveen 2", "kind": "gemeente", "municipality": municipality.pk},
    )
    assert again.status_code == 200
    assert Organisation.objects.filter(municipality=municipality, kind="gemeente").count() == 1


@pytest.mark.django_db
def test_audit_event_rolls_back_with_the_change(actor_as, world):
    actor = actor_as("functioneel_beheerder")
    with pytest.raises(RuntimeError), transaction.atomic():
        organisation_create(actor=actor, name="Tijdelijk", kind="employer", region=world.am18)
        raise RuntimeError("later step fails")
    assert not Organisation.objects.filter(name="Tijdelijk").exists()
    assert not AuditEvent.objects.filter(event="organisation.created").exists()


@pytest.mark.django_db
def test_admin_creates_a_user_with_a_role_and_a_one_time_password_link(client, make_member):
    admin = make_member("functioneel_beheerder")
    sign_in(client, admin.user)
    organisation = make_member("klantmanager").organisation
    response = client.post(
        reverse("accounts:manage-user-create"),
        {
            "username": "nieuwe.klantmanager",
            "email": "nieuw@example.invalid",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "organisation": organisation.pk,
            "role": "klantmanager",
        },
    )
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]  # the link is shown once, not cached
    user = User.objects.get(username="nieuwe.klantmanager")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).organisation == organisation
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"user.created", "membership.created", "user.password_link_issued"} <= events
    link = response.context["password_link"]
    assert "password_link" not in client.session  # never stored
    client.logout()
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "Een-lang-nieuw-wachtwoord-7",
            "new_password2": "Een-lang-nieuw-wachtwoord-7",
        },
    )
    user.refresh_from_db()
    assert user.check_password("Een-lang-nieuw-wachtwoord-7")
    assert AuditEvent.objects.filter(event="user.password_set", target_id=str(user.uuid)).exists()


@pytest.mark.django_db
def test_role_that_does_not_fit_the_organisation_is_refused(client, make_member):
    admin = make_member("functioneel_beheerder")
    sign_in(client, admin.user)
    gemeente = make_member("klantmanager").organisation
    response = client.post(
        reverse("accounts:manage-user-create"),
        {
            "username": "verkeerd",
            "email": "v@example.invalid",
            "organisation": gemeente.pk,
            "role": "werkgever",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(username="verkeerd").exists()  # nothing half-stored


@pytest.mark.django_db
def test_withdrawing_a_role_revokes_its_tokens_and_is_audited(client, make_member):
    admin = make_member("functioneel_beheerder")
    colleague = make_member("klantmanager")
    token, _raw = token_create(actor=actor_for(colleague), membership=colleague, name="x")
    sign_in(client, admin.user)
    client.post(reverse("accounts:manage-membership-deactivate", args=[colleague.uuid]))
    colleague.refresh_from_db()
    token.refresh_from_db()
    assert not colleague.is_active
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(event="membership.deactivated").exists()


@pytest.mark.django_db
def test_users_of_another_region_answer_like_absent_users(client, make_member):
    admin = make_member("functioneel_beheerder", "AM18")
    elsewhere = make_member("klantmanager", "AM22").user
    sign_in(client, admin.user)
    foreign = client.get(reverse("accounts:manage-user", args=[elsewhere.uuid]))
    absent = client.get(reverse("accounts:manage-user", args=[uuid.uuid4()]))
    assert foreign.status_code == absent.status_code == 404

    def strip_csrf(body):
        body = re.sub(rb'"X-CSRFToken": "[^"]+"', b"", body)
        body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)
        return re.sub(
            rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", b"<uuid>", body
        )

    assert strip_csrf(foreign.content) == strip_csrf(absent.content)
    listing = client.get(reverse("accounts:manage-users")).content.decode()
    assert str(elsewhere.uuid) not in listing  # the link to the user is not there


@pytest.mark.django_db
def test_audit_diff_lists_only_changed_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}
