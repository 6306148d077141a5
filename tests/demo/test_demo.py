"""The demo population: one account per role, several regions, idempotent."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from perspectief.accounts.models import Membership, User
from perspectief.audit.models import AuditEvent
from perspectief.core.authz import Role
from perspectief.demo.population import create_demo_population
from perspectief.organisations.models import Organisation


def test_list_accounts_json_covers_every_role_in_several_regions():
    out = StringIO()
    call_command("demo", "--list-accounts", "--json", stdout=out)
    accounts = json.loads(out.getvalue())
    assert {a["role"] for a in accounts} == set(Role.values)
    assert {"username", "password", "role", "organisation", "region"} <= set(accounts[0])
    assert len({a["region"] for a in accounts if a["region"]}) >= 3
    for role in (Role.KLANTMANAGER, Role.FUNCTIONAL_ADMIN, Role.PROGRAMME_MANAGER):
        assert len({a["region"] for a in accounts if a["role"] == role}) >= 2, role


@pytest.mark.django_db
def test_demo_population_is_idempotent(demo_geography):
    first = create_demo_population()
    assert first["users"] > 0
    snapshot = (
        list(User.objects.order_by("pk").values_list("username", "password", "email")),
        Membership.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.count(),
    )
    second = create_demo_population()
    assert set(second.values()) == {0}
    again = (
        list(User.objects.order_by("pk").values_list("username", "password", "email")),
        Membership.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.count(),
    )
    assert again == snapshot


@pytest.mark.django_db
def test_every_demo_membership_is_valid_for_its_organisation(demo_geography):
    create_demo_population()
    for membership in Membership.objects.select_related("organisation"):
        membership.full_clean()


@pytest.mark.django_db
def test_demo_job_seekers_in_every_region_idempotent(world, demo_geography):
    from perspectief.candidates.models import Candidate
    from perspectief.demo.candidates import create_demo_candidates

    create_demo_population()
    first = create_demo_candidates(per_region=10)
    assert first > 0
    regions = set(Candidate.objects.values_list("region__code", flat=True))
    assert {"AM18", "AM22"} <= regions
    assert Candidate.objects.exclude(bsn_index=None).exists()
    assert Candidate.objects.filter(consents__approved_at__isnull=False).exists()
    count = Candidate.objects.count()
    assert create_demo_candidates(per_region=10) == 0
    assert Candidate.objects.count() == count


@pytest.mark.django_db
def test_demo_routes_show_every_part_of_the_route_idempotent(world, demo_geography):
    """The demo's routes: a template route waiting for the school, a stuck step and an
    unanswered hand-off for the coordinator, support at work with a missed check-in, two
    placements a jobcoach confirmed durable and one past six months not confirmed — and
    every journey status has its dated transition."""
    from perspectief.accounts.actor import actor_for
    from perspectief.candidates.models import Candidate, JourneyTransition
    from perspectief.demo.candidates import create_demo_candidates, link_demo_job_seekers
    from perspectief.demo.catalogue import create_demo_offers
    from perspectief.demo.placements import create_demo_placements
    from perspectief.demo.routes import create_demo_routes
    from perspectief.routes.models import Route, SupportPlan
    from perspectief.routes.selectors import stuck
    from perspectief.routes.selectors import support as support_selectors

    create_demo_population()
    create_demo_candidates(per_region=20)
    link_demo_job_seekers()
    create_demo_placements()
    create_demo_offers()
    assert create_demo_routes() == 7
    assert create_demo_routes() == 0
    assert Route.objects.count() == 7
    own = Route.objects.get(candidate__user__username="wz.amsterdam")
    assert own.steps.filter(handoff="pending", owner__kind="school").exists()
    coordinator = actor_for(Membership.objects.get(user__username="pm.amsterdam"))
    rows, regional = stuck.stuck_steps(actor=coordinator)
    assert regional and {r.why for r in rows} == {"due", "handoff"}
    coach = actor_for(Membership.objects.get(user__username="jc.amsterdam"))
    plans = support_selectors.support_plans(actor=coach)
    assert sorted(p.status for p in plans) == ["active", "active", "durable", "durable"]
    assert sorted((p.not_confirmed, p.missed) for p in plans if p.status == "active") == [
        (False, True),
        (True, True),
    ]
    for plan in SupportPlan.objects.filter(status="durable"):
        # Durable only with the jobcoach's recorded confirmation, and a hire behind it.
        assert plan.candidate.status == "duurzaam"
        assert plan.confirmation.recorded_by.username == "jc.amsterdam"
        assert plan.confirmation.still_employed
    assert SupportPlan.objects.filter(outside_hire__isnull=False).count() == 2
    # Nobody is placed without a recorded hire.
    for person in Candidate.objects.filter(status__in=["geplaatst", "duurzaam"]):
        assert person.support_plans.exists()
    # Everyone past "aangemeld" reached their status through a recorded transition.
    for candidate in Candidate.objects.exclude(status="aangemeld"):
        last = JourneyTransition.objects.filter(candidate=candidate).order_by("id").last()
        assert last is not None and last.to_status == candidate.status, candidate.status


@pytest.mark.django_db
def test_demo_action_plan_in_force_revised_once_idempotent(world, demo_geography):
    from perspectief.demo.catalogue import create_demo_offers
    from perspectief.demo.monitoring import create_demo_plan
    from perspectief.monitoring.models import ActionPlan, PlanRevision
    from perspectief.monitoring.selectors.plans import plan_as_of
    from perspectief.monitoring.selectors.progress import budget as plan_budget
    from perspectief.taxonomy.classifications import load_sectors

    load_sectors()  # the SBI sectors the plan's ambition names
    from perspectief.regions.models import Municipality

    from ..factories import PostcodeFactory

    for number, municipality in enumerate(Municipality.objects.filter(postcodes=None)):
        PostcodeFactory(code=str(5000 + number), municipality=municipality)
    create_demo_population()
    create_demo_offers()
    assert create_demo_plan() == 2  # Groot Amsterdam and Rijnmond
    revisions_before = PlanRevision.objects.count()
    assert create_demo_plan() == 0
    assert PlanRevision.objects.count() == revisions_before  # nothing recorded twice
    plan = ActionPlan.objects.get(region__code="AM18")
    assert (plan.status, plan.ambition) == ("active", 220)
    assert plan.revisions.filter(reason__icontains="logistiek").count() == 1
    budget = plan_budget(plan)
    assert budget["allocated"] <= plan.budget and len(budget["rows"]) == 4
    # Walk of #19: activities started with a result, one failed and says why; borging.
    started = plan.activities.exclude(started_on=None)
    assert started.count() == 4 and started.filter(result="mislukt").exclude(result_note="")
    assert plan.borging.count() == 2
    # The versions are dated when the plan was made and revised, not the day of the demo:
    # the K3 2026 report shows the revised plan, as in force then.
    made = plan.revisions.get(version=1).revised_at.date()
    assert date(2026, 1, 1) <= made <= date(2026, 1, 31)
    assert plan_as_of(plan, date(2026, 9, 30)).ambition == 220
    assert plan_as_of(plan, date(2026, 3, 31)).ambition == 250
    rijnmond = ActionPlan.objects.get(region__code="AM22")
    assert rijnmond.status == "active" and rijnmond.activities.count() == 2
    assert plan_as_of(rijnmond, date(2026, 3, 31)).status == "vastgesteld"


# --- item 18: never under production settings; secrets random per installation ------------
PRODUCTION_ENV = {
    "PERSPECTIEF_SECRET_KEY": "k9#Fq2!zL0pW7vX4rT1yU8nB3mC6sD5aE0gH2jK4lQ7wR9tYzZ8xX",
    "PERSPECTIEF_PSEUDONYM_KEY": "pS3dK9fL2mQ8wE4rT7yU1iO6pA5sD0fG",
    "PERSPECTIEF_BSN_KEYS": "cHJvZHVjdGlvbi1saWtlLWtleS1mb3ItdGVzdHMtMDE=",
    "PERSPECTIEF_BSN_INDEX_KEY": "iX7cV2bN9mQ4wE1rT8yU3iO6pA0sD5fGh",
    # A database nobody has: the refusal must come before any connection is made.
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/perspectief_no_such_database",
    "PERSPECTIEF_ALLOWED_HOSTS": "perspectief.example.nl",
    "PERSPECTIEF_CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "PERSPECTIEF_CACHE_URL": "redis://127.0.0.1:6379/1",
    "PERSPECTIEF_BASE_URL": "https://perspectief.example.nl",
}


@pytest.mark.parametrize("args", [["demo", "--no-serve"], ["demo", "--list-accounts"]])
def test_demo_command_refuses_production_settings(args, tmp_path):
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PERSPECTIEF_") and k != "DATABASE_URL"
    }
    env.update(PRODUCTION_ENV, PERSPECTIEF_DATA_DIR=str(tmp_path))
    env["DJANGO_SETTINGS_MODULE"] = "perspectief.conf.production"
    code = f"from perspectief.cli import main; main({args!r})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "productie-instellingen" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    # Nothing was written: no secrets file, no accounts listed.
    assert list(tmp_path.iterdir()) == []
    assert "km.amsterdam" not in result.stdout


@pytest.mark.django_db
def test_demo_generators_refuse_production_settings(settings, demo_geography):
    from django.core.exceptions import ImproperlyConfigured

    from perspectief.demo.candidates import create_demo_candidates
    from perspectief.demo.catalogue import create_demo_offers
    from perspectief.demo.monitoring import create_demo_plan
    from perspectief.demo.placements import create_demo_matching_run, create_demo_placements
    from perspectief.demo.routes import create_demo_routes

    settings.PRODUCTION = True
    for generate in (
        create_demo_population,
        create_demo_candidates,
        create_demo_placements,
        create_demo_matching_run,
        create_demo_offers,
        create_demo_routes,
        create_demo_plan,
    ):
        with pytest.raises(ImproperlyConfigured, match="productie-instellingen"):
            generate()
    assert not User.objects.exists()


LEGACY_PASSWORD = "Perspectief-demo-2026"


def _legacy_totp_hex(username: str) -> str:
    import hashlib

    return hashlib.sha256(f"perspectief-demo-totp:{username}".encode()).digest()[:20].hex()


@pytest.mark.django_db
def test_demo_secrets_are_random_per_installation_and_work(settings, tmp_path, demo_geography):
    import base64
    import stat

    from django_otp.plugins.otp_totp.models import TOTPDevice

    listed = {}
    for installation in ("one", "two"):
        settings.DEMO_ACCOUNTS_FILE = tmp_path / installation / "demo-accounts.json"
        out = StringIO()
        call_command("demo", "--list-accounts", "--json", stdout=out)
        listed[installation] = json.loads(out.getvalue())
        mode = stat.S_IMODE(settings.DEMO_ACCOUNTS_FILE.stat().st_mode)
        assert mode == 0o600  # readable by the one who runs the demo only
    one, two = listed["one"], listed["two"]
    assert one[0]["password"] != two[0]["password"]
    assert LEGACY_PASSWORD not in {a["password"] for a in one + two}
    assert len(one[0]["password"]) >= 16
    staff = [a for a in one if a["two_factor"]]
    assert staff and all(a["totp_secret"] for a in staff)
    for a, b in zip(one, two, strict=True):
        assert a["totp_secret"] != b["totp_secret"] or a["totp_secret"] is None
    for account in staff:
        padded = account["totp_secret"] + "=" * (-len(account["totp_secret"]) % 8)
        assert base64.b32decode(padded).hex() != _legacy_totp_hex(account["username"])

    # The second listing of one installation shows the same secrets (generated once).
    out = StringIO()
    call_command("demo", "--list-accounts", "--json", stdout=out)
    assert json.loads(out.getvalue()) == two

    # The accounts created are the ones listed.
    create_demo_population()
    for account in two:
        user = User.objects.get(username=account["username"])
        assert user.check_password(account["password"])
        assert not user.check_password(LEGACY_PASSWORD)
        if account["two_factor"]:
            device = TOTPDevice.objects.get(user=user)
            padded = account["totp_secret"] + "=" * (-len(account["totp_secret"]) % 8)
            assert device.key == base64.b32decode(padded).hex()


@pytest.mark.django_db
def test_an_older_demo_with_published_secrets_gets_this_installations_secrets(
    settings, tmp_path, demo_geography
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.DEMO_ACCOUNTS_FILE = tmp_path / "demo-accounts.json"
    create_demo_population()
    # As an installation made before item 18 left them: the published password and the
    # second-factor secret anyone could compute from the source.
    for user in User.objects.all():
        user.set_password(LEGACY_PASSWORD)
        user.save()
    for device in TOTPDevice.objects.select_related("user"):
        device.key = _legacy_totp_hex(device.user.username)
        device.save()
    settings.DEMO_ACCOUNTS_FILE.unlink()  # and no secrets file yet

    create_demo_population()
    out = StringIO()
    call_command("demo", "--list-accounts", "--json", stdout=out)
    for account in json.loads(out.getvalue()):
        user = User.objects.get(username=account["username"])
        assert user.check_password(account["password"]), account["username"]
        if account["two_factor"]:
            device = TOTPDevice.objects.get(user=user)
            assert device.key != _legacy_totp_hex(user.username)
    assert AuditEvent.objects.filter(event="user.demo_secrets_renewed").count() == 23
