"""How well free text finds its ESCO occupation: an evaluation set and three methods.

The set is made from ESCO's own Dutch alternative labels. A fixed share of them (chosen by
a hash of URI and label, so the same every run) is *held out*: left out of the index that
is searched, and used as titles instead, with the noise people add to a title (seniority,
hours, shifts, gender forms, a female form, abbreviations, capitals, a typo, a compound
split into two words, a place name). A title is found when its occupation is among the
first one or five answers. Compared are:

- ``substring``: wave 1's search (the whole text inside a Dutch or English label or
  alternative label, alphabetical);
- ``tfidf``: a plain character n-gram TF-IDF over the labels (sklearn's ``char_wb``
  analyser, n = 3-5, sublinear TF, cosine; the best label of each occupation counts);
- ``perspectief``: :meth:`perspectief.taxonomy.textindex.TextIndex.resolve`, what
  :func:`perspectief.taxonomy.search.resolve_occupations` answers.

A second, independent set: vacancy and CV titles written by hand the way Dutch employers
and job seekers write them (``data/evaluation/titles_nl.csv``), each with the ESCO
occupations that count as right; split into a dev and a test half by a fixed rule
(:func:`handwritten_part`), and nothing is tuned on the test half. Sentence-embedding
baselines (:mod:`perspectief.taxonomy.embedding_baselines`) are measured only when asked
for and where their packages are installed.

docs/matching-evaluation.md ("Vrije tekst naar beroepen") gives the figures and how these
sets differ from real vacancy titles. ``perspectief evaluate-search`` prints them.
"""

from __future__ import annotations

import csv
import random
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from perspectief.core.loading import DEFAULT_DATA_DIR

from . import embedding_baselines
from .models import Occupation
from .textindex import RESOLVE_SIZES, Label, TextIndex, clean_title, fold

HELD_OUT_PERCENT = 20
DEFAULT_SIZE = 2000
DEFAULT_SEED = 18
SYNONYM_LIKENESS = 1 / 3
HANDWRITTEN_FILE = DEFAULT_DATA_DIR / "evaluation" / "titles_nl.csv"

SENIORITY = ["Senior", "Junior", "Medior", "Ervaren", "Allround", "Sr.", "Jr."]
HOURS = ["32 uur", "24-32 uur", "fulltime", "parttime", "40 u/pw", "20-24 uur per week", "38 uur"]
SHIFTS = ["nachtdienst", "ploegendienst", "3-ploegendienst", "weekenddienst", "dagdienst"]
GENDER = ["(m/v/x)", "m/v", "(v/m)", "(m/v)", "M/V/X"]
PLACES = ["Rotterdam", "regio Utrecht", "Amsterdam-Zuidoost", "omgeving Eindhoven", "Zwolle"]
ABBREVIATIONS = {
    "medewerker": "mdw",
    "administratief": "adm.",
    "technisch": "tech.",
    "coördinator": "coörd.",
    "manager": "mgr",
    "assistent": "ass.",
}
#: Dutch heads of compounds a title may write apart ("magazijnmedewerker" → "medewerker
#: magazijn").
HEADS = ["medewerker", "monteur", "chauffeur", "beheerder", "technicus", "adviseur", "leider"]


@dataclass(frozen=True)
class Title:
    """One title of the set: the text, its occupation's URI, the label it came from, and
    whether that label is a *synonym*: it shares less than a third of its trigrams with
    each of the occupation's labels that stay in the index ("orderverzamelaar" for an
    orderpicker, not "pickingmedewerkster" beside "pickingmedewerker")."""

    text: str
    uri: str
    source: str
    noise: tuple[str, ...]
    synonym: bool
    also: tuple[str, ...] = ()  # other occupations that count as right (hand-labelled set)

    @property
    def accepted(self) -> frozenset[str]:
        return frozenset((self.uri, *self.also))


@dataclass
class Concept:
    uri: str
    label_nl: str
    label_en: str
    alt_nl: list[str]
    alt_en: list[str]
    description: str = ""


@dataclass
class Result:
    """Accuracy of one method: on all titles, on the synonyms, and per kind of noise."""

    method: str
    at1: float
    at5: float
    titles: int
    synonyms_at1: float = 0.0
    synonyms_at5: float = 0.0
    synonyms: int = 0
    per_noise: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    seconds: float = 0.0  # per title


def held_out(uri: str, label: str, percent: int = HELD_OUT_PERCENT) -> bool:
    """Whether an alternative label is held out of the index (the same every run)."""
    return zlib.crc32(f"{uri} {label}".encode()) % 100 < percent


