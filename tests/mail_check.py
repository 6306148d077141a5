"""Every e-mail the test suite sends is checked for personal data (issue #16): a message
says *that* something waits and links to it; it names no job seeker and carries no BSN.
The check runs as the test's mail backend, at the moment of sending, against the job
seekers in the database then."""

from __future__ import annotations

import re

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from perspectief.candidates.models import Candidate
from perspectief.core.bsn import is_valid

NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


def _names() -> list[str]:
    """Full names and distinctive last names of every job seeker in the database."""
    try:
        rows = list(Candidate.objects.values_list("first_name", "last_name"))
    except Exception:  # a test without database access sends no names
        connection.close_if_unusable_or_obsolete()
        return []
    names = set()
    for first, last in rows:
        if first and last:
            names.add(f"{first} {last}")
        if last and len(last) >= 5:
            names.add(last)
    return sorted(names)


def personal_data_in(text: str, names: list[str]) -> list[str]:
    found = [m for m in NINE_DIGITS.findall(text) if is_valid(m)]
    lowered = text.lower()
    found += [n for n in names if re.search(r"(?<!\w)" + re.escape(n.lower()) + r"(?!\w)", lowered)]
    return found


class CheckedLocmemBackend(EmailBackend):
    def send_messages(self, messages):
        names = _names()
        for message in messages:
            text = f"{message.subject}\n{message.body}"
            found = personal_data_in(text, names)
            if found:
                raise AssertionError(
                    f"An e-mail to {message.to} carries personal data {found!r}:\n{text}"
                )
        return super().send_messages(messages)
