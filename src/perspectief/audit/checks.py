"""``perspectief check --deploy --database default``: the application's database role cannot
change or remove access records (security promise 8)."""

from django.core.checks import Error, Tags, register
from django.db import DatabaseError, connections

from . import roles


@register(Tags.database, Tags.security, deploy=True)
def access_log_role(app_configs, databases=None, **kwargs):
    # Like Django's own database checks: only with --database, never at every start-up.
    if not databases:
        return []
    errors = []
    for alias in databases:
        try:
            found = roles.problems(connections[alias])
        except (DatabaseError, roles.RoleRefused) as exc:
            found = [f"could not be verified ({exc})"]
        if found:
            errors.append(
                Error(
                    f"The access log is not append-only for database {alias!r}: "
                    + "; ".join(found)
                    + ".",
                    hint="Run migrations as the owner and the application as a role of its "
                    "own, given its rights with `perspectief grant_app_role ROLE` "
                    "(docs/configuration.md, 'Database roles').",
                    id="audit.E001",
                )
            )
    return errors