def concepts_from_database() -> list[Concept]:
    rows = Occupation.objects.order_by("id").values_list(
        "uri", "label_nl", "label_en", "alt_labels_nl", "alt_labels_en", "description_nl"
    )
    return [
        Concept(uri, nl, en, alt_nl.splitlines(), alt_en.splitlines(), description)
        for uri, nl, en, alt_nl, alt_en, description in rows
    ]


def index_labels(concepts: list[Concept], percent: int = HELD_OUT_PERCENT) -> list[Label]:
    """The labels the evaluated index holds: all but the held-out Dutch alternative labels."""
    labels = []
    for i, c in enumerate(concepts):
        labels += [Label(i, c.label_nl, "nl", True), Label(i, c.label_en, "en", True)]
        labels += [Label(i, a, "nl", False) for a in c.alt_nl if not held_out(c.uri, a, percent)]
        labels += [Label(i, a, "en", False) for a in c.alt_en]
    return [label for label in labels if label.text]


# --- the titles -----------------------------------------------------------------------------------


def _typo(text: str, rng: random.Random) -> str:
    words = [i for i, w in enumerate(text.split(" ")) if len(w) >= 6]
    if not words:
        return text
    parts = text.split(" ")
    i = rng.choice(words)
    word, at = parts[i], rng.randrange(1, len(parts[i]) - 2)
    kind = rng.choice(["swap", "drop", "double", "replace"])
    if kind == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == "drop":
        word = word[:at] + word[at + 1 :]
    elif kind == "double":
        word = word[:at] + word[at] + word[at:]
    else:
        word = word[:at] + rng.choice("aeioulnrst") + word[at + 1 :]
    parts[i] = word
    return " ".join(parts)


def _split_compound(text: str) -> str | None:
    for head in HEADS:
        match = re.fullmatch(rf"(\w{{3,}}){head}", text)
        if match:
            return f"{head} {match[1]}"
    return None


def _female(text: str) -> str | None:
    changed = re.sub(r"medewerker\b", "medewerkster", text)
    return changed if changed != text else None


def _abbreviated(text: str) -> str | None:
    for word, short in ABBREVIATIONS.items():
        if word in text:
            return text.replace(word, short)
    return None


#: Noise that changes the label itself (None: does not apply to this label).
_REWRITES: dict[str, Callable[[str, random.Random], str | None]] = {
    "female": lambda t, rng: _female(t),
    "abbreviation": lambda t, rng: _abbreviated(t),
    "compound": lambda t, rng: _split_compound(t),
    "typo": _typo,
}
#: Noise that is added around it.
_ADDITIONS: dict[str, Callable[[str, random.Random], str]] = {
    "seniority": lambda t, rng: f"{rng.choice(SENIORITY)} {t}",
    "hours": lambda t, rng: f"{t} {rng.choice(HOURS)}",
    "shift": lambda t, rng: f"{t} {rng.choice(SHIFTS)}",
    "gender": lambda t, rng: f"{t} {rng.choice(GENDER)}",
    "place": lambda t, rng: f"{t} {rng.choice(PLACES)}",
}


