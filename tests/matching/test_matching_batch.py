"""The regional batch run: every open place of the region matched in the background, an
optimal distribution marked, the result stored as suggestions that advisers review.
Nothing reaches an employer until an adviser proposes someone."""

import itertools
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.audit import access
from perspectief.audit.models import AccessRecord, AuditEvent
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.matching.models import (
    MatchRun,
    MatchSuggestion,
    Proposal,
    RunScore,
    ShortlistEntry,
)
from perspectief.matching.selectors.runs import suggestions_visible
from perspectief.matching.services import runs as run_services
from perspectief.organisations.models import EmployerAccount
from perspectief.vacancies.models import Vacancy, VacancySkill
from tests.conftest import matchable_person, sign_in
from tests.factories import OrganisationFactory


@pytest.fixture
def second_place(world, esco):
    occupation, skills = esco
    employer = EmployerAccount.objects.create(
        organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
        kvk_number="34343434",
    )
    vacancy = Vacancy.objects.create(
        employer=employer,
        title="Tweede plek",
        place_type="job",
        occupation=occupation,
        hours_per_week=32,
        contract="vast",
        postcode=world.amsterdam.postcodes.first(),
        places=1,
        status="open",
    )
    VacancySkill.objects.create(vacancy=vacancy, skill=skills[0], relation="essential")
    return vacancy


@pytest.fixture
def people(world, esco, make_member):
    _occupation, skills = esco
    km = make_member("klantmanager")
    # UWV's client, shared with the region's partners by consent.
    partner_km = SimpleNamespace(
        organisation=OrganisationFactory(kind="uwv", municipality=world.amsterdam)
    )
    return km, [
        matchable_person(km, skills, last_name="Alle"),
        matchable_person(km, skills[:2], last_name="Twee"),
        matchable_person(km, skills[:1], last_name="Een"),
        matchable_person(partner_km, skills, last_name="Gedeeld", regional_consent=True),
    ]


def _best_total(suggestions, capacity) -> float:
    """The best total score by brute force: each person to one place or none."""
    people = sorted({s.candidate_id for s in suggestions})
    score = {(s.candidate_id, s.vacancy_id): s.score for s in suggestions}
    options = [None, *capacity]
    best = 0.0
    for choice in itertools.product(options, repeat=len(people)):
        if any(choice.count(v) > c for v, c in capacity.items()):
            continue
        total = sum(
            score.get((p, v), 0.0) for p, v in zip(people, choice, strict=True) if v is not None
        )
        best = max(best, total)
    return best


def _start(client, make_member, django_capture_on_commit_callbacks):
    am = make_member("accountmanager")
    sign_in(client, am.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matching:runs"))
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "matching:run", kwargs={"uuid": run.uuid}
    )
    run.refresh_from_db()
    return am, run


@pytest.mark.django_db
def test_run_matches_every_open_place_and_marks_an_optimal_distribution(
    client, place, second_place, people, make_member, django_capture_on_commit_callbacks
):
    am, run = _start(client, make_member, django_capture_on_commit_callbacks)
    assert run.status == "done", run.error
    assert (run.places_total, run.places_done, run.candidates) == (2, 2, 4)
    suggestions = list(MatchSuggestion.objects.filter(run=run))
    assert run.suggestions_count == len(suggestions) == 8  # 4 people for 2 places
    chosen = [s for s in suggestions if s.assigned]
    # Three positions (2 + 1), four people: three placed, each person once.
    assert run.assigned == len(chosen) == 3
    assert len({s.candidate_id for s in chosen}) == 3
    assert sum(s.vacancy_id == place.pk for s in chosen) == 2
    assert sum(s.vacancy_id == second_place.pk for s in chosen) == 1
    # The distribution maximises the total: checked against every possible one.
    assert run.total_score == pytest.approx(sum(s.score for s in chosen))
    assert run.total_score == pytest.approx(
        _best_total(suggestions, {place.pk: 2, second_place.pk: 1})
    )
    # Ranked and explained per place, ranks from 1.
    ranks = sorted(s.rank for s in suggestions if s.vacancy_id == place.pk)
    assert ranks == [1, 2, 3, 4]
    # Each keeps where its occupation points come from (the people hold skills the places
    # ask that are typical of their occupation), and none where there are no points.
    assert "skills" in {s.occupation_via for s in suggestions}
    assert all((s.occupation_via == "") == (not s.contributions["occupation"]) for s in suggestions)
    best = min((s for s in suggestions if s.vacancy_id == place.pk), key=lambda s: s.rank)
    assert best.candidate.last_name in ("Alle", "Gedeeld") and "essential_skills" in (
        best.contributions
    )
    # Nothing was sent: no proposal, no shortlist.
    assert not Proposal.objects.exists() and not ShortlistEntry.objects.exists()
    # The run read four profiles for the account manager's organisation, logged once each.
    logged = AccessRecord.objects.filter(activity="candidate.matching", channel="task")
    assert logged.count() == 4
    assert set(logged.values_list("organisation_id", flat=True)) == {am.organisation_id}
    assert AuditEvent.objects.filter(event="match_run.finished").exists()
    # Each person's best score and rank in the run, for the fairness report (#18 part 6).
    best = {
        (s.candidate_id): (
            max(x.score for x in suggestions if x.candidate_id == s.candidate_id),
            min(x.rank for x in suggestions if x.candidate_id == s.candidate_id),
        )
        for s in suggestions
    }
    stored = {r.candidate_id: (r.score, r.best_rank) for r in RunScore.objects.filter(run=run)}
    assert stored == best
    assert run.fairness_flags == []  # four people: too few to compare


