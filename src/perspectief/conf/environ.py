"""Read settings from the environment through one documented, fail-fast helper.

Every variable the platform reads is declared with :func:`config` together with its
documentation; ``perspectief settings-doc`` (and ``docs/configuration.md``) lists them.
A value that cannot be parsed, or a ``PERSPECTIEF_*`` variable nobody declared (a typo),
stops start-up with :class:`ImproperlyConfigured` naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

PREFIX = "PERSPECTIEF_"

_UNSET = object()


@dataclass(frozen=True)
class Variable:
    name: str
    default: Any
    help: str
    choices: tuple[str, ...] | None = None
    required: bool = False
    doc_default: str | None = None


REGISTRY: dict[str, Variable] = {}


def _to_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on", "ja"}:
        return True
    if value in {"0", "false", "no", "off", "nee", ""}:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is geen geldige ja/nee-waarde (gebruik true of false) / "
        f"is not a valid boolean (use true or false)."
    )


def _to_int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is geen geheel getal / is not an integer."
        ) from None


def _to_list(name: str, raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


CASTS: dict[type, Callable[[str, str], Any]] = {
    bool: _to_bool,
    int: _to_int,
    list: _to_list,
    str: lambda name, raw: raw,
}


def config(
    name: str,
    default: Any = _UNSET,
    *,
    cast: type = str,
    help: str,
    choices: Iterable[str] | None = None,
    doc_default: str | None = None,
) -> Any:
    """Return the environment variable ``name`` cast to ``cast``.

    Without a default the variable is required. ``choices`` restricts the accepted values.
    """
    choices_t = tuple(choices) if choices is not None else None
    REGISTRY[name] = Variable(
        name=name,
        default=None if default is _UNSET else default,
        help=help,
        choices=choices_t,
        required=default is _UNSET,
        doc_default=doc_default,
    )
    raw = os.environ.get(name)
    if raw is None:
        if default is _UNSET:
            raise ImproperlyConfigured(
                f"De omgevingsvariabele {name} is verplicht maar niet gezet / "
                f"the environment variable {name} is required but not set. ({help})"
            )
        return default
    value = CASTS[cast](name, raw)
    if choices_t is not None and value not in choices_t:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is geen toegestane waarde / is not an allowed value; "
            f"kies uit / choose from: {', '.join(choices_t)}."
        )
    return value


def reject_unknown_variables(environ: dict[str, str] | None = None) -> None:
    """Fail when a ``PERSPECTIEF_*`` variable is set that no setting declares (a typo)."""
    variables: Mapping[str, str] = os.environ if environ is None else environ
    unknown = sorted(k for k in variables if k.startswith(PREFIX) and k not in REGISTRY)
    if unknown:
        known = ", ".join(sorted(k for k in REGISTRY if k.startswith(PREFIX)))
        raise ImproperlyConfigured(
            f"Onbekende instelling(en) / unknown setting(s): {', '.join(unknown)}. "
            f"Bekend / known: {known}."
        )


def documentation() -> str:
    """Markdown table of every declared variable."""
    lines = ["| variable | default | description |", "|---|---|---|"]
    for var in sorted(REGISTRY.values(), key=lambda v: v.name):
        if var.required:
            default = "*(required)*"
        elif var.doc_default is not None:
            default = f"`{var.doc_default}`"
        else:
            default = f"`{var.default!r}`"
        extra = f" One of: {', '.join(var.choices)}." if var.choices else ""
        lines.append(f"| `{var.name}` | {default} | {var.help}{extra} |")
    return "\n".join(lines)
