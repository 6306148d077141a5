"""Benchmark (issue #16): "Mijn werkvoorraad" for a klantmanager with 2,000 people.

One region; a gemeente whose klantmanager (signed in with a second factor) serves 2,000
people; an MBO school and an SW company that steps are handed to; an employer with 40 places.
The klantmanager has waiting work from every source of ``notifications.inbox.SOURCES`` that
applies to the role: routes for all 2,000 people (hand-offs to the school unanswered for too
long, declined, overdue own steps), 300 support plans with check-ins due or missed and
placements past six months to confirm, 400 proposals the employer wants to meet, 40 asks
to meet, 30 the person declined, 200 about to close without an answer (among 1,570),
a matching run with open suggestions, 200 unread notes from the school, 120 unread
messages from job seekers, open profile corrections, people whose availability is to be
reconfirmed, and finished imports not yet seen. The sources of other roles (the employer's,
the job seeker's, the WSP's requests, the administrator's invitations, the coordinator's
doorbraak list) answer ``[]`` for a klantmanager and are measured as such.

Through the whole request (middleware, template) with Django's test client, on the
database of the run (SQLite, or PostgreSQL when DATABASE_URL points at it): the page
(/inbox/), the header's count (/inbox/count/), the API (/api/v1/inbox), ``inbox_for``
directly and each source on its own (median ms and queries). In the same run, as
baselines: the home page (reads no people), one ``SELECT 1`` and the person list for the
same klantmanager; and the school's adviser's inbox (hand-offs to answer).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perspectief_bench_inbox PYTHONPATH=src \
        .venv/bin/pytest -m bench -s bench/test_bench_inbox.py -p no:cacheprovider

Results in bench/results/inbox.json, one entry per database vendor."""

import json
import os
import platform
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from benchlib import timed as _timed
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.conftest import sign_in
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PostcodeFactory,
    RegionFactory,
    TOTPDeviceFactory,
    UserFactory,
)

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.candidates.models import (
    Candidate,
    CandidateOrganisation,
    Consent,
    ProfileCorrection,
)
from perspectief.candidates.services.people import legal_basis_for
from perspectief.conversations.models import Conversation, Note, NoteRead, Post
from perspectief.core.dates import add_months
from perspectief.imports.models import ImportJob
from perspectief.matching.models import MatchRun, MatchSuggestion, Proposal
from perspectief.notifications.inbox import SOURCES, inbox_for
from perspectief.organisations.models import EmployerAccount
from perspectief.routes.models import CheckIn, Route, RouteStep, SupportPlan, WorkConfirmation
from perspectief.vacancies.models import Vacancy

RESULTS = Path(__file__).resolve().parent / "results" / "inbox.json"
PEOPLE = 2_000
AT_WORK = 300  # the first 300 people work (support plans); the others look for work
PLACES = 40


def _get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return response


def _ago(days=0, hours=0):
    return timezone.now() - timedelta(days=days, hours=hours)


def _day(days: int):
    """The local day ``days`` from today (negative: ago)."""
    return timezone.localdate() + timedelta(days=days)


def _backdate(model, pks_by_moment: dict, field="updated_at"):
    """``auto_now`` fields are set on insert; an ``update`` sets them to the moment wanted."""
    for moment, pks in pks_by_moment.items():
        model.objects.filter(pk__in=pks).update(**{field: moment})


# --- the region, its organisations and the people ---------------------------------------------