def noisy(label: str, rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """A label written as a title: up to two rewrites where they apply, up to three
    additions, sometimes all in capitals."""
    text, applied = label, list[str]()
    for name in rng.sample(list(_REWRITES), 2):
        changed = _REWRITES[name](text, rng)
        if changed and rng.random() < 0.6:
            text, applied = changed, [*applied, name]
    for name in rng.sample(list(_ADDITIONS), rng.choice([0, 1, 1, 2, 2, 3])):
        text, applied = _ADDITIONS[name](text, rng), [*applied, name]
    if rng.random() < 0.15:
        text, applied = text.upper(), [*applied, "capitals"]
    return text, tuple(applied) or ("none",)


def titles(
    concepts: list[Concept],
    *,
    size: int = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
    percent: int = HELD_OUT_PERCENT,
) -> list[Title]:
    """Held-out Dutch alternative labels as noisy titles. Left out: a label that is also a
    label of another occupation (it cannot tell one answer), and one that, folded, is still
    in the index for its own occupation (it would test nothing)."""
    owners: dict[str, set[str]] = {}
    for c in concepts:
        for text in [c.label_nl, c.label_en, *c.alt_nl, *c.alt_en]:
            owners.setdefault(fold(text), set()).add(c.uri)
    candidates = []
    for c in concepts:
        kept = {fold(t) for t in [c.label_nl, c.label_en, *c.alt_en]}
        kept |= {fold(a) for a in c.alt_nl if not held_out(c.uri, a, percent)}
        kept.discard("")
        for alt in c.alt_nl:
            folded = fold(alt)
            if held_out(c.uri, alt, percent) and folded not in kept and owners[folded] == {c.uri}:
                likeness = max(_trigram_jaccard(folded, other) for other in kept)
                candidates.append((c.uri, alt, likeness < SYNONYM_LIKENESS))
    rng = random.Random(seed)
    chosen = rng.sample(candidates, min(size, len(candidates)))
    result = []
    for uri, alt, synonym in chosen:
        text, noise = noisy(alt, rng)
        result.append(Title(text, uri, alt, noise, synonym))
    return result


def _trigrams(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _trigram_jaccard(a: str, b: str) -> float:
    ta, tb = _trigrams(a), _trigrams(b)
    return len(ta & tb) / len(ta | tb)


# --- the methods ----------------------------------------------------------------------------------


class Substring:
    """Wave 1's search: the text inside a label field, alphabetical by Dutch label."""

    def __init__(self, concepts: list[Concept], labels: list[Label]):
        fields: dict[int, list[str]] = {}
        for label in labels:
            fields.setdefault(label.concept, []).append(label.text.lower())
        self.rows = sorted(
            (
                (concepts[i].label_nl.lower(), concepts[i].uri, "\n".join(texts))
                for i, texts in fields.items()
            )
        )

    def __call__(self, text: str, limit: int) -> list[str]:
        term = text.strip().lower()
        return [uri for _label, uri, texts in self.rows if term in texts][:limit]


_WB = re.compile(r"\S+")


def char_wb_ngrams(text: str, low: int = 3, high: int = 5) -> list[str]:
    """sklearn's ``char_wb``: n-grams inside each word padded with a space."""
    grams = []
    for word in _WB.findall(text.lower()):
        padded = f" {word} "
        for n in range(low, high + 1):
            grams += [padded[i : i + n] for i in range(len(padded) - n + 1)]
            if len(padded) < n:
                break
    return grams


class PlainTfidf:
    """A plain character n-gram TF-IDF over the labels (no cleaning, no bonuses)."""

    def __init__(self, concepts: list[Concept], labels: list[Label]):
        self.uris = [c.uri for c in concepts]
        self.concept_of = np.array([label.concept for label in labels])
        vocabulary: dict[str, int] = {}
        rows, cols = [], []
        for row, label in enumerate(labels):
            for gram in char_wb_ngrams(label.text):
                rows.append(row)
                cols.append(vocabulary.setdefault(gram, len(vocabulary)))
        self.vocabulary = vocabulary
        counts = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(labels), len(vocabulary))
        )
        df = np.bincount(counts.indices, minlength=len(vocabulary))
        self.idf = np.log((1 + len(labels)) / (1 + df)) + 1
        self.matrix = self._weigh(counts).tocsc()  # by n-gram: a query reads its columns

    def _weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        counts = counts.tocsr()
        counts.data = 1 + np.log(counts.data)
        weighted = counts.multiply(self.idf).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sparse.diags(1 / norms).dot(weighted).tocsr()

    def __call__(self, text: str, limit: int) -> list[str]:
        grams = char_wb_ngrams(text)
        cols = [self.vocabulary[g] for g in grams if g in self.vocabulary]
        if not cols:
            return []
        # The query's TF-IDF vector; its length does not change the order, so it stays.
        known, counts = np.unique(cols, return_counts=True)
        weights = (1 + np.log(counts)) * self.idf[known]
        scores = np.asarray(self.matrix[:, known] @ weights).ravel()
        order = np.argsort(-scores, kind="stable")
        found: list[str] = []
        for row in order:
            if scores[row] <= 0 or len(found) == limit:
                break
            uri = self.uris[self.concept_of[row]]
            if uri not in found:
                found.append(uri)
        return found


class Perspectief:
    """What :func:`perspectief.taxonomy.search.resolve_occupations` does."""

    def __init__(self, concepts: list[Concept], labels: list[Label]):
        self.uris = [c.uri for c in concepts]
        self.index = TextIndex.build(
            labels, sizes=RESOLVE_SIZES, descriptions=[c.description for c in concepts]
        )

    def __call__(self, text: str, limit: int) -> list[str]:
        return [self.uris[hit.concept] for hit in self.index.resolve(text, limit=limit)]


