"""The region's matching configuration (#18): versioned weights within the platform's bounds
and a minimum score, set by the region's programme manager with a reason; refused whole when
anything is wrong (bounds, sum, all zero, a minimum nobody reaches); never changed once
saved; and every ranking and run uses the configuration of its region and says which."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AuditEvent
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.matching.engine.records import WEIGHT_BOUNDS, Weights
from perspectief.matching.models import MatchingConfiguration, MatchRun, ShortlistEntry
from perspectief.matching.selectors.configuration import (
    Setting,
    best_shown_score,
    engine_weights,
    in_force,
    platform_points,
)
from perspectief.matching.services import runs as run_services
from perspectief.matching.services import shortlists
from perspectief.matching.services.configuration import ConfigurationInput, configuration_save
from tests.conftest import matchable_person, sign_in


def _points(**changes) -> dict[str, int]:
    return {**platform_points(), **changes}


def _data(based_on=0, min_score=0, reason="Meer gewicht op afstand", **changes):
    return ConfigurationInput(
        weights=_points(**changes), min_score=min_score, reason=reason, based_on=based_on
    )


def _moved(points: dict[str, int], name: str, by: int, into: str) -> dict[str, int]:
    """``points`` with ``by`` points moved from ``into`` to ``name`` (the sum stays 100)."""
    return {**points, name: points[name] + by, into: points[into] - by}


@pytest.fixture
def manager(actor_as):
    return actor_as("programmamanager")


@pytest.fixture
def ranked(place, esco, make_member):
    """A klantmanager with two people for the world's place: one with every skill the place
    asks, one with none."""
    _occupation, skills = esco
    km = make_member("klantmanager")
    good = matchable_person(km, skills, last_name="Alleskunner")
    weak = matchable_person(km, [], last_name="Zonderkunde")
    return SimpleNamespace(km=km, good=good, weak=weak, place=place)


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- bad input: refused whole, nothing saved -----------------------------------------------


@pytest.mark.django_db
def test_weights_outside_their_bounds_are_refused_with_a_clear_message(manager):
    # 55 points for essential skills (at most 50), taken from occupation (at least 5).
    points = _moved(
        platform_points(),
        "essential_skills",
        55 - platform_points()["essential_skills"],
        "occupation",
    )
    with translation.override("en"):
        errors = _errors(
            lambda: configuration_save(
                actor=manager,
                data=ConfigurationInput(weights=points, reason="te hoog"),
            )
        )
    assert "must be between 15 and 50 points" in errors["essential_skills"][0]
    assert "occupation" in errors  # pushed below its lowest bound
    assert not MatchingConfiguration.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="matching_configuration").exists()


@pytest.mark.django_db
def test_weights_must_add_up_to_100_and_not_all_be_zero(manager):
    with translation.override("en"):
        errors = _errors(lambda: configuration_save(actor=manager, data=_data(distance=1)))
        assert "add up to" in errors["weights"][0]
        zero = ConfigurationInput(weights=dict.fromkeys(WEIGHT_BOUNDS, 0), reason="alles uit")
        errors = _errors(lambda: configuration_save(actor=manager, data=zero))
        assert errors == {"weights": [errors["weights"][0]]}
        assert "All weights are zero" in errors["weights"][0]
        # An unknown criterion, a missing weight, a minimum out of range, no reason.
        unknown = ConfigurationInput(weights={**platform_points(), "leeftijd": 0}, reason="x")
        assert (
            "leeftijd"
            in _errors(lambda: configuration_save(actor=manager, data=unknown))["weights"][0]
        )
        partial = {**platform_points(), "hours": None}
        errors = _errors(
            lambda: configuration_save(
                actor=manager,
                data=ConfigurationInput(weights=partial, min_score=61, reason="  "),
            )
        )
    assert set(errors) == {"hours", "min_score", "reason"}
    # Dutch by default: the same refusals read in Dutch.
    errors = _errors(lambda: configuration_save(actor=manager, data=_data(distance=1)))
    assert errors["weights"][0] != "The weights add up to 101 points; together they must be 100."
    assert not MatchingConfiguration.objects.exists()


@pytest.mark.django_db
def test_a_minimum_score_nobody_reaches_for_any_open_place_is_refused(manager, place, make_member):
    matchable_person(make_member("klantmanager"), [])  # none of the place's skills
    best = best_shown_score(manager.region_id, Setting(None, platform_points(), 0))
    assert best is not None and best < 60
    with translation.override("en"):
        errors = _errors(lambda: configuration_save(actor=manager, data=_data(min_score=best + 1)))
    assert f"the best score now is {best} points" in errors["min_score"][0]
    assert not MatchingConfiguration.objects.exists()
    # The best score itself is reachable: accepted.
    saved = configuration_save(actor=manager, data=_data(min_score=best))
    assert (saved.version, saved.min_score) == (1, best)


@pytest.mark.django_db
def test_without_open_places_a_minimum_score_cannot_make_them_unreachable(manager):
    saved = configuration_save(actor=manager, data=_data(min_score=60))
    assert saved.min_score == 60


# --- versions: never changed, with history and audit ----------------------------------------


@pytest.mark.django_db
def test_a_change_is_a_new_version_and_a_version_is_never_changed(manager, world):
    assert in_force(world.am18.pk).configuration is None  # the platform's defaults
    first = configuration_save(
        actor=manager,
        data=ConfigurationInput(
            weights=_moved(platform_points(), "distance", 5, "optional_skills"),
            reason="Mensen reizen in onze regio niet ver",
        ),
    )
    assert (first.version, first.changed_by, first.changed_for) == (
        1,
        manager.user,
        manager.organisation,
    )
    first.min_score = 10
    with pytest.raises(ValueError, match="never changed"):
        first.save()
    with pytest.raises(ValueError):
        first.delete()
    # Starting from the defaults again, after version 1 exists: refused (changed meanwhile).
    with translation.override("en"):
        stale = _errors(lambda: configuration_save(actor=manager, data=_data(min_score=5)))
    assert "changed meanwhile" in stale["__all__"][0]
    # Nothing changed: refused too.
    same = ConfigurationInput(weights=first.weights, reason="nog eens", based_on=1)
    assert "__all__" in _errors(lambda: configuration_save(actor=manager, data=same))
    second = configuration_save(
        actor=manager,
        data=ConfigurationInput(weights=first.weights, min_score=5, reason="Drempel", based_on=1),
    )
    assert second.version == 2
    assert MatchingConfiguration.objects.get(pk=first.pk).min_score == 0  # kept as it was
    assert in_force(world.am18.pk).configuration == second
    assert in_force(world.am22.pk).configuration is None  # another region: its own
    events = AuditEvent.objects.filter(event="matching_configuration.created").order_by("id")
    assert [e.changes["version"] for e in events] == [[None, 1], [1, 2]]
    assert events[0].changes["weight.distance"] == [
        platform_points()["distance"],
        platform_points()["distance"] + 5,
    ]
    assert events[1].changes["min_score"] == [0, 5]
    assert events[1].changes["reason"] == [None, "Drempel"]


@pytest.mark.django_db
def test_the_pages_show_the_setting_its_history_and_let_only_the_programme_manager_change_it(
    client, make_member
):
    pm = make_member("programmamanager")
    sign_in(client, pm.user)
    page = client.get(reverse("matching:configuration"))
    assert page.status_code == 200
    assert [r["name"] for r in page.context["rows"]] == list(WEIGHT_BOUNDS)
    assert page.context["setting"].configuration is None and page.context["may_edit"]
    edit = reverse("matching:configuration-edit")
    form = {**platform_points(), "min_score": 0, "reason": "", "based_on": 0}
    form["distance"] += 5
    form["optional_skills"] -= 5
    refused = client.post(edit, form)
    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    assert not MatchingConfiguration.objects.exists()
    done = client.post(edit, {**form, "reason": "Afstand telt zwaarder bij ons"})
    assert done.status_code == 302 and done.url == reverse("matching:configuration")
    version = MatchingConfiguration.objects.get()
    page = client.get(reverse("matching:configuration"))
    [item] = page.context["history"]
    assert item["configuration"] == version
    assert {(c["old"], c["new"]) for c in item["changes"]} == {
        (platform_points()["distance"], platform_points()["distance"] + 5),
        (platform_points()["optional_skills"], platform_points()["optional_skills"] - 5),
    }
    html = page.content.decode()
    assert "Afstand telt zwaarder bij ons" in html
    detail = client.get(reverse("matching:configuration-version", kwargs={"uuid": version.uuid}))
    assert detail.status_code == 200 and detail.context["is_current"]
    # A klantmanager reads the setting, does not change it.
    km = make_member("klantmanager")
    sign_in(client, km.user)
    page = client.get(reverse("matching:configuration"))
    assert page.status_code == 200 and not page.context["may_edit"]
    assert client.post(edit, {**form, "reason": "x"}).status_code == 403
    with pytest.raises(PermissionDeniedError):
        configuration_save(actor=actor_for(km), data=_data(distance=14, optional_skills=3))
    assert MatchingConfiguration.objects.count() == 1


@pytest.mark.django_db
def test_the_api_gives_the_setting_in_force_and_every_version(client, make_member, manager):
    configuration_save(
        actor=manager,
        data=_data(min_score=0, **_moved(platform_points(), "hours", 2, "optional_skills")),
    )
    sign_in(client, make_member("accountmanager").user)
    body = client.get("/api/v1/matching-configuration").json()
    assert body["region"] == "AM18" and body["version"] == 1
    assert [c["name"] for c in body["criteria"]] == list(WEIGHT_BOUNDS)
    assert body["versions"][0]["weights"]["hours"] == platform_points()["hours"] + 2


# --- every ranking and run uses the region's version and says which -----------------------


def _switch_off_distance(manager, min_score=0) -> MatchingConfiguration:
    points = platform_points()
    points["essential_skills"] += points["distance"]
    points["distance"] = 0
    return configuration_save(
        actor=manager,
        data=ConfigurationInput(weights=points, min_score=min_score, reason="Afstand telt niet"),
    )


@pytest.mark.django_db
def test_rankings_use_the_places_region_setting_and_say_which_version(
    client, manager, ranked, esco
):
    sign_in(client, ranked.km.user)
    url = reverse("matching:candidates", kwargs={"uuid": ranked.place.uuid})
    before = client.get(url)
    assert before.context["setting"].configuration is None
    assert reverse("matching:configuration") in before.content.decode()
    version = _switch_off_distance(manager)
    page = client.get(url)
    assert page.context["setting"].configuration == version
    html = page.content.decode()
    assert reverse("matching:configuration-version", kwargs={"uuid": version.uuid}) in html
    # The explanation's maxima are the version's weights: distance is worth nothing now.
    assert page.context["setting"].maxima["distance"] == 0
    row = page.context["rows"][0]
    assert 0 in [c["max"] for c in row["criteria"]]
    assert row["score_max"] == 100  # the organisation serves the person: priority counts
    # The person's page ranks places with the person's region's setting.
    places = client.get(reverse("matching:places", kwargs={"uuid": ranked.good.uuid}))
    assert places.context["setting"].configuration == version


@pytest.mark.django_db
def test_the_minimum_score_filters_the_shown_list(client, manager, ranked):
    sign_in(client, ranked.km.user)
    url = reverse("matching:candidates", kwargs={"uuid": ranked.place.uuid})
    rows = client.get(url).context["rows"]
    scores = {r["candidate"].last_name: r["score"] for r in rows}
    assert scores["Alleskunner"] > scores["Zonderkunde"]
    configuration_save(actor=manager, data=_data(min_score=scores["Zonderkunde"] + 1))
    shown = [r["candidate"].last_name for r in client.get(url).context["rows"]]
    assert shown == ["Alleskunner"]


@pytest.mark.django_db
def test_a_run_records_and_uses_the_setting_in_force_when_it_was_started(
    client, manager, ranked, make_member, django_capture_on_commit_callbacks
):
    version = _switch_off_distance(manager, min_score=0)
    am = make_member("accountmanager")
    sign_in(client, am.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:runs"))
    run = MatchRun.objects.get()
    assert run.status == "done", run.error
    assert run.configuration == version
    # Scored with the version's weights: no points for distance.
    assert all(s.contributions.get("distance", 0) == 0 for s in run.suggestions.all())
    body = client.get(f"/api/v1/match-runs/{run.uuid}").json()
    assert body["configuration"]["version"] == 1
    assert body["configuration"]["uuid"] == str(version.uuid)
    page = client.get(reverse("matching:run", kwargs={"uuid": run.uuid}))
    assert reverse("matching:configuration-version", kwargs={"uuid": version.uuid}) in (
        page.content.decode()
    )
    # The minimum score leaves out suggestions below it.
    best_weak = max(
        round(100 * (s.score - s.contributions.get("priority", 0)))
        for s in run.suggestions.filter(candidate=ranked.weak)
    )
    configuration_save(
        actor=manager,
        data=ConfigurationInput(
            weights=version.weights, min_score=best_weak + 1, reason="Drempel", based_on=1
        ),
    )
    run.delete()
    with django_capture_on_commit_callbacks(execute=True):
        run_services.run_start(actor=actor_for(am))
    second = MatchRun.objects.get()
    assert second.configuration.version == 2
    assert not second.suggestions.filter(candidate=ranked.weak).exists()
    assert second.suggestions.filter(candidate=ranked.good).exists()


@pytest.mark.django_db
def test_a_shortlist_entry_records_the_version_its_score_was_computed_with(manager, ranked):
    version = _switch_off_distance(manager)
    entry = shortlists.shortlist_add(
        actor=actor_for(ranked.km), vacancy=ranked.place, candidate=ranked.good
    )
    assert entry.configuration == version
    assert ShortlistEntry.objects.get().configuration == version


def test_a_version_with_criteria_the_engine_does_not_know_is_scaled_to_the_ones_it_knows():
    known = Weights().as_dict()
    points = {name: round(100 * w) for name, w in known.items()}
    assert engine_weights(points).as_dict() == pytest.approx(known)
    # A criterion the engine lacks is left out and the rest scaled to add up to 1.
    extra = {**points, "future_criterion": 10}
    assert sum(engine_weights(extra).as_dict().values()) == pytest.approx(1.0)
    assert engine_weights({}) == Weights()