@pytest.mark.django_db
def test_advisers_review_suggestions_only_their_actions_reach_the_employer(
    client, place, second_place, people, make_member, django_capture_on_commit_callbacks
):
    km, _people = people
    _am, run = _start(client, make_member, django_capture_on_commit_callbacks)
    sign_in(client, km.user)
    page = client.get(reverse("matching:run", kwargs={"uuid": run.uuid}))
    assert page.status_code == 200 and "Testplek" in page.content.decode()
    url = reverse("matching:run-place", kwargs={"uuid": run.uuid, "vacancy": place.uuid})
    html = client.get(url).content.decode()
    # The klantmanager's own clients by name; the partner's client as a partner label.
    assert "Alle" in html and "Twee" in html and "Gedeeld" not in html
    alle = MatchSuggestion.objects.get(run=run, vacancy=place, candidate__last_name="Alle")
    twee = MatchSuggestion.objects.get(run=run, vacancy=place, candidate__last_name="Twee")
    een = MatchSuggestion.objects.get(run=run, vacancy=place, candidate__last_name="Een")
    act = reverse("matching:suggestion", kwargs={"uuid": alle.uuid})
    assert client.post(act, {"action": "propose"}).status_code == 302
    client.post(reverse("matching:suggestion", kwargs={"uuid": twee.uuid}), {"action": "shortlist"})
    client.post(reverse("matching:suggestion", kwargs={"uuid": een.uuid}), {"action": "dismiss"})
    statuses = dict(
        MatchSuggestion.objects.filter(run=run, vacancy=place).values_list(
            "candidate__last_name", "status"
        )
    )
    assert statuses == {
        "Alle": "proposed",
        "Twee": "shortlisted",
        "Een": "dismissed",
        "Gedeeld": "open",
    }
    proposal = Proposal.objects.get()
    assert (proposal.candidate.last_name, proposal.vacancy, proposal.proposed_for) == (
        "Alle",
        place,
        km.organisation,
    )
    assert ShortlistEntry.objects.get().candidate.last_name == "Twee"
    # Someone the distribution placed at the other place says so here.
    placed_elsewhere = MatchSuggestion.objects.filter(
        run=run, vacancy=second_place, assigned=True
    ).values_list("candidate__last_name", flat=True)
    [name] = placed_elsewhere  # one position there
    html = client.get(url).content.decode()
    assert name in html and "in de verdeling bij: Tweede plek" in html
    # A reviewed suggestion cannot be reviewed again.
    again = client.post(act, {"action": "dismiss"}, follow=True)
    assert "al beoordeeld" in again.content.decode()
    assert MatchSuggestion.objects.get(pk=alle.pk).status == "proposed"


@pytest.mark.django_db
def test_who_may_start_and_who_sees_what(
    client, place, people, make_member, django_capture_on_commit_callbacks
):
    km, _people = people
    sign_in(client, km.user)
    assert client.post(reverse("matching:runs")).status_code == 403  # reviews, does not start
    _am, run = _start(client, make_member, django_capture_on_commit_callbacks)
    # Another region's adviser does not find the run.
    other = make_member("accountmanager", region_code="AM22")
    sign_in(client, other.user)
    assert client.get(reverse("matching:run", kwargs={"uuid": run.uuid})).status_code == 404
    # A partner sees only suggestions of people it may see (regional consent): one.
    partner = make_member("intermediair")
    assert suggestions_visible(actor_for(partner), run).count() == 1
    # A job coach sees people but not places: no review.
    sign_in(client, make_member("jobcoach").user)
    assert client.get(reverse("matching:runs")).status_code == 403


