"""A person proposed for a place, and the pseudonym under which each employer knows them.

The matching engine itself (``perspectief.matching.engine``) is a pure library; these are
the records of the work people do with its results."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel
from perspectief.core.refusals import in_language
from perspectief.vacancies.constants import Contract

from .constants import (
    CONFIGURATION_REASON_MAX_LENGTH,
    EMPLOYER_NOTE_MAX_LENGTH,
    MIN_SCORE_MAX,
    MOTIVATION_MAX_LENGTH,
    ChunkStatus,
    NotSuitable,
    PersonAnswer,
    ProposalStatus,
    RunStatus,
    SuggestionStatus,
)


class Proposal(BaseModel):
    """A job seeker put forward for a place. The employer sees an anonymous profile under
    its own pseudonym until the person consents to be introduced to that employer."""

    vacancy = models.ForeignKey(
        "vacancies.Vacancy", on_delete=models.CASCADE, related_name="proposals"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="proposals"
    )
    proposed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    motivation = models.CharField(
        _("motivation for the employer"),
        max_length=MOTIVATION_MAX_LENGTH,
        blank=True,
        help_text=_("Why this person fits the place; the employer reads it (no name, no BSN)."),
    )
    employer_note = models.CharField(
        _("employer's note"), max_length=EMPLOYER_NOTE_MAX_LENGTH, blank=True
    )
    not_suitable_reason = models.CharField(
        _("why not suitable"), max_length=10, choices=NotSuitable.choices, blank=True
    )
    responded_at = models.DateTimeField(_("employer responded on"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("employer reminded on"), null=True, blank=True)
    closing_notice_at = models.DateTimeField(
        _("proposer told of the closing on"), null=True, blank=True
    )
    #: The person's own answer on their page (the consent itself is a ``Consent``; a "no"
    #: is kept here, with the text version they were shown and how they answered).
    person_answer = models.CharField(
        _("the person's answer"), max_length=10, choices=PersonAnswer.choices, blank=True
    )
    person_answered_at = models.DateTimeField(_("the person answered on"), null=True, blank=True)
    person_statement_version = models.CharField(
        _("text version shown to the person"), max_length=20, blank=True
    )
    person_answer_method = models.CharField(_("how the person answered"), max_length=12, blank=True)
    start_date = models.DateField(_("starts work on"), null=True, blank=True)
    contract = models.CharField(_("contract"), max_length=10, blank=True, choices=Contract.choices)
    outcome_reason = models.CharField(_("reason"), max_length=300, blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "candidate"], name="proposal_unique")
        ]
        # The inbox reads the proposals that wait for something (a few statuses) before
        # it asks whether their person and place are visible (#20).
        indexes = [models.Index(fields=["status"], name="proposal_status")]

    def __str__(self):
        return f"{self.vacancy_id}: {self.get_status_display()}"


class OutsideHire(BaseModel):
    """A hire for a job the person found outside the platform (no place, no proposal),
    recorded by an organisation that serves the person, with the same evidence as a hire
    through a proposal: the employer (an employer account, or its name), the job, the
    contract and the start of work. Like any hire it makes the person *geplaatst* and
    starts the support plan."""

    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="outside_hires"
    )
    employer = models.ForeignKey(
        "organisations.EmployerAccount",
        verbose_name=_("employer (account)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer_name = models.CharField(_("employer"), max_length=200)
    job_title = models.CharField(_("job"), max_length=200)
    contract = models.CharField(_("contract"), max_length=10, choices=Contract.choices)
    start_date = models.DateField(_("starts work on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hire outside the platform")
        verbose_name_plural = _("hires outside the platform")
        ordering = ["-start_date", "id"]

    def __str__(self):
        return f"{self.candidate_id}: {self.employer_name} {self.start_date}"


class EmployerPseudonym(models.Model):
    """How one employer knows one person: a keyed hash of employer and person, stored so
    the employer's links can name it. Different for every employer, stable for one."""

    employer = models.ForeignKey(
        "organisations.EmployerAccount", on_delete=models.CASCADE, related_name="+"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employer", "candidate"], name="pseudonym_once"),
            models.UniqueConstraint(fields=["employer", "code"], name="pseudonym_code_unique"),
        ]

    def __str__(self):
        return self.code


