"""Domain exceptions. Views and the API turn them into 404/400/403 answers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the operation; the message is for the user."""

    default_message = _("The operation is not allowed.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field
        super().__init__(str(self.message))


class NotFoundError(DomainError):
    """Absent or not visible to the actor: the two answer the same."""

    default_message = _("Not found.")


class PermissionDeniedError(DomainError):
    default_message = _("You are not allowed to do this.")


class RateLimitedError(DomainError):
    """A limit on how often something may be done was reached (answers 429)."""

    default_message = _("Too many requests. Try again later.")


def user_message(exc) -> str:
    """What to tell the user about a refused operation (a domain rule or a validation)."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(getattr(exc, "message", exc))
