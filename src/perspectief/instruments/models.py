"""Employer instruments as versioned rules, their gemeente variations, and applications.

An *instrument* (LKV, LKS, a region's duurzame-plaatsingsbijdrage) has *versions*: the
rules, amounts, proofs and deadlines valid in one period. A version is written as a draft
and published; a published version is never changed (a new year is a new version), so a
decision keeps the version it was taken under. A *variation* is what one gemeente (or UWV)
in a region does differently: other amounts, an extra condition, or not offering it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel
from perspectief.core.rules import localised

from .constants import ApplicationStatus, HarmonisationStatus, VersionStatus


class Instrument(BaseModel):
    """One instrument; national when it has no region (shipped as reference data)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a national instrument."),
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["region_id", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_national(self) -> bool:
        return self.region_id is None


class Publishable(BaseModel):
    """What versions and variations share: a validity period and draft → published."""

    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: until further notice.")
    )
    change_note = models.CharField(_("what changed and why"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class InstrumentVersion(Publishable):
    """The rules of an instrument for one period.

    ``rules`` holds, as JSON a form writes (see docs/instruments.md): ``params`` (numbers
    the formulas use), ``conditions`` (for everyone), ``categories`` (each with its own
    conditions, parameters and amount; only the highest eligible counts), ``amount``
    (``{"per": "year", "formula": …}``), ``durationMonths`` (a formula), ``documents``,
    ``deadlines`` (``{"key", "text", "anchor", "months"}``) and ``notes`` (what the executing
    body checks that no fact here can tell).
    """

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    # Texts people read are written in Dutch, with English where given: a string or
    # {"nl": …, "en": …} (core.rules.localised picks the language of the page).
    summary = models.JSONField(_("in short"), default=str, blank=True)
    executing_body = models.CharField(_("executed by"), max_length=300)
    decided_by = models.JSONField(_("who decides"), default=str)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    contact = models.JSONField(_("whom to call"), default=str, blank=True)
    rules = models.JSONField(_("rules"), default=dict)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    verified = models.BooleanField(
        _("confirmed in a primary source"),
        default=False,
        help_text=_("Not confirmed: the page says so next to the amounts and conditions."),
    )
    verify_note = models.TextField(_("what is not confirmed"), blank=True)

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="instrument_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="instrument_version_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} v{self.number}"

    @property
    def summary_text(self) -> str:
        return localised(self.summary)

    @property
    def decided_by_text(self) -> str:
        return localised(self.decided_by)

    @property
    def contact_text(self) -> str:
        return localised(self.contact)


class Variation(Publishable):
    """What one gemeente (or UWV) in a region does differently from the instrument."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="variations")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(
        _("gemeente or UWV"), max_length=6, help_text=_("A CBS gemeente code (GM0363) or UWV.")
    )
    offered = models.BooleanField(_("offered"), default=True)
    params = models.JSONField(_("other amounts"), default=dict, blank=True)
    conditions = models.JSONField(_("extra conditions"), default=list, blank=True)
    note = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("variation")
        verbose_name_plural = _("variations")
        ordering = ["instrument_id", "scope", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="instrument_variation_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} {self.scope}"


class HarmonisationItem(models.Model):
    """Where a region stands in harmonising one instrument across its gemeenten and UWV."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=HarmonisationStatus.choices,
        default=HarmonisationStatus.NOT_STARTED,
    )
    note = models.TextField(_("agreement or next step"), blank=True)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("harmonisation item")
        verbose_name_plural = _("harmonisation items")
        constraints = [
            models.UniqueConstraint(fields=["region", "instrument"], name="harmonisation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.instrument_id}: {self.status}"


class Application(BaseModel):
    """One instrument applied for on one hire, followed to the money.

    The hire is a hired proposal or a hire outside the platform (exactly one of the two);
    the version is the one the application was made under and stays with it.
    """

    proposal = models.ForeignKey(
        "matching.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    outside_hire = models.ForeignKey(
        "matching.OutsideHire",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="instrument_applications"
    )
    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    category = models.CharField(_("category"), max_length=60, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    applied_on = models.DateField(_("applied on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    period_start = models.DateField(_("granted from"), null=True, blank=True)
    period_end = models.DateField(_("granted until"), null=True, blank=True)
    amount_granted = models.DecimalField(
        _("amount granted (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    responsible = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("who acts"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_for = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("instrument application")
        verbose_name_plural = _("instrument applications")
        ordering = ["-applied_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=False) & Q(outside_hire__isnull=True))
                | (Q(proposal__isnull=True) & Q(outside_hire__isnull=False)),
                name="instrument_application_one_hire",
            ),
            models.CheckConstraint(
                condition=Q(amount_granted__isnull=True) | Q(amount_granted__gte=0),
                name="instrument_application_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.status})"


class Payment(BaseModel):
    """An amount paid out on an application: the evidence behind "euros it brought"."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (euro)"), max_digits=10, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="instrument_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.amount} on {self.paid_on}"


class Deadline(models.Model):
    """A date by which someone must act on an application (an inbox item until done)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField(_("key"), max_length=40)
    text = models.JSONField(_("what to do"), default=dict)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "key"], name="instrument_deadline_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.due_on}"

    @property
    def label(self) -> str:
        return localised(self.text)
