from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessingActivity(models.TextChoices):
    """Registered processing activities (verwerkingsactiviteiten) of the platform.

    Each read or change of a person's data names one of these as its purpose. New
    capabilities add their activities here (and to docs/privacy.md).
    """

    ACCOUNT_VIEW = "account.view", _("View own or managed user account")
    ACCOUNT_MANAGE = "account.manage", _("Manage user accounts and memberships")
    ACCESS_LOG_INSPECT = "access_log.inspect", _("Inspect processings of a person (AVG inzage)")
    CANDIDATE_SERVICE = (
        "candidate.service",
        _("Serve a job seeker (legal task: Participatiewet / Wet SUWI)"),
    )
    CANDIDATE_REGISTER = "candidate.register", _("Register a job seeker")
    CANDIDATE_IMPORT = "candidate.import", _("Import job seekers from a file")
    CANDIDATE_PARTNER_VIEW = (
        "candidate.partner_view",
        _("Show a regional profile to a partner (with consent)"),
    )
    CANDIDATE_HEALTH = (
        "candidate.health",
        _("Use functional limitations to support the person at work"),
    )
    CANDIDATE_CONSENT = "candidate.consent", _("Record, agree to or withdraw consent")
    CANDIDATE_SELF = "candidate.self", _("The person views their own data")
    CANDIDATE_EXPORT = "candidate.export", _("Give a person their data (right of access)")
    CANDIDATE_ERASE = "candidate.erase", _("Erase or anonymise a person's data on request")
    CANDIDATE_COHORT = (
        "candidate.cohort",
        _("Prepare a job seeker for an employer's bulk request (cohort)"),
    )
    CANDIDATE_PROPOSAL = "candidate.proposal", _("Propose a job seeker for a place")
    CANDIDATE_MATCHING = (
        "candidate.matching",
        _("Rank job seekers and places for each other (matching, explained)"),
    )
    ROUTE_PLAN = (
        "route.plan",
        _("Plan and follow a person's route (serving organisation's legal task)"),
    )
    ROUTE_STEP = (
        "route.step",
        _("Carry out a step of a person's route handed over by the serving organisation"),
    )
    ROUTE_ESCALATION = (
        "route.escalation",
        _("Break through a stuck route as the region's coordinator (pseudonymised)"),
    )
    SUPPORT_AT_WORK = (
        "support.at_work",
        _("Support a placed person at work: check-ins with person and employer"),
    )
    EMPLOYER_ANONYMOUS_VIEW = (
        "employer.anonymous_view",
        _("Show an anonymous profile to an employer (regional consent)"),
    )
    EMPLOYER_INTRODUCTION = (
        "employer.introduction",
        _("Introduce a job seeker to an employer by name (consent per employer)"),
    )


class Operation(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    DISCLOSE = "disclose", _("disclose to another party")


class AccessResult(models.TextChoices):
    OK = "ok", _("completed")
    DENIED = "denied", _("denied")
    NOT_FOUND = "not_found", _("not found")
    ERROR = "error", _("failed")


class SubjectType(models.TextChoices):
    USER = "user", _("user")
    CANDIDATE = "candidate", _("job seeker")


#: For the person (AVG inzage): which of their data each activity touches and why, in words.
ACTIVITY_IN_WORDS: dict[str, tuple] = {
    ProcessingActivity.ACCOUNT_VIEW: (_("user account"), _("looking at one's own account")),
    ProcessingActivity.ACCOUNT_MANAGE: (
        _("user account and roles"),
        _("managing the organisation's user accounts"),
    ),
    ProcessingActivity.ACCESS_LOG_INSPECT: (
        _("the list of processings (this log)"),
        _("answering a request for access, or checking the processings"),
    ),
    ProcessingActivity.CANDIDATE_SERVICE: (
        _("job-seeker profile"),
        _("guidance to work (legal task under the Participatiewet or the Wet SUWI)"),
    ),
    ProcessingActivity.CANDIDATE_REGISTER: (
        _("job-seeker profile"),
        _("registration as a job seeker"),
    ),
    ProcessingActivity.CANDIDATE_IMPORT: (
        _("job-seeker profile"),
        _("taking over data from the organisation's own system"),
    ),
    ProcessingActivity.CANDIDATE_PARTNER_VIEW: (
        _("profile without name, BSN or contact details"),
        _("offering work or training in the region (with consent)"),
    ),
    ProcessingActivity.CANDIDATE_HEALTH: (
        _("functional limitations and adjustments needed at work"),
        _("support at work"),
    ),
    ProcessingActivity.CANDIDATE_CONSENT: (
        _("consent"),
        _("recording, agreeing to or withdrawing consent"),
    ),
    ProcessingActivity.CANDIDATE_SELF: (
        _("own data"),
        _("the person looked at their own data"),
    ),
    ProcessingActivity.CANDIDATE_EXPORT: (
        _("all data"),
        _("giving the person their data (right of access)"),
    ),
    ProcessingActivity.CANDIDATE_ERASE: (
        _("all data"),
        _("erasing data on request"),
    ),
    ProcessingActivity.CANDIDATE_COHORT: (
        _("job-seeker profile"),
        _("preparation for an employer's group vacancy"),
    ),
    ProcessingActivity.CANDIDATE_PROPOSAL: (
        _("job-seeker profile"),
        _("proposal for a job or place"),
    ),
    ProcessingActivity.CANDIDATE_MATCHING: (
        _("job-seeker profile"),
        _("finding suitable jobs (matching)"),
    ),
    ProcessingActivity.ROUTE_PLAN: (
        _("route to work"),
        _("planning and following the route to work"),
    ),
    ProcessingActivity.ROUTE_STEP: (
        _("name, contact details and one step of the route"),
        _("carrying out a step of the route, such as a training"),
    ),
    ProcessingActivity.ROUTE_ESCALATION: (
        _("a step of the route, without name"),
        _("getting a stuck route moving again"),
    ),
    ProcessingActivity.SUPPORT_AT_WORK: (
        _("work and check-ins"),
        _("support at work after starting a job"),
    ),
    ProcessingActivity.EMPLOYER_ANONYMOUS_VIEW: (
        _("profile without name"),
        _("showing an employer an anonymous profile"),
    ),
    ProcessingActivity.EMPLOYER_INTRODUCTION: (
        _("name and contact details"),
        _("introduction to an employer (with consent)"),
    ),
}

#: What happened, as a past participle for a sentence ("viewed by …").
OPERATION_DONE = {
    Operation.READ: _("viewed"),
    Operation.CREATE: _("recorded"),
    Operation.CHANGE: _("changed"),
    Operation.DELETE: _("deleted"),
    Operation.EXPORT: _("exported"),
    Operation.DISCLOSE: _("disclosed"),
}
