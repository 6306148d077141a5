"""An index of concept labels by character n-grams, for search that tolerates typos.

Pure Python with numpy/scipy (no Django): :mod:`perspectief.taxonomy.search` feeds it the
database's labels and keeps one per process. Labels and queries are *folded* (lower case,
accents and punctuation removed, ``-`` and ``/`` as spaces) and cut into n-grams of
characters, word boundaries included (`` or``, ``ord``, …). An n-gram is read as a number in
base 37 (26 letters, 10 digits and the space) and hashed to one of 2¹⁸ columns, so building
the index needs no vocabulary and runs vectorised (ESCO's 55,000 occupation labels, their
descriptions and the 99,000 skill labels in under two seconds together). Each text is a
TF-IDF vector of length 1; a query reads only the columns of its own n-grams.

Two ways of asking:

- :meth:`TextIndex.suggest` — what someone is typing: the cosine over n-grams, plus a bonus
  where a label starts with what was typed (or one of its words does).
- :meth:`TextIndex.resolve` — a title as people write it: noise (hours, shifts, seniority,
  gender forms, abbreviations) is removed first (:func:`clean_title`); a label scores on its
  cosine with the title plus that of all its concept's labels together and of the concept's
  description, so a concept whose labels and description share the title's words wins over
  one that shares a single label's letters.

Both add a bonus for a label that is the whole (cleaned) text ("stukadoor" is the
stukadoor, not its foreman), and count the cosine of a generic label less: a label of one
word that more than a hundred labels use ("medewerker", "operator", "driver"), which ESCO
gives a few occupations, names none on its own.

Occupations are indexed with n-grams of 3 and 4 characters and with their descriptions
(they also resolve titles); skills with trigrams only. docs/matching-evaluation.md ("Vrije
tekst naar beroepen") reports how well it finds, and how it was tuned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

ALPHABET = 37  # the space, a-z, 0-9
BUCKET_BITS = 18
#: N-gram sizes: 3 for suggestions as people type, 3 and 4 for titles to resolve...
SUGGEST_SIZES = (3,)
RESOLVE_SIZES = (3, 4)
#: ... and 4 for all labels of a concept together, and for its description.
WHOLE_SIZES = (4,)
#: How much a title's likeness to all labels of a concept together, and to its
#: description, adds to its likeness to the concept's closest label (resolve only; tuned
#: on the evaluation set of :mod:`perspectief.taxonomy.evaluation`).
DOCUMENT_WEIGHT = 1.5
DESCRIPTION_WEIGHT = 0.5
#: What a label that is the whole (cleaned) title adds: "stukadoor" is the stukadoor, not
#: the foreman whose labels say "stukadoor" more often (tuned on the dev half of the
#: hand-written titles).
EXACT_BONUS = 0.5
#: A label of one word that more than this many labels use ("medewerker", "operator",
#: "driver": ESCO has them as labels of a few occupations) names no occupation on its own;
#: its cosine counts this much.
GENERIC_LABELS = 100
GENERIC_WEIGHT = 0.3
#: A suggestion scores at least this share of the best one.
SUGGEST_SHARE = 0.35
#: Labels looked at closer (prefixes, words) after the cosine picked them.
CANDIDATES = 400
_CODE = np.zeros(256, dtype=np.int32)
_CODE[ord(" ")] = 0
for _i, _c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789"):
    _CODE[ord(_c)] = _i + 1

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ĳ": "ij", "ł": "l"})


def fold(text: str) -> str:
    """Lower case, no accents, letters and digits only, single spaces: ``"Chef-kok (m/v)"``
    → ``"chef kok m v"``."""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
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
    "in opleiding",
    "english speaking",
    "thuiswerken mogelijk",
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
    vroege vroeg late laat ochtenduren avonduren trainee stagiair stagiaire bbl bol
    engelstalig duitstalig thuiswerken
    regio omgeving centrum
    m v x h f d w mv mvx
    night day evening weekend remote hybrid hybride thuiswerk
    en of and or the a de het een
    ik heb hebt heeft had ben bent is was als bij in op aan voor met naar tot te om door
    over uit mijn laatste diverse verschillende jaar jaren maand maanden gewerkt werkzaam
    werkte werk ervaring functie functies positie baan
    i my have has had was as at for with years year months worked working experience
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


#: Words that make a text a CV line ("Ik heb 5 jaar als kok in een restaurant gewerkt")...
CV_MARKERS = frozenset("ik heb was werkte gewerkt ervaring jaar i worked years".split())
#: ... in which the occupation follows "als" ...
CV_AS = frozenset({"als", "as"})
#: ... and ends before where and for whom.
CV_STOPS = frozenset("in bij op voor aan van at for with".split())


def _cv_core(words: list[str]) -> list[str]:
    """The words of a CV line that name the occupation: after "als", up to "in", "bij",
    …; ``words`` unchanged when they are not a CV line or nothing would be left."""
    if not CV_MARKERS.intersection(words):
        return words
    start = next((i + 1 for i, w in enumerate(words) if w in CV_AS), 0)
    core: list[str] = []
    for word in words[start:]:
        if word in CV_STOPS and any(w not in NOISE_WORDS for w in core):
            break
        core.append(word)
    return core if any(w not in NOISE_WORDS and w not in CV_STOPS for w in core) else words


def clean_title(text: str) -> str:
    """A title without what says nothing about the occupation: ``"Magazijnmedewerker
    nachtdienst 32 uur (m/v/x)"`` → ``"magazijnmedewerker"``; of a CV line, the words that
    name the occupation: ``"Ik heb 5 jaar als kok in een restaurant gewerkt"`` → ``"kok"``.

    Returns the folded text; when nothing would be left, the folded text unchanged."""
    folded = fold(text)
    padded = f" {folded} "
    for phrase in NOISE_PHRASES:
        padded = padded.replace(f" {phrase} ", " ")
    words = []
    for word in _cv_core(padded.split()):
        word = ABBREVIATIONS.get(word, word)
        if not word or word in NOISE_WORDS or _NUMBER.match(word):
            continue
        words.append(word)
    return " ".join(words) or folded


# --- n-grams of characters ------------------------------------------------------------------------


def gram_codes(texts: Sequence[str], sizes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(row, code) of every n-gram of every folded text, each padded with a space. A code is
    the n-gram read as a number in base 37 with n in front, so it is unique over all sizes
    and needs no vocabulary."""
    padded = [f" {t} " for t in texts]
    if not padded:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    lengths = np.fromiter((len(p) for p in padded), dtype=np.int32, count=len(padded))
    codes = _CODE[np.frombuffer("".join(padded).encode("ascii"), dtype=np.uint8)]
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    rows = np.repeat(np.arange(len(padded), dtype=np.int32), lengths)
    # Characters left from each position to the end of its text.
    room = np.repeat(starts + lengths, lengths) - np.arange(len(codes), dtype=np.int32)
    all_rows, all_codes = [], []
    for n in sizes:
        positions = np.nonzero(room >= n)[0]
        gram = np.full(len(positions), n, dtype=np.int32)  # 5 × 37⁵ < 2³¹
        for k in range(n):
            gram = gram * ALPHABET + codes[positions + k]
        all_rows.append(rows[positions])
        all_codes.append(gram)
    return np.concatenate(all_rows), np.concatenate(all_codes)


