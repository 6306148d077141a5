"""Every route × method × role answers as declared in authz_matrix.MATRIX, and every
route of the project is declared there (security promise 1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from perspectief.accounts.models import ApiToken, hash_token
from perspectief.api.permissions import DenyAll
from perspectief.candidates.models import CandidateMerge, DuplicatePair
from perspectief.catalogue.models import Offer, OfferEdition
from perspectief.imports.models import ImportJob
from perspectief.matching.models import MatchRun, MatchSuggestion, Proposal, ShortlistEntry
from perspectief.monitoring.models import ActionPlan
from perspectief.organisations.models import EmployerAccount, EmployerContact, EmployerLocation
from perspectief.routes.models import (
    Route,
    RouteStep,
    RouteTemplate,
    RouteTemplateStep,
    SupportPlan,
)
from perspectief.vacancies.models import CohortMember, EmployerRequest, IntakePhase, Vacancy

from .authz_matrix import ANON, EVERYONE, MATRIX
from .conftest import build_world, member_maker, sign_in
from .factories import CandidateFactory, MembershipFactory, OrganisationFactory

METHODS = ("GET", "POST")
WORLD_BSN = "111222333"
#: The only answers that may carry a BSN: the person's own data, given to them.
BSN_ALLOWED = {
    "candidates:export",
    "candidates:self-export",
    "candidates:document",
    "candidates:self-document",
}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback


def project_routes() -> dict[str, object]:
    return dict(_walk(get_resolver().url_patterns))


def _policy(callback):
    cls = getattr(callback, "cls", None)
    if cls is not None:  # DRF view
        classes = getattr(cls, "permission_classes", None) or []
        policies = [getattr(c, "access_policy", None) for c in classes]
        if not classes or DenyAll in classes or None in policies:
            return None
        return policies
    return getattr(callback, "access_policy", None)


def test_every_route_is_named_and_declared():
    """A route without a name, or missing from the matrix, fails the build."""
    routes = project_routes()
    unnamed = [name for name in routes if name.endswith("None")]
    assert not unnamed, f"unnamed routes: {unnamed}"
    missing = sorted(set(routes) - set(MATRIX))
    assert not missing, f"routes without a declared outcome in tests/authz_matrix.py: {missing}"
    stale = sorted(set(MATRIX) - set(routes))
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


def test_every_view_declares_an_access_policy():
    undeclared = sorted(name for name, cb in project_routes().items() if _policy(cb) is None)
    assert not undeclared, f"views without public/signed_in/requires or Requires(): {undeclared}"


def test_every_route_declares_every_role_for_get_and_post():
    for name, (_kwargs, methods) in MATRIX.items():
        assert set(methods) == set(METHODS), name
        for method, expected in methods.items():
            assert set(expected) == set(EVERYONE), (name, method)


class MatrixWorld:
    """Objects the parametrised routes point at, all in region AM18."""

    def __init__(self, world, make_member):
        self.base = world
        self.occupation = world.occupation
        self.organisation = OrganisationFactory(municipality=world.amsterdam)
        self.colleague_membership = make_member("klantmanager")
        self.colleague = self.colleague_membership.user
        self.candidate = CandidateFactory(
            served_by=self.colleague_membership.organisation, regional_consent=True, bsn=WORLD_BSN
        )
        served_by = self.colleague_membership.organisation
        first = CandidateFactory(served_by=served_by)
        second = CandidateFactory(served_by=served_by)
        self.pair = DuplicatePair.objects.create(first=first, second=second, reason="test")
        merged = CandidateFactory(served_by=served_by)
        merged.merged_into = first
        merged.save()
        self.merge = CandidateMerge.objects.create(
            survivor=first,
            merged=merged,
            moved={
                "servings": [],
                "consents": [],
                "occupations": [],
                "skills": [],
                "groups": [],
                "fields": {},
                "bsn": False,
            },
        )
        self.employer = EmployerAccount.objects.create(
            organisation=OrganisationFactory(kind="employer", municipality=world.amsterdam),
            kvk_number="12345678",
        )
        self.employer_location = EmployerLocation.objects.create(
            account=self.employer, name="Magazijn", postcode=world.amsterdam.postcodes.first()
        )
        self.employer_contact = EmployerContact.objects.create(account=self.employer, name="Els")
        self.vacancy = Vacancy.objects.create(
            employer=self.employer,
            title="Orderpicker",
            place_type="job",
            hours_per_week=32,
            contract="vast",
            postcode=world.amsterdam.postcodes.first(),
            places=3,
        )
        self.phase = IntakePhase.objects.create(
            vacancy=self.vacancy, starts_on=date(2027, 3, 1), places=2
        )
        self.cohort_member = CohortMember.objects.create(
            vacancy=self.vacancy,
            candidate=self.candidate,
            phase=self.phase,
            added_by=self.colleague_membership.organisation,
        )
        self.proposal = Proposal.objects.create(
            vacancy=self.vacancy,
            candidate=self.candidate,
            proposed_for=self.colleague_membership.organisation,
        )
        self.shortlist_entry = ShortlistEntry.objects.create(
            vacancy=self.vacancy,
            candidate=self.candidate,
            added_for=self.colleague_membership.organisation,
            reason="test",
        )
        self.match_run = MatchRun.objects.create(
            region=world.am18,
            started_for=self.colleague_membership.organisation,
            status="done",
            places_total=1,
            places_done=1,
        )
        self.suggestion = MatchSuggestion.objects.create(
            run=self.match_run, vacancy=self.vacancy, candidate=self.candidate, rank=1, score=0.5
        )
        self.offer = Offer.objects.create(
            provider=OrganisationFactory(kind="school", municipality=world.amsterdam),
            region=world.am18,
            kind="werkfit",
            title="Werkfit",
            funding="participatiewet",
            online=True,
        )
        # A route of the world's person, with a step handed to the offer's school, a
        # template of the region and a support plan after a hire.
        gemeente = self.colleague_membership.organisation
        self.edition = OfferEdition.objects.create(
            offer=self.offer, starts_on=date(2027, 2, 1), seats=10
        )
        self.route = Route.objects.create(candidate=self.candidate, organisation=gemeente)
        self.route_step = RouteStep.objects.create(
            route=self.route,
            kind="werkfit",
            title="Werkfit",
            owner=self.offer.provider,
            offer=self.offer,
            planned_start=date(2027, 1, 4),
            planned_end=date(2027, 2, 1),
            handoff="pending",
            handed_off_at=timezone.now(),
        )
        self.route_template = RouteTemplate.objects.create(
            region=world.am18, name="Werkfit en logistiek", made_by=gemeente
        )
        RouteTemplateStep.objects.create(
            template=self.route_template, position=1, kind="werkfit", title="Werkfit", weeks=4
        )
        self.support_plan = SupportPlan.objects.create(
            candidate=self.candidate,
            employer=self.employer.organisation,
            job_title="Orderpicker",
            organisation=gemeente,
            started_on=date(2026, 10, 1),
        )
        self.action_plan = ActionPlan.objects.create(
            region=world.am18,
            title="Doe-agenda",
            period_start=date(2026, 1, 1),
            period_end=date(2027, 12, 31),
            lead=gemeente,
            employer_lead="Werkgeversvereniging",
            ambition=100,
            budget=1000000,
        )
        self.employer_request = EmployerRequest.objects.create(
            region=world.am18,
            company_name="Bakkerij",
            contact_name="Piet",
            email="piet@example.invalid",
            postcode=world.amsterdam.postcodes.first(),
            message="Wij zoeken een leerling",
            due_at=timezone.now(),
        )
        self.place_import_job = ImportJob.objects.create(
            kind="places",
            organisation=self.colleague_membership.organisation,
            filename="plekken.csv",
            rejected=1,
        )
        self.import_job = ImportJob.objects.create(
            organisation=self.colleague_membership.organisation, filename="x.csv", rejected=1
        )
        for job in (self.place_import_job, self.import_job):  # the rows behind "rejected"
            job.rejections.create(line=2, reason_nl="fout", reason_en="wrong", values={})

    def keep(self) -> None:
        """Note every object's field values as built (see :meth:`restore`)."""
        self._kept = {
            name: {f.attname: getattr(value, f.attname) for f in value._meta.concrete_fields}
            for name, value in vars(self).items()
            if isinstance(value, Model)
        }

    def restore(self) -> None:
        """Undo what a case changed in memory: its rows are rolled back after it, but the
        objects it changed (a proposal hired, a person linked) are shared by every case."""
        for name, fields in self._kept.items():
            obj = getattr(self, name)
            for attname, value in fields.items():
                setattr(obj, attname, value)
            obj._state.fields_cache.clear()

    def link_self(self, membership):
        """Give a requesting job seeker their own record; no URL arguments."""
        if membership is not None and membership.role == "werkzoekende":
            self.candidate.user = membership.user
            self.candidate.save(update_fields=["user"])
        return {}

    def own_employer_account(self, membership):
        """Register the requesting employer's organisation as an employer account (as the
        WSP does), so its portal has something to show; no URL arguments."""
        if membership is not None and membership.role == "werkgever":
            EmployerAccount.objects.get_or_create(
                organisation=membership.organisation, defaults={"kvk_number": "87654321"}
            )
        return {}

    def token_for(self, membership):
        membership = membership or MembershipFactory(organisation=self.organisation)
        raw = ApiToken.generate()
        return ApiToken.objects.create(
            membership=membership, name="matrix", prefix=raw[:8], key_hash=hash_token(raw)
        )


