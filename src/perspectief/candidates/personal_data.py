"""Texts that hold no personal data: a lesson of the leeragenda, its reactions and adoption
notes (``lessons``), and what a region writes for the support team — progress and reflection
answers, bottlenecks and good examples, support requests and their answers (``support``).
Before such a text is saved it is read for a BSN (nine digits passing the elfproef, also
written in groups) and for the full name of one of the region's people; either refuses the
save with a message that names the field (never the number or the name found).

The names are looked up, not loaded: the words of the texts give the possible last names
(one to four words in a row, as typed and in the usual capitalisations), and only the
people of the region with such a last name are read, then checked for their first name
right before it. A big region's people never come into memory."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from perspectief.candidates.models import Candidate
from perspectief.core import bsn

#: Digits, perhaps written in groups ("123 456 782", "123.45.67.82").
_NUMBER = re.compile(r"(?<!\d)\d[\d .\-]{7,12}\d(?!\d)")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_DIGIT = re.compile(r"\d")
#: The longest last name looked for, in words ("van der Berg", "de la Cruz Pérez").
_MAX_WORDS = 4
#: Last names looked up per query (under the limits of SQLite, 32,766, and PostgreSQL).
_CHUNK = 2000


def has_bsn(text: str) -> bool:
    """Whether the text holds nine digits (perhaps in groups) that pass the elfproef."""
    for number in _NUMBER.findall(text or ""):
        digits = re.sub(r"\D", "", number)
        if len(digits) == 9 and bsn.is_valid(digits):
            return True
    return False


#: Name particles (tussenvoegsels) written in lower case inside a last name ("de Vries").
_PARTICLES = frozenset(
    "al d da de del den der des di du el ten ter te het in la le op 's 't van von vd".split()
)


def _small(word: str) -> bool:
    return word.lower() in _PARTICLES


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]


def _variants(phrase: str) -> set[str]:
    """A phrase as typed and as a name is usually written: all lower case, each word with a
    capital, only the first with one, particles small and the rest with a capital ("de
    vries" → "de vries", "De Vries", "De vries", "de Vries")."""
    words = phrase.split()
    return {
        phrase,
        phrase.lower(),
        " ".join(_capital(w) for w in words),
        _capital(phrase),
        " ".join(w.lower() if w.lower() in _PARTICLES else _capital(w) for w in words),
    }


def _possible_last_names(texts: Iterable[str]) -> set[str]:
    """The phrases of the texts that could be a last name after a first name: one word, two
    words ("García López"), or particles before one ("van der Berg"); never a word with a
    digit in it or ending in a particle."""
    names: set[str] = set()
    for text in texts:
        words = _WORD.findall(text)
        for i in range(1, len(words)):  # a first name comes before the last
            for n in range(1, _MAX_WORDS + 1):
                phrase = words[i : i + n]
                if len(phrase) < n or _DIGIT.search(phrase[-1]) or _small(phrase[-1]):
                    continue
                if n > 2 and not all(_small(w) for w in phrase[:-1]):
                    continue
                names |= _variants(" ".join(phrase))
    return names


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text)).lower()


def names_in(texts: Mapping[str, str], region_id) -> str | None:
    """The first field (key of ``texts``) naming one of the region's people by first and
    last name, or None."""
    if not region_id:
        return None
    normal = {field: f" {_normal(text)} " for field, text in texts.items() if text}
    possible = sorted(_possible_last_names(texts.values()))
    people = Candidate.objects.filter(region_id=region_id, merged_into__isnull=True)
    for start in range(0, len(possible), _CHUNK):
        rows = people.filter(last_name__in=possible[start : start + _CHUNK]).values_list(
            "first_name", "last_name"
        )
        for first, last in rows:
            full = f" {_normal(f'{first} {last}')} "
            if full.strip() and len(full.split()) >= 2:
                for field, text in normal.items():
                    if full in text:
                        return field
    return None


def check(texts: Mapping[str, str], *, labels: Mapping[str, str], region_ids: Iterable) -> None:
    """Refuses (a ``ValidationError`` on the field) a text that holds a BSN or the full name
    of one of the people of the given regions."""
    for field, text in texts.items():
        if has_bsn(text):
            raise ValidationError(
                {
                    field: _(
                        "“%(field)s” holds a BSN. This text holds no personal data: take the "
                        "number out. Nothing was saved."
                    )
                    % {"field": labels.get(field, field)}
                }
            )
    for region_id in dict.fromkeys(region_ids):
        named = names_in(texts, region_id)
        if named is not None:
            raise ValidationError(
                {
                    named: _(
                        "“%(field)s” names one of the region's people. This text holds no "
                        "personal data: write about the initiative, not about a person. "
                        "Nothing was saved."
                    )
                    % {"field": labels.get(named, named)}
                }
            )
