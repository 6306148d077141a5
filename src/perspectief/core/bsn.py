"""The BSN (burgerservicenummer): validation (elfproef), encryption with key rotation and a
keyed blind index for look-up. A BSN is never stored, logged or put in a URL in plain text."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import unicodedata

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.translation import gettext as _


class InvalidBSN(ValueError):
    pass


def normalise(raw: str) -> str:
    """Separators removed (NFKC first, so look-alike digits become ASCII or fail); an
    8-digit BSN gets its leading zero back."""
    digits = re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", str(raw or "")))
    if re.fullmatch(r"[0-9]{8}", digits):
        digits = "0" + digits
    return digits


def is_valid(raw: str) -> bool:
    """Nine digits passing the elfproef (9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 mod 11), not all zero."""
    return _passes(normalise(raw))


def _passes(bsn: str) -> bool:
    """:func:`is_valid` of a normalised BSN."""
    if not _NINE_DIGITS.fullmatch(bsn) or bsn == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1), strict=True)) - int(bsn[8])
    return total % 11 == 0


_NINE_DIGITS = re.compile(r"[0-9]{9}")


def valid_or_none(raw: str) -> str | None:
    """The BSN normalised when it is valid, else None (:func:`problem` says why): one
    pass, for imports that check a million."""
    bsn = normalise(raw)
    return bsn if _passes(bsn) else None


def problem(raw: str) -> str | None:
    """What is wrong with a BSN as typed, in the active language (None: nothing). Never
    repeats the number: a message may be stored with a rejected row or shown to others."""
    bsn = normalise(raw)
    if not bsn:
        return None
    if not bsn.isascii() or not bsn.isdigit():
        return _("A BSN consists of digits only; this one contains other characters.")
    if len(bsn) != 9:
        return _("A BSN has 9 digits; this one has %(n)d.") % {"n": len(bsn)}
    if not is_valid(bsn):
        return _("This is not a valid BSN: it fails the elfproef. Check it for a typing error.")
    return None


def validated(raw: str) -> str:
    bsn = normalise(raw)
    if not is_valid(bsn):
        raise InvalidBSN(bsn)
    return bsn


@functools.lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.BSN_ENCRYPTION_KEYS))


def encrypt(bsn: str) -> str:
    return _fernet().encrypt(validated(bsn).encode()).decode()


def encrypt_any(value: str) -> str:
    """Encrypt a value that may not be a valid BSN (a rejected import row's cell)."""
    return _fernet().encrypt(str(value).encode()).decode()


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt a file that holds BSNs (an import's upload) with the BSN keys: it gets the
    same protection as the BSNs in it."""
    return _fernet().encrypt(bytes(data))


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken:
        raise ValueError("file cannot be decrypted with the configured keys") from None


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("BSN cannot be decrypted with the configured keys") from None


def rotate(token: str) -> str:
    """Re-encrypt with the current (first) key."""
    return _fernet().rotate(token.encode()).decode()


@functools.lru_cache(maxsize=4)
def _primary_for(key: str) -> Fernet:
    return Fernet(key)


def is_current(token: str) -> bool:
    """Whether ``token`` is encrypted with the current (first) key, so a rotation is done
    with it."""
    try:
        _primary_for(settings.BSN_ENCRYPTION_KEYS[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _index_with(key: str, bsn: str) -> str:
    return hmac.new(key.encode(), bsn.encode(), hashlib.sha256).hexdigest()


def blind_index(bsn: str) -> str:
    """A keyed hash to find a person by BSN without storing or comparing the BSN itself;
    stored indexes are made with the current key (``PERSPECTIEF_BSN_INDEX_KEY``)."""
    return _index_with(settings.BSN_INDEX_KEY, validated(bsn))


def blind_index_of_valid(bsn: str) -> str:
    """:func:`blind_index` of a BSN already :func:`validated` (bulk imports: not checked
    again)."""
    return _index_with(settings.BSN_INDEX_KEY, bsn)


def blind_indexes(bsn: str, *, valid: bool = False) -> list[str]:
    """Every index the BSN may be stored under: the current key's first, then those of the
    old keys kept while ``perspectief rotate_bsn_keys`` runs (``PERSPECTIEF_BSN_INDEX_OLD_KEYS``).
    Look people up with these; store :func:`blind_index`. ``valid``: already
    :func:`validated` (not checked again)."""
    bsn = bsn if valid else validated(bsn)
    keys = [settings.BSN_INDEX_KEY, *settings.BSN_INDEX_OLD_KEYS]
    return list(dict.fromkeys(_index_with(key, bsn) for key in keys))


def new_fernet_key() -> str:
    """A new random key for ``PERSPECTIEF_BSN_KEYS`` (``perspectief bsn_key``)."""
    return Fernet.generate_key().decode()


def derive_fernet_key(secret: str) -> str:
    """A Fernet key derived from a passphrase (development and test settings only)."""
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()).decode()


def masked(bsn: str) -> str:
    """For display to those allowed to see it partly: ``*****1234``."""
    return "*****" + normalise(bsn)[-4:]
