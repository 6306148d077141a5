from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import Role


class ProposalStatus(models.TextChoices):
    REQUESTED = "requested", _("asked for by the employer")
    PROPOSED = "proposed", _("proposed")
    INTERESTED = "interested", _("employer wants to meet")
    INTRODUCED = "introduced", _("introduced by name")
    INTERVIEW = "interview", _("interview")
    HIRED = "hired", _("hired")
    REJECTED = "rejected", _("not hired")
    NOT_INTERESTED = "not_interested", _("employer not interested")
    NO_ANSWER = "no_answer", _("closed: no answer from the employer")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: Proposals still in play (an employer can respond, an adviser can withdraw).
OPEN_STATUSES = (
    ProposalStatus.REQUESTED,
    ProposalStatus.PROPOSED,
    ProposalStatus.INTERESTED,
    ProposalStatus.INTRODUCED,
    ProposalStatus.INTERVIEW,
)

#: Waiting for the employer's answer: reminded, and closed when it never comes.
AWAITING_EMPLOYER = (ProposalStatus.PROPOSED, ProposalStatus.INTRODUCED)

#: Before the introduction by name: the person may say on their own page whether they want
#: to meet this employer (asked outright once the employer asked for them or wants to meet).
ANSWERABLE_BY_PERSON = (
    ProposalStatus.REQUESTED,
    ProposalStatus.PROPOSED,
    ProposalStatus.INTERESTED,
)


class NotSuitable(models.TextChoices):
    """Why an employer finds a proposed person not suitable (with free text for "other")."""

    SKILLS = "skills", _("skills or experience do not fit")
    HOURS = "hours", _("availability or hours do not fit")
    DISTANCE = "distance", _("too far to travel")
    FILLED = "filled", _("the place is already filled")
    OTHER = "other", _("another reason")


class PersonAnswer(models.TextChoices):
    """The person's own answer to "do you want to be introduced to this employer?"."""

    AGREED = "agreed", _("agreed to be introduced")
    DECLINED = "declined", _("would rather not be introduced")


#: The motivation an adviser writes for the employer: short, so it is read.
MOTIVATION_MAX_LENGTH = 600

#: What the employer may add to its answer (a note for the Werkgeversservicepunt).
EMPLOYER_NOTE_MAX_LENGTH = 500

#: Roles in an organisation that serves a person who take the next step with the person
#: after an employer's answer (ask them, plan the introduction).
SERVING_ROLES = (Role.KLANTMANAGER, Role.INTERMEDIARY)

#: Days within which an adviser takes the next step after an employer's answer (the due
#: date of the inbox item).
FOLLOW_UP_DAYS = 5

#: Days before a proposal is closed for want of an answer that its proposer is told, when
#: the setting ``PROPOSAL_CLOSING_NOTICE_DAYS`` is not there.
CLOSING_NOTICE_DAYS = 7

#: Days within which the suggestions of a finished matching run should be reviewed.
RUN_REVIEW_DAYS = 7

#: Items of one kind an inbox source reads at most; beyond it, one item says how many more.
INBOX_LIMIT = 100


class RunStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class ChunkStatus(models.TextChoices):
    """A part of a matching run's places, ranked by one worker (``MatchRunChunk``)."""

    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")


class SuggestionStatus(models.TextChoices):
    """What an adviser did with a batch run's suggestion. Nothing happens until they act."""

    OPEN = "open", _("to review")
    SHORTLISTED = "shortlisted", _("put on the shortlist")
    PROPOSED = "proposed", _("proposed to the employer")
    DISMISSED = "dismissed", _("set aside")


#: How many people a batch run keeps per place: a few per position, within bounds.
RUN_PER_POSITION = 3
RUN_MIN_PER_PLACE = 5
RUN_MAX_PER_PLACE = 150


# --- The region's matching configuration (#18) -------------------------------------------

#: The highest minimum score a region may set, in points out of 100: above it too few
#: people would be shown to be of use.
MIN_SCORE_MAX = 60

#: A change of the configuration says why; at most this many characters.
CONFIGURATION_REASON_MAX_LENGTH = 1000

#: The check that a configuration leaves some open place reachable runs the engine over a
#: sample of the region: its most recent open places and most recently confirmed people.
REACH_CHECK_PLACES = 200
REACH_CHECK_PEOPLE = 3000
#: How many of the best people per place the check looks at (the minimum score counts
#: without the priority criterion, so the best by that measure may be below the first).
REACH_CHECK_PER_PLACE = 20

#: Each criterion of the engine (the keys of ``engine.records.WEIGHT_BOUNDS``) as the
#: configuration page names and explains it.
CRITERIA_TEXT = {
    "essential_skills": (
        _("essential skills"),
        _(
            "How many of the skills the place requires the person has. A skill the employer "
            "will teach on the job counts in part."
        ),
    ),
    "optional_skills": (
        _("optional skills"),
        _("How many of the place's optional skills the person has."),
    ),
    "occupation": (
        _("occupation"),
        _("Whether the person wants or did the place's occupation, or one close to it."),
    ),
    "distance": (
        _("distance"),
        _("How near the person lives, against the distance they want to travel at most."),
    ),
    "hours": (
        _("hours"),
        _("How well the hours the person wants fit the hours of the place."),
    ),
    "education": (
        _("education"),
        _("Whether the person has the education level the place asks."),
    ),
    "language": (
        _("Dutch language"),
        _("Whether the person's Dutch is at the level the place asks."),
    ),
    "priority": (
        _("priority (furthest from work)"),
        _(
            "Extra points for people furthest from the labour market (long-term unemployed, "
            "banenafspraak, young people without a starting qualification, status holders). "
            "Only organisations that serve the person see these points."
        ),
    ),
    "readiness": (
        _("work-readiness"),
        _("Whether the person is ready for work now, nearly ready, or not yet."),
    ),
    "motivation": (
        _("motivation"),
        _("How motivated the person is for work, as their adviser recorded it."),
    ),
    "support": (
        _("support at work"),
        _(
            "Whether the place offers the support the person needs: an adjusted place, a job "
            "coach, flexible hours."
        ),
    ),
}
