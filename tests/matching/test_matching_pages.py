"""Matching in the platform: ranked, explained candidates for a place among the people an
adviser may see (names only for serving organisations), ranked places for a person, and an
access record for every person ranked."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from perspectief.accounts.actor import actor_for
from perspectief.audit.models import AccessRecord
from perspectief.core.exceptions import PermissionDeniedError
from perspectief.matching import engine_records
from perspectief.matching.engine.records import Weights
from perspectief.matching.models import EmployerPseudonym, MatchRun, MatchSuggestion, ShortlistEntry
from perspectief.matching.selectors import employer as employer_side
from perspectief.matching.selectors.explanation import CRITERIA_LABELS
from perspectief.matching.selectors.shortlists import shortlist_visible
from perspectief.matching.services import proposals, shortlists
from perspectief.vacancies.models import IntakePhase
from tests.conftest import matchable_person, sign_in
from tests.factories import CandidateFactory, OrganisationFactory


@pytest.mark.django_db
def test_ranked_candidates_explained_and_logged(client, place, esco, make_member):
    _occupation, skills = esco
    km = make_member("klantmanager")
    matchable_person(km, skills, last_name="Allesweter")
    some = matchable_person(km, skills[:1], last_name="Beetjewel")
    matchable_person(km, [], last_name="Nogniet", regional_consent=True)
    CandidateFactory(served_by=km.organisation, status="aangemeld")  # not matchable: absent
    sign_in(client, km.user)
    page = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid}))
    html = page.content.decode()
    assert html.index("Allesweter") < html.index("Beetjewel") < html.index("Nogniet")
    assert "vaardigheid 2" in html  # the gap of the one with a single skill
    assert AccessRecord.objects.filter(activity="candidate.matching").count() == 3
    # A partner (regional consent only) sees the label, not the name, and no priority.
    sign_in(client, make_member("intermediair").user)
    html = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid})).content.decode()
    assert "Nogniet" not in html and "Allesweter" not in html
    assert "priorit" not in html.lower()
    # Places for a person, explained.
    sign_in(client, km.user)
    html = client.get(reverse("matching:places", kwargs={"uuid": some.uuid})).content.decode()
    assert "Testplek" in html and "vaardigheid 1" in html


@pytest.mark.django_db
def test_a_partner_cannot_read_a_priority_group_from_the_score(client, place, esco, make_member):
    """The priority criterion is hidden from organisations that do not serve the person —
    from the total too, or the score minus the criteria shown would give it away."""
    _occupation, skills = esco
    km = make_member("klantmanager")
    person = matchable_person(km, skills, regional_consent=True)
    person.target_group_rows.create(group="langdurig")  # a priority group
    sign_in(client, km.user)
    own = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid})).context["rows"]
    sign_in(client, make_member("intermediair").user)
    shown = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid})).context["rows"]
    [own], [shown] = own, shown
    label = str(CRITERIA_LABELS["priority"])
    priority_points = next(c["points"] for c in own["criteria"] if str(c["label"]) == label)
    assert priority_points > 0
    assert abs(own["score"] - sum(c["points"] for c in own["criteria"])) <= 1
    assert abs(shown["score"] - sum(c["points"] for c in shown["criteria"])) <= 1
    assert shown["score"] == own["score"] - priority_points
    # Nor from the score kept on the shortlist.
    entry = shortlists.shortlist_add(actor=actor_for(km), vacancy=place, candidate=person)
    assert entry.engine_priority > 0
    [seen], _hidden = shortlist_visible(actor=actor_for(make_member("intermediair")), vacancy=place)
    [served], _hidden = shortlist_visible(actor=actor_for(km), vacancy=place)
    assert served.shown_score == pytest.approx(entry.engine_score)
    assert seen.shown_score == pytest.approx(entry.engine_score - entry.engine_priority)


@pytest.mark.django_db
def test_adapter_maps_the_profile_to_the_engine(place, esco, make_member):
    occupation, skills = esco
    km = make_member("klantmanager")
    person = matchable_person(km, skills, driving_licence=True, hours_per_week=24, dutch_level="B1")
    person.target_group_rows.create(group="langdurig")
    record = engine_records.candidate_record(person)
    assert record.skills == [s.uri for s in skills]
    assert (record.hours, record.dutch_level, record.priority) == (24, 3, 1.0)
    assert record.lat is not None and record.max_distance_km == 30
    v = engine_records.vacancy_record(place)
    assert v.occupation == occupation.uri and len(v.essential_skills) == 3 and v.places == 2


@pytest.mark.django_db
def test_shortlist_records_the_engine_verdict_or_a_reason(client, place, esco, make_member):
    _occupation, skills = esco
    km = make_member("klantmanager")
    ranked = matchable_person(km, skills, last_name="Gerankt")
    waiting = CandidateFactory(served_by=km.organisation, status="aangemeld", regional_consent=True)
    actor = actor_for(km)
    entry = shortlists.shortlist_add(actor=actor, vacancy=place, candidate=ranked)
    assert entry.engine_score is not None and entry.reason == ""
    with pytest.raises(Exception, match=r"reden|reason"):
        shortlists.shortlist_add(actor=actor, vacancy=place, candidate=waiting)
    other = shortlists.shortlist_add(
        actor=actor, vacancy=place, candidate=waiting, reason="sterke motivatie, net aangemeld"
    )
    assert other.engine_score is None
    with pytest.raises(Exception, match="shortlist"):
        shortlists.shortlist_add(actor=actor, vacancy=place, candidate=ranked)
    # Another organisation sees the label and cannot take the gemeente's entry off.
    intermediary = make_member("intermediair")
    with pytest.raises(PermissionDeniedError):
        shortlists.shortlist_remove(actor=actor_for(intermediary), entry=other)
    sign_in(client, intermediary.user)
    html = client.get(reverse("vacancies:detail", kwargs={"uuid": place.uuid})).content.decode()
    assert waiting.partner_label in html and waiting.last_name not in html
    ranked_page = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid}))
    assert ranked_page.status_code == 200
    shortlists.shortlist_remove(actor=actor, entry=other)
    assert list(ShortlistEntry.objects.values_list("candidate_id", flat=True)) == [ranked.pk]


@pytest.mark.django_db
def test_cohort_button_only_on_a_bulk_request_and_the_employer_code_for_advisers(
    client, place, esco, make_member
):

    _occupation, skills = esco
    km = make_member("klantmanager")
    person = matchable_person(km, skills)
    sign_in(client, km.user)
    url = reverse("matching:candidates", kwargs={"uuid": place.uuid})
    assert "Toevoegen aan het cohort" not in client.get(url).content.decode()
    IntakePhase.objects.create(vacancy=place, starts_on=datetime.date(2027, 3, 1), places=2)
    assert "Toevoegen aan het cohort" in client.get(url).content.decode()
    # The employer knows the person by a code; the klantmanager sees which, on a call.
    proposals.proposal_create(actor=actor_for(km), vacancy=place, candidate=person)
    code = employer_side.codes_for(place.employer, [person])[person.pk]  # the employer looked
    assert EmployerPseudonym.objects.filter(code=code).exists()
    page = client.get(reverse("candidates:detail", kwargs={"uuid": person.uuid})).content.decode()
    assert f"kent de persoon als {code}" in page


@pytest.mark.django_db
def test_the_explanation_gives_points_with_their_maximum_and_says_where_skill_points_come_from(
    client, place, esco, make_member
):
    """ "beroep: 20" said nothing without its maximum, and a person with points for the
    essential skills was listed as missing all of them: the points came from a skill the
    employer teaches on the job (#14 item 14)."""
    place.skills.filter(skill=esco[1][0]).update(teachable=True)
    km = make_member("klantmanager")
    matchable_person(km, [], last_name="Zonder", regional_consent=True)  # none of the 3 skills
    sign_in(client, km.user)
    page = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid}))
    [row] = page.context["rows"]
    weights = Weights().as_dict()
    maxima = {str(CRITERIA_LABELS[name]): round(100 * w) for name, w in weights.items()}
    assert {str(c["label"]): c["max"] for c in row["criteria"]} == maxima
    essential = next(c for c in row["criteria"] if c["max"] == maxima["essentiële vaardigheden"])
    assert 0 < essential["points"] < essential["max"]
    html = page.content.decode()
    assert f"essentiële vaardigheden: {essential['points']} van {essential['max']}" in html
    assert f"score {row['score']} van 100" in html
    assert "Mist 3 van de 3 essentiële vaardigheden" in html
    # The points for a skill the person lacks are explained where it is listed.
    assert "die de werkgever op de werkplek leert, telt voor 75% mee" in html
    # A partner does not see the priority criterion: the maximum shown leaves it out too.
    sign_in(client, make_member("intermediair").user)
    page = client.get(reverse("matching:candidates", kwargs={"uuid": place.uuid}))
    [row] = page.context["rows"]
    without_priority = 100 - maxima[str(CRITERIA_LABELS["priority"])]
    assert f"score {row['score']} van {without_priority}" in page.content.decode()


