"""Writing many new rows of one model at once, faster than ``bulk_create`` (issue #20: the
imports of job seekers and places).

``QuerySet.bulk_create`` prepares every value of every row through the SQL compiler's
generic path (expressions, ``pre_save`` and ``get_db_prep_save`` per field per row): for a
model of fifty fields that is most of an import's time. :func:`insert` writes the same
rows — every concrete field, ``auto_now`` fields filled as ``save`` fills them, the
values prepared by the fields themselves — but prepares a value once per distinct value of
a field (most of a new row's fields are defaults). On PostgreSQL the rows go in with one
``COPY … FROM STDIN`` (their primary keys drawn from the table's sequence first): the
driver formats the values in C, where an ``INSERT`` had them quoted into the statement in
Python; elsewhere (SQLite) as multi-row ``INSERT … RETURNING`` statements. Like
``bulk_create`` it sends no signals and calls neither ``save`` nor ``full_clean``: the
caller has validated the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from datetime import date, datetime
from operator import attrgetter
from typing import Any

from django.db import connections, models, router
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import Field, Model, signals
from django.db.models.base import ModelState
from django.db.models.query_utils import DeferredAttribute

#: Query parameters in one statement (SQLite ≥ 3.32 allows 32,766, PostgreSQL 65,535).
MAX_PARAMETERS = 30_000
#: Values of these types are prepared once per field and batch (they are hashable and
#: their prepared form does not depend on the row).
_CACHEABLE = (str, int, float, bool, date, type(None))


#: Field classes (exactly these, not subclasses: those may encrypt or convert) whose
#: prepared value is the value itself for values of these types.
_PLAIN: dict[type, tuple[type, ...]] = {
    **dict.fromkeys((models.CharField, models.TextField, models.EmailField), (str,)),
    **dict.fromkeys(
        (
            models.IntegerField,
            models.PositiveIntegerField,
            models.PositiveSmallIntegerField,
            models.SmallIntegerField,
            models.BigIntegerField,
            models.AutoField,
            models.BigAutoField,
        ),
        (int,),
    ),
    models.BooleanField: (bool,),
}


def _target(field: Field[Any, Any]) -> Field[Any, Any]:
    """The field whose values a foreign key holds (the key itself for other fields)."""
    if isinstance(field, models.ForeignKey) and type(field) is models.ForeignKey:
        return field.target_field
    return field


def insert(objs: Sequence[Model]) -> None:
    """Insert the unsaved instances ``objs`` (all of one model, without a primary key) and
    give each its primary key, as ``bulk_create`` does."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    fields = [
        f
        for f in meta.concrete_fields
        if f is not meta.auto_field and not getattr(f, "generated", False)
    ]
    if connection.vendor == "postgresql":
        _copy(objs, model, fields, connection)
    else:
        _insert(objs, model, fields, connection)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _copy(
    objs: Sequence[Model], model: type[Model], fields: list[Field[Any, Any]], connection: Any
) -> None:
    """PostgreSQL: the primary keys drawn from the table's sequence first, then every row
    written with one ``COPY … FROM STDIN`` (the driver formats the values in C; an
    ``INSERT`` of arrays had them quoted into the statement in Python)."""
    meta = model._meta
    quote = connection.ops.quote_name
    auto = meta.auto_field
    if auto is not None:
        fields = [auto, *fields]
    columns = ", ".join(quote(str(f.column)) for f in fields)
    # Only quoted names are built in; the values travel as COPY data.
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    # Django's cursor wrapper turns the driver's errors into Django's for execute() only.
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if auto is not None:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, auto.column, len(objs)],
            )
            for obj, (pk,) in zip(objs, sorted(cursor.fetchall()), strict=True):
                setattr(obj, auto.attname, pk)
        values = _columns(objs, fields, connection)
        # What Django's execute() does around a statement: refuse to run in a transaction
        # that failed, and show the statement in the query log when it is kept (DEBUG,
        # the tests' query counts).
        connection.validate_no_broken_transaction()
        logged = cursor.debug_sql(sql) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
        with logged, cursor.cursor.copy(sql) as copy:
            for row in zip(*values, strict=True):
                copy.write_row(row)


