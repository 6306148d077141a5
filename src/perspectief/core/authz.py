"""The authorisation vocabulary: roles, the permissions they carry, and the actor protocol
that services take.

This is the single place where the authorisation model is written down (see
docs/adr/0002-authorisation-model.md). It holds no models, so every app, however low in
the layers, can declare what its views require without depending on ``accounts`` (where
users and memberships live). The access policies that wrap views are in
:mod:`perspectief.core.policies`.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    KLANTMANAGER = "klantmanager", _("client manager (klantmanager)")
    ACCOUNTMANAGER = "accountmanager", _("WSP account manager")
    EMPLOYER = "werkgever", _("employer (werkgever)")
    INTERMEDIARY = "intermediair", _("intermediary / jobhunter")
    TRAINING_ADVISOR = "opleidingsadviseur", _("training advisor (opleidingsadviseur)")
    JOBCOACH = "jobcoach", _("job coach")
    PROGRAMME_MANAGER = "programmamanager", _("regional programme manager")
    SZW_ANALYST = "analist_szw", _("SZW analyst")
    SUPPORT_TEAM = "ondersteuningsteam", _("national support team (Landelijk ondersteuningsteam)")
    FUNCTIONAL_ADMIN = (
        "functioneel_beheerder",
        _("functional administrator (functioneel beheerder)"),
    )
    CANDIDATE = "werkzoekende", _("job seeker (werkzoekende)")


class Permission(models.TextChoices):
    VIEW_REFERENCE_DATA = "reference.view", _("view reference data")
    VIEW_ORGANISATIONS = "organisations.view", _("view participating organisations")
    MANAGE_ORGANISATIONS = "organisations.manage", _("manage organisations of the region")
    MANAGE_USERS = "users.manage", _("manage users and memberships of the region")
    MANAGE_REGION = "region.manage", _("manage the region's settings")
    VIEW_ACCESS_LOG = "access_log.view", _("inspect the access log for a person")
    MANAGE_OWN_TOKENS = "tokens.manage_own", _("create and revoke own API tokens")
    VIEW_CANDIDATES = "candidates.view", _("view job seekers (as the visibility rule allows)")
    MANAGE_CANDIDATES = "candidates.manage", _("register, import and update job seekers")
    VIEW_HEALTH = "candidates.view_health", _("view functional limitations of job seekers")
    VIEW_OWN_PROFILE = "candidates.view_own", _("see one's own profile, consent and data")
    VIEW_EMPLOYERS = "employers.view", _("view the region's employers and their account owner")
    MANAGE_EMPLOYERS = (
        "employers.manage",
        _("register employers, own employer accounts, record contact moments"),
    )
    MANAGE_PLACES = "places.manage", _("create and change an employer's places")
    RUN_MATCHING = (
        "matching.run",
        _("start the region's matching run (suggestions for advisers to review)"),
    )
    MATCHING_REPORT = (
        "matching.report",
        _("see the fairness report of the matching (aggregates only)"),
    )
    CONFIGURE_MATCHING = (
        "matching.configure",
        _("set the region's matching configuration: the criteria's weights and minimum score"),
    )
    VIEW_CATALOGUE = (
        "catalogue.view",
        _("see the region's catalogue of services and training"),
    )
    MANAGE_OFFERS = (
        "catalogue.manage",
        _("offer services and training in the region's catalogue (own organisation)"),
    )
    VIEW_ROUTES = (
        "routes.view",
        _("see the routes of people served and the steps handed to the organisation"),
    )
    PLAN_ROUTES = (
        "routes.plan",
        _("plan routes for people the organisation serves and hand steps to partners"),
    )
    MANAGE_ROUTE_TEMPLATES = "routes.templates", _("keep the region's route templates")
    VIEW_STUCK = (
        "routes.stuck",
        _("see the region's stuck steps and hand-offs (doorbraak list)"),
    )
    RECORD_SUPPORT = (
        "support.record",
        _("support placed people at work: check-ins, drop-out, durable placement"),
    )
    MANAGE_PLANS = (
        "plans.manage",
        _("record and revise the region's action plan, its activities and spend"),
    )
    VIEW_INDICATORS = (
        "indicators.view",
        _("see the region's indicators (the PoW-dashboard); people only as otherwise allowed"),
    )
    NATIONAL_INDICATORS = (
        "indicators.national",
        _("compare the regions (aggregates only, small numbers suppressed)"),
    )
    VIEW_INSTRUMENTS = (
        "instruments.view",
        _("see the employer instruments and what a hire can get (the harmonisation table too)"),
    )
    MANAGE_INSTRUMENTS = (
        "instruments.manage",
        _("keep the region's own instruments and the gemeenten's variations"),
    )
    RECORD_APPLICATIONS = (
        "instruments.apply",
        _("record instrument applications on hires: decision, amounts paid, deadlines"),
    )
    VIEW_FUNDING = "funding.view", _("see the funding pots of the region and what they pay for")
    MANAGE_FUNDING = "funding.manage", _("keep the region's funding pots")
    VIEW_LESSONS = "lessons.view", _("read and search the leeragenda's lessons of all regions")
    WRITE_LESSONS = (
        "lessons.write",
        _("write lessons for the leeragenda, react to them and mark them as taken over"),
    )
    REFLECT = "reflection.answer", _("answer the region's periodic reflection")
    REPORT_PROGRESS = (
        "progress.report",
        _("answer the support team's quarterly questionnaire and ask it for support"),
    )
    SUPPORT_REGIONS = (
        "support.manage",
        _(
            "as the national support team: publish questionnaires, see every region's plans, "
            "lessons and reflections, answer support requests"
        ),
    )
    EMPLOYER_PORTAL = (
        "employer.portal",
        _("as an employer: see proposed candidates and search anonymous profiles"),
    )


P = Permission

_EVERYONE = {P.VIEW_REFERENCE_DATA, P.VIEW_ORGANISATIONS}
_STAFF = _EVERYONE | {P.MANAGE_OWN_TOKENS}

_CATALOGUE = {P.VIEW_CATALOGUE}
_INSTRUMENTS = {P.VIEW_INSTRUMENTS, P.VIEW_FUNDING}
_APPLICATIONS = _INSTRUMENTS | {P.RECORD_APPLICATIONS}
_PROVIDER = {P.VIEW_CATALOGUE, P.MANAGE_OFFERS}
#: The leeragenda is for the programme's professionals, never employers or job seekers.
_LEARNING = {P.VIEW_LESSONS, P.WRITE_LESSONS, P.REFLECT}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.KLANTMANAGER: frozenset(
        _STAFF
        | _LEARNING
        | _PROVIDER
        | {P.VIEW_CANDIDATES, P.MANAGE_CANDIDATES, P.VIEW_HEALTH, P.VIEW_EMPLOYERS}
        | {P.VIEW_ROUTES, P.PLAN_ROUTES, P.MANAGE_ROUTE_TEMPLATES, P.RECORD_SUPPORT}
        | {P.VIEW_INDICATORS}
        | _APPLICATIONS
    ),
    Role.ACCOUNTMANAGER: frozenset(
        _STAFF
        | _LEARNING
        | _APPLICATIONS
        | {
            P.VIEW_CANDIDATES,
            P.VIEW_EMPLOYERS,
            P.MANAGE_EMPLOYERS,
            P.MANAGE_PLACES,
            P.RUN_MATCHING,
            P.MATCHING_REPORT,
            P.VIEW_CATALOGUE,
            P.VIEW_INDICATORS,
        }
    ),
    Role.EMPLOYER: frozenset(
        _EVERYONE | {P.MANAGE_OWN_TOKENS, P.VIEW_EMPLOYERS, P.MANAGE_PLACES, P.EMPLOYER_PORTAL}
    ),
    Role.INTERMEDIARY: frozenset(
        _STAFF
        | _LEARNING
        | _PROVIDER
        | {P.VIEW_CANDIDATES, P.VIEW_EMPLOYERS, P.MANAGE_EMPLOYERS, P.MANAGE_PLACES}
        | {P.VIEW_ROUTES, P.RECORD_SUPPORT}
        | _APPLICATIONS
    ),
    Role.TRAINING_ADVISOR: frozenset(
        _STAFF | _LEARNING | _PROVIDER | _INSTRUMENTS | {P.VIEW_CANDIDATES, P.VIEW_ROUTES}
    ),
    Role.JOBCOACH: frozenset(
        _STAFF
        | _LEARNING
        | _CATALOGUE
        | _INSTRUMENTS
        | {P.VIEW_CANDIDATES, P.VIEW_HEALTH, P.VIEW_ROUTES, P.RECORD_SUPPORT}
    ),
    Role.PROGRAMME_MANAGER: frozenset(
        _STAFF
        | _CATALOGUE
        | {P.VIEW_EMPLOYERS, P.MATCHING_REPORT, P.MANAGE_ROUTE_TEMPLATES, P.VIEW_STUCK}
        | {P.MANAGE_PLANS, P.VIEW_INDICATORS, P.CONFIGURE_MATCHING}
        | _LEARNING
        | {P.REPORT_PROGRESS}
        | _INSTRUMENTS
        | {P.MANAGE_INSTRUMENTS, P.MANAGE_FUNDING}
    ),
    Role.SZW_ANALYST: frozenset(_STAFF | {P.NATIONAL_INDICATORS, P.VIEW_LESSONS}),
    Role.SUPPORT_TEAM: frozenset(
        _STAFF | {P.NATIONAL_INDICATORS, P.VIEW_LESSONS, P.WRITE_LESSONS, P.SUPPORT_REGIONS}
    ),
    Role.FUNCTIONAL_ADMIN: frozenset(
        _STAFF
        | {P.MANAGE_ORGANISATIONS, P.MANAGE_USERS, P.MANAGE_REGION, P.VIEW_ACCESS_LOG}
        | _INSTRUMENTS
        | {P.MANAGE_INSTRUMENTS, P.MANAGE_FUNDING}
    ),
    Role.CANDIDATE: frozenset({P.VIEW_REFERENCE_DATA, P.VIEW_OWN_PROFILE}),
}

#: Roles that must sign in with a second factor (everyone working for an organisation on
#: other people's data). Employers and job seekers may enable it; staff cannot skip it.
STAFF_ROLES = frozenset(set(Role) - {Role.EMPLOYER, Role.CANDIDATE})

#: Roles that may look at any region (aggregates only for the ministry; plans, lessons and
#: reflections for the support team; neither sees a person).
NATIONAL_ROLES = frozenset({Role.SZW_ANALYST, Role.SUPPORT_TEAM})


@runtime_checkable
class Actor(Protocol):
    """Who does something: a user in one membership (``accounts.actor.Actor``), or a batch
    run on behalf of an organisation (``accounts.actor.SystemActor``). Services take it as
    the keyword-only ``actor``; audit and access records are written from it."""

    @property
    def user(self) -> Any: ...

    @property
    def organisation(self) -> Any: ...

    @property
    def membership(self) -> Any:
        """The membership acted in (``None`` for a batch run)."""

    @property
    def role(self) -> str: ...

    @property
    def region(self) -> Any: ...

    @property
    def region_id(self) -> Any:
        """The region acted for: the membership's region, or the one a national role chose.
        Typed ``Any`` because the queries of regional roles take it as an ``int``; a national
        role that chose no region has ``None`` and only reaches aggregate views."""

    @property
    def channel(self) -> str: ...

    def has_perm(self, permission: str) -> bool: ...
