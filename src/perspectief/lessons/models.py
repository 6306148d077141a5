"""A lesson of the leeragenda. Lessons hold no personal data: they are about initiatives,
never about a person (the services refuse a text naming one of the region's people)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel

from .constants import Outcome, Visibility


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
    author = models.ForeignKey(
        "accounts.User",
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-created_at", "id"]

    def __str__(self):
        return self.title
