"""A person's route, step by step across organisations, with the region's route templates;
and the support at the workplace after a hire. A step may use a service or training of the
catalogue (``perspectief.catalogue``) and one of its starts."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.core.dates import add_months
from perspectief.core.models import BaseModel

from .constants import (
    DURABLE_MONTHS,
    CheckInChannel,
    CheckInOutcome,
    ConfirmationMethod,
    ConfirmationSource,
    HandOff,
    PlanStatus,
    StepKind,
    StepStatus,
)
from .query import RouteQuerySet, SupportPlanQuerySet


class RouteTemplate(BaseModel):
    """A common route of the region ("werkfit → logistics course → proefplaatsing → job
    with jobcoach"), from which a klantmanager starts a person's route."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    made_by = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("route template")
        verbose_name_plural = _("route templates")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class RouteTemplateStep(models.Model):
    template = models.ForeignKey(RouteTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    title = models.CharField(_("title"), max_length=200)
    weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"), validators=[MinValueValidator(1)]
    )
    offer = models.ForeignKey(
        "catalogue.Offer",
        verbose_name=_("service or training"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its provider becomes the step's owner (a hand-off)."),
    )

    class Meta:
        verbose_name = _("step of a route template")
        verbose_name_plural = _("steps of route templates")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="routetemplatestep_position_once"
            )
        ]

    def __str__(self):
        return self.title