@pytest.mark.django_db
def test_equal_shown_scores_are_not_ordered_by_the_hidden_priority(
    client, world, place, make_member
):
    """Two people a partner sees with the same score: the run ranked the one with the
    priority bonus first. Keeping the run's order among equal scores would give the bonus
    away, so ties go by the person's random UUID (#14 item 19)."""

    uwv = OrganisationFactory(kind="uwv", municipality=world.amsterdam)
    bonus = CandidateFactory(served_by=uwv, regional_consent=True, uuid=uuid.UUID(int=2**128 - 1))
    plain = CandidateFactory(served_by=uwv, regional_consent=True, uuid=uuid.UUID(int=1))
    am = make_member("accountmanager")
    run = MatchRun.objects.create(
        region=world.amsterdam.region, started_for=am.organisation, status="done"
    )
    for rank, person, score, priority in ((1, bonus, 0.338, 0.08), (2, plain, 0.258, 0.0)):
        MatchSuggestion.objects.create(
            run=run,
            vacancy=place,
            candidate=person,
            rank=rank,
            score=score,
            contributions={"essential_skills": score - priority, "priority": priority},
        )
    sign_in(client, am.user)
    url = reverse("matching:run-place", kwargs={"uuid": run.uuid, "vacancy": place.uuid})
    rows = client.get(url).context["rows"]
    assert [r["score"] for r in rows] == [26, 26]
    assert [r["candidate"] for r in rows] == [plain, bonus]


@pytest.mark.django_db
def test_the_places_of_a_person_say_why_the_person_cannot_be_proposed(client, place, make_member):
    """From the walk of #18: "cannot be proposed now (status: bemiddelbaar; or availability
    not reconfirmed)" made a klantmanager wonder what was wrong with "bemiddelbaar". The
    page names the one that stops it."""
    from datetime import timedelta

    from django.utils import timezone

    km = make_member("klantmanager")
    stale = matchable_person(km, [])
    stale.availability_confirmed_at = timezone.now() - timedelta(days=400)
    stale.status = "bemiddelbaar"
    stale.save(update_fields=["availability_confirmed_at", "status"])
    registered = matchable_person(km, [])
    registered.status = "aangemeld"
    registered.save(update_fields=["status"])
    sign_in(client, km.user)
    client.cookies.load({"django_language": "en"})
    with translation.override("en"):  # the requests leave their language active
        html = client.get(reverse("matching:places", kwargs={"uuid": stale.uuid})).content.decode()
        assert "availability was not reconfirmed recently" in html and "(status:" not in html
        url = reverse("matching:places", kwargs={"uuid": registered.uuid})
        html = client.get(url).content.decode()
        assert "(status: registered)" in html and "reconfirmed" not in html
