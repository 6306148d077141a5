from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcessingActivity(models.TextChoices):
    """Registered processing activities (verwerkingsactiviteiten) of the platform.

    Each read or change of a person's data names one of these as its purpose. New
    capabilities add their activities here (and to docs/privacy.md).
    """

    ACCOUNT_VIEW = "account.view", _("View own or managed user account")
    ACCOUNT_MANAGE = "account.manage", _("Manage user accounts and memberships")
    ACCESS_LOG_INSPECT = "access_log.inspect", _("Inspect processings of a person (AVG inzage)")


class Operation(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    DISCLOSE = "disclose", _("disclose to another party")


class AccessResult(models.TextChoices):
    OK = "ok", _("completed")
    DENIED = "denied", _("denied")
    NOT_FOUND = "not_found", _("not found")
    ERROR = "error", _("failed")


class SubjectType(models.TextChoices):
    USER = "user", _("user")
    CANDIDATE = "candidate", _("job seeker")