class Route(BaseModel):
    """A person's route: the ordered steps (wagons) towards durable work, planned by an
    organisation that serves the person, with steps owned by partners who accepted them."""

    candidate = models.OneToOneField(
        "candidates.Candidate",
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        related_name="route",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("planned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    template = models.ForeignKey(
        RouteTemplate,
        verbose_name=_("from template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RouteQuerySet.as_manager()

    # Not fields: what the API sets on a route for the viewer (routes.selectors.routes).
    #: How much of the route the viewer sees.
    level: str
    #: The steps the viewer sees.
    shown: "list[RouteStep]"

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.candidate_id)


class RouteStep(BaseModel):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="route_steps",
    )
    offer = models.ForeignKey(
        "catalogue.Offer",
        verbose_name=_("service or training"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steps",
    )
    edition = models.ForeignKey(
        "catalogue.OfferEdition",
        verbose_name=_("start"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steps",
    )
    #: Which pot pays the step, and how much (#17 "Waar zit wat"); the pot's committed
    #: amount is the sum of these.
    funding_pot = models.ForeignKey(
        "funding.FundingPot",
        verbose_name=_("paid from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="route_steps",
    )
    funding_amount = models.DecimalField(
        _("amount paid from the pot (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end (due)"))
    actual_start = models.DateField(_("started on"), null=True, blank=True)
    actual_end = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.PLANNED
    )
    stop_reason = models.CharField(_("reason for stopping"), max_length=300, blank=True)
    handoff = models.CharField(
        _("hand-off"), max_length=10, choices=HandOff.choices, blank=True, default=HandOff.NONE
    )
    handed_off_at = models.DateTimeField(_("handed off on"), null=True, blank=True)
    handoff_decided_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    handoff_decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    handoff_note = models.TextField(
        _("what the partner should know"),
        max_length=1000,
        blank=True,
        help_text=_(
            "For the organisation the step is handed to, shown with the step. No name or "
            "BSN: until it accepts, the partner knows the person by their code."
        ),
    )
    #: When the region's programme managers were told that the step is stuck (once per
    #: step; planning it again — other dates or owner — clears it).
    stuck_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("step of a route")
        verbose_name_plural = _("steps of routes")
        ordering = ["planned_start", "planned_end", "id"]
        indexes = [
            models.Index(fields=["owner", "handoff", "status"]),
            models.Index(fields=["status", "planned_end"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")),
                name="routestep_planned_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_end__isnull=True)
                | models.Q(actual_start__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")),
                name="routestep_actual_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (StepStatus.PLANNED, StepStatus.STARTED)


class SupportPlan(BaseModel):
    """Support at the workplace after a hire: a jobcoach, check-ins after 1, 3, 6 and 12
    months with the person and the employer. The placement is durable once someone who
    knows confirms, at or after six months, that the person still works there
    (:class:`WorkConfirmation`); until then, past six months, it is *not confirmed*."""

    candidate = models.ForeignKey(
        "candidates.Candidate",
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        related_name="support_plans",
    )
    proposal = models.OneToOneField(
        "matching.Proposal",
        verbose_name=_("hire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_plan",
    )
    outside_hire = models.OneToOneField(
        "matching.OutsideHire",
        verbose_name=_("hire outside the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_plan",
    )
    employer = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for an employer without an account: see the employer's name."),
    )
    employer_name = models.CharField(_("employer's name"), max_length=200, blank=True)
    job_title = models.CharField(_("job"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("supported by"),
        on_delete=models.PROTECT,
        related_name="support_plans",
    )
    jobcoach = models.ForeignKey(
        "accounts.User",
        verbose_name=_("jobcoach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_on = models.DateField(_("started work on"))
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    ended_on = models.DateField(_("durable or dropped out on"), null=True, blank=True)
    drop_out_reason = models.CharField(_("reason for dropping out"), max_length=300, blank=True)

    objects = SupportPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["-started_on", "id"]
        indexes = [models.Index(fields=["status", "started_on"])]

    def __str__(self):
        return f"{self.candidate_id} {self.started_on}"

    @property
    def employer_display(self) -> str:
        return self.employer.name if self.employer is not None else self.employer_name

    @property
    def durable_due_on(self):
        """The day the six months in work are full: from then on the placement can be
        confirmed durable, and without a confirmation it is *not confirmed*."""
        return add_months(self.started_on, DURABLE_MONTHS)

    @property
    def not_confirmed(self) -> bool:
        """Six months in work are full, and nobody confirmed the work nor its end."""
        return self.status == PlanStatus.ACTIVE and self.durable_due_on <= timezone.localdate()


class CheckIn(BaseModel):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="check_ins")
    month = models.PositiveSmallIntegerField(_("after months"))
    due_on = models.DateField(_("due on"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    with_person = models.BooleanField(_("spoke with the person"), default=False)
    with_employer = models.BooleanField(_("spoke with the employer"), default=False)
    channel = models.CharField(
        _("how it was held"),
        max_length=10,
        choices=CheckInChannel.choices,
        blank=True,
        help_text=_("In person, or at a distance: by phone, video call or message."),
    )
    outcome = models.CharField(
        _("how it goes"), max_length=10, choices=CheckInOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: When the supporters were told that the check-in was missed (once per check-in).
    missed_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "month"], name="checkin_month_once")]

    def __str__(self):
        return f"{self.plan_id} +{self.month}"


class WorkConfirmation(BaseModel):
    """The evidence of durable work: someone who knows (the jobcoach, the employer, the
    person) confirmed, at or after six months in work, whether the person still works there
    — who, how and when, and who recorded it. Recorded once per support plan."""

    plan = models.OneToOneField(SupportPlan, on_delete=models.CASCADE, related_name="confirmation")
    confirmed_on = models.DateField(_("confirmed on"))
    source = models.CharField(_("confirmed by"), max_length=10, choices=ConfirmationSource.choices)
    method = models.CharField(_("how"), max_length=10, choices=ConfirmationMethod.choices)
    still_employed = models.BooleanField(_("still works there"))
    last_day = models.DateField(_("last day of work"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("confirmation of work")
        verbose_name_plural = _("confirmations of work")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(still_employed=True, last_day__isnull=True)
                | models.Q(still_employed=False, last_day__isnull=False),
                name="workconfirmation_last_day_when_left",
            )
        ]

    def __str__(self):
        return f"{self.plan_id} {self.confirmed_on}"
