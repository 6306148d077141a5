"""Reads: a person's e-mail preferences, the sent-mail log, the demo's mail directory."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from perspectief.core.authz import Actor

from .backends import mail_dir
from .constants import KINDS
from .models import Message, Preference


def preferences_of(user) -> dict[str, str]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, info.default) for kind, info in KINDS.items()}


def mail_log(*, actor: Actor, status: str = ""):
    messages = Message.objects.visible_to(actor).select_related("recipient", "organisation")
    if status:
        messages = messages.filter(status=status)
    return messages


@dataclass(frozen=True)
class DemoMail:
    name: str
    sent: datetime
    to: str
    subject: str
    body: str


def _read(path: Path) -> DemoMail:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    return DemoMail(
        name=path.stem,
        sent=datetime.fromtimestamp(path.stat().st_mtime).astimezone(),
        to=str(parsed["To"] or ""),
        subject=str(parsed["Subject"] or ""),
        body=body.get_content() if body is not None else "",
    )


def demo_mails(limit: int = 200) -> list[DemoMail]:
    """The newest messages the demo wrote, newest first."""
    directory = mail_dir()
    if not directory.is_dir():
        return []
    paths = sorted(directory.glob("*.eml"), reverse=True)[:limit]
    return [_read(p) for p in paths]


def demo_mail(name: str) -> DemoMail | None:
    if not name.replace("-", "").isalnum():
        return None
    path = mail_dir() / f"{name}.eml"
    return _read(path) if path.is_file() else None
