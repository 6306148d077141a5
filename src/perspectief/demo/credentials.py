"""The demo's secrets: one password and a second-factor secret per staff account, generated
at random once per installation and kept in ``settings.DEMO_ACCOUNTS_FILE`` (under
``PERSPECTIEF_DATA_DIR``, readable by its owner only).

Nothing here is derivable from the source: an earlier version used one published password
and second-factor secrets computed from the user name, so anyone could sign in to any demo.
The demo also refuses to run under production settings (:func:`refuse_in_production`).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: Letters and digits that cannot be mistaken for one another when typed from a terminal.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"

REFUSAL = (
    "De demo draait nooit onder productie-instellingen (DJANGO_SETTINGS_MODULE="
    "perspectief.conf.production): hij maakt accounts met wachtwoorden die op het scherm "
    "staan. / The demo never runs under production settings: it creates accounts whose "
    "passwords are printed. Use the embedded settings (perspectief.conf.dev) on a machine "
    "of its own."
)


def refuse_in_production() -> None:
    """Stop the demo and its data generators under production settings."""
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured(REFUSAL)


def _password() -> str:
    """Four groups of four characters (about 79 bits): typable, not guessable."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _group in range(4))


def _generate(usernames: list[str]) -> dict:
    return {
        "password": _password(),
        "totp": {name: secrets.token_bytes(20).hex() for name in usernames},
    }


def _path() -> Path:
    return Path(settings.DEMO_ACCOUNTS_FILE)


def load(usernames: list[str]) -> dict:
    """This installation's demo secrets, generated (atomically, mode 0600) on first use.

    Accounts added to the demo later get their secret added to the file."""
    refuse_in_production()
    path = _path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_new(path, _generate(usernames))
    data = json.loads(path.read_text(encoding="utf-8"))
    missing = [name for name in usernames if name not in data["totp"]]
    if missing:
        data["totp"].update(_generate(missing)["totp"])
        _replace(path, data)
    return data


def _write_new(path: Path, data: dict) -> None:
    """Create ``path`` only if nobody else did meanwhile (two processes starting at once
    must end up with one set of secrets)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    _write_private(temporary, data)
    try:
        os.link(temporary, path)  # fails if the file exists: the first one wins
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def _replace(path: Path, data: dict) -> None:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    _write_private(temporary, data)
    os.replace(temporary, path)


def _write_private(path: Path, data: dict) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)


def totp_b32(hex_key: str) -> str:
    """The secret as an authenticator app takes it (base32, no padding)."""
    return base64.b32encode(bytes.fromhex(hex_key)).decode().rstrip("=")
