"""The declared outcome of every route × method × role.

``ANON`` is a visitor who is not signed in; the other keys are the roles of
:class:`perspectief.core.authz.Role`. Every URL pattern of the project must appear
here (test_authorisation_matrix enforces it), so a new route cannot ship without a
decision about who may use it.

Each entry: url name → (kwargs builder, {method: expectation}). An expectation maps every
role (and ANON) to the expected HTTP status; :func:`by_permission` derives it from the role's
permissions so the matrix follows the model in core/authz.py — and the test then
checks what the server really answers.
"""

from __future__ import annotations

from perspectief.candidates.models import ProfileCorrection
from perspectief.core.authz import ROLE_PERMISSIONS, Permission, Role
from perspectief.funding.models import FundingPot
from perspectief.lessons.models import Lesson
from perspectief.matching.models import MatchingConfiguration, OutsideHire
from perspectief.matching.selectors.configuration import platform_points

ANON = "anonymous"
ROLES = [str(r) for r in Role]
EVERYONE = [ANON, *ROLES]


def same(status: int, anonymous: int | None = None) -> dict[str, int]:
    out = {role: status for role in ROLES}
    out[ANON] = status if anonymous is None else anonymous
    return out


def by_permission(perm: str | None, ok: int, *, anonymous: int, denied: int = 403):
    """``ok`` for roles holding ``perm`` (any role when None), ``denied`` for the others."""
    out = {role: ok if perm is None or perm in ROLE_PERMISSIONS[role] else denied for role in ROLES}
    out[ANON] = anonymous
    return out


def web(perm, ok=200, denied=403):
    return by_permission(perm, ok, anonymous=302, denied=denied)


def api(perm, ok=200, denied=403):
    return by_permission(perm, ok, anonymous=401, denied=denied)


def api_any(*perms: str, ok: int = 200) -> dict[str, int]:
    """``ok`` for roles holding any of ``perms``; 403 for the others, 401 signed out."""
    out = {role: ok if set(perms) & ROLE_PERMISSIONS[role] else 403 for role in ROLES}
    out[ANON] = 401
    return out


def override(base: dict[str, int], **changes: int) -> dict[str, int]:
    return {**base, **changes}


def reviewers(ok: int) -> dict[str, int]:
    """``ok`` for roles that see both people and places (they review matching suggestions)."""
    both = {P.VIEW_CANDIDATES, P.VIEW_EMPLOYERS}
    out = {role: ok if both <= ROLE_PERMISSIONS[role] else 403 for role in ROLES}
    out[ANON] = 302
    return out


def api_reviewers(ok: int) -> dict[str, int]:
    return {**reviewers(ok), ANON: 401}


def configuration_readers(ok: int, anonymous: int = 302) -> dict[str, int]:
    """``ok`` for roles that see rankings, the fairness report or set the region's matching
    configuration (#18); 403 for the others."""
    readers = {P.VIEW_CANDIDATES, P.MATCHING_REPORT, P.CONFIGURE_MATCHING}
    out = {role: ok if readers & ROLE_PERMISSIONS[role] else 403 for role in ROLES}
    out[ANON] = anonymous
    return out


#: Roles that see people but no places find no place (or proposal for one): 404.
NO_PLACES = {Role.TRAINING_ADVISOR.value: 404, Role.JOBCOACH.value: 404}

#: Roles on routes whose organisation neither serves the world's person nor owns a step.
ROUTE_OUTSIDERS = {Role.TRAINING_ADVISOR.value: 404, Role.INTERMEDIARY.value: 404}

STAFF_WITH_DEVICE = {Role.EMPLOYER.value: 302, Role.CANDIDATE.value: 302}

P = Permission
FA = Role.FUNCTIONAL_ADMIN.value
AM = Role.ACCOUNTMANAGER.value
IM = Role.INTERMEDIARY.value
NONE = {}  # no kwargs


# kwargs builders receive (world, membership) — the requesting membership may be None.
def _region(w, m):
    return {"code": "AM18"}


def _uuid_of(attr):
    return lambda w, m: {"uuid": getattr(w, attr).uuid}


def _funding_pot(w, m):
    """A pot of the world's region (#17 funding), made on first use."""
    pot = FundingPot.objects.filter(region=w.base.am18, name="Matrix-potje").first()
    if pot is None:
        pot = FundingPot.objects.create(region=w.base.am18, name="Matrix-potje", kind="pow")
    return {"uuid": pot.uuid}


def _lesson(w, m):
    """A shared lesson of the world's region (#19 leeragenda), made on first use: every
    role that reads the leeragenda sees it."""
    found = Lesson.objects.filter(region=w.base.am18, title="Matrix-les").first()
    if found is None:
        found = Lesson.objects.create(
            region=w.base.am18,
            organisation=w.colleague_membership.organisation,
            title="Matrix-les",
            outcome="mislukt",
            visibility="gedeeld",
            tried="Iets geprobeerd",
            result="Het lukte niet",
        )
    return {"uuid": found.uuid}


def _matching_configuration(w, m):
    """A version of the world's region's matching configuration (#18), made on first use."""
    found = MatchingConfiguration.objects.filter(region=w.base.am18).first()
    if found is None:
        found = MatchingConfiguration.objects.create(
            region=w.base.am18,
            version=1,
            weights=platform_points(),
            reason="Matrix",
            changed_for=w.colleague_membership.organisation,
        )
    return {"uuid": found.uuid}


def _own_employer(w, m):
    return w.own_employer_account(m)


def _employer_location(w, m):
    return {"uuid": w.employer.uuid, "pk": w.employer_location.pk}


def _employer_contact(w, m):
    return {"uuid": w.employer.uuid, "pk": w.employer_contact.pk}


def _employer_details(ok: int) -> dict[str, int]:
    """Locations and contact persons: the region's WSP (MANAGE_EMPLOYERS) and the employer's
    own users; others who see employers get 403; another employer does not find it (404)."""
    return override(
        web(P.VIEW_EMPLOYERS, ok=ok),
        **{
            Role.KLANTMANAGER.value: 403,
            Role.PROGRAMME_MANAGER.value: 403,
            Role.EMPLOYER.value: 404,
        },
    )


def _phase(w, m):
    return {"uuid": w.vacancy.uuid, "phase": w.phase.pk}


def _cohort_member(w, m):
    return {"uuid": w.vacancy.uuid, "member": w.cohort_member.uuid}


def _run_place(w, m):
    return {"uuid": w.match_run.uuid, "vacancy": w.vacancy.uuid}


