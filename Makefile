# Perspectief — two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
PORT   ?= 8000
export PORT

.PHONY: demo test lint typecheck unit audit lock bench load schema messages clean

# Installs come from the lock files (requirements/*.txt, every package pinned with its
# hashes), so every machine and CI get the same versions. The project itself goes on top
# without resolving anything (--no-deps: its dependencies are in the lock) and is built with
# the lock's setuptools (--no-build-isolation); `pip check` then fails if the lock misses a
# dependency that pyproject.toml declares. `make lock` regenerates the lock files.
$(VENV)/.base: requirements/base.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required (found %s)" % sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --require-hashes -r requirements/base.txt
	$(PIP) install -q --no-deps --no-build-isolation -e .
	$(PIP) check
	touch $@

$(VENV)/.test: requirements/test.txt $(VENV)/.base
	$(PIP) install -q --require-hashes -r requirements/test.txt
	$(PIP) check
	touch $@

## Set up and start the platform with demo data on http://127.0.0.1:$(PORT)
demo: $(VENV)/.base
	$(BIN)/perspectief demo

## Set up and run the quality gates and the whole test suite (with coverage)
test: $(VENV)/.test lint unit

## Style, import layers, types, migrations and system checks
lint: $(VENV)/.test
	$(BIN)/ruff check src tests bench .ci
	$(BIN)/ruff format --check src tests bench .ci
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=perspectief.conf.test $(BIN)/perspectief makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=perspectief.conf.test $(BIN)/perspectief check
	$(BIN)/pre-commit validate-config
	$(MAKE) typecheck

## Type checking (mypy; its configuration is [tool.mypy] in pyproject.toml)
typecheck: $(VENV)/.test
	$(BIN)/mypy

## The whole test suite, with line coverage of src/perspectief and its floor
## ([tool.coverage] in pyproject.toml), on one pytest-xdist worker per core (TEST_WORKERS=0
## runs it in one process)
TEST_WORKERS ?= auto
unit: $(VENV)/.test
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --cov --cov-report=term

## Known vulnerabilities in the locked dependencies (pip-audit; needs PyPI's JSON API)
audit: $(VENV)/.test
	$(BIN)/python .ci/audit.py $(AUDIT_FLAGS) requirements/test.txt

## Regenerate the lock files from pyproject.toml (keeps pins; LOCK_FLAGS=--upgrade, or
## LOCK_FLAGS="--upgrade-package django", to move versions)
# The test lock keeps the extras a package asks of another (pip-audit's
# CacheControl[filecache]): with them stripped, pip in --require-hashes mode took the extra
# as an unpinned requirement and refused the install once a newer CacheControl was out. The
# base lock is constrained by the test lock without its extras (pip refuses extras in a
# constraints file).
LOCK_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
	--allow-unsafe --no-emit-index-url --no-emit-find-links \
	--annotation-style line --build-deps-for editable $(LOCK_FLAGS)
lock: $(VENV)/.base
	$(PIP) install -q 'pip-tools>=7.5,<8'
	$(LOCK_COMPILE) --extra test -o requirements/test.txt pyproject.toml
	sed -E 's/^([A-Za-z0-9_.-]+)\[[^]]*\]==/\1==/' requirements/test.txt > requirements/.constraints.txt
	$(LOCK_COMPILE) --strip-extras -c requirements/.constraints.txt -o requirements/base.txt pyproject.toml
	rm requirements/.constraints.txt

## Benchmarks (slow; results written to bench/results/)
bench: $(VENV)/.test
	$(BIN)/pytest -m bench -s bench

## Load: 50 users on the demo served by gunicorn on loopback (bounded in time; LOAD_USERS,
## LOAD_SECONDS, DATABASE_URL=postgres://... for PostgreSQL; results in bench/results/load.json)
load: $(VENV)/.test
	bench/load.sh

## Regenerate the committed OpenAPI schema after an API change
schema: $(VENV)/.test
	DJANGO_SETTINGS_MODULE=perspectief.conf.test $(BIN)/perspectief spectacular --lang en --validate --fail-on-warn --file docs/api/openapi.yaml

## Update and compile the translations
messages: $(VENV)/.test
	cd src/perspectief && ../../$(BIN)/perspectief makemessages -l nl -l en --no-obsolete && ../../$(BIN)/perspectief compilemessages

clean:
	rm -rf $(VENV) var .coverage htmlcov
