"""The committed OpenAPI schema (docs/api/openapi.yaml, in English) equals the generated one.
Regenerate with `make schema` after an API change."""

from pathlib import Path

import pytest
from django.core.management import call_command

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "api" / "openapi.yaml"


@pytest.mark.django_db
def test_committed_schema_has_not_drifted(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command(
        "spectacular", "--lang", "en", "--validate", "--fail-on-warn", "--file", str(generated)
    )
    assert SCHEMA.exists(), "docs/api/openapi.yaml is missing: run `make schema`"
    assert generated.read_text() == SCHEMA.read_text(), (
        "The API changed but docs/api/openapi.yaml did not: run `make schema` and commit it."
    )
