"""The region's doe-agenda: an action plan per period (one to five years) with its ambition
(extra matches a year, optionally per target group and sector), its budget and the
activities it pays for, with the spend on each and how each turned out; what should last
after the programme (borging); every revision is kept, with its reason where one was given."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel

from .constants import (
    ActivityKind,
    ActivityResult,
    ActivityStatus,
    AmbitionDimension,
    BorgingStatus,
    PlanStatus,
)


class ActionPlan(BaseModel):
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    lead = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("lead (centrumgemeente)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer_lead = models.CharField(
        _("employers' representative"),
        max_length=200,
        help_text=_("Who leads for the employers, e.g. the regional employers' association."),
    )
    partners = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("partners"), blank=True, related_name="+"
    )
    ambition = models.PositiveIntegerField(
        _("ambition: extra matches a year"), validators=[MinValueValidator(1)]
    )
    baseline = models.PositiveIntegerField(
        _("baseline: matches a year before the plan"),
        null=True,
        blank=True,
        help_text=_(
            "The region's own level before the plan; empty: counted from the platform's "
            "hires in the year before the plan starts."
        ),
    )
    budget = models.DecimalField(_("budget (€)"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["region", "-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="actionplan_period_in_order",
            ),
            models.CheckConstraint(condition=models.Q(ambition__gt=0), name="actionplan_ambition"),
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="actionplan_budget"),
        ]

    def __str__(self):
        return self.title


class PlanAmbition(models.Model):
    """Part of the ambition for one target group or sector (extra matches a year)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="ambitions")
    dimension = models.CharField(_("for"), max_length=15, choices=AmbitionDimension.choices)
    key = models.CharField(_("which"), max_length=40)
    matches = models.PositiveIntegerField(
        _("extra matches a year"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("ambition per group")
        verbose_name_plural = _("ambitions per group")
        constraints = [
            models.UniqueConstraint(fields=["plan", "dimension", "key"], name="planambition_once")
        ]

    def __str__(self):
        return f"{self.dimension}:{self.key}"


class PlanActivity(BaseModel):
    """An activity or project (proeftuin) of the plan, with its owner, status and budget.
    Matches count for it when the person's route used one of its services or training."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    budget = models.DecimalField(_("budget (€)"), max_digits=12, decimal_places=2)
    #: Which pot pays the activity, and how much (#17 "Waar zit wat"); the pot's committed
    #: amount is the sum of these.
    funding_pot = models.ForeignKey(
        "funding.FundingPot",
        verbose_name=_("paid from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_activities",
    )
    funding_amount = models.DecimalField(
        _("amount paid from the pot (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    offers = models.ManyToManyField(
        "catalogue.Offer",
        verbose_name=_("services and training it pays for"),
        blank=True,
        related_name="activities",
    )
    #: The qualitative result (#19 "plans that learn"): when it started, how it turned out.
    started_on = models.DateField(_("started on"), null=True, blank=True)
    result = models.CharField(
        _("how it turned out"), max_length=10, choices=ActivityResult.choices, blank=True
    )
    result_note = models.CharField(_("about the result"), max_length=500, blank=True)
    result_at = models.DateTimeField(_("result recorded on"), null=True, blank=True)
    result_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["plan", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="activity_budget")
        ]

    def __str__(self):
        return self.name


class Spend(BaseModel):
    activity = models.ForeignKey(PlanActivity, on_delete=models.CASCADE, related_name="spend")
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("what for"), max_length=200)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("spend")
        verbose_name_plural = _("spend")
        ordering = ["spent_on", "id"]

    def __str__(self):
        return f"{self.activity_id} {self.amount}"


class PlanRevision(models.Model):
    """One version of a plan as it was decided: what changed, why, by whom, and the plan
    as a whole at that moment (so the history can be read back)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    #: Empty: adjusted without a written reason (allowed; the history says so).
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("what changed"), default=dict)
    snapshot = models.JSONField(_("the plan at this version"))
    revised_at = models.DateTimeField(_("revised on"), auto_now_add=True)
    revised_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["plan", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="planrevision_once")
        ]

    #: Not a field: the labels of what changed, set for the plan page (monitoring.views.plans).
    changed: list[str]

    def __str__(self):
        return f"{self.plan_id} v{self.version}"


class BorgingItem(BaseModel):
    """What should continue after the programme (borging): who owns it, who pays for it,
    from when, and whether that was arranged. Items still planned when the plan ends are
    checked (:func:`perspectief.monitoring.services.borging.check_borging`)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="borging")
    what = models.CharField(_("what continues"), max_length=300)
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    payer = models.CharField(_("who pays"), max_length=200, blank=True)
    funding_pot = models.ForeignKey(
        "funding.FundingPot",
        verbose_name=_("paid from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_from = models.DateField(_("from"))
    status = models.CharField(
        _("status"), max_length=12, choices=BorgingStatus.choices, default=BorgingStatus.PLANNED
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    #: When it was last marked arranged or not arranged, and by whom.
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The day the daily check found it still planned after the plan's end (asked once).
    check_asked_on = models.DateField(_("check asked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("borging item")
        verbose_name_plural = _("borging items")
        ordering = ["plan", "planned_from", "id"]

    def __str__(self):
        return self.what

    @property
    def confirmed_after_end(self) -> bool:
        """Decided (arranged or not) on or after the plan's end date: the check was answered."""
        return self.decided_on is not None and self.decided_on >= self.plan.period_end


class PublishedTable(models.Model):
    """A suppressed table of a completed quarter as it was first shown, kept as it was.

    Records keep arriving for a quarter that has ended (a hire dated back, a target group
    or postcode corrected), and a table computed anew would change with them: two versions
    of one cell, hidden in one and shown in the other, would give it away by subtraction.
    So the first time a completed quarter's table is needed it is published here, and every
    page, export, report and API answer after that reads this one."""

    #: "AM18" for a region's tables below region level; "NL" for the ministry's table
    scope = models.CharField(_("scope"), max_length=8)
    dimension = models.CharField(_("dimension"), max_length=20)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    content = models.JSONField(_("the cells as published"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published table")
        verbose_name_plural = _("published tables")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "dimension", "start", "end"], name="publishedtable_once"
            )
        ]

    def __str__(self):
        return f"{self.scope} {self.dimension} {self.start}–{self.end}"