def _world():
    region = RegionFactory(code="AM18", name="Groot Amsterdam")
    town = MunicipalityFactory(code="GM0363", name="Amsterdam", region=region)
    postcode = PostcodeFactory(code="1011", municipality=town)

    def org(kind, name):
        return OrganisationFactory(kind=kind, name=name, municipality=town, region=region)

    w = SimpleNamespace(region=region, postcode=postcode)
    w.gemeente = org("gemeente", "Gemeente Amsterdam")
    w.school = org("school", "ROC van Amsterdam")
    w.sw = org("sw_bedrijf", "Pantar")
    w.wsp = org("uwv", "UWV Werkgeversservicepunt")
    w.employer_org = org("employer", "Logistiek Amsterdam BV")

    def member(organisation, role):
        membership = MembershipFactory(user=UserFactory(), organisation=organisation, role=role)
        TOTPDeviceFactory(user=membership.user)
        return membership

    w.km = member(w.gemeente, "klantmanager")
    w.colleague = member(w.gemeente, "klantmanager")
    w.adviser = member(w.school, "opleidingsadviseur")
    w.coach = member(w.sw, "jobcoach")
    # Members for two years: notes older than a membership are not its work.
    Membership.objects.update(created_at=_ago(days=730))
    w.km.refresh_from_db()
    w.employer = EmployerAccount.objects.create(organisation=w.employer_org, kvk_number="24242424")
    w.places = Vacancy.objects.bulk_create(
        Vacancy(
            employer=w.employer,
            title=f"Orderpicker {n}",
            place_type="job",
            hours_per_week=32,
            contract="tijdelijk",
            postcode=postcode,
            places=3,
            status="open",
        )
        for n in range(PLACES)
    )
    return w


def _started(i) -> int:
    """Days ago that person ``i`` (at work) started: spread over 14 months."""
    return 15 + (i * 7) % 420


def _durable(i) -> bool:
    """Past six months and confirmed, but for one in eight (nobody confirmed it yet)."""
    return _started(i) > 190 and i % 8 != 0


def _people(w):
    looking = ["in_beeld", "werkfit", "in_scholing", "bemiddelbaar"]

    def person(i):
        at_work = i < AT_WORK
        # 15% of the people looking for work were not asked to reconfirm in 90 days.
        stale = not at_work and i % 20 < 3
        return Candidate(
            first_name=f"Voornaam{i}",
            last_name=f"Achternaam{(i * 7919) % 100_003:06d}",
            region=w.region,
            postcode=w.postcode,
            klantmanager=w.km.user,
            status=("duurzaam" if _durable(i) else "geplaatst") if at_work else looking[i % 4],
            hours_per_week=32,
            availability_confirmed_at=_ago(days=120 + i % 200 if stale else i % 80),
        )

    people = Candidate.objects.bulk_create((person(i) for i in range(PEOPLE)), batch_size=1000)
    basis = legal_basis_for(w.gemeente)
    CandidateOrganisation.objects.bulk_create(
        (
            CandidateOrganisation(candidate=p, organisation=w.gemeente, legal_basis=basis)
            for p in people
        ),
        batch_size=1000,
    )
    now = _ago()
    Consent.objects.bulk_create(
        Consent(candidate=p, scope="regional_profile", method="in_person",
                statement_version="1", granted_at=now, approved_at=now)
        for p in people[::3]
    )  # fmt: skip
    return people


# --- routes ---------------------------------------------------------------------------------


def _middle_step(w, route, i):
    """The second step of a route: the part that makes work for someone (see the module)."""
    j = i % 100
    step = RouteStep(
        route=route,
        kind="mbo",
        title="Logistiek medewerker (MBO 2)",
        owner=w.school,
        planned_start=_day(-20),
        planned_end=_day(120),
    )
    if i < AT_WORK:
        step.status, step.owner, step.kind = "completed", w.gemeente, "bemiddeling"
        step.planned_start = step.planned_end = _day(-30)
    elif j < 18:  # handed over in the last days: waits for the school, not stuck yet
        step.handoff, step.handed_off_at = "pending", _ago(days=j % 4, hours=2)
    elif j < 21:  # handed over 8-20 days ago and not answered: stuck
        step.handoff, step.handed_off_at = "pending", _ago(days=8 + j % 13)
    elif j < 23:  # the school declined it
        step.handoff, step.handed_off_at = "declined", _ago(days=12)
        step.handoff_decided_at, step.decline_reason = _ago(days=9), "De opleiding is vol."
    elif j < 27:  # the gemeente's own step, past its due date
        step.owner, step.kind, step.title, step.status = w.gemeente, "werkfit", "Werkfit", "started"
        step.planned_start, step.planned_end = _day(-90), _day(-1 - j)
    elif j < 60:  # accepted by the school, running
        step.handoff, step.handed_off_at, step.status = "accepted", _ago(days=40), "started"
    elif j < 75:  # accepted by the SW company, running
        step.owner, step.kind, step.title = w.sw, "praktijkleren", "Praktijkleren"
        step.handoff, step.handed_off_at, step.status = "accepted", _ago(days=40), "started"
    else:  # the gemeente's own step, on time
        step.owner, step.kind, step.title, step.status = w.gemeente, "werkfit", "Werkfit", "started"
    return step


