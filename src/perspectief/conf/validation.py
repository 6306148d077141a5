"""Refuse to start production with an unsafe configuration."""

from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_LENGTH = 50


def validate_production(*, debug: bool, demo_mode: bool, secret_key: str, database_engine: str):
    problems = []
    if debug:
        problems.append("PERSPECTIEF_DEBUG staat aan / is on")
    if demo_mode:
        problems.append("PERSPECTIEF_DEMO_MODE staat aan / is on")
    if len(secret_key) < MIN_SECRET_LENGTH or secret_key.startswith(("dev-only", "test-only")):
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
