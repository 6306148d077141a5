"""Load all shipped reference data: regions, ESCO, education levels and SBI sectors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from .loading import DEFAULT_DATA_DIR, FileResult

#: A loader takes ``data_dir`` and ``force`` and yields a :class:`FileResult` per file.
Loader = Callable[..., Iterable[FileResult]]


class Output(Protocol):
    """Where the summary goes: a command's ``self.stdout``, a file, ``sys.stdout``."""

    def write(self, text: str, /) -> object: ...


#: The reference data sets, in the order they load. The apps that own the data register
#: their loaders in ``AppConfig.ready()`` (regions first, then taxonomy, as in
#: ``INSTALLED_APPS``), so the foundation knows no app above it.
LOADERS: list[Loader] = []


def register(*loaders: Loader) -> None:
    """Add reference loaders (once each; ``ready()`` may run more than once in tests)."""
    for load in loaders:
        if load not in LOADERS:
            LOADERS.append(load)


STATUS = {"loaded": "geladen / loaded", "skipped": "ongewijzigd, overgeslagen / unchanged, skipped"}
COUNTS = {
    "created": "nieuw / created",
    "updated": "bijgewerkt / updated",
    "matched": "gekoppeld / matched",
    "unknown": "onbekend / unknown",
    "relations": "relaties / relations",
    "skipped": "overgeslagen / skipped",
}


def describe(result: FileResult) -> str:
    """One summary line (plus notes) for a file, in Dutch and English."""
    counts = ", ".join(f"{COUNTS.get(key, key)} {value}" for key, value in result.counts.items())
    line = f"{result.name}: {STATUS[result.status]}, {result.rows} rijen / rows"
    lines = [f"{line} ({counts})" if counts else line]
    lines += [f"    {note}" for note in result.notes]
    return "\n".join(lines)


def load_all(
    *, data_dir: str | Path | None = None, stdout: Output | None = None, force: bool = False
) -> dict[str, dict[str, Any]]:
    """Load every reference file; files whose checksum is unchanged are skipped.

    Returns per file (its path under the data folder) its status (``loaded``/``skipped``),
    ``rows`` and further counts; with ``stdout``, a summary line per file is written to it.
    Raises ``ReferenceDataError`` on a malformed file; files loaded before it stay loaded.
    """
    data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
    results: dict[str, dict[str, Any]] = {}
    for load in LOADERS:
        for result in load(data_dir=data_dir, force=force):
            results[result.name] = result.as_dict()
            if stdout is not None:
                stdout.write(describe(result) + "\n")
    return results
