"""Search ESCO occupations and skills as people type and write them (Dutch first).

- :func:`suggest` — what someone is typing in an occupation or skill field: Dutch preferred
  and alternative labels, English and the other imported languages, tolerant of typos
  ("orderpiker"), case, accents, hyphens and compounds.
- :func:`resolve_occupations` — a title as employers and job seekers write it
  ("Magazijnmedewerker nachtdienst 32 uur", "SALES EXECUTIVE MANAGER", a CV line) → ranked
  occupations.

Both read an in-memory index (:mod:`perspectief.taxonomy.textindex`) built from the
database's rows the first time it is asked for, once per process and kind, and built again
when the taxonomy changes: a save or delete of a concept or label in this process
(signals), a loader's :func:`invalidate` (which raises a generation kept in the cache, so
other processes see it too), or a new highest id of a concept or label.

Folding keeps the letters a–z (accents removed) and digits, so labels imported in a language
with another script (Greek, Bulgarian) are not searched, and a query in such a script is
refused like one of punctuation only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .constants import ConceptKind
from .models import ConceptLabel, LabelledConcept, Occupation, Skill
from .textindex import RESOLVE_SIZES, SUGGEST_SIZES, Label, TextIndex, clean_title, fold

#: Longest query taken: a title or a CV line, not a document.
MAX_QUERY = 300
KINDS: dict[str, type[LabelledConcept]] = {
    ConceptKind.OCCUPATION: Occupation,
    ConceptKind.SKILL: Skill,
}
GENERATION_KEY = "taxonomy:search:generation"
#: What is offered beside the best answer — the suggestions under a field as people type,
#: the API's ``?q=`` and the employer search's "Bedoelde u…" — scores at least this share of
#: the best answer's score; below it an answer shares only some letters with what was typed
#: ("orderpiker": "orderpicker" 0.78, then "medewerker verkoopadministratie" 0.43 and
#: "rechter" 0.29). Chosen on 1,000 titles of the evaluation set (perspectief
#: evaluate-search, the full ESCO): for titles resolved to five occupations, 0.6 drops 41%
#: of the alternatives (4.0 → 2.4 a title) and keeps 95% of those that are the right answer
#: (the right one in the list: 90.3% → 89.5%); 0.7 would keep 88% of them. As people type
#: (the first 60% of a title), the right one stays in the list for 74.6% of titles (76.6%
#: without this cut). The index itself already drops what scores under 35% of the best
#: (:data:`~.textindex.SUGGEST_SHARE`).
ALTERNATIVE_SHARE = 0.6


@dataclass(frozen=True)
class Suggestion:
    """One concept found: its label in the active language and the label that matched."""

    uri: str
    label: str
    matched: str
    english_only: bool
    score: float

    @property
    def esco_id(self) -> str:
        return self.uri.rsplit("/", 1)[-1]


@dataclass
class _Concepts:
    """What a suggestion shows of each concept of the index (by position)."""

    uris: list[str]
    dutch: list[str]
    english: list[str]


@dataclass
class _Built:
    version: tuple
    index: TextIndex
    concepts: _Concepts


_lock = threading.Lock()
_built: dict[str, _Built] = {}


# --- the boundary ---------------------------------------------------------------------------------


def check_query(q: str | None) -> str:
    """The query as it will be searched (trimmed), or a ``ValidationError`` that says why
    not; an empty query gives ``""``."""
    q = (q or "").strip()
    if not q:
        return ""
    if len(q) > MAX_QUERY:
        raise ValidationError(
            _("Search with at most %(limit)d characters (this is %(length)d)."),
            code="too_long",
            params={"limit": MAX_QUERY, "length": len(q)},
        )
    if not fold(q):
        raise ValidationError(
            _("Search with letters or digits; punctuation alone finds nothing."),
            code="no_letters",
        )
    return q


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return kind


# --- the index ------------------------------------------------------------------------------------


def _version(kind: str) -> tuple:
    """Cheap to ask on every search (two index look-ups): the highest id of the concepts and
    of the imported labels, and the generation :func:`invalidate` raises (an import of
    labels changes rows without adding any)."""
    top = KINDS[kind]._default_manager.aggregate(top=Max("id"))["top"]
    labels = ConceptLabel.objects.aggregate(top=Max("id"))["top"]
    return (top, labels, cache.get(GENERATION_KEY, 0))


def _labels(kind: str) -> tuple[list[Label], _Concepts, list[str]]:
    """The labels of every concept of a kind, what a suggestion shows of each concept, and
    each concept's description (Dutch, else English)."""
    rows = (
        KINDS[kind]
        ._default_manager.order_by("id")
        .values_list(
            "uri",
            "label_nl",
            "label_en",
            "alt_labels_nl",
            "alt_labels_en",
            "description_nl",
            "description_en",
        )
    )
    labels: list[Label] = []
    concepts = _Concepts([], [], [])
    descriptions: list[str] = []
    position: dict[str, int] = {}
    for uri, label_nl, label_en, alt_nl, alt_en, about_nl, about_en in rows.iterator(2000):
        i = position[uri] = len(concepts.uris)
        concepts.uris.append(uri)
        concepts.dutch.append(label_nl)
        concepts.english.append(label_en)
        descriptions.append(about_nl or about_en)
        for text, language, preferred in (
            (label_nl, "nl", True),
            (label_en, "en", True),
            *((alt, "nl", False) for alt in alt_nl.splitlines()),
            *((alt, "en", False) for alt in alt_en.splitlines()),
        ):
            if text:
                labels.append(Label(i, text, language, preferred))
    others = ConceptLabel.objects.filter(kind=kind).exclude(language__in=["nl", "en"])
    for uri, language, label, alternatives in others.values_list(
        "uri", "language", "preferred_label", "alt_labels"
    ).iterator(chunk_size=5000):
        if uri in position:
            labels.append(Label(position[uri], label, language, True))
            labels.extend(
                Label(position[uri], alt, language, False) for alt in alternatives.splitlines()
            )
    return labels, concepts, descriptions


