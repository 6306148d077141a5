"""What the platform tells people: the kinds of work that wait, how often a person wants
an e-mail about each kind, and the states of a message.

Every kind is named here, in the lowest app that knows about messages, so that the apps
above can notify without this app knowing them. A message says *that* something waits and
links to it; it never names a person (mail leaves the platform).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import Role


class Kind(models.TextChoices):
    HANDOFF = "handoff", _("a step handed to your organisation")
    HANDOFF_ANSWERED = "handoff_answered", _("a partner answered a hand-off")
    STUCK_STEP = "stuck_step", _("a step of a route is stuck")
    CHECKIN = "checkin", _("a check-in is due or missed")
    PROPOSAL_NEW = "proposal_new", _("a candidate proposed for your place")
    PROPOSAL_REMINDER = "proposal_reminder", _("a proposal waits for your answer")
    EMPLOYER_ANSWER = "employer_answer", _("an employer answered a proposal")
    PROPOSAL_CLOSING = "proposal_closing", _("a proposal is about to be closed")
    WSP_REQUEST = "wsp_request", _("an employer's request to the WSP")
    RECONFIRMATION = "reconfirmation", _("availability to be reconfirmed")
    CORRECTION = "correction", _("a job seeker proposed a correction")
    RUN_REVIEW = "run_review", _("suggestions of a matching run to review")
    IMPORT_DONE = "import_done", _("an import finished or failed")
    INVITATION = "invitation", _("an invitation to Perspectief")
    INVITATION_ACCEPTED = "invitation_accepted", _("an invitation was accepted")
    NOTE = "note", _("a note from a partner")
    MESSAGE = "message", _("a message")
    DIGEST = "digest", _("the daily overview")
    INSTRUMENT_DEADLINE = "instrument_deadline", _("a deadline of an instrument application")
    FAIRNESS = "fairness", _("the matching treats a group unequally at similar scores")
    BORGING_CHECK = "borging_check", _("what should last after an action plan is to be checked")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("straight away")
    DAILY = "daily", _("once a day, in one overview")
    OFF = "off", _("no e-mail (only in the inbox)")


class Status(models.TextChoices):
    QUEUED = "queued", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    HELD = "held", _("held for the daily overview")
    SENT = "sent", _("delivered to the mail server")
    FAILED = "failed", _("failed")
    IN_DIGEST = "in_digest", _("sent in the daily overview")


@dataclass(frozen=True)
class KindInfo:
    """The words of a kind's e-mail and who can receive it."""

    subject: Promise
    sentence: Promise
    roles: frozenset[str]
    default: str = Frequency.IMMEDIATE


_STAFF_WITH_PEOPLE = frozenset(
    {Role.KLANTMANAGER, Role.INTERMEDIARY, Role.JOBCOACH, Role.TRAINING_ADVISOR}
)

