# Perspectief — two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PORT

.PHONY: demo test lint typecheck unit bench schema messages clean

$(VENV)/.base: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required (found %s)" % sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test: $(VENV)/.base
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

## Set up and start the platform with demo data on http://127.0.0.1:$(PORT)
demo: $(VENV)/.base
	$(BIN)/perspectief demo

## Set up and run the quality gates and the whole test suite
test: $(VENV)/.test lint unit

lint: $(VENV)/.test typecheck
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=perspectief.conf.test $(BIN)/perspectief makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=perspectief.conf.test $(BIN)/perspectief check

## Type checking: strict on the engine and core, gradual elsewhere ([tool.mypy])
typecheck: $(VENV)/.test
	$(BIN)/mypy

unit: $(VENV)/.test
	$(BIN)/pytest

## Benchmarks (slow; results written to bench/results/)
bench: $(VENV)/.test
	$(BIN)/pytest -m bench -s bench

## Regenerate the committed OpenAPI schema after an API change
schema: $(VENV)/.test
	DJANGO_SETTINGS_MODULE=perspectief.conf.test $(BIN)/perspectief spectacular --lang en --validate --fail-on-warn --file docs/api/openapi.yaml

## Update and compile the translations
messages: $(VENV)/.test
	cd src/perspectief && ../../$(BIN)/perspectief makemessages -l nl -l en --no-obsolete && ../../$(BIN)/perspectief compilemessages

clean:
	rm -rf $(VENV) var
