"""Rules of a matching run between its start and its end: who may cancel it (over the API
too), and people who drop out of view while it ranks are not suggested."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.candidates.models import CandidateOrganisation, Consent
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.matching.models import MatchRun, MatchSuggestion, RunScore
from perspectief.matching.services import run_chunks
from perspectief.matching.services import runs as run_services
from tests.conftest import matchable_person, sign_in
from tests.factories import MembershipFactory, OrganisationFactory, TOTPDeviceFactory

from .test_distributed_run import people, places


def _other_account_manager(world):
    """An account manager of UWV in the same region: another organisation."""
    uwv = OrganisationFactory(kind="uwv", municipality=world.amsterdam, region=world.am18)
    membership = MembershipFactory(organisation=uwv, role="accountmanager")
    TOTPDeviceFactory(user=membership.user)  # staff sign in with a second factor
    return membership


@pytest.mark.django_db
def test_only_the_starting_organisation_cancels_a_run_over_the_api(
    client, world, esco, make_member, django_capture_on_commit_callbacks
):
    places(world, esco, count=2)
    people(esco, make_member, count=2)
    am = make_member("accountmanager")
    with django_capture_on_commit_callbacks(execute=False):
        run = run_services.run_start(actor=actor_for(am))
    url = f"/api/v1/match-runs/{run.uuid}/cancel"

    sign_in(client, _other_account_manager(world).user)
    assert client.get(f"/api/v1/match-runs/{run.uuid}").status_code == 200  # sees it
    page = client.get(reverse("matching:run", kwargs={"uuid": run.uuid}))
    assert (
        page.status_code == 200
        and reverse("matching:run-cancel", kwargs={"uuid": run.uuid}) not in page.content.decode()
    )
    refused = client.post(url)
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    sign_in(client, make_member("klantmanager").user)  # the same gemeente, may not start runs
    assert client.post(url).status_code == 403
    run.refresh_from_db()
    assert run.status == "pending"

    sign_in(client, am.user)
    page = client.get(reverse("matching:run", kwargs={"uuid": run.uuid}))
    assert reverse("matching:run-cancel", kwargs={"uuid": run.uuid}) in page.content.decode()
    cancelled = client.post(url)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(url)
    assert again.status_code == 400  # already finished
    # Another region's account manager does not see the run at all.
    sign_in(client, make_member("accountmanager", "AM22").user)
    assert client.post(url).status_code == 404


@pytest.mark.django_db
def test_people_who_drop_out_of_view_during_a_run_are_not_suggested(
    world, esco, make_member, django_capture_on_commit_callbacks
):
    places(world, esco)
    people(esco, make_member)
    am = make_member("accountmanager")  # the same gemeente as the people's klantmanager
    # A person UWV serves, seen by the gemeente through their regional consent.
    uwv = _other_account_manager(world).organisation
    uwv_km = MembershipFactory(organisation=uwv, role="klantmanager")
    _occupation, skills = esco
    consenting = matchable_person(uwv_km, skills, last_name="Toestemming", regional_consent=True)
    with django_capture_on_commit_callbacks(execute=False):
        run = run_services.run_start(actor=actor_for(am))
    actor = run_services.run_actor(run)
    for chunk_id in run_services.start(run, actor=actor):
        run_chunks.rank_chunk(chunk_id)
    ranked, _best = run_chunks.results(run)
    ranked_ids = {m.id for _place, matches in ranked for m in matches}
    # While the run ranked: the consent is withdrawn, and the gemeente stops serving someone.
    assert str(consenting.uuid) in ranked_ids
    Consent.objects.filter(candidate=consenting).update(revoked_at=timezone.now())
    served = CandidateOrganisation.objects.filter(organisation=am.organisation, is_active=True)
    dropped = next(s.candidate for s in served if str(s.candidate.uuid) in ranked_ids)
    served.filter(candidate=dropped).update(is_active=False)

    assert run_services.finish(run, actor=actor) is True
    run.refresh_from_db()
    assert run.status == "done" and run.suggestions_count > 0
    stored = set(MatchSuggestion.objects.filter(run=run).values_list("candidate_id", flat=True))
    assert consenting.pk not in stored and dropped.pk not in stored
    assert not RunScore.objects.filter(run=run, candidate__in=[consenting, dropped]).exists()
    # The ranks close up behind them: 1, 2, … at every place.
    for vacancy_id in set(MatchSuggestion.objects.filter(run=run).values_list("vacancy_id")):
        ranks = list(
            MatchSuggestion.objects.filter(run=run, vacancy_id=vacancy_id[0])
            .order_by("rank")
            .values_list("rank", flat=True)
        )
        assert ranks == list(range(1, len(ranks) + 1))
    assert MatchRun.objects.get(pk=run.pk).assigned <= run.suggestions_count


@pytest.mark.django_db
def test_one_run_at_a_time_per_region_and_the_regions_side_by_side(
    world, make_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        amsterdam = run_services.run_start(actor=actor_for(make_member("accountmanager")))
        rotterdam = run_services.run_start(actor=actor_for(make_member("accountmanager", "AM22")))
        with pytest.raises(ValidationError):
            run_services.run_start(actor=actor_for(make_member("accountmanager")))
    assert (amsterdam.region_id, rotterdam.region_id) == (world.am18.pk, world.am22.pk)
    # The national support team sees no person: it starts no run, here or anywhere.
    with pytest.raises(PermissionDeniedError):
        run_services.run_start(actor=actor_for(make_member("ondersteuningsteam")))
