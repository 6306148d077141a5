"""A lesson of the leeragenda, the reactions of other professionals to it, and the regions
that took it over. Lessons hold no personal data: they are about initiatives, never about a
person (the services refuse a text naming one of the region's people, or a BSN)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.accounts.fields import by_user, when_and_who
from perspectief.candidates.constants import TargetGroup
from perspectief.core.codes import CodesValidator
from perspectief.core.models import BaseModel
from perspectief.monitoring.constants import ActivityKind

from .constants import Outcome, Pillar, ReactionKind, Visibility
from .query import LessonQuerySet

#: The SBI 2008 sections (A-U) a lesson can be tagged with.
SBI_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")


class Lesson(BaseModel):
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("written for"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = by_user(_("written by"))
    title = models.CharField(_("title"), max_length=200)
    outcome = models.CharField(_("how it turned out"), max_length=10, choices=Outcome.choices)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    #: The plan activity the lesson is about; its numbers come from the platform.
    activity = models.ForeignKey(
        "monitoring.PlanActivity",
        verbose_name=_("plan activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
    )
    tried = models.TextField(_("what was tried"))
    for_whom = models.CharField(_("for whom"), max_length=300, blank=True)
    municipalities = models.ManyToManyField(
        "regions.Municipality", verbose_name=_("municipalities"), blank=True, related_name="+"
    )
    place = models.CharField(
        _("where"),
        max_length=300,
        blank=True,
        help_text=_("A district, a location, an employer's sector: where it was done."),
    )
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    result = models.TextField(_("result"))
    worked = models.TextField(_("what worked"), blank=True)
    failed = models.TextField(_("what failed, and why"), blank=True)
    conditions = models.TextField(_("under which conditions it would work elsewhere"), blank=True)
    pillars = models.CharField(
        _("pillars"), max_length=100, blank=True, validators=[CodesValidator(Pillar.values)]
    )
    target_groups = models.CharField(
        _("target groups"),
        max_length=300,
        blank=True,
        validators=[CodesValidator(TargetGroup.values)],
    )
    sectors = models.CharField(
        _("sectors"), max_length=60, blank=True, validators=[CodesValidator(SBI_SECTIONS)]
    )
    #: Codes of instruments (national or the region's own), checked by the service.
    instruments = models.CharField(_("instruments"), max_length=500, blank=True)
    activity_kind = models.CharField(
        _("kind of activity"), max_length=20, blank=True, choices=ActivityKind.choices
    )
    shared_at, shared_by = when_and_who(_("shared on"), _("shared by"))

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="lesson_dates_in_order",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.SHARED


class Reaction(BaseModel):
    """What a professional of another (or the same) region adds to a lesson."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="reactions")
    #: None for the national support team.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = by_user(_("written by"))
    kind = models.CharField(_("kind of reaction"), max_length=20, choices=ReactionKind.choices)
    text = models.TextField(_("reaction"))

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["lesson", "created_at", "id"]

    def __str__(self):
        return f"{self.lesson_id} {self.kind}"


class Adoption(BaseModel):
    """A region took a shared lesson over ("overgenomen door"): once per region."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="adoptions")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = by_user(_("marked by"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["lesson", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "region"], name="lesson_adopted_once")
        ]

    def __str__(self):
        return f"{self.lesson_id} {self.region_id}"
