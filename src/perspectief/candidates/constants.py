"""Choices of the job seeker's profile. Plain categories, never diagnoses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Benefit(models.TextChoices):
    BIJSTAND = "bijstand", _("social assistance (bijstand, Participatiewet)")
    WW = "ww", _("unemployment benefit (WW)")
    WAJONG = "wajong", _("Wajong")
    WIA = "wia", _("WIA")
    # Added for the rules of the employer instruments (#17): LKV, the no-riskpolis and the
    # proefplaatsing name these benefits.
    WAO = "wao", _("WAO")
    WAZ = "waz", _("WAZ")
    ZIEKTEWET = "ziektewet", _("sickness benefit (Ziektewet)")
    IOW = "iow", _("IOW (older unemployed)")
    IOAW = "ioaw", _("IOAW")
    NONE = "geen", _("no benefit (NUG)")
    OTHER = "anders", _("other")


class TargetGroup(models.TextChoices):
    BANENAFSPRAAK = "banenafspraak", _("target group banenafspraak")
    STATUSHOUDER = "statushouder", _("status holder (statushouder)")
    YOUNG_WITHOUT_SK = "jongere_zonder_sk", _("young person without startkwalificatie")
    FIFTY_PLUS = "50plus", _("50-plus")
    LONG_TERM = "langdurig", _("long-term unemployed")
    NUG = "nug", _("not receiving benefits (NUG)")
    SINGLE_PARENT = "alleenstaande_ouder", _("single parent")
    # LKV's third category: "scholingsbelemmerden" (#17).
    SCHOLINGSBELEMMERD = "scholingsbelemmerd", _("unable to gain a startkwalificatie")


class JourneyStatus(models.TextChoices):
    REGISTERED = "aangemeld", _("registered")
    IN_VIEW = "in_beeld", _("in view")
    WORK_READY = "werkfit", _("work-ready")
    IN_TRAINING = "in_scholing", _("in training")
    PLACEABLE = "bemiddelbaar", _("ready for placement")
    PLACED = "geplaatst", _("placed")
    DURABLE = "duurzaam", _("durably placed")
    DROPPED_OUT = "uitgevallen", _("dropped out")
    LEFT = "uitgestroomd", _("left the programme")


S = JourneyStatus

#: Moves a klantmanager may make by hand (a person can also step back, e.g. after losing a
#: job). *Geplaatst* follows only from a recorded hire (through a proposal, or a job found
#: outside the platform), *duurzaam* from a confirmation at six months and *uitgevallen* from
#: the support plan after it: those are facts with their own date and evidence, not choices.
TRANSITIONS = {
    S.REGISTERED: {S.IN_VIEW, S.LEFT},
    S.IN_VIEW: {S.WORK_READY, S.IN_TRAINING, S.PLACEABLE, S.LEFT},
    S.WORK_READY: {S.IN_TRAINING, S.PLACEABLE, S.IN_VIEW, S.LEFT},
    S.IN_TRAINING: {S.WORK_READY, S.PLACEABLE, S.IN_VIEW, S.LEFT},
    S.PLACEABLE: {S.WORK_READY, S.IN_TRAINING, S.IN_VIEW, S.LEFT},
    S.PLACED: {S.PLACEABLE, S.LEFT},
    S.DURABLE: {S.IN_VIEW, S.PLACEABLE, S.LEFT},
    S.DROPPED_OUT: {S.IN_VIEW, S.WORK_READY, S.IN_TRAINING, S.PLACEABLE, S.LEFT},
    S.LEFT: {S.IN_VIEW},
}

#: Statuses in which a person is at work through the programme.
AT_WORK = frozenset({S.PLACED, S.DURABLE})

#: Statuses a person's route moves along by itself (a started or completed step); once at
#: work or gone, the route no longer changes the status.
ON_ROUTE = frozenset(
    {S.REGISTERED, S.IN_VIEW, S.WORK_READY, S.IN_TRAINING, S.PLACEABLE, S.DROPPED_OUT}
)


class TransitionCause(models.TextChoices):
    MANUAL = "manual", _("set by the klantmanager")
    ROUTE = "route", _("a step of the route")
    HIRE = "hire", _("a recorded hire")
    DURABLE = "durable", _("still at work after six months, confirmed")
    DROP_OUT = "drop_out", _("drop-out recorded")
    EARLIER = "earlier", _("before transitions were kept")
    #: Made durable at six months by a daily job without any confirmation (before 2026-12);
    #: kept in the history, never counted.
    PRESUMED = "presumed", _("six months in work, presumed (not confirmed)")
    CORRECTION = "correction", _("a correction of an earlier status")


#: Statuses only a recorded fact reaches, never a klantmanager's choice.
RECORDED_ONLY = frozenset({S.PLACED, S.DURABLE, S.DROPPED_OUT})


class WorkReadiness(models.TextChoices):
    READY = "ready", _("work-ready")
    NEARLY = "nearly", _("nearly work-ready")
    NOT_YET = "not_yet", _("not yet work-ready")


class Barrier(models.TextChoices):
    """Dimensions that hold a person back from work (werkfit assessment)."""

    LANGUAGE = "taal", _("Dutch language")
    WORK_RHYTHM = "werkritme", _("work rhythm")
    SKILLS = "vaardigheden", _("skills")
    CARE = "zorgtaken", _("care duties / childcare")
    DEBTS = "schulden", _("debts")
    TRANSPORT = "vervoer", _("transport")
    HEALTH = "belastbaarheid", _("capacity for work")
    HOUSING = "huisvesting", _("housing")
    MOTIVATION = "motivatie", _("motivation")


class LanguageLevel(models.TextChoices):
    A0 = "A0", _("hardly any Dutch")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    NATIVE = "moedertaal", _("native speaker")


class Transport(models.TextChoices):
    CAR = "auto", _("own car")
    MOPED = "scooter", _("moped / scooter")
    BICYCLE = "fiets", _("bicycle")
    PUBLIC = "ov", _("public transport")
    NONE = "geen", _("none")


class Motivation(models.TextChoices):
    HIGH = "hoog", _("high")
    MEDIUM = "gemiddeld", _("medium")
    LOW = "laag", _("low")


class Capacity(models.TextChoices):
    """Belastbaarheid in plain categories."""

    FULL_DAYS = "hele_dagen", _("full working days")
    HALF_DAYS = "halve_dagen", _("half days")
    FEW_HOURS = "enkele_uren", _("a few hours a day")
    NOT_YET = "nog_niet", _("not yet able to work")


#: The hours a week a person can carry when the profile gives no number, from the capacity
#: for work; full days set no limit (None), as does an unknown capacity. The matching reads
#: it so, and the person's page says so.
CAPACITY_HOURS: dict[str, int | None] = {
    Capacity.FULL_DAYS: None,
    Capacity.HALF_DAYS: 20,
    Capacity.FEW_HOURS: 12,
    Capacity.NOT_YET: 0,
}


class SkillSource(models.TextChoices):
    STATED = "stated", _("stated by the person")
    TESTED = "tested", _("tested")
    EXPERIENCE = "experience", _("from work experience")
    #: Taught by a course of the catalogue that the person completed on their route
    #: (``CandidateSkill.acquired_on`` is the day it was completed).
    TRAINING = "scholing", _("from training")


class LegalBasis(models.TextChoices):
    """Why an organisation serves (and may process the data of) a person."""

    PARTICIPATIEWET = "participatiewet", _("legal task: Participatiewet (gemeente)")
    SUWI = "suwi", _("legal task: Wet SUWI (UWV)")
    CONSENT = "consent", _("consent of the person")


class ConsentScope(models.TextChoices):
    REGIONAL_PROFILE = (
        "regional_profile",
        _("profile visible to employers and intermediaries in the region"),
    )
    INTRODUCTION = "introduction", _("introduction by name to one employer")


class ConsentMethod(models.TextChoices):
    """How the person gave consent (the person's part of the double opt-in)."""

    IN_PERSON = "in_person", _("in person, in a conversation")
    PHONE = "phone", _("by phone")
    WRITING = "writing", _("in writing (letter, form or email)")
    SELF = "self", _("by the person in their own account")
    UNKNOWN = "unknown", _("not recorded (given before the method was kept)")


#: The ways staff may record consent the person gave them.
STAFF_CONSENT_METHODS = (ConsentMethod.IN_PERSON, ConsentMethod.PHONE, ConsentMethod.WRITING)


#: Profile fields a service may set from input (identity handled separately); a merge fills
#: the empty ones of the surviving record from the other.
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "postcode",
    "benefit",
    "education_level",
    "dutch_level",
    "driving_licence",
    "transport",
    "hours_per_week",
    "available_from",
    "max_travel_km",
    "work_experience",
    "work_readiness",
    "barriers",
    "motivation",
    "capacity",
    "ready_from",
    "max_hours_per_week",
    "max_physical_load",
    "excluded_sectors",
    "support_needs",
)