def _insert(
    objs: Sequence[Model], model: type[Model], fields: list[Field[Any, Any]], connection: Any
) -> None:
    """Other databases (SQLite): multi-row ``INSERT … RETURNING`` statements."""
    meta = model._meta
    values = _columns(objs, fields, connection)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    returning = ""
    if meta.auto_field is not None and connection.features.can_return_rows_from_bulk_insert:
        returning = f" RETURNING {quote(str(meta.auto_field.column))}"
    # Only quoted names and placeholders are built in; values are parameters.
    insert = f"INSERT INTO {quote(meta.db_table)} ({columns}) "
    rows = list(zip(*values, strict=True))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, MAX_PARAMETERS // len(fields))
    with connection.cursor() as cursor:
        for at in range(0, len(rows), size):
            chunk = rows[at : at + size]
            sql = insert + "VALUES " + ", ".join([one] * len(chunk)) + returning
            cursor.execute(sql, [value for row in chunk for value in row])
            ids = cursor.fetchall() if returning else []
            for obj, found in zip(objs[at : at + size], ids, strict=False):
                setattr(obj, meta.auto_field.attname, found[0])  # type: ignore[union-attr]


def _columns(
    objs: Sequence[Model], fields: list[Field[Any, Any]], connection: Any
) -> list[list[Any]]:
    """Every column's values, prepared for the database by their fields."""
    auto = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for obj in objs:
        for field in auto:
            field.pre_save(obj, True)  # sets the attribute, as save() does
    columns = []
    for field in fields:
        attname = field.attname
        prepare = field.get_db_prep_save
        cache: dict[tuple[type, Any], Any] = {}
        values = []
        plain = _PLAIN.get(type(_target(field)))
        moment = connection.ops.adapt_datetimefield_value
        raw = list(map(attrgetter(attname), objs))
        if plain is not None and set(map(type, raw)) <= {*plain, type(None)}:
            columns.append(raw)  # all plain (or NULL): what the field would prepare them to
            continue
        for value in raw:
            if plain is not None and (value is None or type(value) in plain):
                values.append(value)  # what the field would prepare it to
            elif type(field) is models.DateTimeField and type(value) is datetime and value.tzinfo:
                values.append(moment(value))  # an aware moment: the field's checks are moot
            elif isinstance(value, _CACHEABLE):
                key = (type(value), value)
                if key not in cache:
                    cache[key] = prepare(value, connection=connection)
                values.append(cache[key])
            else:
                values.append(prepare(value, connection=connection))
        columns.append(values)
    return columns


class Blueprint:
    """Unsaved instances of one model, built as ``Model(**values)`` builds them but without
    its work per field and instance: the fields' defaults are worked out once (a callable
    default — a UUID, a moment — is still called per instance), then the given values are
    set as ``__init__`` sets them (a related object through its descriptor). A model with
    its own ``__init__`` or with ``pre_init``/``post_init`` receivers is built by
    ``__init__`` itself."""

    def __init__(self, model: type[Model]):
        self.model = model
        meta = model._meta
        self.constant: dict[str, Any] = {}
        self.calls: list[tuple[str, Any]] = []
        for f in meta.concrete_fields:
            if f.column is None or getattr(f, "generated", False):
                continue
            if f.has_default() and callable(f.default):
                self.calls.append((f.attname, f.default))
            else:
                # As __init__: a constant default is the same object for every instance.
                self.constant[f.attname] = f.get_default()
        self.names = (
            {f.name for f in meta.concrete_fields}
            | {f.attname for f in meta.concrete_fields}
            | set(meta._property_names)  # type: ignore[attr-defined]
        )
        self.own = (
            model.__init__ is not Model.__init__
            or signals.pre_init.has_listeners(model)
            or signals.post_init.has_listeners(model)
            # A field whose attribute converts what is set: only __init__ sets it right.
            or any(
                not isinstance(getattr(model, f.attname, None), DeferredAttribute)
                for f in meta.concrete_fields
            )
        )

    def __call__(self, **values: Any) -> Any:
        if self.own or not self.names.issuperset(values):
            return self.model(**values)  # __init__'s own errors for unknown names
        obj = self.model.__new__(self.model)
        obj._state = ModelState()
        state = obj.__dict__
        state.update(self.constant)
        for attname, make in self.calls:
            state[attname] = make()
        for name, value in values.items():
            setattr(obj, name, value)
        return obj
