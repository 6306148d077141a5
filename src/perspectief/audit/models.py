"""Two audit channels: the mutation audit and the access log (Logboek Dataverwerkingen)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import Role
from perspectief.core.pseudonyms import pseudonym

from .constants import AccessResult, Operation, ProcessingActivity, SubjectType


def subject_pseudonym(subject_type: str, subject_id: str) -> str:
    """The pseudonymised id of a person in the access log (keyed, not reversible)."""
    return pseudonym("access-log", subject_type, str(subject_id))


class AuditEvent(models.Model):
    """A change, written in the same transaction as the change itself."""

    event = models.CharField(_("event"), max_length=80, db_index=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor_user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_display = models.CharField(_("actor"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10)
    target_type = models.CharField(_("target type"), max_length=60)
    target_id = models.CharField(_("target"), max_length=64, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.event} {self.target_type}:{self.target_id}"


class AccessRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")

    def for_subject(self, subject_type: str, subject_id: str):
        return self.filter(data_subject=subject_pseudonym(subject_type, subject_id))


class AccessRecord(models.Model):
    """One processing of one person's data, modelled on the Logboek Dataverwerkingen:
    trace, processing activity, data subject (pseudonymised), actor, time and result.

    Append-only: the application cannot change or delete a record (model, queryset and a
    database trigger refuse it)."""

    trace_id = models.CharField(_("trace"), max_length=32, db_index=True)
    started_at = models.DateTimeField(_("time"), db_index=True)
    activity = models.CharField(
        _("processing activity"), max_length=60, choices=ProcessingActivity.choices
    )
    data_subject = models.CharField(_("person (pseudonymised)"), max_length=64, db_index=True)
    data_subject_type = models.CharField(
        _("kind of person"), max_length=20, choices=SubjectType.choices
    )
    actor_user_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_display = models.CharField(_("actor"), max_length=200)
    organisation_id = models.BigIntegerField(_("organisation id"), null=True, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=30, blank=True)
    channel = models.CharField(_("channel"), max_length=10)
    operation = models.CharField(_("operation"), max_length=10, choices=Operation.choices)
    result = models.CharField(_("result"), max_length=10, choices=AccessResult.choices)
    request = models.CharField(_("request"), max_length=300, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        # Related-object deletes and the like go through the guarded manager too.
        base_manager_name = "objects"
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.activity} {self.data_subject[:8]} {self.result}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role