def _build(kind: str) -> tuple[TextIndex, _Concepts]:
    labels, concepts, descriptions = _labels(kind)
    if kind == ConceptKind.OCCUPATION:  # occupations also resolve titles
        return TextIndex.build(labels, sizes=RESOLVE_SIZES, descriptions=descriptions), concepts
    return TextIndex.build(labels, sizes=SUGGEST_SIZES), concepts


def index(kind: str) -> tuple[TextIndex, _Concepts]:
    """The index of a kind of concept, built now if the taxonomy changed since."""
    kind = _check_kind(kind)
    version = _version(kind)
    built = _built.get(kind)
    if built is None or built.version != version:
        with _lock:
            built = _built.get(kind)
            if built is None or built.version != version:
                built = _Built(version, *_build(kind))
                _built[kind] = built
    return built.index, built.concepts


def forget(*_args, **_kwargs) -> None:
    """Drop this process's indexes (a concept or label was saved or deleted here)."""
    _built.clear()


def invalidate() -> None:
    """The taxonomy changed: every process builds its indexes again on the next search."""
    forget()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


# --- asking ---------------------------------------------------------------------------------------


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def close_to_best(hits: list) -> list:
    """The hits that score at least :data:`ALTERNATIVE_SHARE` of the best one (best first)."""
    if not hits:
        return []
    floor = ALTERNATIVE_SHARE * hits[0].score
    return [hit for hit in hits if hit.score >= floor]


def _suggestions(hits, text_index: TextIndex, concepts: _Concepts) -> list[Suggestion]:
    english = _english()
    found = []
    for hit in close_to_best(hits):
        dutch, english_label = concepts.dutch[hit.concept], concepts.english[hit.concept]
        label = (english_label or dutch) if english else (dutch or english_label)
        found.append(
            Suggestion(
                uri=concepts.uris[hit.concept],
                label=label,
                matched=text_index.texts[hit.label],
                english_only=not english and not dutch,
                score=round(hit.score, 4),
            )
        )
    return found


def suggest(q: str, *, kind: str, limit: int = 10) -> list[Suggestion]:
    """ESCO concepts of ``kind`` ("occupation" or "skill") for what someone is typing, best
    first. An empty ``q`` gives none; one that is too long or has no letters or digits
    raises ``ValidationError``."""
    q = check_query(q)
    if not q:
        return []
    text_index, concepts = index(kind)
    # An occupation is typed as a title too ("magazijnmedewerker nachtdienst"); a skill's
    # words ("werken in ploegendienst") are kept.
    text = clean_title(q) if kind == ConceptKind.OCCUPATION else fold(q)
    hits = text_index.suggest(text, limit=limit, english=_english())
    return _suggestions(hits, text_index, concepts)


def resolve_occupations(text: str, *, limit: int = 5) -> list[Suggestion]:
    """ESCO occupations for a title or CV line as people write it, best first. An empty
    ``text`` gives none; bad input raises ``ValidationError`` as :func:`suggest` does."""
    text = check_query(text)
    if not text:
        return []
    text_index, concepts = index(ConceptKind.OCCUPATION)
    hits = text_index.resolve(text, limit=limit)
    return _suggestions(hits, text_index, concepts)
