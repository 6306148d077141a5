"""The matching engine: a pure library (plain data in, arrays out).

It imports nothing from Django or the platform's apps; an import-linter contract in
``pyproject.toml`` enforces that. ORM rows meet the engine only in ``matching.engine_records``.
"""
