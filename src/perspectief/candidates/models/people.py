"""The job seeker (candidate): identity, profile, serving organisations, target groups,
skills and functional limitations."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.codes import CodesValidator, labels, split
from perspectief.core.models import BaseModel
from perspectief.core.pseudonyms import pseudonym
from perspectief.taxonomy.constants import SBI_SECTIONS, PhysicalLoad, Support, WorkDemand

from ..constants import (
    Benefit,
    Capacity,
    JourneyStatus,
    LanguageLevel,
    LegalBasis,
    Motivation,
    SkillSource,
    TargetGroup,
    Transport,
    WorkReadiness,
)
from ..query import CandidateQuerySet

MAX_HOURS = 60
MAX_TRAVEL_KM = 200
#: Beyond this distance matching on a place does not list the PC4s around it: it reads
#: everyone who travels farther, wherever they live (#20; an index of its own finds them).
FAR_TRAVEL_KM = 50


class Candidate(BaseModel):
    """A person who wants and can work and is served by one or more organisations.

    The BSN is stored only encrypted (``bsn_encrypted``) and as a keyed blind index
    (``bsn_index``) for look-up; see perspectief.core.bsn."""

    bsn_encrypted = models.TextField(_("BSN (encrypted)"), blank=True, editable=False)
    bsn_index = models.CharField(
        _("BSN index"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=150)
    #: The code partners know the person by ("K-3F9A0C"): a keyed hash of the uuid, kept so
    #: that lists shown under it can be ordered by it (never by the hidden name).
    label = models.CharField(_("code"), max_length=12, blank=True, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True, db_index=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    postcode = models.ForeignKey(
        "regions.Postcode",
        verbose_name=_("postcode (PC4)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("own account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate",
    )
    klantmanager = models.ForeignKey(
        "accounts.User",
        verbose_name=_("klantmanager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    benefit = models.CharField(_("benefit"), max_length=20, choices=Benefit.choices, blank=True)
    education_level = models.ForeignKey(
        "taxonomy.EducationLevel",
        verbose_name=_("education level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dutch_level = models.CharField(
        _("Dutch language level"), max_length=12, choices=LanguageLevel.choices, blank=True
    )
    driving_licence = models.BooleanField(_("driving licence (B)"), null=True, blank=True)
    transport = models.CharField(
        _("transport"), max_length=10, choices=Transport.choices, blank=True
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week available"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_HOURS)],
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    max_travel_km = models.PositiveSmallIntegerField(
        _("maximum travel distance (km)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_TRAVEL_KM)],
    )
    work_experience = models.TextField(_("work experience"), blank=True)
    work_readiness = models.CharField(
        _("work-readiness"), max_length=10, choices=WorkReadiness.choices, blank=True
    )
    barriers = models.CharField(
        _("what holds the person back"),
        max_length=200,
        blank=True,
    )  # comma-separated codes of constants.Barrier
    motivation = models.CharField(
        _("motivation"), max_length=10, choices=Motivation.choices, blank=True
    )
    capacity = models.CharField(
        _("capacity for work (belastbaarheid)"),
        max_length=12,
        choices=Capacity.choices,
        blank=True,
    )
    # Soft factors of matching (#18); docs/matching.md, "Zachte factoren".
    ready_from = models.DateField(
        _("work-ready from"),
        null=True,
        blank=True,
        help_text=_("The day the person is, or is expected to be, work-ready."),
    )
    max_hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week the person can carry"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_HOURS)],
        help_text=_(
            "A limit, unlike the hours the person wants. Empty: taken from the capacity for work."
        ),
    )
    max_physical_load = models.CharField(
        _("physical load the person can carry"),
        max_length=10,
        choices=PhysicalLoad.choices,
        blank=True,
    )
    excluded_sectors = models.CharField(
        _("sectors the person will not work in"),
        max_length=60,
        blank=True,
        validators=[CodesValidator(SBI_SECTIONS)],
    )  # comma-separated SBI sections (taxonomy.Sector.code)
    support_needs = models.CharField(
        _("support needed at work"),
        max_length=60,
        blank=True,
        validators=[CodesValidator(Support.values)],
    )  # comma-separated codes of taxonomy.constants.Support
    status = models.CharField(
        _("status"),
        max_length=15,
        choices=JourneyStatus.choices,
        default=JourneyStatus.REGISTERED,
    )
    availability_confirmed_at = models.DateTimeField(
        _("availability confirmed"), null=True, blank=True
    )
    #: When the person was last asked (by e-mail) to reconfirm: once per 90-day cycle
    #: (``tasks.ask_reconfirmation``).
    reconfirmation_asked_at = models.DateTimeField(
        _("asked to reconfirm availability"), null=True, blank=True, editable=False
    )
    completeness = models.PositiveSmallIntegerField(_("completeness (%)"), default=0)
    anonymised_at = models.DateTimeField(_("anonymised on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        help_text=_("Set when this record turned out to be the same person as another."),
    )
    occupations = models.ManyToManyField(
        "taxonomy.Occupation",
        verbose_name=_("wanted occupations"),
        blank=True,
        related_name="+",
    )

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        # By the code, not the name: a list that forgets to order must not order people a
        # viewer sees under a code by their hidden surname.
        ordering = ["label", "id"]
        indexes = [
            # The person list: one page read in index order (own people by name, the
            # region's shared profiles by code), never a sort of every row.
            models.Index(fields=["last_name", "first_name", "id"], name="candidate_name_order"),
            models.Index(fields=["region", "label", "id"], name="candidate_label_order"),
            # Matching on a place: the people of the PC4s around it whose reach can span
            # the distance, and those who travel farther than FAR_TRAVEL_KM (#20).
            models.Index(fields=["postcode", "max_travel_km"], name="candidate_reach_near"),
            models.Index(
                fields=["max_travel_km"],
                name="candidate_reach_far",
                condition=models.Q(max_travel_km__gt=FAR_TRAVEL_KM),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours_per_week__isnull=True)
                | models.Q(hours_per_week__lte=MAX_HOURS),
                name="candidate_hours_at_most_60",
                violation_error_message=_("Hours per week are between 0 and 60."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_travel_km__isnull=True)
                | models.Q(max_travel_km__lte=MAX_TRAVEL_KM),
                name="candidate_travel_at_most_200",
                violation_error_message=_("The maximum travel distance is at most 200 km."),
            ),
            models.CheckConstraint(
                condition=models.Q(max_hours_per_week__isnull=True)
                | models.Q(max_hours_per_week__lte=MAX_HOURS),
                name="candidate_max_hours_at_most_60",
                violation_error_message=_(
                    "The hours per week the person can carry are between 0 and 60."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(max_physical_load__in=["", *PhysicalLoad.values]),
                name="candidate_physical_load_known",
                violation_error_message=_("Unknown physical load."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if not self.label:
            self.label = label_for(self.uuid)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "label"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def partner_label(self) -> str:
        """How partners (who may not see the name) refer to the person: a stable code."""
        return self.label or label_for(self.uuid)

    @property
    def has_bsn(self) -> bool:
        return bool(self.bsn_index)

    @property
    def barrier_list(self) -> list[str]:
        return [b for b in self.barriers.split(",") if b]

    @property
    def excluded_sector_list(self) -> list[str]:
        return split(self.excluded_sectors)

    @property
    def support_need_list(self) -> list[str]:
        return split(self.support_needs)

    def get_support_needs_display(self) -> list[str]:
        return labels(self.support_needs, Support)


def label_for(uuid) -> str:
    """The partner code of the person with this uuid (see ``Candidate.label``)."""
    return "K-" + pseudonym("candidate-label", str(uuid), length=6).upper()


class CandidateOrganisation(BaseModel):
    """An organisation that serves the person, and on which legal basis."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="servings")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="servings",
    )
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    reference = models.CharField(
        _("client number in the organisation's own system"), max_length=50, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("serving organisation")
        verbose_name_plural = _("serving organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "organisation"], name="candidateorganisation_unique"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_legal_basis_display()})"


class CandidateTargetGroup(models.Model):
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="target_group_rows"
    )
    group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "group"], name="candidatetarget_unique")
        ]

    def __str__(self):
        return self.get_group_display()


