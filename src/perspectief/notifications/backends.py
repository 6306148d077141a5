"""The demo's mail backend: every message becomes one ``.eml`` file in ``var/mail/``, which
the page "Verzonden e-mail (demo)" shows, so a newcomer reads what would have been sent.
Any mail program opens the files too."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


def mail_dir() -> Path:
    return Path(settings.DATA_DIR) / "mail"


class EmlDirectoryBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        directory = mail_dir()
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            path = directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
            sent += 1
        return sent