#: Profile fields kept as several codes in one column (``core.codes``): given as lists.
LIST_FIELDS = frozenset({"barriers", "excluded_sectors", "support_needs"})


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("to be decided")
    KEPT_APART = "kept_apart", _("different people")
    MERGED = "merged", _("merged")


class CorrectionField(models.TextChoices):
    """Fields of the profile the person may propose a correction of: what they know best
    themselves. Never the BSN, the name and date of birth (identity, checked against the
    registers) nor anything the klantmanager assesses (status, work-readiness)."""

    EMAIL = "email", _("Email address")
    PHONE = "phone", _("Phone")
    POSTCODE = "postcode", _("Postcode")
    HOURS = "hours_per_week", _("Hours per week available")
    AVAILABLE_FROM = "available_from", _("Available from")
    TRAVEL = "max_travel_km", _("Maximum travel distance (km)")
    TRANSPORT = "transport", _("Transport")
    DRIVING_LICENCE = "driving_licence", _("Driving licence (B)")
    EDUCATION = "education_level", _("Education level")
    DUTCH = "dutch_level", _("Dutch language level")
    OCCUPATIONS = "occupations", _("Wanted occupations")


class CorrectionStatus(models.TextChoices):
    PROPOSED = "proposed", _("open")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("not accepted")


#: Statuses in which a person is looking for work: the 90-day reconfirmation asks only them
#: (someone at work or gone from the programme is not asked whether they still look).
LOOKING_FOR_WORK = ON_ROUTE


#: The age bands people are compared in wherever a report groups them by age (the fairness
#: report of the matching runs, the net effect's comparison groups): one definition, so two
#: pages never cut ages differently. (key, label, lowest age, highest age), in order.
AGE_BANDS = (
    ("15-26", _("up to 26"), 0, 26),
    ("27-49", _("27 to 49"), 27, 49),
    ("50+", _("50 and older"), 50, 200),
)
