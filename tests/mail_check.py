"""Every e-mail the test suite sends is checked for personal data (issue #16): a message
says *that* something waits and links to it; it names no job seeker and carries no BSN.
The check runs as the test's mail backend, at the moment of sending, against the job
seekers in the database then."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from perspectief.candidates.models import Candidate
from perspectief.core.bsn import is_valid
from perspectief.organisations.models import Organisation

NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
# A link's key is a UUID, whose last group of twelve hexadecimal characters holds nine
# digits that pass the elfproef about once in 700 keys ("...-7df788828009"): not a BSN.
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def _names() -> tuple[list[str], list[str]]:
    """Full names and distinctive last names of every job seeker in the database, and the
    organisations' names (which a message may carry: made-up companies are often named
    after a family, "Jansen en Zonen", while a job seeker may be called Jansen)."""
    try:
        rows = list(Candidate.objects.values_list("first_name", "last_name"))
        organisations = list(Organisation.objects.values_list("name", flat=True))
    except Exception:  # a test without database access sends no names
        connection.close_if_unusable_or_obsolete()
        return [], []
    names = set()
    for first, last in rows:
        if first and last:
            names.add(f"{first} {last}")
        if last and len(last) >= 5:
            names.add(last)
    return sorted(names), organisations


def personal_data_in(text: str, names: list[str], organisations: Iterable[str] = ()) -> list[str]:
    """The BSNs and job seekers' names in ``text``, leaving out links' keys and the names
    of ``organisations``."""
    for organisation in sorted(organisations, key=len, reverse=True):
        # Whole words, and only a distinctive name: "ING" must not take the "ing" out of
        # Haring, nor an empty name every letter out of the text.
        if len(organisation.strip()) >= 4:
            pattern = r"(?<!\w)" + re.escape(organisation) + r"(?!\w)"
            text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    found = [m for m in NINE_DIGITS.findall(UUID.sub(" ", text)) if is_valid(m)]
    lowered = text.lower()
    found += [n for n in names if re.search(r"(?<!\w)" + re.escape(n.lower()) + r"(?!\w)", lowered)]
    return found


class CheckedLocmemBackend(EmailBackend):
    def send_messages(self, messages):
        names, organisations = _names()
        for message in messages:
            text = f"{message.subject}\n{message.body}"
            found = personal_data_in(text, names, organisations)
            if found:
                raise AssertionError(
                    f"An e-mail to {message.to} carries personal data {found!r}:\n{text}"
                )
        return super().send_messages(messages)