def _routes(w, people):
    routes = Route.objects.bulk_create(
        (Route(candidate=p, organisation=w.gemeente) for p in people), batch_size=1000
    )
    steps = []
    for i, route in enumerate(routes):
        own = {"route": route, "owner": w.gemeente}
        steps.append(
            RouteStep(**own, kind="intake", title="Intake", status="completed",
                      planned_start=_day(-150), planned_end=_day(-140),
                      actual_start=_day(-150), actual_end=_day(-141))
        )  # fmt: skip
        steps.append(_middle_step(w, route, i))
        if i >= AT_WORK:
            steps.append(
                RouteStep(**own, kind="bemiddeling", title="Bemiddeling naar werk",
                          planned_start=_day(121), planned_end=_day(200))
            )  # fmt: skip
    RouteStep.objects.bulk_create(steps, batch_size=1000)


# --- support at work ------------------------------------------------------------------------


def _support(w, people):
    """300 plans: two thirds supported by the gemeente (no jobcoach: the klantmanager's
    work), one third by the SW company's jobcoach. Check-ins after 1, 3, 6 and 12 months;
    one in twenty past ones missed; placements past six months confirmed durable, one in
    eight not yet."""
    today = _day(0)
    plans = []
    for i, person in enumerate(people[:AT_WORK]):
        by_sw = i % 3 == 2
        plans.append(
            SupportPlan(
                candidate=person,
                employer=w.employer_org,
                job_title="Orderpicker",
                organisation=w.sw if by_sw else w.gemeente,
                jobcoach=w.coach.user if by_sw else None,
                started_on=_day(-_started(i)),
                status="durable" if _durable(i) else "active",
            )
        )
    plans = SupportPlan.objects.bulk_create(plans, batch_size=1000)
    check_ins, confirmations = [], []
    for i, plan in enumerate(plans):
        for month in (1, 3, 6, 12):
            due = add_months(plan.started_on, month)
            held = due < today - timedelta(days=7) and (i + month) % 20 != 0
            check_ins.append(
                CheckIn(plan=plan, month=month, due_on=due, held_on=due if held else None)
            )
        if plan.status == "durable":
            confirmations.append(
                WorkConfirmation(
                    plan=plan,
                    confirmed_on=add_months(plan.started_on, 6),
                    source="employer",
                    method="phone",
                    still_employed=True,
                    recorded_for=plan.organisation,
                )
            )
    CheckIn.objects.bulk_create(check_ins, batch_size=1000)
    WorkConfirmation.objects.bulk_create(confirmations, batch_size=1000)


# --- proposals and the matching run ---------------------------------------------------------


PROPOSALS = (
    # (how many, status, days since the employer answered, days since last change, person)
    (400, "interested", 3, 3, ""),
    (40, "requested", None, 2, ""),
    (30, "proposed", None, 6, "declined"),
    (200, "proposed", None, 55, ""),  # closes within the notice period, no answer
    (600, "proposed", None, 20, ""),  # waiting for the employer: not the adviser's work
    (150, "not_interested", 15, 15, ""),
    (100, "no_answer", None, 70, ""),
    (50, "introduced", 25, 25, ""),
)


def _proposals(w, people):
    looking = people[AT_WORK:]
    rows, moments = [], []
    p = 0
    for count, status, answered, changed, person_answer in PROPOSALS:
        for n in range(count):
            # (person, place) pairs repeat only every 3,400 proposals: unique here.
            rows.append(
                Proposal(
                    vacancy=w.places[p % PLACES],
                    candidate=looking[p % len(looking)],
                    proposed_by=w.km.user,
                    proposed_for=w.gemeente,
                    status=status,
                    motivation="Past goed bij het werk.",
                    responded_at=_ago(days=answered + n % 4) if answered is not None else None,
                    reminded_at=_ago(days=changed - 10) if changed > 10 else None,
                    person_answer=person_answer,
                    person_answered_at=_ago(days=2) if person_answer else None,
                )
            )
            moments.append(_ago(days=changed + n % 4))
            p += 1
    rows = Proposal.objects.bulk_create(rows, batch_size=1000)
    by_moment: dict = {}
    for row, moment in zip(rows, moments, strict=True):
        by_moment.setdefault(moment, []).append(row.pk)
    _backdate(Proposal, by_moment)