def _this_quarter(w, m):
    from datetime import date

    today = date.today()
    return {"year": today.year, "quarter": (today.month - 1) // 3 + 1}


def _last_quarter(w, m):
    from perspectief.monitoring.periods import completed_quarters

    year, quarter = completed_quarters(1)[0]
    return {"year": year, "quarter": quarter}


def _correction(w, m):
    correction = ProfileCorrection.objects.create(
        candidate=w.candidate, field="phone", proposed_value="0612345678"
    )
    return {"uuid": correction.uuid}


def _own_token(w, m):
    return {"uuid": w.token_for(m).uuid}


def _colleague_invitation(w, m):
    """An open invitation of a colleague into the world's gemeente (AM18), managed by the
    region's functional administrator. The organisations get plain names: sending it again
    e-mails them, and the suite's mail check must not mistake a company name for a person."""
    from datetime import timedelta

    from django.utils import timezone

    from perspectief.accounts.models import Invitation, hash_token
    from perspectief.organisations.models import Organisation

    named = [w.organisation.pk] + ([m.organisation.pk] if m is not None else [])
    Organisation.objects.filter(pk__in=named).update(name="Organisatie in de matrix")
    invitation = Invitation.objects.create(
        email="collega@example.invalid",
        organisation=w.organisation,
        role=Role.KLANTMANAGER,
        purpose="staff",
        invited_by=m,
        token_hash=hash_token("matrix-invitation"),
        expires_at=timezone.now() + timedelta(days=7),
    )
    return {"uuid": invitation.uuid}


# #17 authoring: a region instrument of AM18 (a published version and a draft, a draft
# variation for Amsterdam), made when a route asks for it.
def _instrument_world(w):
    from datetime import date

    from perspectief.instruments.models import Instrument, InstrumentVersion, Variation

    instrument, _ = Instrument.objects.get_or_create(
        code="AM18-MATRIX", defaults={"region": w.base.am18}
    )
    rules = {"amount": {"per": "once", "formula": "1000"}}
    common = {"executing_body": "Gemeente", "decided_by": "Gemeente", "rules": rules}
    published, _ = InstrumentVersion.objects.get_or_create(
        instrument=instrument,
        number=1,
        defaults={
            "name": "Matrix",
            "status": "published",
            "valid_from": date(2026, 1, 1),
            **common,
        },
    )
    draft, _ = InstrumentVersion.objects.get_or_create(
        instrument=instrument,
        number=2,
        defaults={"name": "Matrix 2", "valid_from": date(2030, 1, 1), **common},
    )
    variation, _ = Variation.objects.get_or_create(
        instrument=instrument,
        region=w.base.am18,
        scope="GM0363",
        defaults={"valid_from": date(2026, 1, 1)},
    )
    return instrument, published, draft, variation


def _instrument(w, m):
    return {"uuid": _instrument_world(w)[0].uuid}


def _published_version(w, m):
    return {"uuid": _instrument_world(w)[1].uuid}


def _draft_version(w, m):
    return {"uuid": _instrument_world(w)[2].uuid}


def _draft_variation(w, m):
    return {"uuid": _instrument_world(w)[3].uuid}


# #17 check: "Wat kan de werkgever krijgen?" needs the instruments and the people in sight.
def _outside_hire(w, m):
    hire, _created = OutsideHire.objects.get_or_create(
        candidate=w.candidate,
        defaults={
            "employer_name": "Bakkerij",
            "job_title": "Bakker",
            "contract": "vast",
            "start_date": "2026-10-01",
            "recorded_for": w.colleague_membership.organisation,
        },
    )
    return {"uuid": hire.uuid}


def _check(ok: int, **changes: int) -> dict[str, int]:
    """``ok`` for roles that see instruments and people; 403 for roles that see neither or
    only instruments (programme manager, functioneel beheerder)."""
    both = {P.VIEW_INSTRUMENTS, P.VIEW_CANDIDATES}
    out = {role: ok if both <= ROLE_PERMISSIONS[role] else 403 for role in ROLES}
    out[ANON] = 302
    return {**out, **changes}


# #17 applications: an application on the world's proposal, hired on 1 October 2026 (the
# shipped national instruments loaded, as the reference data does).
def _hired_proposal(w):
    from datetime import date

    from perspectief.core.loading import DEFAULT_DATA_DIR
    from perspectief.instruments.loaders import INSTRUMENTS_FILE, import_instruments

    import_instruments(DEFAULT_DATA_DIR / INSTRUMENTS_FILE)
    w.proposal.status, w.proposal.start_date = "hired", date(2026, 10, 1)
    w.proposal.save(update_fields=["status", "start_date"])
    return w.proposal


def _hire_applications(w, m):
    return {"uuid": _hired_proposal(w).uuid}


def _instrument_application(w, m):
    from datetime import date

    from perspectief.instruments.models import Application, InstrumentVersion

    proposal = _hired_proposal(w)
    application = Application.objects.create(
        proposal=proposal,
        candidate=proposal.candidate,
        version=InstrumentVersion.objects.get(instrument__code="NO_RISK"),
        applied_on=date(2026, 10, 5),
        recorded_for=w.colleague_membership.organisation,
        responsible=w.colleague_membership,
    )
    return {"uuid": application.uuid}


def _support_questionnaire(w, m, *, published=True, kind="voortgang"):
    """A progress questionnaire (published) or a reflection round of AM18 (#19 support)."""
    from datetime import date, timedelta

    from perspectief.support.models import Question, Questionnaire

    today = date.today()
    found = Questionnaire.objects.create(
        kind=kind,
        title="Matrix",
        region=w.base.am18 if kind == "reflectie" else None,
        year=2026 if kind == "voortgang" else None,
        quarter=1 if kind == "voortgang" else None,
        period_start=today - timedelta(days=90),
        period_end=today,
        deadline=today + timedelta(days=14),
        status="gepubliceerd" if published else "concept",
    )
    Question.objects.create(questionnaire=found, order=1, text="Wat werkt?", kind="tekst")
    return found


def _support_response(w, m):
    """A submitted progress response of AM18."""
    from django.utils import timezone

    from perspectief.support.models import Response

    questionnaire = _support_questionnaire(w, m)
    response = Response.objects.create(
        questionnaire=questionnaire,
        region=w.base.am18,
        organisation=w.colleague_membership.organisation,
        status="ingediend",
        submitted_at=timezone.now(),
    )
    return {"uuid": response.uuid}


def _support_request(w, m):
    from perspectief.support.models import SupportRequest

    found = SupportRequest.objects.create(
        region=w.base.am18,
        organisation=w.colleague_membership.organisation,
        subject="Matrix",
        question="Hoe?",
        pillar="vraag",
    )
    return {"uuid": found.uuid}


MATRIX = {
    # --- pages -----------------------------------------------------------------------------
    "home": (NONE, {"GET": web(None), "POST": web(None, ok=405)}),
    "health": (NONE, {"GET": same(200), "POST": same(405)}),
    "ready": (NONE, {"GET": same(200), "POST": same(405)}),
    # The test client comes from 127.0.0.1, an allowed scraper (others get 404).
    "metrics": (NONE, {"GET": same(200), "POST": same(405)}),
    "accessibility-statement": (NONE, {"GET": same(200), "POST": same(405)}),
    "set_language": (NONE, {"GET": same(302), "POST": same(302)}),
    "accounts:login": (NONE, {"GET": same(302, anonymous=200), "POST": same(302, anonymous=200)}),
    "accounts:logout": (NONE, {"GET": same(405), "POST": same(302)}),
    # Staff with a confirmed device see the code page; employers and job seekers without a
    # device are sent to (optional) enrolment, and the reverse for the setup page.
    "accounts:otp": (
        NONE,
        {
            "GET": override(same(200, anonymous=302), **STAFF_WITH_DEVICE),
            "POST": override(same(200, anonymous=302), **STAFF_WITH_DEVICE),
        },
    ),
    "accounts:otp-setup": (
        NONE,
        {
            "GET": override(same(302), **{Role.EMPLOYER.value: 200, Role.CANDIDATE.value: 200}),
            "POST": override(same(302), **{Role.EMPLOYER.value: 200, Role.CANDIDATE.value: 200}),
        },
    ),
    "accounts:password-set": (
        lambda w, m: {"uidb64": "MQ", "token": "invalid-token"},
        {"GET": same(200), "POST": same(200)},
    ),
    # An invitation's link: unknown links answer 404 (known but used, expired or revoked
    # ones 410; tests/accounts/test_invitations.py), whoever asks; the page behind it needs
    # an invitation in the session, which the matrix has not.
    "accounts:invitation-link": (
        lambda w, m: {"token": "no-such-invitation"},
        {"GET": same(404), "POST": same(405)},
    ),
    "accounts:invitation": (NONE, {"GET": same(404), "POST": same(404)}),
    "accounts:manage-invite": (
        NONE,
        {"GET": web(P.MANAGE_USERS, ok=405), "POST": web(P.MANAGE_USERS, ok=200)},
    ),
    # Only who manages the invitation finds it (the region's functional administrator).
    "accounts:invitation-resend": (
        _colleague_invitation,
        {"GET": web(None, ok=405), "POST": override(web(None, ok=404), **{FA: 302})},
    ),
    "accounts:invitation-revoke": (
        _colleague_invitation,
        {"GET": web(None, ok=405), "POST": override(web(None, ok=404), **{FA: 302})},
    ),
    "accounts:manage-user-active": (
        _uuid_of("colleague"),
        {"GET": web(P.MANAGE_USERS, ok=405), "POST": web(P.MANAGE_USERS, ok=302)},
    ),
    "accounts:profile": (NONE, {"GET": web(None), "POST": web(None, ok=405)}),
    "notifications:inbox": (NONE, {"GET": web(None), "POST": web(None, ok=405)}),
    "notifications:count": (NONE, {"GET": web(None), "POST": web(None, ok=405)}),
    # An empty POST is the form again with its errors.
    "notifications:preferences": (NONE, {"GET": web(None), "POST": web(None)}),
    "notifications:mail-log": (
        NONE,
        {"GET": web(P.MANAGE_USERS), "POST": web(P.MANAGE_USERS, ok=405)},
    ),
    # Only the demo has a mail page; the tests run without demo mode.
    "demo-mail": (NONE, {"GET": same(404), "POST": same(405)}),
    "demo-mail-detail": (lambda w, m: {"name": "nothing"}, {"GET": same(404), "POST": same(405)}),
    "accounts:token-create": (
        NONE,
        {
            "GET": web(P.MANAGE_OWN_TOKENS, ok=405),
            "POST": web(P.MANAGE_OWN_TOKENS, ok=302),
        },
    ),
    "accounts:token-revoke": (
        _own_token,
        {
            "GET": web(P.MANAGE_OWN_TOKENS, ok=405),
            "POST": web(P.MANAGE_OWN_TOKENS, ok=302),
        },
    ),
    "accounts:context": (NONE, {"GET": web(None, ok=405), "POST": web(None, ok=302)}),
    "accounts:manage-users": (
        NONE,
        {
            "GET": web(P.MANAGE_USERS),
            "POST": web(P.MANAGE_USERS, ok=405),
        },
    ),
    "accounts:manage-user-create": (
        NONE,
        {
            "GET": web(P.MANAGE_USERS),
            "POST": web(P.MANAGE_USERS, ok=200),
        },
    ),
    "accounts:manage-user": (
        _uuid_of("colleague"),
        {
            "GET": web(P.MANAGE_USERS),
            "POST": web(P.MANAGE_USERS, ok=405),
        },
    ),
    "accounts:manage-membership-add": (
        _uuid_of("colleague"),
        {
            "GET": web(P.MANAGE_USERS, ok=405),
            "POST": web(P.MANAGE_USERS, ok=302),
        },
    ),
    "accounts:manage-password-link": (
        _uuid_of("colleague"),
        {
            "GET": web(P.MANAGE_USERS, ok=405),
            "POST": web(P.MANAGE_USERS, ok=200),
        },
    ),
    "accounts:manage-membership-deactivate": (
        _uuid_of("colleague_membership"),
        {
            "GET": web(P.MANAGE_USERS, ok=405),
            "POST": web(P.MANAGE_USERS, ok=302),
        },
    ),
    "regions:list": (
        NONE,
        {
            "GET": web(P.VIEW_REFERENCE_DATA),
            "POST": web(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "regions:detail": (
        _region,
        {
            "GET": web(P.VIEW_REFERENCE_DATA),
            "POST": web(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "regions:centrumgemeente": (
        _region,
        {
            "GET": web(P.MANAGE_REGION, ok=405),
            "POST": web(P.MANAGE_REGION, ok=302),
        },
    ),
    "organisations:list": (
        NONE,
        {
            "GET": web(P.VIEW_ORGANISATIONS),
            "POST": web(P.VIEW_ORGANISATIONS, ok=405),
        },
    ),
    "organisations:create": (
        NONE,
        {
            "GET": web(P.MANAGE_ORGANISATIONS),
            "POST": web(P.MANAGE_ORGANISATIONS, ok=200),
        },
    ),
    "occupations": (
        NONE,
        {
            "GET": web(P.VIEW_REFERENCE_DATA),
            "POST": web(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "occupation": (
        lambda w, m: {"id": w.occupation.esco_id},
        {"GET": web(P.VIEW_REFERENCE_DATA), "POST": web(P.VIEW_REFERENCE_DATA, ok=405)},
    ),
    # Suggest-as-you-type in occupation and skill fields (htmx; fragments of a form).
    "concept-suggestions": (
        NONE,
        {"GET": web(P.VIEW_REFERENCE_DATA), "POST": web(P.VIEW_REFERENCE_DATA, ok=405)},
    ),
    "concept-pick": (
        NONE,
        {"GET": web(P.VIEW_REFERENCE_DATA), "POST": web(P.VIEW_REFERENCE_DATA, ok=405)},
    ),
    # --- job seekers: the world's candidate is served by the gemeente that klantmanager,
    # accountmanager and jobcoach act for, and has an agreed regional-profile consent, so
    # intermediaries and training advisors see the partner view.
    "candidates:list": (
        NONE,
        {
            "GET": web(P.VIEW_CANDIDATES),
            "POST": web(P.VIEW_CANDIDATES, ok=405),
        },
    ),
    "candidates:create": (
        NONE,
        {
            "GET": web(P.MANAGE_CANDIDATES),
            "POST": web(P.MANAGE_CANDIDATES, ok=200),
        },
    ),
    # The job seeker's own pages: the world's candidate is linked to a requesting werkzoekende.
    "candidates:self": (
        lambda w, m: w.link_self(m),
        {"GET": web(P.VIEW_OWN_PROFILE), "POST": web(P.VIEW_OWN_PROFILE, ok=405)},
    ),
    "candidates:self-consent": (
        lambda w, m: w.link_self(m),
        {"GET": web(P.VIEW_OWN_PROFILE, ok=405), "POST": web(P.VIEW_OWN_PROFILE, ok=302)},
    ),
    "candidates:self-export": (
        lambda w, m: w.link_self(m),
        {"GET": web(P.VIEW_OWN_PROFILE), "POST": web(P.VIEW_OWN_PROFILE, ok=405)},
    ),
    "candidates:self-document": (
        lambda w, m: w.link_self(m),
        {"GET": web(P.VIEW_OWN_PROFILE), "POST": web(P.VIEW_OWN_PROFILE, ok=405)},
    ),
    # Reconfirming availability: one POST from the own page (back to it).
    "candidates:self-reconfirm": (
        lambda w, m: w.link_self(m),
        {"GET": web(P.VIEW_OWN_PROFILE, ok=405), "POST": web(P.VIEW_OWN_PROFILE, ok=302)},
    ),
    "candidates:self-access-log": (
        lambda w, m: w.link_self(m),
        {"GET": web(P.VIEW_OWN_PROFILE), "POST": web(P.VIEW_OWN_PROFILE, ok=405)},
    ),
    # Proposing a correction: an empty POST is the form again with its error (hours needed).
    "candidates:self-correction": (
        lambda w, m: {**w.link_self(m), "field": "hours_per_week"},
        {"GET": web(P.VIEW_OWN_PROFILE), "POST": web(P.VIEW_OWN_PROFILE, ok=200)},
    ),
    # Deciding on a correction of the world's person (served by the klantmanager's gemeente);
    # a POST without a decision goes back to the person's page with a message.
    "candidates:correction-decide": (
        _correction,
        {"GET": web(P.MANAGE_CANDIDATES, ok=405), "POST": web(P.MANAGE_CANDIDATES, ok=302)},
    ),
    "candidates:document": (
        _uuid_of("candidate"),
        {"GET": web(P.MANAGE_CANDIDATES), "POST": web(P.MANAGE_CANDIDATES, ok=405)},
    ),
    "candidates:quality": (
        NONE,
        {"GET": web(P.MANAGE_CANDIDATES), "POST": web(P.MANAGE_CANDIDATES, ok=405)},
    ),
    "candidates:export": (
        _uuid_of("candidate"),
        {"GET": web(P.MANAGE_CANDIDATES), "POST": web(P.MANAGE_CANDIDATES, ok=405)},
    ),
    # Refused (the gemeente must keep the data) and sent back to the profile with the reason.
    "candidates:erase": (
        _uuid_of("candidate"),
        {"GET": web(P.MANAGE_CANDIDATES, ok=405), "POST": web(P.MANAGE_CANDIDATES, ok=302)},
    ),
    "candidates:mapping-create": (
        NONE,
        {"GET": web(P.MANAGE_CANDIDATES), "POST": web(P.MANAGE_CANDIDATES, ok=200)},
    ),
    "candidates:duplicates": (
        NONE,
        {"GET": web(P.MANAGE_CANDIDATES), "POST": web(P.MANAGE_CANDIDATES, ok=405)},
    ),
    # The world's pair and merge involve the gemeente the klantmanager acts for.
    "candidates:duplicate-merge": (
        _uuid_of("pair"),
        {"GET": web(P.MANAGE_CANDIDATES, ok=405), "POST": web(P.MANAGE_CANDIDATES, ok=302)},
    ),
    "candidates:duplicate-keep": (
        _uuid_of("pair"),
        {"GET": web(P.MANAGE_CANDIDATES, ok=405), "POST": web(P.MANAGE_CANDIDATES, ok=302)},
    ),
    "candidates:merge-undo": (
        _uuid_of("merge"),
        {"GET": web(P.MANAGE_CANDIDATES, ok=405), "POST": web(P.MANAGE_CANDIDATES, ok=302)},
    ),
    "candidates:import": (
        NONE,
        {"GET": web(P.MANAGE_CANDIDATES), "POST": web(P.MANAGE_CANDIDATES, ok=200)},
    ),
    # The world's import job belongs to the gemeente the klantmanager acts for.
    "candidates:import-detail": (
        _uuid_of("import_job"),
        {"GET": web(P.MANAGE_CANDIDATES), "POST": web(P.MANAGE_CANDIDATES, ok=405)},
    ),
    "candidates:import-rejections": (
        _uuid_of("import_job"),
        {"GET": web(P.MANAGE_CANDIDATES), "POST": web(P.MANAGE_CANDIDATES, ok=405)},
    ),
    # Resuming: only an interrupted job resumes; the world's (waiting) job is left as it is.
    "candidates:import-resume": (
        _uuid_of("import_job"),
        {"GET": web(P.MANAGE_CANDIDATES, ok=405), "POST": web(P.MANAGE_CANDIDATES, ok=302)},
    ),
    "candidates:detail": (
        _uuid_of("candidate"),
        {
            "GET": web(P.VIEW_CANDIDATES),
            "POST": web(P.VIEW_CANDIDATES, ok=405),
        },
    ),
    "candidates:edit": (
        _uuid_of("candidate"),
        {
            "GET": web(P.MANAGE_CANDIDATES),
            "POST": web(P.MANAGE_CANDIDATES, ok=200),
        },
    ),
    "candidates:status": (
        _uuid_of("candidate"),
        {
            "GET": web(P.MANAGE_CANDIDATES, ok=405),
            "POST": web(P.MANAGE_CANDIDATES, ok=302),
        },
    ),
    # An empty address is refused with a message on the person's page.
    "candidates:invite": (
        _uuid_of("candidate"),
        {"GET": web(P.MANAGE_CANDIDATES, ok=405), "POST": web(P.MANAGE_CANDIDATES, ok=302)},
    ),
    "candidates:confirm": (
        _uuid_of("candidate"),
        {
            "GET": web(P.MANAGE_CANDIDATES, ok=405),
            "POST": web(P.MANAGE_CANDIDATES, ok=302),
        },
    ),
    "candidates:consent": (
        _uuid_of("candidate"),
        {
            "GET": web(P.MANAGE_CANDIDATES, ok=405),
            "POST": web(P.MANAGE_CANDIDATES, ok=302),
        },
    ),
    "candidates:health": (
        _uuid_of("candidate"),
        {
            "GET": web(P.VIEW_HEALTH),
            "POST": web(P.VIEW_HEALTH, ok=302),
        },
    ),
    # --- notes and messages: a note about the world's person by everyone who sees them (an
    # empty one goes back to the person's page with the reason); messages only by the
    # gemeente serving the person (partners who see the person by consent: 404). The job
    # seeker's /messages/ shows the form again with its errors.
    "conversations:note-add": (
        _uuid_of("candidate"),
        {"GET": web(P.VIEW_CANDIDATES, ok=405), "POST": web(P.VIEW_CANDIDATES, ok=302)},
    ),
    "conversations:reply": (
        _uuid_of("candidate"),
        {
            "GET": web(P.VIEW_CANDIDATES, ok=405),
            "POST": override(web(P.VIEW_CANDIDATES, ok=302), **ROUTE_OUTSIDERS),
        },
    ),
    "conversations:own": (
        lambda w, m: w.link_self(m),
        {"GET": web(P.VIEW_OWN_PROFILE), "POST": web(P.VIEW_OWN_PROFILE)},
    ),
    # The search is a POST (no BSN in a URL); an empty one is refused with the form (400).
    "access-log": (
        NONE,
        {
            "GET": web(P.VIEW_ACCESS_LOG),
            "POST": web(P.VIEW_ACCESS_LOG, ok=400),
        },
    ),
    # Without ?person= there is nobody to export or give an overview of.
    "access-log-export": (
        NONE,
        {
            "GET": web(P.VIEW_ACCESS_LOG, ok=404),
            "POST": web(P.VIEW_ACCESS_LOG, ok=405),
        },
    ),
    "access-log-overview": (
        NONE,
        {
            "GET": web(P.VIEW_ACCESS_LOG, ok=404),
            "POST": web(P.VIEW_ACCESS_LOG, ok=405),
        },
    ),
    # --- employers: the world's employer is in AM18 without an owner; an employer's own users
    # see only their own account (another employer's answers 404).
    "organisations:employers": (
        NONE,
        {"GET": web(P.VIEW_EMPLOYERS), "POST": web(P.VIEW_EMPLOYERS, ok=405)},
    ),
    "organisations:employer-create": (
        NONE,
        {"GET": web(P.MANAGE_EMPLOYERS), "POST": web(P.MANAGE_EMPLOYERS, ok=200)},
    ),
    "organisations:employer": (
        _uuid_of("employer"),
        {
            "GET": override(web(P.VIEW_EMPLOYERS), **{Role.EMPLOYER.value: 404}),
            "POST": override(web(P.VIEW_EMPLOYERS, ok=405), **{Role.EMPLOYER.value: 405}),
        },
    ),
    "organisations:employer-claim": (
        _uuid_of("employer"),
        {"GET": web(P.MANAGE_EMPLOYERS, ok=405), "POST": web(P.MANAGE_EMPLOYERS, ok=302)},
    ),
    "organisations:employer-release": (
        _uuid_of("employer"),
        {"GET": web(P.MANAGE_EMPLOYERS, ok=405), "POST": web(P.MANAGE_EMPLOYERS, ok=302)},
    ),
    "organisations:employer-handover": (
        _uuid_of("employer"),
        {"GET": web(P.MANAGE_EMPLOYERS, ok=405), "POST": web(P.MANAGE_EMPLOYERS, ok=302)},
    ),
    # Not the world employer's owner: the refusal is a message on the employer's page.
    "organisations:employer-invite": (
        _uuid_of("employer"),
        {"GET": web(P.MANAGE_EMPLOYERS, ok=405), "POST": web(P.MANAGE_EMPLOYERS, ok=302)},
    ),
    "organisations:employer-contact": (
        _uuid_of("employer"),
        {"GET": web(P.MANAGE_EMPLOYERS, ok=405), "POST": web(P.MANAGE_EMPLOYERS, ok=302)},
    ),
    # Changing the employer: its data by the region's WSP; its locations and contact persons
    # also by its own users (another employer's users get 404). An empty POST shows errors.
    "organisations:employer-edit": (
        _uuid_of("employer"),
        {"GET": web(P.MANAGE_EMPLOYERS), "POST": web(P.MANAGE_EMPLOYERS)},
    ),
    "organisations:employer-location-new": (
        _uuid_of("employer"),
        {"GET": _employer_details(200), "POST": _employer_details(200)},
    ),
    "organisations:employer-location": (
        _employer_location,
        {"GET": _employer_details(200), "POST": _employer_details(200)},
    ),
    "organisations:employer-location-remove": (
        _employer_location,
        {"GET": web(P.VIEW_EMPLOYERS, ok=405), "POST": _employer_details(302)},
    ),
    "organisations:employer-person-new": (
        _uuid_of("employer"),
        {"GET": _employer_details(200), "POST": _employer_details(200)},
    ),
    "organisations:employer-person": (
        _employer_contact,
        {"GET": _employer_details(200), "POST": _employer_details(200)},
    ),
    "organisations:employer-person-remove": (
        _employer_contact,
        {"GET": web(P.VIEW_EMPLOYERS, ok=405), "POST": _employer_details(302)},
    ),
    # --- places of the world's employer (AM18); other employers' users get 404.
    "vacancies:list": (
        NONE,
        {"GET": web(P.VIEW_EMPLOYERS), "POST": web(P.VIEW_EMPLOYERS, ok=405)},
    ),
    "vacancies:create": (
        NONE,
        {"GET": web(P.MANAGE_PLACES), "POST": web(P.MANAGE_PLACES, ok=200)},
    ),
    "vacancies:detail": (
        _uuid_of("vacancy"),
        {
            "GET": override(web(P.VIEW_EMPLOYERS), **{Role.EMPLOYER.value: 404}),
            "POST": web(P.VIEW_EMPLOYERS, ok=405),
        },
    ),
    "vacancies:edit": (
        _uuid_of("vacancy"),
        {
            "GET": override(web(P.MANAGE_PLACES), **{Role.EMPLOYER.value: 404}),
            "POST": override(web(P.MANAGE_PLACES, ok=200), **{Role.EMPLOYER.value: 404}),
        },
    ),
    "vacancies:command": (
        _uuid_of("vacancy"),
        {
            "GET": web(P.MANAGE_PLACES, ok=405),
            "POST": override(web(P.MANAGE_PLACES, ok=302), **{Role.EMPLOYER.value: 404}),
        },
    ),
    # --- bulk requests: phases and cohort of the world's place (another employer's for the
    # requesting employer: 404). Roles that see people but not places find no place (404).
    # --- places import: jobs belong to the importing organisation (the world's job to the
    # gemeente of the account manager; the intermediary's and employer's organisations: 404).
    "vacancies:import": (
        NONE,
        {"GET": web(P.MANAGE_PLACES), "POST": web(P.MANAGE_PLACES, ok=200)},
    ),
    "vacancies:import-detail": (
        _uuid_of("place_import_job"),
        {
            "GET": override(
                web(P.MANAGE_PLACES),
                **{Role.EMPLOYER.value: 404, Role.INTERMEDIARY.value: 404},
            ),
            "POST": web(P.MANAGE_PLACES, ok=405),
        },
    ),
    "vacancies:import-rejections": (
        _uuid_of("place_import_job"),
        {
            "GET": override(
                web(P.MANAGE_PLACES),
                **{Role.EMPLOYER.value: 404, Role.INTERMEDIARY.value: 404},
            ),
            "POST": web(P.MANAGE_PLACES, ok=405),
        },
    ),
    "vacancies:import-resume": (
        _uuid_of("place_import_job"),
        {
            "GET": web(P.MANAGE_PLACES, ok=405),
            "POST": override(
                web(P.MANAGE_PLACES, ok=302),
                **{Role.EMPLOYER.value: 404, Role.INTERMEDIARY.value: 404},
            ),
        },
    ),
    "vacancies:bulk": (
        NONE,
        {"GET": web(P.VIEW_EMPLOYERS), "POST": web(P.VIEW_EMPLOYERS, ok=405)},
    ),
    "vacancies:phase-add": (
        _uuid_of("vacancy"),
        {
            "GET": web(P.MANAGE_PLACES, ok=405),
            # An empty form comes back with its error (400).
            "POST": override(web(P.MANAGE_PLACES, ok=400), **{Role.EMPLOYER.value: 404}),
        },
    ),
    "vacancies:outside-fill": (
        _uuid_of("vacancy"),
        {
            "GET": web(P.MANAGE_PLACES, ok=405),
            # An empty form comes back with its error (400).
            "POST": override(web(P.MANAGE_PLACES, ok=400), **{Role.EMPLOYER.value: 404}),
        },
    ),
    "vacancies:phase-remove": (
        _phase,
        {
            "GET": web(P.MANAGE_PLACES, ok=405),
            "POST": override(web(P.MANAGE_PLACES, ok=302), **{Role.EMPLOYER.value: 404}),
        },
    ),
    "vacancies:cohort-member": (
        _cohort_member,
        {
            "GET": web(P.VIEW_CANDIDATES, ok=405),
            "POST": override(
                web(P.VIEW_CANDIDATES, ok=302),
                **{Role.TRAINING_ADVISOR.value: 404, Role.JOBCOACH.value: 404},
            ),
        },
    ),
    # --- proposals from a person's page (an empty POST: a message and back) ---------------
    "matching:propose": (
        _uuid_of("candidate"),
        {"GET": web(P.VIEW_CANDIDATES, ok=405), "POST": web(P.VIEW_CANDIDATES, ok=302)},
    ),
    # A hire into a job found outside the platform: by an organisation serving the person
    # (an empty POST shows the form again with what is missing).
    "matching:outside-hire": (
        _uuid_of("candidate"),
        {"GET": web(P.MANAGE_CANDIDATES), "POST": web(P.MANAGE_CANDIDATES)},
    ),
    # Acting on a proposal needs its place in sight too (no place permission: 404).
    "matching:proposal-action": (
        _uuid_of("proposal"),
        {
            "GET": web(P.VIEW_CANDIDATES, ok=405),
            "POST": override(
                web(P.VIEW_CANDIDATES, ok=302),
                **{Role.TRAINING_ADVISOR.value: 404, Role.JOBCOACH.value: 404},
            ),
        },
    ),
    # --- matching: ranked candidates for the world's place (people and places in sight) and
    # ranked places for the world's person; roles without the place permission find no place.
    "matching:candidates": (
        _uuid_of("vacancy"),
        {
            "GET": override(
                web(P.VIEW_CANDIDATES),
                **{Role.TRAINING_ADVISOR.value: 404, Role.JOBCOACH.value: 404},
            ),
            "POST": web(P.VIEW_CANDIDATES, ok=405),
        },
    ),
    # "Why is someone not in the list?" for the world's place: the form (no person named).
    "matching:not-ranked": (
        _uuid_of("vacancy"),
        {
            "GET": override(web(P.VIEW_CANDIDATES), **NO_PLACES),
            "POST": web(P.VIEW_CANDIDATES, ok=405),
        },
    ),
    "matching:shortlist-entry": (
        _uuid_of("shortlist_entry"),
        {
            "GET": web(P.VIEW_CANDIDATES, ok=405),
            "POST": override(
                web(P.VIEW_CANDIDATES, ok=302),
                **{Role.TRAINING_ADVISOR.value: 404, Role.JOBCOACH.value: 404},
            ),
        },
    ),
    "matching:places": (
        _uuid_of("candidate"),
        {"GET": web(P.VIEW_CANDIDATES), "POST": web(P.VIEW_CANDIDATES, ok=405)},
    ),
    # --- the regional matching run: advisers who see people and places review, the WSP
    # starts it (an empty review POST: a message and back).
    "matching:runs": (
        NONE,
        {"GET": reviewers(200), "POST": override(reviewers(403), **{AM: 302})},
    ),
    "matching:fairness": (
        NONE,
        {"GET": web(P.MATCHING_REPORT), "POST": web(P.MATCHING_REPORT, ok=405)},
    ),
    # #18 the region's matching setting: read by whoever sees rankings, the fairness report
    # or sets it; a new version only by the programme manager (an empty form: 200 with its
    # errors). Nobody posts to the pages that only show (405 once signed in).
    "matching:configuration": (
        NONE,
        {"GET": configuration_readers(200), "POST": same(405, anonymous=302)},
    ),
    "matching:configuration-version": (
        _matching_configuration,
        {"GET": configuration_readers(200), "POST": same(405, anonymous=302)},
    ),
    "matching:configuration-edit": (
        NONE,
        {"GET": web(P.CONFIGURE_MATCHING), "POST": web(P.CONFIGURE_MATCHING)},
    ),
    "matching:run": (
        _uuid_of("match_run"),
        {"GET": reviewers(200), "POST": web(P.VIEW_CANDIDATES, ok=405)},
    ),
    # Who may start runs may cancel one (the matrix's run is done: a message and back).
    "matching:run-cancel": (
        _uuid_of("match_run"),
        {"GET": web(P.VIEW_CANDIDATES, ok=405), "POST": override(reviewers(403), **{AM: 302})},
    ),
    "matching:run-place": (
        _run_place,
        {"GET": reviewers(200), "POST": web(P.VIEW_CANDIDATES, ok=405)},
    ),
    "matching:suggestion": (
        _uuid_of("suggestion"),
        {"GET": web(P.VIEW_CANDIDATES, ok=405), "POST": reviewers(302)},
    ),
    # The job seeker's yes or no to meeting the employer of their own proposal (the world's
    # person is linked to the requesting job seeker; an empty POST: a message and back).
    "matching:own-answer": (
        lambda w, m: {**w.link_self(m), "uuid": w.proposal.uuid},
        {"GET": web(P.VIEW_OWN_PROFILE, ok=405), "POST": web(P.VIEW_OWN_PROFILE, ok=302)},
    ),
    # --- the leeragenda (#19): staff read shared lessons of every region; the region's
    # writers write (the national support team writes no region's lesson: 403, its edit 404)
    "lessons:list": (
        NONE,
        {"GET": web(P.VIEW_LESSONS), "POST": web(P.VIEW_LESSONS, ok=405)},
    ),
    "lessons:create": (
        NONE,
        {
            "GET": override(web(P.WRITE_LESSONS), **{Role.SUPPORT_TEAM.value: 403}),
            "POST": override(web(P.WRITE_LESSONS), **{Role.SUPPORT_TEAM.value: 403}),
        },
    ),
    "lessons:detail": (
        _lesson,
        {"GET": web(P.VIEW_LESSONS), "POST": web(P.VIEW_LESSONS, ok=405)},
    ),
    "lessons:edit": (
        _lesson,
        {
            "GET": override(web(P.WRITE_LESSONS), **{Role.SUPPORT_TEAM.value: 404}),
            "POST": override(web(P.WRITE_LESSONS), **{Role.SUPPORT_TEAM.value: 404}),
        },
    ),
    "lessons:action": (
        _lesson,  # POST without an action: "unknown action" and back to the lesson
        {"GET": web(P.WRITE_LESSONS, ok=405), "POST": web(P.WRITE_LESSONS, ok=302)},
    ),
    # --- the catalogue: everyone who may see it; providers keep only their own offers (the
    # world's offer is another school's: 404 for them) ------------------------------------
    "routes:offers": (
        NONE,
        {"GET": web(P.VIEW_CATALOGUE), "POST": web(P.VIEW_CATALOGUE, ok=405)},
    ),
    "routes:offer-create": (
        NONE,
        {"GET": web(P.MANAGE_OFFERS), "POST": web(P.MANAGE_OFFERS, ok=200)},
    ),
    "routes:offer": (
        _uuid_of("offer"),
        {"GET": web(P.VIEW_CATALOGUE), "POST": web(P.VIEW_CATALOGUE, ok=405)},
    ),
    "routes:offer-edit": (
        _uuid_of("offer"),
        {"GET": web(P.MANAGE_OFFERS, ok=404), "POST": web(P.MANAGE_OFFERS, ok=404)},
    ),
    "routes:offer-action": (
        _uuid_of("offer"),
        {"GET": web(P.MANAGE_OFFERS, ok=405), "POST": web(P.MANAGE_OFFERS, ok=404)},
    ),
    # --- routes: the world's route is of a person the klantmanager's (and the gemeente
    # jobcoach's) gemeente serves; its step is handed to another school than the requesting
    # adviser's, so other organisations find nothing (404) ----------------------------------
    "route:home": (
        NONE,
        {"GET": web(P.VIEW_ROUTES), "POST": web(P.VIEW_ROUTES, ok=405)},
    ),
    "route:start": (
        _uuid_of("candidate"),  # the person has a route: to it
        {"GET": web(P.PLAN_ROUTES, ok=302), "POST": web(P.PLAN_ROUTES, ok=302)},
    ),
    "route:detail": (
        _uuid_of("route"),
        {
            "GET": override(web(P.VIEW_ROUTES), **ROUTE_OUTSIDERS),
            "POST": web(P.VIEW_ROUTES, ok=405),
        },
    ),
    "route:step-add": (
        _uuid_of("route"),
        {"GET": web(P.PLAN_ROUTES), "POST": web(P.PLAN_ROUTES)},
    ),
    "route:step-edit": (
        _uuid_of("route_step"),
        {"GET": web(P.PLAN_ROUTES), "POST": web(P.PLAN_ROUTES)},
    ),
    "route:step-action": (
        _uuid_of("route_step"),  # an empty action: a message and back to the route
        {
            "GET": web(P.VIEW_ROUTES, ok=405),
            "POST": override(web(P.VIEW_ROUTES, ok=302), **ROUTE_OUTSIDERS),
        },
    ),
    "route:course-add": (
        _uuid_of("candidate"),  # no start of a course given
        {"GET": web(P.PLAN_ROUTES, ok=405), "POST": web(P.PLAN_ROUTES, ok=404)},
    ),
    "route:cohort-course": (
        _uuid_of("vacancy"),  # no start of a course given: a message and back
        {"GET": web(P.PLAN_ROUTES, ok=405), "POST": web(P.PLAN_ROUTES, ok=302)},
    ),
    "route:stuck": (
        NONE,
        {"GET": web(P.VIEW_STUCK), "POST": web(P.VIEW_STUCK, ok=405)},
    ),
    "route:templates": (
        NONE,
        {"GET": web(P.MANAGE_ROUTE_TEMPLATES), "POST": web(P.MANAGE_ROUTE_TEMPLATES, ok=405)},
    ),
    "route:template-new": (
        NONE,
        {"GET": web(P.MANAGE_ROUTE_TEMPLATES), "POST": web(P.MANAGE_ROUTE_TEMPLATES)},
    ),
    "route:template": (
        _uuid_of("route_template"),
        {"GET": web(P.MANAGE_ROUTE_TEMPLATES), "POST": web(P.MANAGE_ROUTE_TEMPLATES)},
    ),
    "route:support": (
        NONE,
        {"GET": web(P.VIEW_ROUTES), "POST": web(P.VIEW_ROUTES, ok=405)},
    ),
    "route:support-plan": (
        _uuid_of("support_plan"),
        {
            "GET": override(web(P.VIEW_ROUTES), **ROUTE_OUTSIDERS),
            "POST": override(web(P.VIEW_ROUTES), **ROUTE_OUTSIDERS),
        },
    ),
    # #17 applications: instrument applications on hires, for who records them (klantmanager,
    # accountmanager, intermediair) and sees the hire; recording needs ?proposal= or ?hire=
    # (without: 400); an empty POST on an application is an unknown action (back: 302).
    "instruments:application-list": (
        NONE,
        {
            "GET": web(P.RECORD_APPLICATIONS),
            "POST": web(P.RECORD_APPLICATIONS, ok=405),
        },
    ),
    "instruments:application-new": (
        NONE,
        {
            "GET": web(P.RECORD_APPLICATIONS, ok=400),
            "POST": web(P.RECORD_APPLICATIONS, ok=400),
        },
    ),
    "instruments:application-detail": (
        _instrument_application,
        {
            "GET": web(P.RECORD_APPLICATIONS),
            "POST": web(P.RECORD_APPLICATIONS, ok=302),
        },
    ),
    "instruments:hire-applications": (
        _hire_applications,
        {
            "GET": web(P.RECORD_APPLICATIONS),
            "POST": web(P.RECORD_APPLICATIONS, ok=405),
        },
    ),
    # --- the PoW-dashboard and the action plan; the ministry compares the regions ---------
    "monitoring:dashboard": (
        NONE,
        {"GET": web(P.VIEW_INDICATORS), "POST": web(P.VIEW_INDICATORS, ok=405)},
    ),
    "monitoring:drill": (
        lambda w, m: {"key": "matches"},
        {"GET": web(P.VIEW_CANDIDATES), "POST": web(P.VIEW_CANDIDATES, ok=405)},
    ),
    "monitoring:plan": (
        NONE,
        {"GET": web(P.VIEW_INDICATORS), "POST": web(P.VIEW_INDICATORS, ok=405)},
    ),
    "monitoring:plan-new": (
        NONE,  # an empty form comes back with its errors
        {"GET": web(P.MANAGE_PLANS), "POST": web(P.MANAGE_PLANS)},
    ),
    "monitoring:plan-edit": (
        _uuid_of("action_plan"),
        {"GET": web(P.MANAGE_PLANS), "POST": web(P.MANAGE_PLANS)},
    ),
    "monitoring:plan-action": (
        _uuid_of("action_plan"),  # no action: a message and back
        {"GET": web(P.MANAGE_PLANS, ok=405), "POST": web(P.MANAGE_PLANS, ok=302)},
    ),
    "monitoring:export": (
        lambda w, m: {"fmt": "csv"},
        {"GET": web(P.VIEW_INDICATORS), "POST": web(P.VIEW_INDICATORS, ok=405)},
    ),
    "monitoring:report": (
        _this_quarter,
        {"GET": web(P.VIEW_INDICATORS), "POST": web(P.VIEW_INDICATORS, ok=405)},
    ),
    "monitoring:market": (
        NONE,
        {"GET": web(P.VIEW_INDICATORS), "POST": web(P.VIEW_INDICATORS, ok=405)},
    ),
    "monitoring:national-export": (
        lambda w, m: {"fmt": "xlsx"},
        {"GET": web(P.NATIONAL_INDICATORS), "POST": web(P.NATIONAL_INDICATORS, ok=405)},
    ),
    "monitoring:national-report": (
        lambda w, m: {"code": "AM18", **_last_quarter(w, m)},
        {"GET": web(P.NATIONAL_INDICATORS), "POST": web(P.NATIONAL_INDICATORS, ok=405)},
    ),
    "monitoring:national": (
        NONE,
        {"GET": web(P.NATIONAL_INDICATORS), "POST": web(P.NATIONAL_INDICATORS, ok=405)},
    ),
    "monitoring:national-trend": (
        NONE,
        {"GET": web(P.NATIONAL_INDICATORS), "POST": web(P.NATIONAL_INDICATORS, ok=405)},
    ),
    # --- the employer's own pages; the world's place belongs to another employer (404) -----
    "employer:home": (
        _own_employer,
        {"GET": web(P.EMPLOYER_PORTAL), "POST": web(P.EMPLOYER_PORTAL, ok=405)},
    ),
    "employer:search": (
        _own_employer,
        {"GET": web(P.EMPLOYER_PORTAL), "POST": web(P.EMPLOYER_PORTAL, ok=405)},
    ),
    "employer:ask": (
        _own_employer,
        {"GET": web(P.EMPLOYER_PORTAL, ok=405), "POST": web(P.EMPLOYER_PORTAL, ok=302)},
    ),
    "employer:place": (
        _uuid_of("vacancy"),
        {
            "GET": web(P.EMPLOYER_PORTAL, ok=404),
            "POST": web(P.EMPLOYER_PORTAL, ok=405),
        },
    ),
    "employer:place-export": (
        _uuid_of("vacancy"),
        {
            "GET": web(P.EMPLOYER_PORTAL, ok=404),
            "POST": web(P.EMPLOYER_PORTAL, ok=405),
        },
    ),
    "employer:outcome": (
        _uuid_of("proposal"),
        {"GET": web(P.EMPLOYER_PORTAL, ok=405), "POST": web(P.EMPLOYER_PORTAL, ok=404)},
    ),
    "employer:respond": (
        _uuid_of("proposal"),
        {"GET": web(P.EMPLOYER_PORTAL, ok=405), "POST": web(P.EMPLOYER_PORTAL, ok=404)},
    ),
    # The public request form of the Werkgeversservicepunt: anyone; an empty POST shows errors.
    "wsp-request": (NONE, {"GET": same(200), "POST": same(200)}),
    # #17 public: the Regelingenwijzer (a GET form, anyone) and the instruments API (any
    # signed-in user; no anonymous API: visitors use the page). An empty check is a 400.
    "wsp-instruments": (NONE, {"GET": same(200), "POST": same(405)}),
    "api:instrument-list": (NONE, {"GET": api(None), "POST": api(None, ok=405)}),
    "api:instrument-check": (NONE, {"GET": api(None, ok=405), "POST": api(None, ok=400)}),
    "vacancies:requests": (
        NONE,
        {"GET": web(P.MANAGE_EMPLOYERS), "POST": web(P.MANAGE_EMPLOYERS, ok=405)},
    ),
    "vacancies:request-action": (
        _uuid_of("employer_request"),
        {"GET": web(P.MANAGE_EMPLOYERS, ok=405), "POST": web(P.MANAGE_EMPLOYERS, ok=302)},
    ),
    # One request's page, its notes (an empty note is refused: 400) and turning it into an
    # employer and a place (an empty POST shows the form's errors).
    "vacancies:request-detail": (
        _uuid_of("employer_request"),
        {"GET": web(P.MANAGE_EMPLOYERS), "POST": web(P.MANAGE_EMPLOYERS, ok=405)},
    ),
    "vacancies:request-note": (
        _uuid_of("employer_request"),
        {"GET": web(P.MANAGE_EMPLOYERS, ok=405), "POST": web(P.MANAGE_EMPLOYERS, ok=400)},
    ),
    "vacancies:request-convert": (
        _uuid_of("employer_request"),
        {"GET": web(P.MANAGE_EMPLOYERS), "POST": web(P.MANAGE_EMPLOYERS)},
    ),
    # --- API -------------------------------------------------------------------------------
    "api:schema": (NONE, {"GET": same(200), "POST": same(405)}),
    "api:docs": (NONE, {"GET": same(200), "POST": same(405)}),
    "api:me": (NONE, {"GET": api(None), "POST": api(None, ok=405)}),
    "api:inbox": (NONE, {"GET": api(None), "POST": api(None, ok=405)}),
    "api:region-list": (
        NONE,
        {
            "GET": api(P.VIEW_REFERENCE_DATA),
            "POST": api(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "api:region-detail": (
        _region,
        {
            "GET": api(P.VIEW_REFERENCE_DATA),
            "POST": api(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "api:municipality-list": (
        NONE,
        {
            "GET": api(P.VIEW_REFERENCE_DATA),
            "POST": api(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "api:postcode-detail": (
        lambda w, m: {"code": "1011"},
        {
            "GET": api(P.VIEW_REFERENCE_DATA),
            "POST": api(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "api:occupation-list": (
        NONE,
        {
            "GET": api(P.VIEW_REFERENCE_DATA),
            "POST": api(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "api:occupation-detail": (
        lambda w, m: {"id": w.occupation.uri.rsplit("/", 1)[-1]},
        {"GET": api(P.VIEW_REFERENCE_DATA), "POST": api(P.VIEW_REFERENCE_DATA, ok=405)},
    ),
    "api:skill-list": (
        NONE,
        {
            "GET": api(P.VIEW_REFERENCE_DATA),
            "POST": api(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "api:education-level-list": (
        NONE,
        {
            "GET": api(P.VIEW_REFERENCE_DATA),
            "POST": api(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "api:sector-list": (
        NONE,
        {
            "GET": api(P.VIEW_REFERENCE_DATA),
            "POST": api(P.VIEW_REFERENCE_DATA, ok=405),
        },
    ),
    "api:organisation-list": (
        NONE,
        {
            "GET": api(P.VIEW_ORGANISATIONS),
            "POST": api(P.VIEW_ORGANISATIONS, ok=405),
        },
    ),
    "api:organisation-detail": (
        _uuid_of("organisation"),
        {
            "GET": api(P.VIEW_ORGANISATIONS),
            "POST": api(P.VIEW_ORGANISATIONS, ok=405),
        },
    ),
    "api:access-log": (
        NONE,
        {
            "GET": api(P.VIEW_ACCESS_LOG, ok=400),
            "POST": api(P.VIEW_ACCESS_LOG, ok=405),
        },
    ),
    "api:candidate-list": (
        NONE,
        {
            "GET": api(P.VIEW_CANDIDATES),
            # POST without a body: 400 for those who may register, 403 for everyone else.
            "POST": api(P.MANAGE_CANDIDATES, ok=400),
        },
    ),
    "api:candidate-detail": (
        _uuid_of("candidate"),
        {
            "GET": api(P.VIEW_CANDIDATES),
            "POST": api(P.VIEW_CANDIDATES, ok=405),
        },
    ),
    "api:candidate-status": (
        _uuid_of("candidate"),
        {
            "GET": api(P.MANAGE_CANDIDATES, ok=405),
            "POST": api(P.MANAGE_CANDIDATES, ok=400),
        },
    ),
    # Notes about the world's person: everyone who sees the person (the gemeente serving
    # them, and through the consent the intermediary and the school); an empty POST is 400.
    "api:candidate-notes": (
        _uuid_of("candidate"),
        {"GET": api(P.VIEW_CANDIDATES), "POST": api(P.VIEW_CANDIDATES, ok=400)},
    ),
    "api:employer-list": (
        NONE,
        {"GET": api(P.VIEW_EMPLOYERS), "POST": api(P.VIEW_EMPLOYERS, ok=405)},
    ),
    "api:employer-detail": (
        _uuid_of("employer"),
        {
            "GET": override(api(P.VIEW_EMPLOYERS), **{Role.EMPLOYER.value: 404}),
            "POST": api(P.VIEW_EMPLOYERS, ok=405),
        },
    ),
    "api:employer-claim": (
        _uuid_of("employer"),
        {"GET": api(P.MANAGE_EMPLOYERS, ok=405), "POST": api(P.MANAGE_EMPLOYERS, ok=200)},
    ),
    "api:vacancy-list": (
        NONE,
        {"GET": api(P.VIEW_EMPLOYERS), "POST": api(P.MANAGE_PLACES, ok=400)},
    ),
    "api:vacancy-detail": (
        _uuid_of("vacancy"),
        {
            "GET": override(api(P.VIEW_EMPLOYERS), **{Role.EMPLOYER.value: 404}),
            "POST": api(P.VIEW_EMPLOYERS, ok=405),
        },
    ),
    "api:vacancy-phases": (
        _uuid_of("vacancy"),
        {
            "GET": override(api(P.VIEW_EMPLOYERS), **{Role.EMPLOYER.value: 404}),
            "POST": override(
                by_permission(P.VIEW_EMPLOYERS, 403, anonymous=401),
                **{
                    Role.EMPLOYER.value: 404,
                    Role.ACCOUNTMANAGER.value: 400,
                    Role.INTERMEDIARY.value: 400,
                },
            ),
        },
    ),
    "api:vacancy-fill-rate": (
        _uuid_of("vacancy"),
        {
            "GET": override(api(P.VIEW_EMPLOYERS), **{Role.EMPLOYER.value: 404}),
            "POST": api(P.VIEW_EMPLOYERS, ok=405),
        },
    ),
    "api:vacancy-cohort": (
        _uuid_of("vacancy"),
        {
            "GET": override(
                api(P.VIEW_CANDIDATES),
                **{Role.TRAINING_ADVISOR.value: 404, Role.JOBCOACH.value: 404},
            ),
            "POST": override(
                api(P.VIEW_CANDIDATES, ok=400),
                **{Role.TRAINING_ADVISOR.value: 404, Role.JOBCOACH.value: 404},
            ),
        },
    ),
    "api:proposal-list": (
        NONE,
        {"GET": api(P.VIEW_CANDIDATES, ok=400), "POST": api(P.VIEW_CANDIDATES, ok=400)},
    ),
    "api:employer-proposals": (
        _own_employer,
        {"GET": api(P.EMPLOYER_PORTAL), "POST": api(P.EMPLOYER_PORTAL, ok=405)},
    ),
    "api:employer-proposal-answer": (
        _uuid_of("proposal"),
        {"GET": api(P.EMPLOYER_PORTAL, ok=405), "POST": api(P.EMPLOYER_PORTAL, ok=404)},
    ),
    "api:employer-candidates": (
        _own_employer,
        {"GET": api(P.EMPLOYER_PORTAL), "POST": api(P.EMPLOYER_PORTAL, ok=405)},
    ),
    "api:offer-list": (
        NONE,
        {"GET": api(P.VIEW_CATALOGUE), "POST": api(P.MANAGE_OFFERS, ok=400)},
    ),
    "api:offer-detail": (
        _uuid_of("offer"),
        {"GET": api(P.VIEW_CATALOGUE), "POST": api(P.VIEW_CATALOGUE, ok=405)},
    ),
    "api:lesson-list": (
        NONE,
        {"GET": api(P.VIEW_LESSONS), "POST": api(P.VIEW_LESSONS, ok=405)},
    ),
    "api:lesson-detail": (
        _lesson,
        {"GET": api(P.VIEW_LESSONS), "POST": api(P.VIEW_LESSONS, ok=405)},
    ),
    # --- the support team's work (#19), read-only: the team every region, a region's
    # programme manager (progress, requests) or partners (reflection) their own; the SZW
    # analyst and employers none of it (403) -------------------------------------------------
    "api:support-questionnaire-list": (
        NONE,
        {
            "GET": api_any(P.SUPPORT_REGIONS, P.REPORT_PROGRESS),
            "POST": api_any(P.SUPPORT_REGIONS, P.REPORT_PROGRESS, ok=405),
        },
    ),
    "api:support-response-list": (
        NONE,
        {
            "GET": api_any(P.SUPPORT_REGIONS, P.REPORT_PROGRESS),
            "POST": api_any(P.SUPPORT_REGIONS, P.REPORT_PROGRESS, ok=405),
        },
    ),
    "api:support-reflection-list": (
        NONE,
        {
            "GET": api_any(P.SUPPORT_REGIONS, P.REFLECT),
            "POST": api_any(P.SUPPORT_REGIONS, P.REFLECT, ok=405),
        },
    ),
    "api:support-request-list": (
        NONE,
        {
            "GET": api_any(P.SUPPORT_REGIONS, P.REPORT_PROGRESS),
            "POST": api_any(P.SUPPORT_REGIONS, P.REPORT_PROGRESS, ok=405),
        },
    ),
    # --- indicators: regional staff their region; the ministry must name one (400) ---------
    "api:indicator-list": (
        NONE,
        {
            # National roles must say which level they ask for: 400 without it.
            "GET": override(
                api(P.VIEW_INDICATORS),
                **{Role.SZW_ANALYST.value: 400, Role.SUPPORT_TEAM.value: 400},
            ),
            "POST": same(405, anonymous=401),
        },
    ),
    # --- routes over the API (empty bodies: 400 for those who may) --------------------------
    "api:route-list": (
        NONE,
        {"GET": api(P.VIEW_ROUTES), "POST": api(P.PLAN_ROUTES, ok=400)},
    ),
    "api:route-detail": (
        _uuid_of("route"),
        {
            "GET": override(api(P.VIEW_ROUTES), **ROUTE_OUTSIDERS),
            "POST": api(P.VIEW_ROUTES, ok=405),
        },
    ),
    "api:route-steps": (
        _uuid_of("route"),
        {"GET": api(P.PLAN_ROUTES, ok=405), "POST": api(P.PLAN_ROUTES, ok=400)},
    ),
    "api:route-step": (
        _uuid_of("route_step"),
        {"GET": api(P.PLAN_ROUTES, ok=405), "POST": api(P.PLAN_ROUTES, ok=405)},
    ),
    "api:route-step-action": (
        # Not yet accepted: the planner is told so; the gemeente's jobcoach sees the route
        # but neither owns nor plans the step.
        lambda w, m: {"uuid": w.route_step.uuid, "action": "start"},
        {
            "GET": api(P.VIEW_ROUTES, ok=405),
            "POST": override(
                api(P.VIEW_ROUTES, ok=400), **ROUTE_OUTSIDERS, **{Role.JOBCOACH.value: 404}
            ),
        },
    ),
    "api:route-template-list": (
        NONE,
        {"GET": api(P.MANAGE_ROUTE_TEMPLATES), "POST": api(P.MANAGE_ROUTE_TEMPLATES, ok=400)},
    ),
    "api:route-template-detail": (
        _uuid_of("route_template"),
        {"GET": api(P.MANAGE_ROUTE_TEMPLATES), "POST": api(P.MANAGE_ROUTE_TEMPLATES, ok=405)},
    ),
    "api:stuck-list": (
        NONE,
        {"GET": api(P.VIEW_STUCK), "POST": api(P.VIEW_STUCK, ok=405)},
    ),
    "api:support-plan-list": (
        NONE,
        {"GET": api(P.VIEW_ROUTES), "POST": api(P.VIEW_ROUTES, ok=405)},
    ),
    "api:support-plan-detail": (
        _uuid_of("support_plan"),
        {
            "GET": override(api(P.VIEW_ROUTES), **ROUTE_OUTSIDERS),
            "POST": api(P.VIEW_ROUTES, ok=405),
        },
    ),
    "api:support-plan-check-ins": (
        _uuid_of("support_plan"),
        {
            "GET": api(P.RECORD_SUPPORT, ok=405),
            "POST": override(api(P.RECORD_SUPPORT, ok=400), **{IM: 404}),
        },
    ),
    "api:support-plan-confirmation": (
        _uuid_of("support_plan"),
        {
            "GET": api(P.RECORD_SUPPORT, ok=405),
            "POST": override(api(P.RECORD_SUPPORT, ok=400), **{IM: 404}),
        },
    ),
    "api:candidate-hires": (
        _uuid_of("candidate"),
        {"GET": api(P.MANAGE_CANDIDATES, ok=405), "POST": api(P.MANAGE_CANDIDATES, ok=400)},
    ),
    "api:support-plan-drop-out": (
        _uuid_of("support_plan"),
        {
            "GET": api(P.RECORD_SUPPORT, ok=405),
            "POST": override(api(P.RECORD_SUPPORT, ok=400), **{IM: 404}),
        },
    ),
    "api:candidate-journey": (
        _uuid_of("candidate"),  # partners see a regional profile, not the journey
        {
            "GET": override(api(P.VIEW_CANDIDATES), **ROUTE_OUTSIDERS),
            "POST": api(P.VIEW_CANDIDATES, ok=405),
        },
    ),
    # --- the match workflow over the API --------------------------------------------------
    "api:vacancy-shortlist": (
        _uuid_of("vacancy"),
        {
            "GET": override(api(P.VIEW_CANDIDATES), **NO_PLACES),
            "POST": override(api(P.VIEW_CANDIDATES, ok=400), **NO_PLACES),
        },
    ),
    # Why a person is (not) ranked for the world's place: no person named is a 400.
    "api:vacancy-match-explanation": (
        _uuid_of("vacancy"),
        {
            "GET": override(api(P.VIEW_CANDIDATES, ok=400), **NO_PLACES),
            "POST": api(P.VIEW_CANDIDATES, ok=405),
        },
    ),
    "api:shortlist-entry": (
        _uuid_of("shortlist_entry"),
        {"GET": api(P.VIEW_CANDIDATES, ok=405), "POST": api(P.VIEW_CANDIDATES, ok=405)},
    ),
    "api:proposal-introduction": (
        _uuid_of("proposal"),
        {
            "GET": api(P.VIEW_CANDIDATES, ok=405),
            # Only the serving klantmanager records the person's consent, and must say how
            # the person gave it (an empty body: 400); the others are refused first.
            "POST": override(api(P.MANAGE_CANDIDATES, ok=400), **NO_PLACES),
        },
    ),
    # The proposing or a serving organisation withdraws (the world's proposal was made by
    # the region's gemeente, where the account manager works too; not the intermediary).
    "api:proposal-withdraw": (
        _uuid_of("proposal"),
        {
            "GET": api(P.VIEW_CANDIDATES, ok=405),
            "POST": override(api(P.VIEW_CANDIDATES), **NO_PLACES, **{IM: 403}),
        },
    ),
    "api:proposal-outcome": (
        _uuid_of("proposal"),
        {
            "GET": api(P.VIEW_CANDIDATES, ok=405),
            "POST": override(api(P.VIEW_CANDIDATES, ok=400), **NO_PLACES),
        },
    ),
    "api:employer-proposal-outcome": (
        _uuid_of("proposal"),
        {"GET": api(P.EMPLOYER_PORTAL, ok=405), "POST": api(P.EMPLOYER_PORTAL, ok=404)},
    ),
    "api:matching-configuration": (
        NONE,
        {"GET": configuration_readers(200, anonymous=401), "POST": same(405, anonymous=401)},
    ),
    "api:match-run-list": (
        NONE,
        {"GET": api_reviewers(200), "POST": override(api_reviewers(403), **{AM: 202})},
    ),
    "api:match-run-detail": (
        _uuid_of("match_run"),
        {"GET": api_reviewers(200), "POST": api(P.VIEW_CANDIDATES, ok=405)},
    ),
    # Who of the starting organisation may start runs cancels one (the matrix's run, started
    # by the account manager's own gemeente, is done: 400); other organisations: see
    # tests/matching/test_run_faults.py.
    "api:match-run-cancel": (
        _uuid_of("match_run"),
        {"GET": api(P.VIEW_CANDIDATES, ok=405), "POST": override(api_reviewers(403), **{AM: 400})},
    ),
    "api:match-run-suggestions": (
        _uuid_of("match_run"),
        {"GET": api_reviewers(200), "POST": api(P.VIEW_CANDIDATES, ok=405)},
    ),
    "api:match-suggestion-review": (
        _uuid_of("suggestion"),
        {"GET": api(P.VIEW_CANDIDATES, ok=405), "POST": api_reviewers(400)},
    ),
    # #17 funding: everyone with the funding permission reads the region's pots and asks
    # which pot can pay (an empty question is the form); programme managers and functional
    # administrators keep the region's pots (an empty form: 200 with its errors).
    "funding:overview": (
        NONE,
        {"GET": web(P.VIEW_FUNDING), "POST": web(P.VIEW_FUNDING, ok=405)},
    ),
    "funding:question": (
        NONE,
        {"GET": web(P.VIEW_FUNDING), "POST": web(P.VIEW_FUNDING, ok=405)},
    ),
    "funding:pot": (
        _funding_pot,
        {"GET": web(P.VIEW_FUNDING), "POST": web(P.VIEW_FUNDING, ok=405)},
    ),
    "funding:pot-create": (
        NONE,
        {"GET": web(P.MANAGE_FUNDING), "POST": web(P.MANAGE_FUNDING)},
    ),
    "funding:pot-edit": (
        _funding_pot,
        {"GET": web(P.MANAGE_FUNDING), "POST": web(P.MANAGE_FUNDING)},
    ),
    "api:funding-list": (
        NONE,
        {"GET": api(P.VIEW_FUNDING), "POST": api(P.VIEW_FUNDING, ok=405)},
    ),
    # #17 authoring: staff who see instruments read the catalogue, an instrument, a version
    # and the harmonisation table; programme managers and functional administrators of the
    # region write drafts (an empty form answers 200 with its errors; an action without a
    # name, or a harmonisation status without one, goes back with a message: 302).
    "instruments:catalogue": (
        NONE,
        {"GET": web(P.VIEW_INSTRUMENTS), "POST": web(P.VIEW_INSTRUMENTS, ok=405)},
    ),
    "instruments:instrument": (
        _instrument,
        {"GET": web(P.VIEW_INSTRUMENTS), "POST": web(P.VIEW_INSTRUMENTS, ok=405)},
    ),
    "instruments:version": (
        _published_version,
        {"GET": web(P.VIEW_INSTRUMENTS), "POST": web(P.VIEW_INSTRUMENTS, ok=405)},
    ),
    "instruments:instrument-create": (
        NONE,
        {"GET": web(P.MANAGE_INSTRUMENTS), "POST": web(P.MANAGE_INSTRUMENTS)},
    ),
    "instruments:version-edit": (
        _draft_version,
        {"GET": web(P.MANAGE_INSTRUMENTS), "POST": web(P.MANAGE_INSTRUMENTS)},
    ),
    "instruments:version-action": (
        _draft_version,
        {"GET": web(P.MANAGE_INSTRUMENTS, ok=405), "POST": web(P.MANAGE_INSTRUMENTS, ok=302)},
    ),
    "instruments:variation-create": (
        _instrument,
        {"GET": web(P.MANAGE_INSTRUMENTS), "POST": web(P.MANAGE_INSTRUMENTS)},
    ),
    "instruments:variation-edit": (
        _draft_variation,
        {"GET": web(P.MANAGE_INSTRUMENTS), "POST": web(P.MANAGE_INSTRUMENTS)},
    ),
    "instruments:variation-action": (
        _draft_variation,
        {"GET": web(P.MANAGE_INSTRUMENTS, ok=405), "POST": web(P.MANAGE_INSTRUMENTS, ok=302)},
    ),
    "instruments:harmonisation": (
        NONE,
        {"GET": web(P.VIEW_INSTRUMENTS), "POST": web(P.VIEW_INSTRUMENTS, ok=405)},
    ),
    "instruments:harmonisation-status": (
        _instrument,
        {"GET": web(P.MANAGE_INSTRUMENTS, ok=405), "POST": web(P.MANAGE_INSTRUMENTS, ok=302)},
    ),
    # #17 check: "Wat kan de werkgever krijgen?" for a proposal, a hire outside the platform
    # and a cohort place (staff who see instruments and people; roles without the place
    # permission find no place: 404); the employer only for its own proposals (the world's
    # proposal is another employer's: 404). Read-only pages: a POST is 405.
    "instruments:check-proposal": (
        _uuid_of("proposal"),
        {"GET": _check(200, **NO_PLACES), "POST": web(P.VIEW_INSTRUMENTS, ok=405)},
    ),
    "instruments:check-hire": (
        _outside_hire,
        {"GET": _check(200), "POST": web(P.VIEW_INSTRUMENTS, ok=405)},
    ),
    "instruments:check-cohort": (
        lambda w, m: {"uuid": w.cohort_member.uuid},
        {"GET": _check(200, **NO_PLACES), "POST": web(P.VIEW_INSTRUMENTS, ok=405)},
    ),
    "instruments:employer-check": (
        _uuid_of("proposal"),
        {"GET": web(P.EMPLOYER_PORTAL, ok=404), "POST": web(P.EMPLOYER_PORTAL, ok=405)},
    ),
    # #19 support: the national support team's pages (questionnaires, the overview of which
    # regions answered, a region's response, bottlenecks and good examples, requests); the
    # region's programme manager answers the questionnaire (an empty POST shows the form
    # again), opens reflection rounds and asks for support; the region's partners answer its
    # reflection (an empty answer is refused on the page: 200). The team finds no answer to
    # link without one (404).
    "support:team": (NONE, {"GET": web(P.SUPPORT_REGIONS), "POST": web(P.SUPPORT_REGIONS, ok=405)}),
    "support:questionnaire-create": (
        NONE,
        {"GET": web(P.SUPPORT_REGIONS), "POST": web(P.SUPPORT_REGIONS)},
    ),
    "support:questionnaire": (
        lambda w, m: {"uuid": _support_questionnaire(w, m, published=False).uuid},
        {"GET": web(P.SUPPORT_REGIONS), "POST": web(P.SUPPORT_REGIONS)},
    ),
    "support:team-response": (
        _support_response,
        {"GET": web(P.SUPPORT_REGIONS), "POST": web(P.SUPPORT_REGIONS, ok=405)},
    ),
    "support:findings": (
        NONE,
        {"GET": web(P.SUPPORT_REGIONS), "POST": web(P.SUPPORT_REGIONS, ok=404)},
    ),
    "support:team-region": (
        _region,
        {"GET": web(P.SUPPORT_REGIONS), "POST": web(P.SUPPORT_REGIONS, ok=405)},
    ),
    "support:team-requests": (
        NONE,
        {"GET": web(P.SUPPORT_REGIONS), "POST": web(P.SUPPORT_REGIONS, ok=405)},
    ),
    "support:team-request": (
        _support_request,
        {"GET": web(P.SUPPORT_REGIONS), "POST": web(P.SUPPORT_REGIONS)},
    ),
    "support:region": (NONE, {"GET": web(P.REFLECT), "POST": web(P.REFLECT, ok=405)}),
    "support:progress": (
        lambda w, m: {"uuid": _support_questionnaire(w, m).uuid},
        {"GET": web(P.REPORT_PROGRESS), "POST": web(P.REPORT_PROGRESS)},
    ),
    "support:reflection-create": (
        NONE,
        {"GET": web(P.REPORT_PROGRESS), "POST": web(P.REPORT_PROGRESS)},
    ),
    "support:reflection-compare": (
        NONE,
        {"GET": web(P.REFLECT), "POST": web(P.REFLECT, ok=405)},
    ),
    "support:reflection": (
        lambda w, m: {"uuid": _support_questionnaire(w, m, kind="reflectie").uuid},
        {"GET": web(P.REFLECT), "POST": web(P.REFLECT)},
    ),
    "support:requests": (NONE, {"GET": web(P.REPORT_PROGRESS), "POST": web(P.REPORT_PROGRESS)}),
    "support:request": (
        _support_request,
        {"GET": web(P.REPORT_PROGRESS), "POST": web(P.REPORT_PROGRESS, ok=405)},
    ),
    "api:not-found": (lambda w, m: {}, {"GET": same(404), "POST": same(404)}),
}
