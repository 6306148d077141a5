"""Validators shared by forms, the API and imports."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Unicode categories no name holds: controls, format characters (text-direction overrides
#: such as U+202E, zero-width spaces and joiners, the soft hyphen), private use, unassigned
#: code points, surrogates, and line and paragraph separators. They are invisible or change
#: how the text around them is shown: a name could look like another or like nothing at all.
INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})

NAME_MESSAGES = {
    "invisible": _(
        "A name may not contain invisible or control characters (such as a zero-width space "
        "or a text-direction mark)."
    ),
    "no_letter": _("A name needs at least one letter."),
}


def name_problem(value: str) -> str | None:
    """Why ``value`` is no person's name ("invisible", "no_letter"), or None."""
    if any(unicodedata.category(ch) in INVISIBLE for ch in value):
        return "invisible"
    if not any(unicodedata.category(ch).startswith("L") for ch in value):
        return "no_letter"
    return None


def validate_person_name(value: str) -> None:
    """A person's first or last name: at least one letter, nothing invisible."""
    problem = name_problem(value)
    if problem is not None:
        raise ValidationError(NAME_MESSAGES[problem], code=problem)
