"""``field__any_of=values``: the ``in`` lookup for long lists of values.

A dashboard asks which of a region's thousands of hires (their UUIDs) have an instrument.
With ``in``, Django writes one placeholder per value and psycopg quotes each into the
statement: for 6,559 values twice (an ``OR`` of two columns) that took 130 ms in the client
for a query PostgreSQL ran in 0.3 ms (#20, the national population). ``any_of`` sends the
list to PostgreSQL as one array parameter (``column = ANY(%s)``); the values are prepared by
the field as for ``in`` (an invalid UUID is refused the same way), ``None`` is left out,
and an empty list matches nothing. Other databases get ``in`` itself. Registered for every
field when the core app is ready."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Field
from django.db.models.lookups import In
from django.utils.datastructures import OrderedSet


@Field.register_lookup
class AnyOf(In):
    lookup_name = "any_of"

    def process_rhs(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        if connection.vendor != "postgresql" or not self.rhs_is_direct_value():
            return super().process_rhs(compiler, connection)
        values = OrderedSet(self.rhs)
        values.discard(None)
        if not values:
            raise EmptyResultSet
        # Prepared by the field in get_prep_lookup (as for ``in``); only the database's
        # form is left, without ``in``'s per-value expression handling.
        field = self.lhs.output_field
        return "(%s)", [[field.get_db_prep_value(v, connection, prepared=True) for v in values]]

    def get_rhs_op(self, connection: Any, rhs: str) -> str:
        if connection.vendor != "postgresql" or not self.rhs_is_direct_value():
            return super().get_rhs_op(connection, rhs)
        return f"= ANY{rhs}"