class CandidateSkill(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(
        "taxonomy.Skill", verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(
        _("how it is known"),
        max_length=12,
        choices=SkillSource.choices,
        default=SkillSource.STATED,
    )
    acquired_on = models.DateField(
        _("acquired on"),
        null=True,
        blank=True,
        help_text=_("For a skill from training: the day the course was completed."),
    )
    #: The completed course that taught the skill: the step of the person's route (its
    #: ``uuid``; a route lives in an app above this one). A course that teaches a skill the
    #: person already had notes itself here too, and keeps the skill's source; undoing the
    #: course removes only the skills it added (``services.training``).
    route_step = models.UUIDField(_("taught by the route step"), null=True, blank=True)
    trained_on = models.DateField(_("completed a course for it on"), null=True, blank=True)

    class Meta:
        verbose_name = _("skill of a job seeker")
        verbose_name_plural = _("skills of job seekers")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "skill"], name="candidateskill_unique")
        ]

    def __str__(self):
        return f"{self.skill} ({self.get_source_display()})"


class HealthInformation(BaseModel):
    """Functional limitations and needed adjustments: a separate, more restricted part of
    the profile (own permission and processing activity). Plain words, never diagnoses."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="health")
    functional_limitations = models.TextField(_("functional limitations"), blank=True)
    adjustments = models.TextField(_("adjustments needed at work"), blank=True)
    #: What work may not ask of the person, as codes the matching uses (#18): only ever
    #: shown as "fits / does not fit" next to a place, never to an employer.
    limitations = models.CharField(
        _("work the person cannot do"),
        max_length=200,
        blank=True,
        validators=[CodesValidator(WorkDemand.values)],
    )  # comma-separated codes of taxonomy.constants.WorkDemand

    class Meta:
        verbose_name = _("health information")
        verbose_name_plural = _("health information")

    def __str__(self):
        return str(self.candidate_id)

    @property
    def limitation_list(self) -> list[str]:
        return split(self.limitations)

    def get_limitations_display(self) -> list[str]:
        return labels(self.limitations, WorkDemand)
