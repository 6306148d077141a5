"""The database role split that makes the access log append-only on PostgreSQL.

Migrations run as the *owner* of the tables; the application (web processes, workers,
commands) runs as an *application role* that has the normal rights (SELECT, INSERT, UPDATE,
DELETE) on every table but only SELECT and INSERT on the access log. Only an owner can
``ALTER TABLE … DISABLE TRIGGER`` or drop a table, and without UPDATE, DELETE and TRUNCATE the
application cannot change or remove an access record even with raw SQL. See
docs/configuration.md, "Database roles".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connections

from .models import AccessRecord

#: Tables the application may only read and append to.
APPEND_ONLY = (AccessRecord._meta.db_table,)


class RoleRefused(Exception):
    pass


def _quote(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def grant_statements(connection, role: str, *, schema: str) -> list[str]:
    """The SQL an owner runs to give ``role`` the application's rights; idempotent."""
    q = lambda name: _quote(connection, name)  # noqa: E731
    statements = [
        f"GRANT USAGE ON SCHEMA {q(schema)} TO {q(role)}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {q(schema)} TO {q(role)}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q(schema)} TO {q(role)}",
    ]
    for table in APPEND_ONLY:
        statements += [
            f"REVOKE ALL ON {q(table)} FROM PUBLIC",
            f"REVOKE ALL ON {q(table)} FROM {q(role)}",
            f"GRANT SELECT, INSERT ON {q(table)} TO {q(role)}",
        ]
    return statements


@dataclass(frozen=True)
class RoleFacts:
    superuser: bool
    owns: list[str]  # append-only tables the role owns, or whose owner it is a member of
    may_change: list[str]  # append-only tables it may UPDATE, DELETE, TRUNCATE or TRIGGER on


def facts(cursor, role: str) -> RoleFacts:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        raise RoleRefused(f"role {role!r} does not exist")
    owns, may_change = [], []
    for table in APPEND_ONLY:
        cursor.execute(
            "SELECT tableowner FROM pg_tables WHERE tablename = %s AND schemaname = "
            "current_schema()",
            [table],
        )
        found = cursor.fetchone()
        if found is None:
            continue
        cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, found[0]])
        if cursor.fetchone()[0]:
            owns.append(table)
        cursor.execute(
            "SELECT has_table_privilege(%s, %s, 'UPDATE, DELETE, TRUNCATE, TRIGGER')",
            [role, table],
        )
        if cursor.fetchone()[0]:
            may_change.append(table)
    return RoleFacts(superuser=bool(row[0]), owns=owns, may_change=may_change)


def grant_app_role(connection, role: str, *, execute: bool = True) -> list[str]:
    """Give ``role`` the application's rights (run as the owner); return the statements.

    Refuses a role that is a superuser or owns the access log (or is a member of its owner):
    such a role can switch the triggers off whatever is granted."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        known = facts(cursor, role)
        if known.superuser or known.owns:
            raise RoleRefused(
                f"{role!r} is superuser of eigenaar van / is a superuser or owner of "
                f"{', '.join(known.owns) or 'alles / everything'}: de applicatie heeft een eigen "
                "rol nodig / the application needs a role of its own"
            )
        statements = grant_statements(connection, role, schema=schema)
        if execute:
            for statement in statements:
                cursor.execute(statement)
    return statements


def problems(connection) -> list[str]:
    """Why the connection's role could change or remove access records (empty: it cannot)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        role = cursor.fetchone()[0]
        known = facts(cursor, role)
    found = []
    if known.superuser:
        found.append(f"the application's database role {role!r} is a superuser")
    if known.owns:
        found.append(
            f"the application's database role {role!r} owns {', '.join(known.owns)} (or is a "
            "member of its owner), so it can disable its triggers or drop it"
        )
    if known.may_change and not known.superuser:
        found.append(
            f"the application's database role {role!r} may UPDATE, DELETE, TRUNCATE or add "
            f"triggers on {', '.join(known.may_change)}"
        )
    return found


def grant_app_role_after_migrate(sender, using, **kwargs):
    """``post_migrate`` receiver (connected in ``AuditConfig.ready``)."""
    role = getattr(settings, "DATABASE_APP_ROLE", "")
    if role and connections[using].vendor == "postgresql":
        grant_app_role(connections[using], role)