def _matching_run(w, people):
    """The region's latest run: 25 people per place, four in five still to review."""
    run = MatchRun.objects.create(
        region=w.region,
        started_for=w.wsp,
        status="done",
        started_at=_ago(days=2, hours=1),
        finished_at=_ago(days=2),
        places_total=PLACES,
        places_done=PLACES,
        candidates=PEOPLE - AT_WORK,
    )
    looking = people[AT_WORK:]
    MatchSuggestion.objects.bulk_create(
        (
            MatchSuggestion(
                run=run,
                vacancy=place,
                candidate=looking[(v * 41 + rank * 67) % len(looking)],
                rank=rank + 1,
                score=1.0 - rank / 50,
                status="open" if (v + rank) % 5 else "dismissed",
            )
            for v, place in enumerate(w.places)
            for rank in range(25)
        ),
        batch_size=1000,
    )


# --- notes, messages, corrections, imports --------------------------------------------------


def _notes(w, people):
    """200 unread notes from the school to the gemeente, 150 it read, 100 it wrote."""

    def note(i, author, to):
        return Note(
            person=people[AT_WORK + (i * 13) % (PEOPLE - AT_WORK)],
            author=author,
            author_organisation=author.organisation,
            addressed_to=to,
            text="Graag even bellen over de voortgang.",
        )

    notes = Note.objects.bulk_create(
        [note(i, w.adviser, w.gemeente) for i in range(350)]
        + [note(i, w.km, w.school) for i in range(100)],
        batch_size=1000,
    )
    NoteRead.objects.bulk_create(NoteRead(note=n, membership=w.km) for n in notes[200:350])
    _backdate(
        Note, {_ago(days=d): [n.pk for n in notes[d::30]] for d in range(30)}, field="created_at"
    )


def _messages(w, people):
    """400 conversations of the gemeente; in 120 the person wrote last and nobody read it."""
    rows = []
    for i in range(400):
        unread = i < 120
        rows.append(
            Conversation(
                person=people[(i * 5) % PEOPLE],
                organisation=w.gemeente,
                last_person_post_at=_ago(days=i % 20, hours=1),
                last_staff_post_at=_ago(days=i % 20 + 1),
                staff_read_at=None if unread else _ago(days=i % 20),
                staff_read_by=None if unread else w.km.user,
            )
        )
    conversations = Conversation.objects.bulk_create(rows, batch_size=1000)
    Post.objects.bulk_create(
        (
            Post(conversation=c, from_person=from_person, author=author, text="Hoi, een vraag.")
            for c in conversations
            for from_person, author in ((False, w.km.user), (True, None))
        ),
        batch_size=1000,
    )


def _corrections_and_imports(w, people):
    """Open corrections of 50 people (one or two fields), 100 decided; two imports the
    klantmanager started and has not looked at since, ten seen."""

    rows = []
    for i in range(150):
        person = people[AT_WORK + i * 11]
        fields = ["phone", "hours_per_week"] if i % 5 == 0 else ["phone"]
        for field in fields:
            rows.append(
                ProfileCorrection(
                    candidate=person,
                    field=field,
                    proposed_value="0612345678" if field == "phone" else "24",
                    status="proposed" if i < 50 else "accepted",
                    proposed_by=person.user,
                    decided_by=None if i < 50 else w.km.user,
                    decided_for=None if i < 50 else w.gemeente,
                    decided_at=None if i < 50 else _ago(days=3),
                )
            )
    ProfileCorrection.objects.bulk_create(rows, batch_size=1000)
    ImportJob.objects.bulk_create(
        ImportJob(
            organisation=w.gemeente,
            started_by=w.km.user,
            kind="candidates",
            filename=f"klanten-{n}.xlsx",
            status="done" if n % 6 else "failed",
            total_rows=500,
            processed_rows=500,
            created=20,
            updated=470,
            rejected=10,
            started_at=_ago(days=n),
            finished_at=_ago(days=n),
            seen_at=None if n < 2 else _ago(days=n),
        )
        for n in range(12)
    )


