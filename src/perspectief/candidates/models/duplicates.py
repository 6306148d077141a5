"""Possible duplicates of one person, and the merges that made them one record."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel

from ..constants import DuplicateStatus
from .people import Candidate


class DuplicatePair(BaseModel):
    """Two records that are probably one person (same name, date of birth and postcode, at
    most one with a BSN): a person decides to merge them or keep them apart."""

    first = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN
    )
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicatepair_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="duplicatepair_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.first_id} ~ {self.second_id}"


class CandidateMerge(BaseModel):
    """A merge of one record into another, with what moved, so it can be undone."""

    survivor = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(
        DuplicatePair, null=True, blank=True, on_delete=models.SET_NULL, related_name="merges"
    )
    moved = models.JSONField(_("what moved"))
    merged_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone on"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.merged_id} → {self.survivor_id}"
