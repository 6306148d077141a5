"""A character-trigram index over concept labels, for search that tolerates typos.

Pure Python with numpy/scipy (no Django): :mod:`perspectief.taxonomy.search` feeds it the
database's labels and keeps one per process. Labels and queries are *folded* (lower case,
accents and punctuation removed, ``-`` and ``/`` as spaces) and cut into trigrams of
characters, word boundaries included (`` or``, ``ord``, …). A trigram is a number below
37³ (26 letters, 10 digits and the space), so building the index needs no vocabulary
and runs vectorised: 110,000 skill labels in about a second.

Two ways of asking:

- :meth:`TextIndex.suggest` — a few letters as they are typed: TF-IDF cosine over trigrams,
  plus a bonus where a label starts with what was typed (or one of its words does).
- :meth:`TextIndex.resolve` — a title as people write it: noise (hours, shifts, seniority,
  gender forms) is removed first (:func:`clean_title`), then labels score on the cosine over
  trigrams and on the words they share with the title (each word matched to the label's
  closest word, so compounds, typos and word order count for little).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

ALPHABET = 37  # the space, a-z, 0-9
#: Labels looked at closer (prefixes, words) after the cosine picked them.
CANDIDATES = 400
_CODE = np.zeros(256, dtype=np.int64)
_CODE[ord(" ")] = 0
for _i, _c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789"):
    _CODE[ord(_c)] = _i + 1

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ĳ": "ij", "ł": "l"})


def fold(text: str) -> str:
    """Lower case, no accents, letters and digits only, single spaces: ``"Chef-kok (m/v)"``
    → ``"chef kok m v"``."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    text = text.encode("ascii", "ignore").decode("ascii")
    return _NOT_ALNUM.sub(" ", text).strip()


# --- what people add to a title that is not the occupation -------------------------------------

#: Whole phrases removed first (folded form), longest first.
NOISE_PHRASES = [
    "m v x",
    "m v",
    "v m",
    "m f",
    "f m",
    "m f d",
    "m w d",
    "h v",
    "v h",
    "per week",
    "per direct",
    "per uur",
    "p w",
    "full time",
    "part time",
    "night shift",
    "day shift",
    "2 ploegen",
    "3 ploegen",
    "5 ploegen",
    "twee ploegen",
    "drie ploegen",
    "wij zoeken",
    "we zoeken",
    "gezocht",
    "met ervaring",
    "zonder ervaring",
    "in de",
    "fte",
]
#: Single words removed (folded form).
NOISE_WORDS = frozenset(
    """
    senior junior medior sr jr ervaren startend starter beginnend allround allrounder
    ervaren vakbekwaam zelfstandig zelfstandige eerste tweede
    uur uren u uurs pw fulltime parttime fulltimer parttimer hours hrs week weken
    nachtdienst nachtdiensten dagdienst dagdiensten avonddienst avonddiensten ploegendienst
    ploegendiensten ploegen ploeg weekend weekenddienst weekenddiensten diensten dienst
    nacht nachten shift shifts ochtend middag avond roulerend onregelmatig
    vacature vacatures gezocht direct tijdelijk vast vaste contract uitzendbasis uitzend
    oproep oproepkracht flex flexibel bijbaan
    regio omgeving centrum
    m v x h f d w mv mvx
    night day evening weekend remote hybrid hybride thuiswerk
    en of and or the a de het een
    """.split()
)
#: Abbreviations people use in titles (folded form → folded form).
ABBREVIATIONS = {
    "mdw": "medewerker",
    "mdwr": "medewerker",
    "mw": "medewerker",
    "medew": "medewerker",
    "med": "medewerker",
    "mdw.": "medewerker",
    "adm": "administratief",
    "admin": "administratief",
    "tech": "technisch",
    "techn": "technisch",
    "coord": "coordinator",
    "mgr": "manager",
    "mngr": "manager",
    "ass": "assistent",
    "asst": "assistent",
    "verk": "verkoop",
    "vkp": "verkoop",
    "vk": "verkoop",
    "klantenserv": "klantenservice",
    "chauff": "chauffeur",
    "vrachtw": "vrachtwagen",
    "log": "logistiek",
    "logist": "logistiek",
    "prod": "productie",
    "bouwk": "bouwkundig",
    "elektr": "elektrotechnisch",
    "werkvb": "werkvoorbereider",
    "ict": "ict",
    "it": "ict",
    "hr": "personeelszaken",
    "hrm": "personeelszaken",
    "pz": "personeelszaken",
    "zzp": "",
}
_NUMBER = re.compile(r"^\d+([.,]\d+)?$|^\d+(u|uur|h|hrs|uren)$")


def clean_title(text: str) -> str:
    """A title without what says nothing about the occupation: ``"Magazijnmedewerker
    nachtdienst 32 uur (m/v/x)"`` → ``"magazijnmedewerker"``.

    Returns the folded text; when nothing would be left, the folded text unchanged."""
    folded = fold(text)
    padded = f" {folded} "
    for phrase in NOISE_PHRASES:
        padded = padded.replace(f" {phrase} ", " ")
    words = []
    for word in padded.split():
        word = ABBREVIATIONS.get(word, word)
        if not word or word in NOISE_WORDS or _NUMBER.match(word):
            continue
        words.append(word)
    return " ".join(words) or folded


# --- trigrams -------------------------------------------------------------------------------------


