"""The kinds of import: what a row of a file means is up to the app whose rows they are.

An app describes its kind with a subclass of :class:`Kind` in ``<app>/importers.py`` and
registers it in its ``AppConfig.ready()`` with :func:`register`. The runner
(:mod:`.runner`), the pages (:mod:`.views`, mounted by the app's ``urls.py`` with
:func:`perspectief.imports.urls.import_urls`), the ``perspectief import`` command and the
tasks find it by ``ImportJob.kind``; this app imports none of the apps above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from .models import ImportJob
from .rows import Counts, Rejected


@dataclass(frozen=True)
class Pages:
    """How a kind's import pages look and who may use them."""

    #: The URL namespace of the pages (``candidates`` → ``candidates:import`` …).
    namespace: str
    #: Who may import, and see the organisation's imports of this kind.
    permission: str
    #: The upload page (it includes ``imports/_form_and_jobs.html``).
    template: str
    #: What the result calls the rows created ("new job seekers"), and the column that
    #: names a rejected row ("Name").
    created_label: Any
    row_label: Any
    #: The help text of the file field, when it is not the standard one.
    upload_help: Any = None
    #: Organisations may save a column mapping for files with another layout.
    mappings: bool = False
    #: Rows name people: showing the rejected rows on the page is audited (downloading
    #: them always is).
    personal_data: bool = False


class Kind:
    """What one kind of import does with the rows of a file; the runner does the rest
    (reading the file, batches, the job's progress and lease, the rejected rows)."""

    #: ``ImportJob.kind``.
    kind: ClassVar[str]
    #: The columns of the standard template, and those a row must fill.
    columns: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]]
    #: What the batch actor of an import of this kind may do.
    permissions: ClassVar[frozenset[str]]
    pages: ClassVar[Pages]
    #: The ``perspectief import <kind>`` command's help, and that of its --organisation.
    help: ClassVar[str]
    organisation_help: ClassVar[str] = (
        "The organisation's UUID or, for a gemeente, its CBS code (GM0363)"
    )

    def __init__(self, *, job: ImportJob, actor: Any) -> None:
        self.job = job
        self.actor = actor

    def parse(self, line: int, raw: dict[str, str]) -> Any:
        """The row (``raw``: its cells by standard column) as the kind's value, or a
        :class:`Rejected` row with every reason."""
        raise NotImplementedError

    def write(self, rows: list[Any], counts: Counts) -> list[Rejected]:
        """Write a batch of parsed rows (in the batch's transaction), counting what
        happened; returns the rows refused while writing."""
        raise NotImplementedError

    def finish(self) -> None:
        """After the last batch."""

    @staticmethod
    def stored_values(raw: dict[str, str]) -> dict[str, str]:
        """A rejected row as kept (to be corrected and downloaded)."""
        return dict(raw)

    @staticmethod
    def shown_values(values: dict[str, str]) -> dict[str, str]:
        """A kept rejected row as shown and downloaded, in the standard columns."""
        return dict(values)

    @staticmethod
    def row_name(values: dict[str, str]) -> str:
        """What names a rejected row on the import's page (a person's name, a title)."""
        return ""


#: The kinds of import by ``ImportJob.kind``.
KINDS: dict[str, type[Kind]] = {}


def register(kind: type[Kind]) -> type[Kind]:
    """Add a kind of import (once per name; ``ready()`` may run more than once in tests)."""
    KINDS[kind.kind] = kind
    return kind


def get(name: str) -> type[Kind]:
    """The kind of import called ``name`` (``ImportJob.kind``)."""
    try:
        return KINDS[name]
    except KeyError:
        raise LookupError(
            f"no kind of import {name!r} is registered (known: {', '.join(sorted(KINDS))})"
        ) from None


def names() -> Sequence[str]:
    """The registered kinds, in the order they registered."""
    return list(KINDS)