def _populate():
    start = time.perf_counter()
    w = _world()
    people = _people(w)
    _routes(w, people)
    _support(w, people)
    _proposals(w, people)
    _matching_run(w, people)
    _notes(w, people)
    _messages(w, people)
    _corrections_and_imports(w, people)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return w, round(time.perf_counter() - start, 1)


# --- the measurement ------------------------------------------------------------------------


def _sources(actor):
    """Each source on its own: median ms, queries, items."""
    measured = {}
    for key, source in SOURCES.items():
        with CaptureQueriesContext(connection) as queries:
            items = list(source(actor))
        measured[key] = {
            "ms": _timed(lambda source=source: list(source(actor))),
            "queries": len(queries),
            "items": len(items),
        }
    return measured


def _per_kind(items) -> dict:
    return dict(sorted(Counter(i.kind for i in items).items()))


def _school(client, w, url):
    """The school's adviser: the hand-offs to answer (hundreds, capped), a second view."""
    sign_in(client, w.adviser.user)
    partner = actor_for(w.adviser)
    return {
        "items": len(inbox_for(partner)),
        "items_per_kind": _per_kind(inbox_for(partner)),
        "inbox_page_ms": _timed(lambda: _get(client, url)),
        "inbox_for_ms": _timed(lambda: len(inbox_for(partner))),
    }


def _save(result):
    result["machine"] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }
    result["date"] = date.today().isoformat()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[result["database"]] = result
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(result, indent=2))


@pytest.mark.bench
@pytest.mark.django_db
def test_bench_inbox_of_a_klantmanager_with_2000_people(client):
    w, built = _populate()
    actor = actor_for(w.km)
    items = inbox_for(actor)
    inbox_url, count_url, api_url = reverse("notifications:inbox"), "/inbox/count/", "/api/v1/inbox"
    last_page = {"page": -(-len(items) // 50)}
    sign_in(client, w.km.user)
    with CaptureQueriesContext(connection) as page_queries:
        page = _get(client, inbox_url)
    assert b"Achternaam" in page.content  # the items name the klantmanager's people
    with CaptureQueriesContext(connection) as count_queries:
        _get(client, count_url)
    with CaptureQueriesContext(connection) as api_queries:
        assert len(_get(client, api_url).json()) == len(items)

    def select_one():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    result = {
        "database": connection.vendor,
        "people": PEOPLE,
        "setup_s": built,
        "items": len(items),
        "items_per_kind": _per_kind(items),
        "overdue": sum(1 for i in items if i.overdue),
        "queries": {
            "inbox_page": len(page_queries),
            "count": len(count_queries),
            "api": len(api_queries),
        },
        "ms": {
            "baseline_select_1": _timed(select_one),
            "baseline_home_page": _timed(lambda: _get(client, reverse("home"))),
            "baseline_person_list_page": _timed(lambda: _get(client, reverse("candidates:list"))),
            "inbox_page": _timed(lambda: _get(client, inbox_url)),
            "inbox_page_last": _timed(lambda: _get(client, inbox_url, last_page)),
            "inbox_count": _timed(lambda: _get(client, count_url)),
            "api_inbox": _timed(lambda: _get(client, api_url)),
            "inbox_for": _timed(lambda: len(inbox_for(actor))),
        },
        "sources": _sources(actor),
    }
    result["school_adviser"] = _school(client, w, inbox_url)
    _save(result)
    # Every kind of the klantmanager's work is there.
    assert set(result["items_per_kind"]) >= {
        "stuck_step", "handoff_answered", "checkin", "employer_answer", "proposal_closing",
        "run_review", "note", "message", "correction", "reconfirmation", "import_done",
    }  # fmt: skip
