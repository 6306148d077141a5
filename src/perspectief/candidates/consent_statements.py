"""The consent statements: the texts a person is shown when they give consent, versioned.

A statement is kept here word for word in both languages, as shipped with the application,
so that what a person agreed to can be shown later (``Consent.statement_version`` names the
version they saw). A version is never changed or removed: a new wording is a new version
with the date from which it is shown. ``tests/candidates/test_consent.py`` pins the text of every
version, so an edit of a published one fails the build. See docs/privacy.md, "Consent".

The texts are not translated through gettext on purpose: a later change of a translation
must not change what a person was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone, translation

from .constants import ConsentScope


@dataclass(frozen=True)
class Statement:
    scope: str
    version: str
    in_force_from: datetime
    nl: str
    en: str

    def text(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or "nl")[:2]
        return self.en if language == "en" else self.nl


def _utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=timezone.get_fixed_timezone(0))


#: Every version ever shown, oldest first per scope. Append only.
STATEMENTS: tuple[Statement, ...] = (
    Statement(
        scope=ConsentScope.REGIONAL_PROFILE,
        version="1",
        in_force_from=_utc(2025, 1, 1),
        nl=(
            "Met jouw toestemming zien werkgevers, intermediairs en scholen in de regio je "
            "profiel zonder je naam, BSN of contactgegevens, zodat ze je werk of een opleiding "
            "kunnen aanbieden. Je klantmanager geeft er ook akkoord op. Je kunt het altijd "
            "intrekken; dat heeft geen gevolgen voor je begeleiding."
        ),
        en=(
            "With your consent, employers, intermediaries and schools in the region see your "
            "profile without your name, BSN or contact details, so they can offer you work or "
            "training. Your klantmanager agrees to it too. You can withdraw it at any time; it "
            "has no consequences for your support."
        ),
    ),
    # Before versions were kept, an introduction was recorded without a fixed text.
    Statement(
        scope=ConsentScope.INTRODUCTION,
        version="0",
        in_force_from=_utc(2020, 1, 1),
        nl=(
            "Vastgelegd voordat de tekst werd bewaard: de klantmanager heeft de toestemming in "
            "eigen woorden gevraagd; er is geen vaste tekst getoond."
        ),
        en=(
            "Recorded before the text was kept: the klantmanager asked for consent in their own "
            "words; no fixed text was shown."
        ),
    ),
    Statement(
        scope=ConsentScope.INTRODUCTION,
        version="1",
        in_force_from=_utc(2025, 1, 1),
        nl=(
            "Je wilt met naam kennismaken met deze werkgever. De werkgever ziet dan je naam, "
            "e-mailadres en telefoonnummer, nooit je BSN, geboortedatum, adres of gezondheid. "
            "Je kunt het altijd intrekken; dat kost je niets."
        ),
        en=(
            "You agree to be introduced by name to this employer. The employer then sees your "
            "name, email address and phone number, never your BSN, date of birth, address or "
            "health. You can withdraw it at any time; it costs you nothing."
        ),
    ),
)


class UnknownStatement(LookupError):
    pass


def get(scope: str, version: str) -> Statement:
    for statement in STATEMENTS:
        if statement.scope == scope and statement.version == version:
            return statement
    raise UnknownStatement(f"{scope} v{version}")


def current(scope: str, at: datetime | None = None) -> Statement:
    """The version shown from ``at`` (now) on: the latest one in force."""
    at = at or timezone.now()
    in_force = [s for s in STATEMENTS if s.scope == scope and s.in_force_from <= at]
    if not in_force:
        raise UnknownStatement(str(scope))
    return max(in_force, key=lambda s: s.in_force_from)
