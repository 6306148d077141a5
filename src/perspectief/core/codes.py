"""Several codes of one choice list kept in one text column (``"jobcoach,flexible_hours"``):
portable — no database-specific array type — and the way ``Candidate.barriers`` has always
been kept. Read with :func:`split`, written with :func:`join`, checked on the model by
:class:`CodesValidator` (``full_clean``, which every service runs)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


def split(value: str | None) -> list[str]:
    """The codes of a stored value, in their stored order."""
    return [code for code in (value or "").split(",") if code]


def join(codes: Iterable[str], allowed: Iterable[str]) -> str:
    """Codes as stored: each once, in the order of the choice list (so a change of order is
    no change); a code outside ``allowed`` is kept at the end for the validator to refuse."""
    allowed = list(allowed)
    given = list(dict.fromkeys(str(code) for code in codes if code))
    known = [code for code in allowed if code in given]
    return ",".join(known + [code for code in given if code not in allowed])


def labels(value: str | None, choices: Any) -> list[str]:
    """The labels of a stored value's codes (``choices``: a ``TextChoices``), in the active
    language; a code no longer in the list is shown as it is."""
    names = dict(choices.choices)
    return [str(names.get(code, code)) for code in split(value)]


@deconstructible
class CodesValidator:
    """Every code of a stored value is one of ``allowed``."""

    message = _("Unknown value: %(codes)s.")
    code = "unknown_code"

    def __init__(self, allowed: Iterable[str]):
        self.allowed = tuple(str(code) for code in allowed)

    def __call__(self, value: str | None) -> None:
        unknown = [code for code in split(value) if code not in self.allowed]
        if unknown:
            raise ValidationError(
                self.message, code=self.code, params={"codes": ", ".join(unknown)}
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodesValidator) and self.allowed == other.allowed

    def __hash__(self) -> int:
        return hash(self.allowed)
