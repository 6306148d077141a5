"""Employers' places: jobs, leerwerkplekken, basisbanen, adjusted places, with the number of
places and how many are still open."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.core.codes import CodesValidator, labels, split
from perspectief.core.models import BaseModel
from perspectief.taxonomy.constants import PhysicalLoad, SkillRelation, Support, WorkDemand

from .constants import (
    CohortStage,
    Contract,
    OutsideReason,
    PlaceType,
    RequestStatus,
    VacancyStatus,
)
from .query import VacancyQuerySet


class Vacancy(BaseModel):
    employer = models.ForeignKey(
        "organisations.EmployerAccount",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="vacancies",
    )
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(
        _("reference"),
        max_length=64,
        blank=True,
        help_text=_("The place's number in the employer's own system; recognises it on import."),
    )
    place_type = models.CharField(_("type of place"), max_length=20, choices=PlaceType.choices)
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        verbose_name=_("occupation (ESCO)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"))
    # Soft factors of matching (#18); docs/matching.md, "Zachte factoren".
    min_hours_per_week = models.PositiveSmallIntegerField(
        _("fewest hours per week accepted"),
        null=True,
        blank=True,
        help_text=_("For part time: the fewest hours a week a new colleague may work here."),
    )  # empty: only the place's full hours
    physical_load = models.CharField(
        _("physical load of the work"), max_length=10, choices=PhysicalLoad.choices, blank=True
    )
    support_offered = models.CharField(
        _("support offered"),
        max_length=60,
        blank=True,
        validators=[CodesValidator(Support.values)],
    )  # comma-separated codes of taxonomy.constants.Support
    work_demands = models.CharField(
        _("what the work asks"),
        max_length=200,
        blank=True,
        validators=[CodesValidator(WorkDemand.values)],
    )  # comma-separated codes of taxonomy.constants.WorkDemand
    contract = models.CharField(_("contract"), max_length=10, choices=Contract.choices)
    wage_min = models.DecimalField(
        _("gross hourly wage from (€)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    wage_max = models.DecimalField(
        _("gross hourly wage to (€)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    postcode = models.ForeignKey(
        "regions.Postcode",
        verbose_name=_("location (postcode)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    places = models.PositiveIntegerField(_("number of places"))
    #: Hires recorded against the place plus places filled outside the platform (kept by
    #: the services from those records; nobody types it).
    places_filled = models.PositiveIntegerField(_("places filled"), default=0, editable=False)
    min_education = models.ForeignKey(
        "taxonomy.EducationLevel",
        verbose_name=_("minimum education"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dutch_level = models.CharField(_("Dutch language level needed"), max_length=12, blank=True)
    driving_licence = models.BooleanField(_("driving licence needed"), default=False)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    closing_date = models.DateField(_("closing date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT
    )

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "reference"],
                condition=~models.Q(reference=""),
                name="vacancy_reference_unique",
                violation_error_message=_("The employer already has a place with this reference."),
            ),
            models.CheckConstraint(
                condition=models.Q(places__gte=1),
                name="vacancy_at_least_one_place",
                violation_error_message=_("A vacancy has at least one place."),
            ),
            models.CheckConstraint(
                condition=models.Q(places_filled__lte=models.F("places")),
                name="vacancy_filled_at_most_places",
                violation_error_message=_("More places filled than there are."),
            ),
            models.CheckConstraint(
                condition=models.Q(closing_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(closing_date__gte=models.F("start_date")),
                name="vacancy_closes_after_start",
                violation_error_message=_("The closing date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__lte=60),
                name="vacancy_hours_at_most_60",
                violation_error_message=_("Hours per week are between 1 and 60."),
            ),
            models.CheckConstraint(
                condition=models.Q(min_hours_per_week__isnull=True)
                | models.Q(
                    min_hours_per_week__gte=1, min_hours_per_week__lte=models.F("hours_per_week")
                ),
                name="vacancy_min_hours_within_hours",
                violation_error_message=_(
                    "The fewest hours accepted are at least 1 and at most the hours per week."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(physical_load__in=["", *PhysicalLoad.values]),
                name="vacancy_physical_load_known",
                violation_error_message=_("Unknown physical load."),
            ),
            models.CheckConstraint(
                condition=models.Q(wage_min__isnull=True)
                | models.Q(wage_max__isnull=True)
                | models.Q(wage_max__gte=models.F("wage_min")),
                name="vacancy_wage_range",
                violation_error_message=_("The wage range runs from low to high."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def places_open(self) -> int:
        return max(self.places - self.places_filled, 0)

    @property
    def support_offered_list(self) -> list[str]:
        """The support the place offers; an adjusted place offers an adjusted place."""
        offered = split(self.support_offered)
        if self.place_type == PlaceType.ADJUSTED and Support.ADJUSTED not in offered:
            offered.insert(0, Support.ADJUSTED.value)
        return offered

    @property
    def work_demand_list(self) -> list[str]:
        return split(self.work_demands)

    def get_support_offered_display(self) -> list[str]:
        return labels(",".join(self.support_offered_list), Support)

    def get_work_demands_display(self) -> list[str]:
        return labels(self.work_demands, WorkDemand)


class VacancySkill(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(
        "taxonomy.Skill", verbose_name=_("skill"), on_delete=models.PROTECT, related_name="+"
    )
    relation = models.CharField(_("relation"), max_length=10, choices=SkillRelation.choices)
    teachable = models.BooleanField(_("the employer teaches it on the job"), default=False)

    class Meta:
        verbose_name = _("skill asked")
        verbose_name_plural = _("skills asked")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "skill"], name="vacancyskill_unique")
        ]

    def __str__(self):
        return f"{self.skill} ({self.get_relation_display()})"


class IntakePhase(models.Model):
    """One intake moment of a bulk request: how many people start on which date."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="phases")
    starts_on = models.DateField(_("intake date"))
    places = models.PositiveIntegerField(_("number of places"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("intake phase")
        verbose_name_plural = _("intake phases")
        ordering = ["starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "starts_on"], name="intakephase_unique"),
            models.CheckConstraint(
                condition=models.Q(places__gte=1),
                name="intakephase_at_least_one_place",
                violation_error_message=_("A phase has at least one place."),
            ),
        ]

    def __str__(self):
        return f"{self.starts_on:%Y-%m-%d}: {self.places}"


class OutsideFill(BaseModel):
    """Places filled without a hire recorded in the platform (the employer recruited
    someone itself, an agency did): how many, when, why, and who recorded it. They count
    in the fill of the place but are shown apart from the hires, and are no matches."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="outside_fills")
    places = models.PositiveIntegerField(_("number of places"))
    filled_on = models.DateField(_("filled on"))
    reason = models.CharField(_("reason"), max_length=16, choices=OutsideReason.choices)
    explanation = models.CharField(_("explanation"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("recorded by (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("places filled outside the platform")
        verbose_name_plural = _("places filled outside the platform")
        ordering = ["filled_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(places__gte=1),
                name="outsidefill_at_least_one_place",
                violation_error_message=_("At least one place."),
            ),
        ]

    def __str__(self):
        return f"{self.filled_on:%Y-%m-%d}: {self.places} ({self.reason})"


class CohortMember(BaseModel):
    """A person being prepared for a bulk request (e.g. werkfit and a logistics course), so
    the region can plan training and job-coach capacity per intake phase."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="cohort")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="cohorts"
    )
    phase = models.ForeignKey(
        IntakePhase,
        verbose_name=_("intake phase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=CohortStage.choices, default=CohortStage.WORK_READY
    )
    preparation = models.CharField(_("preparation"), max_length=200, blank=True)
    added_by = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "candidate"], name="cohortmember_unique")
        ]

    def __str__(self):
        return f"{self.vacancy_id}: {self.candidate_id}"