CASES = [
    (name, method, role)
    for name, (_kwargs, methods) in sorted(MATRIX.items())
    for method in METHODS
    for role in EVERYONE
]


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The world and one member per role, built once for the module's thousands of cases
    inside a transaction that is rolled back at the module's end (what Django's
    ``TestCase.setUpTestData`` does). Each case runs in a savepoint of its own within it, as
    every database test does, so nothing a case writes reaches the next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        base = build_world()
        make = member_maker(base)
        matrix_world = MatrixWorld(base, make)
        matrix_world.keep()
        members = {role: make(role, "AM18") for role in EVERYONE if role != ANON}
        yield matrix_world, members
        transaction.set_rollback(True)


@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_route_answers_as_declared(name, method, role, client, db, matrix):
    matrix_world, members = matrix
    matrix_world.restore()
    membership = None
    if role != ANON:
        membership = members[role]
        sign_in(client, membership.user)
    kwargs_builder, methods = MATRIX[name]
    kwargs = kwargs_builder(matrix_world, membership) if callable(kwargs_builder) else {}
    url = reverse(name, kwargs=kwargs or None)
    response = client.generic(method, url)
    assert response.status_code == methods[method][role], (
        f"{method} {url} as {role}: {response.status_code}, declared {methods[method][role]}"
    )
    if name not in BSN_ALLOWED:
        assert WORLD_BSN.encode() not in response.content, f"{method} {url} shows a BSN"