KINDS: dict[str, KindInfo] = {
    Kind.HANDOFF: KindInfo(
        _("A step was handed to your organisation"),
        _(
            "A partner handed a step of someone's route to your organisation. Accept or "
            "decline it in Perspectief."
        ),
        _STAFF_WITH_PEOPLE,
    ),
    Kind.HANDOFF_ANSWERED: KindInfo(
        _("A partner answered a hand-off"),
        _("A partner accepted or declined a step you handed over."),
        _STAFF_WITH_PEOPLE,
        Frequency.DAILY,
    ),
    Kind.STUCK_STEP: KindInfo(
        _("Steps of routes are stuck"),
        _("Steps of routes in your region are overdue or not accepted."),
        frozenset({Role.PROGRAMME_MANAGER}),
        Frequency.DAILY,
    ),
    Kind.CHECKIN: KindInfo(
        _("A check-in is due"),
        _("A check-in with someone you support at work is due or was missed."),
        frozenset({Role.JOBCOACH, Role.KLANTMANAGER, Role.INTERMEDIARY}),
    ),
    Kind.PROPOSAL_NEW: KindInfo(
        _("A candidate was proposed for your place"),
        _(
            "The Werkgeversservicepunt proposed a candidate for one of your places. Let us "
            "know whether you would like to meet."
        ),
        frozenset({Role.EMPLOYER}),
    ),
    Kind.PROPOSAL_REMINDER: KindInfo(
        _("A proposal waits for your answer"),
        _("A candidate proposed for one of your places is still waiting for your answer."),
        frozenset({Role.EMPLOYER}),
    ),
    Kind.EMPLOYER_ANSWER: KindInfo(
        _("An employer answered a proposal"),
        _("An employer answered a proposal of a person you work with."),
        frozenset({Role.KLANTMANAGER, Role.ACCOUNTMANAGER, Role.INTERMEDIARY}),
    ),
    Kind.PROPOSAL_CLOSING: KindInfo(
        _("Proposals are about to be closed"),
        _("Proposals without an answer from the employer will soon be closed."),
        frozenset({Role.ACCOUNTMANAGER, Role.KLANTMANAGER}),
        Frequency.DAILY,
    ),
    Kind.WSP_REQUEST: KindInfo(
        _("An employer asked the Werkgeversservicepunt for help"),
        _("A new or overdue request of an employer waits for a first contact."),
        frozenset({Role.ACCOUNTMANAGER, Role.INTERMEDIARY}),
    ),
    Kind.RECONFIRMATION: KindInfo(
        _("Please confirm that you are still looking for work"),
        _(
            "Every three months we ask whether you are still available for work. It takes "
            "one click."
        ),
        frozenset({Role.CANDIDATE}),
    ),
    Kind.CORRECTION: KindInfo(
        _("A job seeker proposed a correction"),
        _("A job seeker you serve proposed a correction of their profile."),
        frozenset({Role.KLANTMANAGER, Role.INTERMEDIARY}),
    ),
    Kind.RUN_REVIEW: KindInfo(
        _("Suggestions to review"),
        _("A matching run finished; its suggestions wait for your review."),
        frozenset({Role.ACCOUNTMANAGER}),
    ),
    Kind.IMPORT_DONE: KindInfo(
        _("Your import has ended"),
        _("An import you started has finished or failed. See the result in Perspectief."),
        frozenset({Role.KLANTMANAGER, Role.ACCOUNTMANAGER, Role.INTERMEDIARY}),
    ),
    Kind.INVITATION: KindInfo(
        _("You are invited to Perspectief"),
        _(
            "You were invited to Perspectief, the platform of Perspectief op Werk. Choose "
            "your password with the link below."
        ),
        frozenset(),
    ),
    Kind.INVITATION_ACCEPTED: KindInfo(
        _("An invitation was accepted"),
        _("Someone you invited has created their account."),
        frozenset(set(Role) - {Role.CANDIDATE}),
        Frequency.DAILY,
    ),
    Kind.NOTE: KindInfo(
        _("A partner left a note"),
        _("A partner left a note about someone you work with."),
        _STAFF_WITH_PEOPLE,
    ),
    Kind.MESSAGE: KindInfo(
        _("You have a new message"),
        _("You have a new message in Perspectief."),
        _STAFF_WITH_PEOPLE | {Role.CANDIDATE},
    ),
    Kind.INSTRUMENT_DEADLINE: KindInfo(
        _("A deadline of an instrument application is near"),
        _(
            "A deadline of an instrument application you are responsible for (such as a "
            "target group statement or a reassessment) falls within 14 days."
        ),
        frozenset({Role.KLANTMANAGER, Role.ACCOUNTMANAGER, Role.INTERMEDIARY}),
    ),
    Kind.FAIRNESS: KindInfo(
        _("The fairness report flags a group"),
        _(
            "In the latest matching run of your region, a target group or age band was "
            "ranked high more or less often than others with similar scores. See the "
            "fairness report."
        ),
        frozenset({Role.PROGRAMME_MANAGER}),
        Frequency.DAILY,
    ),
    Kind.BORGING_CHECK: KindInfo(
        _("Check what should last after the action plan"),
        _(
            "Your region's action plan has ended, and some of what should continue after it "
            "is still marked as planned. Say on the plan's page whether it was arranged."
        ),
        frozenset({Role.PROGRAMME_MANAGER}),
        Frequency.DAILY,
    ),
    Kind.DIGEST: KindInfo(
        _("Your overview of today"),
        _("This is what waits for you in Perspectief."),
        frozenset(),
    ),
}

#: Kinds a person cannot switch off: they are the message itself, not a notice about it.
ALWAYS_SENT = frozenset({Kind.INVITATION, Kind.DIGEST})

#: More immediate e-mails than this in one hour, and the rest waits for the daily overview:
#: a flood of events gives one overview, not hundreds of mails.
IMMEDIATE_PER_HOUR = 10

#: Attempts to hand a message to the mail server before it counts as failed.
MAX_ATTEMPTS = 6