class EmployerRequest(BaseModel):
    """A question of any employer to the Werkgeversservicepunt, from the public form: it
    lands in the region's queue (by postcode) with a date by which someone must call back."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    company_name = models.CharField(_("company"), max_length=200)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    postcode = models.ForeignKey("regions.Postcode", on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("question"))
    employer = models.ForeignKey(
        "organisations.EmployerAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
    )
    assigned_to = models.ForeignKey(
        "accounts.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    #: The place the request became (with ``employer``, in one step on the request's page).
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employer_requests",
    )
    due_at = models.DateTimeField(_("first contact due"))
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    #: When the WSP was told the request is overdue (once; the daily task sets it).
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("employer request")
        verbose_name_plural = _("employer requests")
        ordering = ["due_at", "id"]
        indexes = [
            # The inbox and the daily task look for open requests without a first contact.
            models.Index(
                fields=["region", "due_at"],
                condition=models.Q(first_contact_at__isnull=True),
                name="employerrequest_waiting",
            )
        ]

    def __str__(self):
        return f"{self.company_name} ({self.created_at:%Y-%m-%d})"

    @property
    def overdue(self) -> bool:
        return self.first_contact_at is None and self.due_at < timezone.now()


class RequestNote(BaseModel):
    """A short dated note of the WSP on an employer's request (a call that was not
    answered, what was agreed); who wrote it and when are kept."""

    request = models.ForeignKey(EmployerRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.CharField(_("note"), max_length=1000)

    class Meta:
        verbose_name = _("note on a request")
        verbose_name_plural = _("notes on requests")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.request_id}: {self.created_at:%Y-%m-%d}"