class ShortlistEntry(BaseModel):
    """A person advisers from any partner consider for a place, before proposing. Someone
    the engine does not rank for the place can be added only with a recorded reason."""

    vacancy = models.ForeignKey(
        "vacancies.Vacancy", on_delete=models.CASCADE, related_name="shortlist"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="shortlists"
    )
    added_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    engine_score = models.FloatField(_("score of the matching"), null=True, blank=True)
    #: The priority criterion's part of the score, left out for organisations that do not
    #: serve the person (it would reveal a target group).
    engine_priority = models.FloatField(default=0.0, editable=False)
    #: The configuration the score was computed with; empty: the platform's defaults.
    configuration = models.ForeignKey(
        "MatchingConfiguration",
        verbose_name=_("matching configuration"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist entries")
        ordering = ["-engine_score", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "candidate"], name="shortlist_once")
        ]

    def __str__(self):
        return f"{self.vacancy_id}: {self.candidate_id}"


class MatchingConfiguration(BaseModel):
    """One version of a region's matching configuration: the weight of every criterion in
    points (they add up to 100, each within the platform's bounds) and the minimum score a
    person needs to be shown. A version is never changed: a change is a new version, with
    who made it, for which organisation and why. A region without one matches with the
    platform's defaults. The rules are in ``services.configuration``."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"))
    #: Points per criterion (the keys of ``engine.records.WEIGHT_BOUNDS``); a criterion the
    #: version does not name counts 0.
    weights = models.JSONField(_("weights (points)"), default=dict)
    min_score = models.PositiveSmallIntegerField(_("minimum score"), default=0)
    reason = models.TextField(_("why"), max_length=CONFIGURATION_REASON_MAX_LENGTH)
    changed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("matching configuration")
        verbose_name_plural = _("matching configurations")
        ordering = ["region_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "version"], name="matching_configuration_version_once"
            ),
            models.CheckConstraint(
                condition=models.Q(min_score__lte=MIN_SCORE_MAX),
                name="matching_configuration_min_score",
            ),
        ]

    def __str__(self):
        return f"{self.region_id} v{self.version}"

    def save(self, *args, **kwargs):
        # A version that rankings and runs may have used stays as it was: change = new version.
        if not self._state.adding:
            raise ValueError("A matching configuration is never changed: save a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A matching configuration version is kept: it may have been used.")


class MatchRun(BaseModel):
    """A regional batch run: every open place of the region matched against the people the
    starting organisation may see. The result is a set of suggestions for advisers to
    review; nothing is sent to anyone."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: The region's configuration in force when the run was started, which it matched
    #: with; empty: the platform's defaults.
    configuration = models.ForeignKey(
        MatchingConfiguration,
        verbose_name=_("matching configuration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    places_total = models.PositiveIntegerField(_("places"), default=0)
    places_done = models.PositiveIntegerField(_("places matched"), default=0)
    candidates = models.PositiveIntegerField(_("job seekers considered"), default=0)
    suggestions_count = models.PositiveIntegerField(_("suggestions"), default=0)
    assigned = models.PositiveIntegerField(_("in the optimal distribution"), default=0)
    total_score = models.FloatField(_("total score of the distribution"), default=0.0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: The groups the fairness report flagged at the end of the run for unequal exposure
    #: among people with similar scores (``[{"dimension": ..., "group": ...}]``; aggregates,
    #: no person): the programme managers' inbox item for the run.
    fairness_flags = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.region_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def error_text(self) -> str:
        """Why the run failed, in the active language. Stored as an English msgid (see
        ``services.runs.STOPPED``); a run that failed before kept "nl / en", of which one
        half."""
        if not self.error:
            return ""
        return in_language(self.error) if " / " in self.error else gettext(self.error)

    @property
    def percent(self) -> int:
        if not self.places_total:
            return 100 if self.status == RunStatus.DONE else 0
        return round(100 * self.places_done / self.places_total)


class RunScore(models.Model):
    """A person's best score and best rank in a run, over the places where it ranked them in
    the first ``fairness.RANKED``: the fairness report compares people with similar scores
    (``selectors.fairness``). People it ranked nowhere that high have none."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("best score in the run"))
    best_rank = models.PositiveIntegerField(_("best rank at a place"))

    class Meta:
        verbose_name = _("best score in a matching run")
        verbose_name_plural = _("best scores in a matching run")
        constraints = [
            models.UniqueConstraint(fields=["run", "candidate"], name="runscore_once_per_run")
        ]

    def __str__(self):
        return f"{self.run_id}: {self.candidate_id} {self.score:.3f}"


class MatchRunSnapshot(models.Model):
    """The people a run ranks, read once when it starts: every worker ranks its places
    against this same population (``services.run_chunks``). Stored in parts of at most
    ``run_chunks.SNAPSHOT_PART`` people, one row each (``number`` from 0), so a national
    population stays far below PostgreSQL's limit on one jsonb value (about 255 MB).
    ``people`` holds, per person, the job seeker's id and the engine's record of them
    (``[[pk, {record}], ...]``). Deleted with the run; of no use once the run is finished."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="snapshot_parts")
    number = models.PositiveIntegerField(default=0)
    people = models.JSONField(default=list, editable=False)

    class Meta:
        verbose_name = _("people read by a matching run")
        verbose_name_plural = _("people read by matching runs")
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="runsnapshot_part_once")
        ]
        ordering = ["run", "number"]

    def __str__(self):
        return f"{self.run_id}/{self.number}: {len(self.people)}"


class MatchRunChunk(models.Model):
    """Part of a run's places, ranked by one worker. A chunk ranked twice (a worker lost
    and its task delivered again) stores its result once: one row per (run, number),
    overwritten. ``places`` are the places' ids with their open positions and engine
    records; ``result`` per place the kept matches, and ``best`` each person's best score
    and rank in the chunk (for the fairness report). Once the run is stored, failed or
    cancelled only how the part went is kept (``run_chunks.discard``)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    places = models.JSONField(default=list, editable=False)
    status = models.CharField(
        max_length=10, choices=ChunkStatus.choices, default=ChunkStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    places_done = models.PositiveIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True)
    #: When the worker ranking the part claimed it or last wrote progress: a claim younger
    #: than ``MATCHING_RUN_RESUME_AFTER`` means a worker ranks it now (``run_chunks``).
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    result = models.JSONField(default=list, editable=False)
    best = models.JSONField(default=dict, editable=False)
    #: How long ranking the part took, and of that building the candidate index (0 when
    #: the worker had built it for an earlier part of the run): docs/deployment.md.
    seconds = models.FloatField(default=0.0)
    index_seconds = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("part of a matching run")
        verbose_name_plural = _("parts of matching runs")
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="runchunk_once_per_run")
        ]
        ordering = ["run", "number"]

    def __str__(self):
        return f"{self.run_id}/{self.number} {self.status}"


class MatchSuggestion(BaseModel):
    """One person a batch run suggests for one place, with the explanation at the time of
    the run. ``assigned``: chosen in the run's optimal distribution (every person at most
    once, every place at most its open positions); the others are alternatives."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="suggestions")
    vacancy = models.ForeignKey("vacancies.Vacancy", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    contributions = models.JSONField(_("contributions"), default=dict)
    missing = models.JSONField(_("missing essential skills"), default=list)
    #: Essential skills credited in part through a related skill ({skill, via, credit}):
    #: not missing, and named as such in the explanation.
    related = models.JSONField(
        _("essential skills credited through a related skill"), default=list, blank=True
    )
    #: Where the occupation points come from (the engine's ``Match.occupation_via``):
    #: "occupation", "group" or "skills"; empty for none (and for runs before it was kept).
    occupation_via = models.CharField(
        _("source of the occupation points"), max_length=10, blank=True, default=""
    )
    assigned = models.BooleanField(_("in the optimal distribution"), default=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.OPEN,
    )
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching suggestion")
        verbose_name_plural = _("matching suggestions")
        ordering = ["vacancy_id", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "vacancy", "candidate"], name="suggestion_once_per_run"
            )
        ]
        indexes = [models.Index(fields=["run", "vacancy", "rank"])]

    def __str__(self):
        return f"{self.run_id}: {self.vacancy_id} #{self.rank}"