@pytest.mark.django_db
def test_one_run_at_a_time_per_region(place, people, make_member):
    am = actor_for(make_member("accountmanager"))
    run_services.run_start(actor=am)  # not committed in this test: stays pending
    with pytest.raises(ValidationError):
        run_services.run_start(actor=am)


@pytest.mark.django_db
def test_a_failed_run_stores_no_suggestions(place, people, make_member, monkeypatch):
    am = actor_for(make_member("accountmanager"))
    run = run_services.run_start(actor=am)

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(run_services, "assign", broken)
    with pytest.raises(RuntimeError):
        run_services.execute(run, actor=run_services.run_actor(run))
    run.refresh_from_db()
    assert (
        run.status == "failed" and run.error == run_services.STOPPED
    )  # the msgid, shown translated
    with translation.override("nl"):
        assert "niets opgeslagen" in run.error_text
    assert not MatchSuggestion.objects.exists()
    with pytest.raises(run_services.RunAlreadyStarted):  # a redelivered task does not run it again
        run_services.execute(run, actor=run_services.run_actor(run))


@pytest.mark.django_db
def test_a_run_that_cannot_log_its_reads_stores_nothing(place, people, make_member, monkeypatch):
    """The suggestions, the access records and 'done' are one transaction."""
    am = actor_for(make_member("accountmanager"))
    run = run_services.run_start(actor=am)

    def broken(*args, **kwargs):
        raise RuntimeError("access log unavailable")

    monkeypatch.setattr(access, "flush", broken)
    with pytest.raises(RuntimeError):
        run_services.execute(run, actor=run_services.run_actor(run))
    run.refresh_from_db()
    assert run.status == "failed" and not MatchSuggestion.objects.exists()
    assert not suggestions_visible(actor_for(make_member("klantmanager")), run).exists()


@pytest.mark.django_db
def test_progress_is_shown_while_running(client, place, make_member):
    am = make_member("accountmanager")
    run = MatchRun.objects.create(
        region=am.organisation.region,
        started_for=am.organisation,
        status="running",
        places_total=40,
        places_done=10,
    )
    sign_in(client, am.user)
    fragment = client.get(
        reverse("matching:run", kwargs={"uuid": run.uuid}), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'value="25"' in fragment
    assert "10 van 40" in fragment


@pytest.mark.django_db
def test_review_rules_and_a_new_run_remembers_what_was_decided(
    client, place, second_place, people, make_member, django_capture_on_commit_callbacks
):
    km, _people = people
    am, run = _start(client, make_member, django_capture_on_commit_callbacks)
    kma = actor_for(km)

    def suggestion(name, in_run=run):
        return MatchSuggestion.objects.get(run=in_run, vacancy=place, candidate__last_name=name)

    # Shortlisted, then still proposed.
    run_services.suggestion_review(actor=kma, suggestion=suggestion("Twee"), action="shortlist")
    run_services.suggestion_review(actor=kma, suggestion=suggestion("Twee"), action="propose")
    assert suggestion("Twee").status == "proposed"
    # Only the serving organisation (or the run's starter) sets aside — and can undo it.
    partner = actor_for(make_member("intermediair"))
    with pytest.raises(PermissionDeniedError):
        run_services.suggestion_review(
            actor=partner, suggestion=suggestion("Gedeeld"), action="dismiss"
        )
    run_services.suggestion_review(actor=kma, suggestion=suggestion("Een"), action="dismiss")
    run_services.suggestion_review(actor=kma, suggestion=suggestion("Een"), action="reopen")
    assert suggestion("Een").status == "open"
    run_services.suggestion_review(actor=kma, suggestion=suggestion("Een"), action="dismiss")
    # The next run keeps the decisions: proposed stays proposed, set aside stays aside.
    sign_in(client, am.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matching:runs"))
    new = MatchRun.objects.exclude(pk=run.pk).get()
    assert new.status == "done"
    assert suggestion("Twee", new).status == "proposed"
    assert suggestion("Een", new).status == "dismissed"
    assert suggestion("Alle", new).status == "open"
