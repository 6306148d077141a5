"""Participating organisations: gemeenten, UWV offices, employers, schools, intermediaries,
SW companies, the ministry and regional programme offices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel

from .constants import REGIONAL_KINDS, AccountEventKind, EmployerSize, OrganisationKind
from .query import EmployerAccountQuerySet, OrganisationQuerySet


class Organisation(BaseModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("Required for municipalities, UWV offices and regional programme offices."),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("For a gemeente: the municipality it is; for others: where it is based."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=sorted(REGIONAL_KINDS))
                | models.Q(region__isnull=False),
                name="organisation_regional_kind_has_region",
                violation_error_message=_(
                    "A municipality, UWV office or regional programme office belongs to a region."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.GEMEENTE)
                | models.Q(municipality__isnull=False),
                name="organisation_gemeente_has_municipality",
                violation_error_message=_("A gemeente organisation names its municipality."),
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(kind=OrganisationKind.GEMEENTE),
                name="organisation_one_per_gemeente",
                violation_error_message=_("This municipality already has an organisation."),
            ),
        ]

    def __str__(self):
        return self.name


class EmployerAccount(BaseModel):
    """An employer as the Werkgeversservicepunt knows it: KvK number, sector, size,
    locations and contacts, and one account owner who is the single point of contact."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="employer_account"
    )
    kvk_number = models.CharField(_("KvK number"), max_length=8, unique=True)
    sector = models.ForeignKey(
        "taxonomy.Sector",
        verbose_name=_("sector (SBI)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    size = models.CharField(_("size"), max_length=10, choices=EmployerSize.choices, blank=True)
    #: The employer's own address (head office), as the WSP writes to it; its postcode area
    #: places the employer in a region. Its places of work are its locations.
    address = models.CharField(
        _("address"), max_length=200, blank=True, help_text=_("Street, number and town.")
    )
    postcode = models.ForeignKey(
        "regions.Postcode",
        verbose_name=_("postcode"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("account owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_employers",
        help_text=_("The WSP accountmanager or intermediary who is the single point of contact."),
    )
    owner_since = models.DateTimeField(_("owner since"), null=True, blank=True)

    objects = EmployerAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer account")
        verbose_name_plural = _("employer accounts")
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kvk_number__regex=r"^[0-9]{8}$"),
                name="employeraccount_kvk_format",
                violation_error_message=_("A KvK number has eight digits."),
            )
        ]

    def __str__(self):
        return f"{self.organisation.name} (KvK {self.kvk_number})"


class EmployerLocation(models.Model):
    """A place of work of the employer (a branch, a warehouse, a shop)."""

    account = models.ForeignKey(EmployerAccount, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("name"), max_length=200, blank=True)
    address = models.CharField(
        _("address"), max_length=200, blank=True, help_text=_("Street, number and town.")
    )
    postcode = models.ForeignKey(
        "regions.Postcode", verbose_name=_("postcode"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name} {self.postcode.code}".strip()


class EmployerContact(models.Model):
    """A contact person at the employer (not a user of the platform)."""

    account = models.ForeignKey(EmployerAccount, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=100, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class AccountEvent(models.Model):
    """The history of an employer account: who owned it when, hand-overs, contact moments."""

    account = models.ForeignKey(EmployerAccount, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=12, choices=AccountEventKind.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"
