"""Writing many unsaved model instances fast (the national demo, :mod:`perspectief.demo.national`):
PostgreSQL's COPY (psycopg 3) where the database is PostgreSQL, ``bulk_create`` in large
batches elsewhere. Primary keys the caller needs for foreign keys are reserved up front
(:func:`reserve_ids`), so no row has to be read back.

The values are the fields' own database values (``get_db_prep_save``), so what COPY stores is
what ``save()`` would; ``auto_now``/``auto_now_add`` are applied only where the caller left the
field empty (the demo dates its records as they happened)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import AutoField, BigAutoField, Field, Model, SmallAutoField
from django.utils import timezone

#: Rows per ``bulk_create`` statement where COPY is not available.
BATCH = 5000
_AUTO = (AutoField, BigAutoField, SmallAutoField)


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


class Ids:
    """Primary keys of ``model`` handed out one by one, reserved ``block`` at a time."""

    def __init__(self, model: type[Model], block: int = 10_000):
        self.model, self.block = model, block
        self._ids: Iterator[int] = iter(())
        self._last = 0

    def __iter__(self) -> Iterator[int]:
        return self

    def __next__(self) -> int:
        pk = next(self._ids, None)
        if pk is None:
            reserved = reserve_ids(self.model, self.block, after=self._last)
            self._ids, self._last = iter(reserved), reserved[-1]
            pk = next(self._ids)
        return pk


def reserve_ids(model: type[Model], count: int, *, after: int = 0) -> range:
    """``count`` primary keys nobody else will get, for rows written with explicit ids
    (elsewhere than PostgreSQL: above the table's highest key and ``after``, the last key
    handed out before, maybe not written yet)."""
    if count <= 0:
        return range(0)
    table, column = model._meta.db_table, str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if on_postgresql():
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            sequence = cursor.fetchone()[0]
            # nextval first (the block's first id), then the sequence moved to its last.
            cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
            last = cursor.fetchone()[0]
            return range(last - count + 1, last + 1)
        quoted = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quoted(column)}) FROM {quoted(table)}")  # noqa: S608
        first = max(cursor.fetchone()[0] or 0, after) + 1
        return range(first, first + count)


def _fields(model: type[Model], with_pk: bool) -> list[Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if with_pk or not (f.primary_key and isinstance(f, _AUTO))
    ]


def _stamp(obj: Model, fields: Sequence[Field], now) -> None:
    for f in fields:
        if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) and getattr(
            obj, f.attname
        ) is None:
            setattr(obj, f.attname, now)


def write(model: type[Model], objects: Iterable[Model], *, with_pk: bool = False) -> int:
    """Store the unsaved ``objects`` of ``model``; ``with_pk``: their primary keys were set
    (:func:`reserve_ids`). Returns the rows written."""
    fields = _fields(model, with_pk)
    now = timezone.now()
    written = 0
    manager = model._default_manager
    if not on_postgresql():
        batch: list[Model] = []
        for obj in objects:
            _stamp(obj, fields, now)
            batch.append(obj)
            if len(batch) >= BATCH:
                written += len(manager.bulk_create(batch))
                batch = []
        if batch:
            written += len(manager.bulk_create(batch))
        return written
    quoted = connection.ops.quote_name
    columns = ", ".join(quoted(str(f.column)) for f in fields)
    sql = f"COPY {quoted(model._meta.db_table)} ({columns}) FROM STDIN"
    # psycopg adapts the plain values (text, numbers, dates, UUIDs) itself; the fields that
    # store something else than their value (JSON) are prepared by the field.
    real = connections[DEFAULT_DB_ALIAS]
    prepared = [f for f in fields if f.get_internal_type() == "JSONField"]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    names = [f.attname for f in fields]
    with real.cursor() as cursor, cursor.copy(sql) as copy:
        for obj in objects:
            _stamp(obj, stamped, now)
            values = obj.__dict__
            row = [values[name] for name in names]
            for f in prepared:
                index = fields.index(f)
                row[index] = f.get_db_prep_save(row[index], real)
            copy.write_row(row)
            written += 1
    return written


def write_values(model: type[Model], attnames: Sequence[str], rows: list[tuple]) -> int:
    """Store rows given as the values of ``attnames`` (the fast path for the many small
    records: no model instances on PostgreSQL); the other columns take their defaults
    (NULL), so ``attnames`` must name every column that has none."""
    if not on_postgresql():
        return write(model, (model(**dict(zip(attnames, row, strict=True))) for row in rows))
    real = connections[DEFAULT_DB_ALIAS]
    quoted = real.ops.quote_name
    column = {f.attname: str(f.column) for f in model._meta.concrete_fields}
    columns = ", ".join(quoted(column[name]) for name in attnames)
    sql = f"COPY {quoted(model._meta.db_table)} ({columns}) FROM STDIN"
    with real.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    return len(rows)
