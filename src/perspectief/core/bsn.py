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
    bsn = normalise(raw)
    if not re.fullmatch(r"[0-9]{9}", bsn) or bsn == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1), strict=True)) - int(bsn[8])
    return total % 11 == 0


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


def blind_index(bsn: str) -> str:
    """A keyed hash to find a person by BSN without storing or comparing the BSN itself."""
    key = settings.BSN_INDEX_KEY.encode()
    return hmac.new(key, validated(bsn).encode(), hashlib.sha256).hexdigest()


def derive_fernet_key(secret: str) -> str:
    """A Fernet key derived from a passphrase (development and test settings only)."""
    return base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()).decode()


def masked(bsn: str) -> str:
    """For display to those allowed to see it partly: ``*****1234``."""
    return "*****" + normalise(bsn)[-4:]