class Suggest(Perspectief):
    """What :func:`perspectief.taxonomy.search.suggest` (the API's ``?q=``) answers."""

    def __call__(self, text: str, limit: int) -> list[str]:
        hits = self.index.suggest(clean_title(text), limit=limit)
        return [self.uris[hit.concept] for hit in hits]


Search = Callable[[str, int], list[str]]
METHODS: dict[str, Callable[[list[Concept], list[Label]], Search]] = {
    "substring": Substring,
    "tfidf": PlainTfidf,
    "perspectief": Perspectief,
    "suggest": Suggest,
    # Only when asked for, and only where the model's package is installed (not a
    # dependency of Perspectief): see embedding_baselines.
    **embedding_baselines.METHODS,
}
#: What a run measures when no method is named: no embedding model is installed with
#: Perspectief.
DEFAULT_METHODS = ["substring", "tfidf", "perspectief", "suggest"]


def score(method: str, search: Search, items: list[Title]) -> Result:
    """Accuracy@1 and @5 of ``search`` on the titles."""
    found: dict[str, list[tuple[bool, bool]]] = {"all": [], "synonyms": []}
    started = time.perf_counter()
    for title in items:
        answers, right = search(title.text, 5), title.accepted
        hit = (bool(answers) and answers[0] in right, any(a in right for a in answers))
        found["all"].append(hit)
        if title.synonym:
            found["synonyms"].append(hit)
        for noise in title.noise:
            found.setdefault(noise, []).append(hit)
    seconds = (time.perf_counter() - started) / max(len(items), 1)

    def share(hits: list[tuple[bool, bool]], at: int) -> float:
        return sum(h[at] for h in hits) / len(hits) if hits else 0.0

    everything, synonyms = found.pop("all"), found.pop("synonyms")
    return Result(
        method,
        share(everything, 0),
        share(everything, 1),
        len(everything),
        share(synonyms, 0),
        share(synonyms, 1),
        len(synonyms),
        {k: (share(v, 0), share(v, 1), len(v)) for k, v in sorted(found.items())},
        seconds,
    )


def evaluate(
    concepts: list[Concept] | None = None,
    *,
    size: int = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
    methods: list[str] | None = None,
    title_set: str = "esco",
) -> list[Result]:
    """Accuracy@1 and @5 of each method on a set of titles (ESCO from the database when no
    concepts are given): ``"esco"``, the held-out labels with noise (the held-out labels are
    not in any method's index); or the hand-written titles, ``"handwritten-dev"``,
    ``"handwritten-test"`` or ``"handwritten"`` (both halves; every label indexed)."""
    concepts = concepts if concepts is not None else concepts_from_database()
    if title_set == "esco":
        items, labels = titles(concepts, size=size, seed=seed), index_labels(concepts)
    elif title_set in HANDWRITTEN_SETS:
        items = handwritten_titles(HANDWRITTEN_SETS[title_set])
        labels = index_labels(concepts, percent=0)
        unknown = {u for t in items for u in t.accepted} - {c.uri for c in concepts}
        if unknown:
            raise ValueError(f"{len(unknown)} URIs of the hand-written set are not loaded")
    else:
        raise ValueError(f"title_set must be esco or one of {', '.join(HANDWRITTEN_SETS)}")
    return [
        score(name, METHODS[name](concepts, labels), items) for name in methods or DEFAULT_METHODS
    ]


# --- the hand-written titles ----------------------------------------------------------------------

#: Which part of the hand-written titles each set holds (None: all).
HANDWRITTEN_SETS: dict[str, str | None] = {
    "handwritten": None,
    "handwritten-dev": "dev",
    "handwritten-test": "test",
}


def handwritten_part(text: str) -> str:
    """The half of the hand-written set a title is in, by a fixed rule: the test half is
    never used to choose anything."""
    return "test" if zlib.crc32(text.encode()) % 2 else "dev"


def handwritten_titles(part: str | None = None, path: Path = HANDWRITTEN_FILE) -> list[Title]:
    """The hand-written titles (``data/evaluation/titles_nl.csv``), of one half or both;
    each with its sector and source (vacancy or CV line) as its "noise"."""
    with path.open(encoding="utf-8") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        result = []
        for row in rows:
            uris = row["uris"].split()
            if part is None or handwritten_part(row["title"]) == part:
                noise = (row["sector"], row["source"])
                result.append(
                    Title(row["title"], uris[0], row["title"], noise, False, (*uris[1:],))
                )
    return result
