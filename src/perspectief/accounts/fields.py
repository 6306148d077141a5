"""Who did something, and when: the fields a record keeps of the user who made, published,
submitted, asked, answered or shared it. One definition for every app above ``accounts``:
the user is kept as ``None`` when the account is deleted (the record stays, and the audit
trail still says who), and a user has no reverse accessor to the records (``related_name
"+"``) — nothing is read from the user's side."""

from __future__ import annotations

from typing import Any

from django.db import models


def by_user(verbose_name: Any, *, blank: bool = True) -> models.ForeignKey:
    """The user who did it (``None`` once their account is gone). ``blank=False`` for a
    field every form or service sets itself (left as the model declared it)."""
    return models.ForeignKey(
        "accounts.User",
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
    )


def moment(verbose_name: Any) -> models.DateTimeField:
    """When it was done; empty until it is."""
    return models.DateTimeField(verbose_name, null=True, blank=True)


def when_and_who(when: Any, who: Any) -> tuple[models.DateTimeField, models.ForeignKey]:
    """A step's moment and user together: ``published_at, published_by =
    when_and_who(_("published at"), _("published by"))``."""
    return moment(when), by_user(who)
