"""Refuse to start production with an unsafe configuration."""

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_LENGTH = 50


DEVELOPMENT_BSN_KEYS = {
    "ZGV2LW9ubHktYnNuLWtleS1ub3Qtc2VjcmV0LTAwMDA=",
    "dGVzdC1vbmx5LWJzbi1rZXktbm90LXNlY3JldC0wMDA=",
}


def _bad_fernet_keys(keys: list[str]) -> bool:
    try:
        for key in keys:
            Fernet(key)
    except ValueError:
        return True
    return not keys or bool(DEVELOPMENT_BSN_KEYS & set(keys))


MIN_KEY_LENGTH = 32
#: Failed logins per account before the lock (per address: four times as many). More than
#: this is no longer a defence against guessing passwords.
MAX_LOGIN_FAILURE_LIMIT = 100


def _weak(key: str) -> bool:
    return (
        len(key) < MIN_KEY_LENGTH or len(set(key)) < 8 or key.startswith(("dev-only", "test-only"))
    )


def validate_production(
    *,
    debug: bool,
    demo_mode: bool,
    secret_key: str,
    database_engine: str,
    bsn_keys=(),
    other_keys: dict[str, str] | None = None,
    cache_backend: str = "",
    allowed_hosts=("localhost",),
    login_failure_limit: int = 5,
    base_url: str = "https://",
    email_backend: str = "django.core.mail.backends.smtp.EmailBackend",
):
    problems = []
    if not base_url.startswith("https://"):
        problems.append(
            "PERSPECTIEF_BASE_URL moet met https:// beginnen (de links in e-mail) / must start "
            "with https:// (the links in e-mail)"
        )
    if not email_backend.endswith("smtp.EmailBackend"):
        problems.append(
            "PERSPECTIEF_EMAIL_BACKEND moet smtp zijn (files en console schrijven "
            "uitnodigingslinks weg) / must be smtp (files and console write invitation links "
            "to disk or the log)"
        )
    if any(host.strip() == "*" for host in allowed_hosts):
        problems.append(
            "PERSPECTIEF_ALLOWED_HOSTS mag geen '*' bevatten; noem de hostnamen / must not "
            "contain '*'; name the host names (a leading dot allows subdomains: .example.nl)"
        )
    if not 1 <= login_failure_limit <= MAX_LOGIN_FAILURE_LIMIT:
        problems.append(
            f"PERSPECTIEF_LOGIN_FAILURE_LIMIT={login_failure_limit} valt buiten 1-"
            f"{MAX_LOGIN_FAILURE_LIMIT} / is outside 1-{MAX_LOGIN_FAILURE_LIMIT} (failed "
            "logins per account before it is locked)"
        )
    for name, key in (other_keys or {}).items():
        if _weak(key):
            problems.append(
                f"{name} is te zwak of een ontwikkelsleutel / is weak or a development key "
                f"(minimum {MIN_KEY_LENGTH} random characters)"
            )
    if not cache_backend.endswith("RedisCache"):
        problems.append(
            "PERSPECTIEF_CACHE_URL moet redis:// zijn (gedeeld door alle processen) / "
            "must be redis:// (shared by all processes)"
        )
    if _bad_fernet_keys(list(bsn_keys)):
        problems.append(
            "PERSPECTIEF_BSN_KEYS bevat een ongeldige of ontwikkelsleutel / contains an invalid "
            "or development key (create one with `perspectief bsn_key`)"
        )
    if debug:
        problems.append("PERSPECTIEF_DEBUG staat aan / is on")
    if demo_mode:
        problems.append("PERSPECTIEF_DEMO_MODE staat aan / is on")
    if (
        len(secret_key) < MIN_SECRET_LENGTH
        or len(set(secret_key)) < 8
        or secret_key.startswith(("dev-only", "test-only"))
    ):
        problems.append(
            f"PERSPECTIEF_SECRET_KEY is te kort of een ontwikkelsleutel / is too short "
            f"(minimum {MIN_SECRET_LENGTH}) or a development key"
        )
    if not database_engine.endswith("postgresql"):
        problems.append("DATABASE_URL moet PostgreSQL zijn / must be PostgreSQL")
    if problems:
        raise ImproperlyConfigured(
            "Onveilige productie-instellingen / unsafe production settings: " + "; ".join(problems)
        )
