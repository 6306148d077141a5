"""Telling people that work waits: e-mail built on Django's mail framework, sent from
Celery after the action that caused it has committed, retried while the mail server is
away, and held for one daily overview when a person asks for that (or when too many
come at once).

A message names nobody and carries no personal data: it says *that* something waits and
links to the page where the recipient, signed in, sees what they may see.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core import bsn
from perspectief.core.authz import Actor, Role

from . import tasks
from .constants import (
    ALWAYS_SENT,
    IMMEDIATE_PER_HOUR,
    KINDS,
    MAX_ATTEMPTS,
    Frequency,
    Kind,
    Status,
)
from .models import Message, Preference

log = logging.getLogger("perspectief.notifications")

#: A message still "being sent" after this long belonged to a worker that died.
STALE_SENDING = timedelta(minutes=15)

#: Where a secret link stands in a stored message until it is sent.
SEALED = "[[link]]"

_silenced: contextvars.ContextVar[bool] = contextvars.ContextVar("silenced", default=False)


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """No notices while generating data (the demo's population): its history is not news
    to anyone, and its mail page should show what happens after, not a flood from set-up."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def absolute(url: str) -> str:
    """The link as the recipient's mail program needs it (``PERSPECTIEF_BASE_URL``)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.BASE_URL.rstrip("/") + url


def frequency_for(user: Any, kind: str) -> str:
    if kind in ALWAYS_SENT:
        return Frequency.IMMEDIATE
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("frequency", flat=True)
    return chosen.first() or KINDS[kind].default


def _text(
    kind: str, url: str, *, formal: bool, extra: str = "", sealed: bool = False
) -> tuple[str, str]:
    """The subject and body of a kind's message, in the platform's language. A ``sealed``
    link is left out of the stored text (it is put in when the message is sent)."""
    info = KINDS[kind]
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "notifications/mail/notice.txt",
            {
                "sentence": info.sentence,
                "link": SEALED if sealed else (absolute(url) if url else ""),
                "extra": extra,
                "formal": formal,
                "settings_link": absolute(reverse("notifications:preferences")),
                "with_settings": kind != Kind.INVITATION,
            },
        )
        return str(info.subject), body


def _queue(message: Message) -> None:
    """Hand the message to a worker once the surrounding transaction has committed: a
    rolled-back action sends nothing, and a failing mail server undoes nothing."""
    transaction.on_commit(lambda: tasks.deliver_message.delay(message.pk))


def notify(*, kind: str, memberships: Iterable[Any], url: str) -> list[Message]:
    """E-mail the people in ``memberships`` that work of ``kind`` waits at ``url``.

    Each person gets it as they chose for that kind: straight away, in the daily overview,
    or not at all. The same work waiting for the same person gives one message, and more
    than :data:`IMMEDIATE_PER_HOUR` messages in an hour wait for the overview. Call it
    inside the transaction of the action that causes it."""
    if _silenced.get():
        return []
    seen: set[int] = set()
    created = []
    hour_ago = timezone.now() - timedelta(hours=1)
    for membership in memberships:
        user = membership.user
        if user.pk in seen or not user.is_active or not user.email:
            continue
        seen.add(user.pk)
        frequency = frequency_for(user, kind)
        if frequency == Frequency.OFF:
            continue
        pending = Message.objects.filter(recipient=user, status__in=[Status.QUEUED, Status.HELD])
        if pending.filter(kind=kind, url=url).exists():
            continue
        if frequency == Frequency.IMMEDIATE and (
            Message.objects.filter(recipient=user, created_at__gte=hour_ago, digest__isnull=True)
            .exclude(status=Status.HELD)
            .count()
            >= IMMEDIATE_PER_HOUR
        ):
            frequency = Frequency.DAILY
        subject, body = _text(kind, url, formal=membership.role == Role.EMPLOYER)
        message = Message.objects.create(
            kind=kind,
            recipient=user,
            to_address=user.email,
            organisation=membership.organisation,
            subject=subject,
            body=body,
            url=url,
            status=Status.QUEUED if frequency == Frequency.IMMEDIATE else Status.HELD,
        )
        if message.status == Status.QUEUED:
            _queue(message)
        created.append(message)
    if created:
        log.info("notified kind=%s messages=%d", kind, len(created))
    return created


def notify_address(
    *, kind: str, to_address: str, url: str, organisation: Any, formal: bool, extra: str = ""
) -> Message:
    """E-mail an address that has no account yet (an invitation), straight away. The link
    is secret (it holds a one-time token): it is stored encrypted until the message is sent,
    then erased, and the log shows the message without it."""
    subject, body = _text(kind, url, formal=formal, extra=extra, sealed=True)
    message = Message.objects.create(
        kind=kind,
        to_address=to_address,
        organisation=organisation,
        subject=subject,
        body=body,
        sealed_link=bsn.encrypt_any(absolute(url)),
    )
    _queue(message)
    return message


def deliver(message_id: int) -> bool:
    """Hand one message to the mail server. ``True`` when it is sent (or was already);
    ``False`` when the server refused or was away: the message stays queued with its
    attempt counted, and is failed after :data:`MAX_ATTEMPTS`."""
    claimed = Message.objects.filter(pk=message_id, status=Status.QUEUED).update(
        status=Status.SENDING, updated_at=timezone.now()
    )
    if not claimed:
        return Message.objects.filter(pk=message_id, status=Status.SENT).exists()
    message = Message.objects.get(pk=message_id)
    body = message.body
    if message.sealed_link:
        body = body.replace(SEALED, bsn.decrypt(message.sealed_link))
    email = EmailMessage(
        subject=message.subject,
        body=body,
        to=[message.to_address],
        headers={"Auto-Submitted": "auto-generated", "X-Perspectief-Kind": message.kind},
    )
    try:
        email.send()
    except Exception as exc:  # any failure of the mail server is retried
        message.attempts += 1
        message.last_error = f"{type(exc).__name__}: {exc}"[:300]
        message.status = Status.FAILED if message.attempts >= MAX_ATTEMPTS else Status.QUEUED
        if message.status == Status.FAILED:
            message.sealed_link = ""  # a failed invitation is sent again as a new one
        message.save(
            update_fields=["attempts", "last_error", "status", "sealed_link", "updated_at"]
        )
        log.warning(
            "mail not sent message=%s attempt=%d error=%s",
            message.uuid,
            message.attempts,
            type(exc).__name__,
        )
        return False
    message.attempts += 1
    message.status = Status.SENT
    message.sent_at = timezone.now()
    message.sealed_link = ""
    message.save(update_fields=["attempts", "status", "sent_at", "sealed_link", "updated_at"])
    return True


def retry_waiting(*, now: datetime | None = None) -> int:
    """Queue again what waits: messages whose earlier attempt failed, whose task was lost
    (a broker restart), or whose worker died while sending."""
    now = now or timezone.now()
    Message.objects.filter(status=Status.SENDING, updated_at__lt=now - STALE_SENDING).update(
        status=Status.QUEUED
    )
    waiting = list(
        Message.objects.filter(
            status=Status.QUEUED, updated_at__lt=now - timedelta(minutes=5)
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in waiting:
        tasks.deliver_message.delay(pk)
    return len(waiting)


@transaction.atomic
def send_digests(*, now: datetime | None = None) -> int:
    """One overview per person of everything held for it: how much of each kind waits,
    with a link to the inbox."""
    held: dict[int, list[Message]] = defaultdict(list)
    for message in (
        Message.objects.select_for_update()
        .filter(status=Status.HELD, recipient__isnull=False)
        .select_related("recipient")
        .order_by("created_at", "id")
    ):
        held[message.recipient_id or 0].append(message)
    for parts in held.values():
        recipient = parts[0].recipient
        assert recipient is not None  # the query asks for messages to a user
        # Employers (only) are addressed formally, as on their pages.
        formal = (
            not recipient.memberships.filter(is_active=True).exclude(role=Role.EMPLOYER).exists()
        )
        counts: dict[str, int] = defaultdict(int)
        for part in parts:
            counts[part.kind] += 1
        with translation.override(settings.LANGUAGE_CODE):
            lines = "\n".join(
                f"- {KINDS[kind].subject} ({count})" for kind, count in sorted(counts.items())
            )
        subject, body = _text(
            Kind.DIGEST,
            reverse("notifications:inbox"),
            formal=formal,
            extra=lines,
        )
        first = parts[0]
        digest = Message.objects.create(
            kind=Kind.DIGEST,
            recipient=recipient,
            to_address=recipient.email or first.to_address,
            organisation=first.organisation,
            subject=subject,
            body=body,
            url=reverse("notifications:inbox"),
        )
        Message.objects.filter(pk__in=[p.pk for p in parts]).update(
            status=Status.IN_DIGEST, digest=digest
        )
        _queue(digest)
    return len(held)


@transaction.atomic
def preferences_save(*, actor: Actor, choices: dict[str, str]) -> int:
    """Store how often the actor wants e-mail per kind; audited. Returns the changes."""
    changed = 0
    for kind, frequency in choices.items():
        if kind not in KINDS or kind in ALWAYS_SENT or frequency not in Frequency.values:
            raise ValidationError(_("Unknown kind of message or frequency."))
        before = frequency_for(actor.user, kind)
        if before == frequency:
            continue
        Preference.objects.update_or_create(
            user=actor.user, kind=kind, defaults={"frequency": frequency}
        )
        audit.record(
            "mail_preference.changed",
            actor=actor,
            target=actor.user,
            changes={kind: [before, frequency]},
        )
        changed += 1
    return changed