def _trigram_rows(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row, trigram code) for every trigram of every text, each padded with a space."""
    padded = [f" {t} " for t in texts]
    lengths = np.fromiter((len(p) for p in padded), dtype=np.int64, count=len(padded))
    if not len(padded):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    codes = _CODE[np.frombuffer("".join(padded).encode("ascii"), dtype=np.uint8)]
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    rows = np.repeat(np.arange(len(padded)), lengths)
    offset = np.arange(len(codes)) - np.repeat(starts, lengths)
    valid = offset <= np.repeat(lengths, lengths) - 3
    positions = np.nonzero(valid)[0]
    trigram = codes[positions] * ALPHABET * ALPHABET
    trigram += codes[positions + 1] * ALPHABET + codes[positions + 2]
    return rows[positions], trigram


def trigram_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """A texts × 37³ matrix of trigram counts."""
    rows, cols = _trigram_rows(texts)
    data = np.ones(len(rows), dtype=np.float32)
    shape = (len(texts), ALPHABET**3)
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)


@dataclass(frozen=True)
class Label:
    """One label of a concept: its text, language and whether it is the preferred one."""

    concept: int
    text: str
    language: str
    preferred: bool


@dataclass(frozen=True)
class Hit:
    concept: int
    label: int
    score: float


@dataclass
class TextIndex:
    """Labels of concepts, cut into trigrams, with their TF-IDF weights."""

    labels: list[Label]
    folded: list[str] = field(repr=False)
    matrix: sparse.csc_matrix = field(repr=False)  # labels × trigrams, rows of length 1
    idf: np.ndarray = field(repr=False)
    concepts: np.ndarray = field(repr=False)  # the concept of each label
    lengths: np.ndarray = field(repr=False)  # folded length of each label
    preferred: np.ndarray = field(repr=False)
    english: np.ndarray = field(repr=False)
    words: dict[str, np.ndarray] = field(repr=False, default_factory=dict)

    @classmethod
    def build(cls, labels: Iterable[Label]) -> TextIndex:
        kept, folded = [], []
        seen: set[tuple[int, str]] = set()
        for label in labels:
            text = fold(label.text)
            if not text or (label.concept, text) in seen:
                continue
            seen.add((label.concept, text))
            kept.append(label)
            folded.append(text)
        counts = trigram_counts(folded)
        df = np.bincount(counts.indices, minlength=ALPHABET**3).astype(np.float32)
        idf = np.log((1 + len(folded)) / (1 + df)).astype(np.float32) + 1
        weighted = counts.multiply(idf).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        matrix = sparse.diags(1 / norms).dot(weighted).tocsc()
        return cls(
            labels=kept,
            folded=folded,
            matrix=matrix,
            idf=idf,
            concepts=np.fromiter((lb.concept for lb in kept), dtype=np.int64, count=len(kept)),
            lengths=np.fromiter((len(t) for t in folded), dtype=np.int64, count=len(kept)),
            preferred=np.fromiter((lb.preferred for lb in kept), dtype=bool, count=len(kept)),
            english=np.fromiter((lb.language == "en" for lb in kept), dtype=bool, count=len(kept)),
        )

    def __len__(self) -> int:
        return len(self.labels)

    # --- scoring ----------------------------------------------------------------------------------

    def cosine(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(label indexes, cosine) of the labels sharing a trigram with the folded ``text``."""
        query = trigram_counts([text])
        cols = query.indices
        if not len(cols):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        weights = query.data * self.idf[cols]
        weights /= np.sqrt((weights * weights).sum())
        # The postings of the query's trigrams, added up per label (the CSC columns).
        starts, ends = self.matrix.indptr[cols], self.matrix.indptr[cols + 1]
        sizes = ends - starts
        if not sizes.sum():
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        take = np.repeat(ends - sizes.cumsum(), sizes) + np.arange(sizes.sum())
        scores = np.bincount(
            self.matrix.indices[take],
            weights=self.matrix.data[take] * np.repeat(weights, sizes),
            minlength=len(self.labels),
        )
        rows = np.nonzero(scores)[0]
        return rows, scores[rows]

    def best_per_concept(self, rows: np.ndarray, scores: np.ndarray, limit: int) -> list[Hit]:
        """The best label of each concept, best concepts first, at most ``limit``."""
        if not len(rows):
            return []
        # Best first; on a tie the shorter label (a closer match), then the preferred one.
        order = np.lexsort((~self.preferred[rows], self.lengths[rows], -scores))
        hits, taken = [], set()
        for i in order:
            concept = int(self.concepts[rows[i]])
            if concept in taken:
                continue
            taken.add(concept)
            hits.append(Hit(concept, int(rows[i]), float(scores[i])))
            if len(hits) == limit:
                break
        return hits

    def suggest(self, text: str, *, limit: int = 10, english: bool = False) -> list[Hit]:
        """Concepts for what someone is typing (folded ``text``)."""
        rows, scores = self.cosine(text)
        if len(rows) > CANDIDATES:
            best = np.argpartition(-scores, CANDIDATES)[:CANDIDATES]
            rows, scores = rows[best], scores[best]
        if not len(rows):
            return []
        folded = [self.folded[r] for r in rows]
        starts = np.fromiter((f.startswith(text) for f in folded), dtype=bool, count=len(rows))
        inside = np.fromiter((f" {text}" in f" {f}" for f in folded), dtype=bool, count=len(rows))
        scores = scores + 0.35 * starts + 0.15 * (inside & ~starts)
        scores = scores + 0.02 * self.preferred[rows]
        scores = scores + 0.03 * (self.english[rows] == english)
        return self.best_per_concept(rows, scores, limit)

    def resolve(self, text: str, *, limit: int = 5) -> list[Hit]:
        """Concepts for a title as people write it (not folded: it is cleaned here)."""
        cleaned = clean_title(text)
        rows, scores = self.cosine(cleaned)
        return self.best_per_concept(rows, scores, limit)