def buckets(codes: np.ndarray) -> np.ndarray:
    """N-gram codes hashed to 2¹⁸ columns (Fibonacci hashing): no vocabulary to sort, and of
    the ~35,000 different n-grams of ESCO's occupation labels about 6% share a column (the
    evaluation's figures are the same as with 2²⁰ columns, at a quarter of the memory)."""
    mixed = codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return (mixed >> np.uint64(64 - BUCKET_BITS)).astype(np.int32)


@dataclass
class GramMatrix:
    """Texts as TF-IDF vectors of their character n-grams (rows of length 1), kept by
    n-gram (the postings) so that a query touches only the n-grams it has."""

    sizes: tuple[int, ...]
    idf: np.ndarray  # per column; 0 for an n-gram no text has
    matrix: sparse.csc_matrix  # texts × 2¹⁸ columns

    @classmethod
    def build(cls, texts: Sequence[str], sizes: Sequence[int] = (3,)) -> GramMatrix:
        if not all(1 <= n <= 5 for n in sizes):  # a longer n-gram's code needs 64 bits
            raise ValueError(f"n-gram sizes from 1 to 5, not {sizes}")
        rows, codes = gram_codes(texts, sizes)
        counts = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, buckets(codes))),
            shape=(len(texts), 1 << BUCKET_BITS),
        )
        counts.sum_duplicates()
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float32)
        idf = np.where(df > 0, np.log((1 + len(texts)) / (1 + df)) + 1, 0).astype(np.float32)
        weights = (1 + np.log(counts.data)) * idf[counts.indices]
        row_of = np.repeat(np.arange(len(texts)), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(row_of, weights=weights * weights, minlength=len(texts)))
        norms[norms == 0] = 1
        counts.data = (weights / norms[row_of]).astype(np.float32)
        matrix = counts.tocsc()
        return cls(tuple(sizes), idf, matrix)

    def query(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(columns, weights) of the folded ``text`` as a vector of length 1."""
        _rows, codes = gram_codes([text], self.sizes)
        cols, counts = np.unique(buckets(codes), return_counts=True)
        idf = self.idf[cols]
        known = idf > 0
        if not known.any():
            return cols[known], idf[known]
        # Unknown n-grams count in the query's length (as the rarest known), not in a score.
        weights = (1 + np.log(counts)) * np.where(known, idf, self.idf.max())
        weights /= np.sqrt((weights * weights).sum())
        return cols[known], weights[known]

    def cosine(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosine) of the texts sharing an n-gram with the folded ``text``."""
        cols, weights = self.query(text)
        if not len(cols):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        starts, ends = self.matrix.indptr[cols], self.matrix.indptr[cols + 1]
        sizes = ends - starts
        take = np.repeat(ends - sizes.cumsum(), sizes) + np.arange(sizes.sum())
        scores = np.bincount(
            self.matrix.indices[take],
            weights=self.matrix.data[take] * np.repeat(weights, sizes),
            minlength=self.matrix.shape[0],
        )
        rows = np.nonzero(scores)[0]
        return rows, scores[rows]


def _weights(folded: Sequence[str]) -> np.ndarray:
    """The weight of each label's cosine: ``GENERIC_WEIGHT`` for a label of one word that
    more than ``GENERIC_LABELS`` labels use, else 1."""
    uses: dict[str, int] = {}
    for text in folded:
        for word in set(text.split()):
            uses[word] = uses.get(word, 0) + 1
    generic = [" " not in t and uses[t] > GENERIC_LABELS for t in folded]
    return np.where(generic, GENERIC_WEIGHT, 1.0).astype(np.float32)


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
    """Labels of concepts, cut into n-grams, with their TF-IDF weights; for :meth:`resolve`
    also each concept's labels together and its description."""

    texts: list[str] = field(repr=False)  # each label as written
    folded: list[str] = field(repr=False)
    grams: GramMatrix = field(repr=False)
    concepts: np.ndarray = field(repr=False)  # the concept of each label
    lengths: np.ndarray = field(repr=False)  # folded length of each label
    preferred: np.ndarray = field(repr=False)
    english: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)  # of each label's cosine (generic ones count less)
    documents: GramMatrix | None = field(repr=False, default=None)
    descriptions: GramMatrix | None = field(repr=False, default=None)

    @classmethod
    def build(
        cls,
        labels: Iterable[Label],
        *,
        sizes: Sequence[int] = (3,),
        descriptions: Sequence[str] | None = None,
    ) -> TextIndex:
        """An index of ``labels`` cut into n-grams of ``sizes``. With ``descriptions`` (one
        per concept, by position) it can also :meth:`resolve` titles."""
        kept, folded = [], []
        seen: set[tuple[int, str]] = set()
        for label in labels:
            text = fold(label.text)
            if not text or (label.concept, text) in seen:
                continue
            seen.add((label.concept, text))
            kept.append(label)
            folded.append(text)
        index = cls(
            texts=[label.text for label in kept],
            folded=folded,
            grams=GramMatrix.build(folded, sizes),
            concepts=np.fromiter((lb.concept for lb in kept), dtype=np.int32, count=len(kept)),
            lengths=np.fromiter((len(t) for t in folded), dtype=np.int32, count=len(kept)),
            preferred=np.fromiter((lb.preferred for lb in kept), dtype=bool, count=len(kept)),
            english=np.fromiter((lb.language == "en" for lb in kept), dtype=bool, count=len(kept)),
            weights=_weights(folded),
        )
        if descriptions is not None:
            together: list[list[str]] = [[] for _ in descriptions]
            for label, text in zip(kept, folded, strict=True):
                together[label.concept].append(text)
            index.documents = GramMatrix.build([" ".join(t) for t in together], WHOLE_SIZES)
            index.descriptions = GramMatrix.build([fold(d) for d in descriptions], WHOLE_SIZES)
        return index

    def __len__(self) -> int:
        return len(self.texts)

    # --- scoring ----------------------------------------------------------------------------------

    def cosine(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(label indexes, cosine) of the labels sharing an n-gram with the folded ``text``;
        a generic label's cosine weighs less."""
        rows, scores = self.grams.cosine(text)
        return rows, scores * self.weights[rows]

    def best_per_concept(self, rows: np.ndarray, scores: np.ndarray, limit: int) -> list[Hit]:
        """The best label of each concept, best concepts first, at most ``limit``."""
        if not len(rows) or limit < 1:
            return []
        if len(rows) > CANDIDATES:  # a concept has at most a few dozen labels
            best = np.argpartition(-scores, CANDIDATES)[:CANDIDATES]
            rows, scores = rows[best], scores[best]
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

    def exact(self, rows: np.ndarray, scores: np.ndarray, text: str) -> np.ndarray:
        """Which of ``rows`` (with their cosine ``scores``) are the folded ``text`` itself."""
        exact = np.zeros(len(rows), dtype=bool)
        for i in np.nonzero(scores > 0.9 * self.weights[rows])[0]:  # the same text: cosine 1
            exact[i] = self.folded[rows[i]] == text
        return exact

    def _concept_scores(self, text: str) -> np.ndarray | None:
        """Per concept: the likeness of all its labels together and of its description."""
        if self.documents is None or self.descriptions is None:
            return None
        per_concept = np.zeros(self.documents.matrix.shape[0])
        concepts, together = self.documents.cosine(text)
        per_concept[concepts] = DOCUMENT_WEIGHT * together
        concepts, described = self.descriptions.cosine(text)
        per_concept[concepts] += DESCRIPTION_WEIGHT * described
        return per_concept

    def suggest(self, text: str, *, limit: int = 10, english: bool = False) -> list[Hit]:
        """Concepts for what someone is typing (folded ``text``): labels that start with it,
        or have a word that does, come first. An index built with descriptions adds the
        likeness of each concept as a whole, as :meth:`resolve` does."""
        rows, scores = self.cosine(text)
        if len(rows) > CANDIDATES:
            best = np.argpartition(-scores, CANDIDATES)[:CANDIDATES]
            rows, scores = rows[best], scores[best]
        if not len(rows):
            return []
        folded = [self.folded[r] for r in rows]
        starts = np.fromiter((f.startswith(text) for f in folded), dtype=bool, count=len(rows))
        inside = np.fromiter((f" {text}" in f" {f}" for f in folded), dtype=bool, count=len(rows))
        scores = scores + EXACT_BONUS * self.exact(rows, scores, text)
        scores = scores + 0.35 * starts + 0.15 * (inside & ~starts)
        scores = scores + 0.02 * self.preferred[rows]
        scores = scores + 0.03 * (self.english[rows] == english)
        per_concept = self._concept_scores(text)
        if per_concept is not None:
            scores = scores + per_concept[self.concepts[rows]]
        hits = self.best_per_concept(rows, scores, limit)
        # What shares only a few letters with the best is no help to someone typing.
        return [hit for hit in hits if hit.score >= SUGGEST_SHARE * hits[0].score] if hits else []

    def resolve(self, text: str, *, limit: int = 5) -> list[Hit]:
        """Concepts for a title as people write it (not folded: it is cleaned here). A label
        scores on its own likeness to the title, plus that of its concept's labels together
        and of its description (each a cosine over n-grams)."""
        cleaned = clean_title(text)
        per_concept = self._concept_scores(cleaned)
        if per_concept is None:
            raise ValueError("this index was built without descriptions: it cannot resolve")
        rows, scores = self.cosine(cleaned)
        scores = scores + EXACT_BONUS * self.exact(rows, scores, cleaned)
        scores = scores + per_concept[self.concepts[rows]]
        return self.best_per_concept(rows, scores, limit)
