# Wijkteam: `make demo` to try it, `make test` to check it. Nothing else is needed.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
APPS := wijkteam accounts areas teams partners people zrm cases contacts plans provisions maatwerk insights intake casework privacy oversight administration portal
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed

# PostgreSQL for the second test run; each checkout gets its own test database name.
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PG_TEST_DB ?= test_wijkteam_$(shell printf '%s' "$(CURDIR)" | md5sum | cut -c1-8)
PG_READY = $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null

# The shared cache: the suite runs against the real Redis; the demo falls back to a per-process
# cache when none answers.
REDIS_URL ?= redis://127.0.0.1:6379/0
REDIS_READY = $(PY) -c "import redis; redis.Redis.from_url('$(REDIS_URL)', socket_connect_timeout=2).ping()" 2>/dev/null

# Browser tests drive Debian's Chromium (never a browser that Playwright downloads).
CHROMIUM ?= /usr/bin/chromium

.PHONY: coverage help install check-redis test-clocks demo serve test lint format check-migrations messages compilemessages test-sqlite test-postgres e2e schema lock clean bench check-production

help:
	@echo "make demo   install everything, load the demo municipality, serve on http://127.0.0.1:8000"
	@echo "make test   lint, migration check, the whole suite on SQLite and PostgreSQL, browser journeys"
	@echo "make bench  city-scale benchmark on PostgreSQL; generates the city once, writes docs/performance.md"

# The venv's installer comes from requirements/pip.lock (hash-checked) before the packages: the pip
# that python3.11 bundles cannot install this lock (see that file).
$(STAMP_PY): pyproject.toml requirements/dev.lock requirements/pip.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/pip.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	@touch $@

$(STAMP_NPM): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP_PY) $(STAMP_NPM)

compilemessages: $(STAMP_PY)
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

# Demo: a fresh demo database on every start, so the demo always shows the same story.
# The demo's BRP: a local service that answers per the Haal Centraal BRP API from RvIG's test persons.
BRP_PORT ?= 8010
DEMO_ENV = WIJKTEAM_DEMO=true WIJKTEAM_DEBUG=true DATABASE_URL=sqlite:///$(CURDIR)/var/demo.sqlite3 \
	WIJKTEAM_REDIS_URL=$(shell $(REDIS_READY) && echo $(REDIS_URL)) \
	WIJKTEAM_BRP_URL=http://127.0.0.1:$(BRP_PORT)/haalcentraal/api/brp/personen \
	WIJKTEAM_DIGID_ISSUER=http://127.0.0.1:$(OIDC_PORT) WIJKTEAM_DIGID_CLIENT_ID=mijn-wijkteam \
	WIJKTEAM_DIGID_CLIENT_SECRET=mijn-wijkteam-test-secret
# Mijn Wijkteam's DigiD in the demo: the tests' OpenID provider plays the broker; its login page asks
# for a BSN (e.g. 999993185, the widow of scenario 1) and the level. Browse the demo at 127.0.0.1.
OIDC_PORT ?= 8020
demo: install compilemessages
	@$(REDIS_READY) || echo "== Redis does not answer at $(REDIS_URL): the demo keeps its cache in its one process"
	@mkdir -p var
	@rm -f var/demo.sqlite3 var/demo.sqlite3-wal var/demo.sqlite3-shm
	$(DEMO_ENV) $(MANAGE) migrate --no-input -v 0
	$(DEMO_ENV) $(MANAGE) load_demo
	@echo ""
	@echo "Wijkteam demo: http://127.0.0.1:8000  (stop with Ctrl+C); its BRP on 127.0.0.1:$(BRP_PORT)"
	@echo "Mijn Wijkteam: http://127.0.0.1:8000/mijn/ (DigiD played by a test provider on 127.0.0.1:$(OIDC_PORT))"
	@$(PY) src/people/brp/service.py --port $(BRP_PORT) & brp=$$!; \
		WIJKTEAM_OIDC_PORT=$(OIDC_PORT) WIJKTEAM_OIDC_PORTAL_REDIRECT_URIS=http://127.0.0.1:8000/mijn/inloggen/terug/ \
			node src/accounts/tests/oidc_provider/provider.mjs >/dev/null & oidc=$$!; \
		trap "kill $$brp $$oidc" EXIT INT TERM; \
		$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000 --noreload

serve: install compilemessages
	$(DEMO_ENV) $(MANAGE) runserver 127.0.0.1:8000

lint: $(STAMP_PY)
	$(VENV)/bin/ruff check src bench e2e
	$(VENV)/bin/ruff format --check src bench e2e
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-logo

format: $(STAMP_PY)
	$(VENV)/bin/ruff check --fix src bench e2e
	$(VENV)/bin/ruff format src bench e2e

check-migrations: $(STAMP_PY)
	@mkdir -p var
	$(MANAGE) makemigrations --check --dry-run -v 1

check-redis: $(STAMP_PY)
	@$(REDIS_READY) || { echo "Redis does not answer at $(REDIS_URL): the tests use the real server." >&2; \
		echo "Start it (redis-server --daemonize yes --port 6379) or set REDIS_URL." >&2; exit 1; }

# The SQLite suite and the browser journeys run at a fixed moment (e2e/clock.py): 06:30 in the morning
# on the day summer time starts, so a test that depends on the hour or the date cannot land. The
# PostgreSQL suite runs at the real time. `make test-clocks` runs the suite at every moment in CLOCKS.
TEST_CLOCK ?= 2027-03-28T06:30:00+02:00
# Both suites run on every core (pytest-xdist); a file's tests stay on one worker, so a module's
# fixtures (the demo municipality) are built once. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
XDIST = -n $(TEST_WORKERS) --dist loadfile
CLOCKS := $(shell sed -n 's/^    "\(20[0-9-]*T[0-9:]*[+-][0-9:]*\)",$$/\1/p' e2e/clock.py)

# `make coverage`: the SQLite suite measured by coverage.py (each xdist worker on its own, then
# combined; settings in pyproject.toml); it fails below COVERAGE_FLOOR: raise the floor when
# coverage rises, never lower it. `make test` runs the SQLite suite this way (about a third slower
# than `make test-sqlite`, which developers run while working).
COVERAGE ?= 0
COVERAGE_FLOOR ?= 95
ifeq ($(COVERAGE),1)
PYTEST_RUN = $(VENV)/bin/coverage erase && $(VENV)/bin/coverage run -m pytest
COVERAGE_REPORT = $(VENV)/bin/coverage combine -q && $(VENV)/bin/coverage report --skip-covered --sort=cover --fail-under=$(COVERAGE_FLOOR) | tail -25
else
PYTEST_RUN = $(VENV)/bin/pytest
COVERAGE_REPORT = true
endif

test-sqlite: install compilemessages check-redis
	@echo "== Test suite on SQLite, at $(TEST_CLOCK)"
	@mkdir -p var
	WIJKTEAM_ENV=test WIJKTEAM_TEST_NOW=$(TEST_CLOCK) WIJKTEAM_REDIS_URL=$(REDIS_URL) DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3 $(PYTEST_RUN) -q $(XDIST) $(PYTEST_ARGS)
	@$(COVERAGE_REPORT)

coverage:
	$(MAKE) --no-print-directory test-sqlite COVERAGE=1

test-postgres: install compilemessages check-redis
	@if $(PG_READY); then \
		echo "== Test suite on PostgreSQL ($(PG_TEST_DB))"; \
		WIJKTEAM_ENV=test WIJKTEAM_REDIS_URL=$(REDIS_URL) DATABASE_URL=$(PG_URL) WIJKTEAM_TEST_DB_NAME=$(PG_TEST_DB) $(VENV)/bin/pytest -q $(XDIST) --create-db $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_URL), and CI=true requires it." >&2; exit 1; \
	else \
		echo "== PostgreSQL not reachable at $(PG_URL): skipped (CI=true makes this an error)"; \
	fi

# Debian's chromium package (with its Dutch locale; e2e/conftest.py starts it with LANG=nl_NL so that
# date fields read dd-mm-jjjj), installed with
# apt-get when missing (as root, or with password-less sudo).
CHROMIUM_NL := /usr/lib/chromium/locales/nl.pak
$(CHROMIUM_NL):
	@if [ -x $(CHROMIUM) ]; then \
		echo "== Chromium's Dutch locale is missing (Debian's chromium-l10n): installing it"; \
	else echo "== Chromium for the browser tests is missing: installing Debian's chromium and chromium-l10n"; fi
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else \
		echo "Cannot install chromium: not root and no password-less sudo." >&2; \
		echo "Run: sudo apt-get install chromium chromium-l10n" >&2; exit 1; fi; \
	command -v apt-get >/dev/null || { echo "No apt-get here: install Chromium at $(CHROMIUM) by hand." >&2; exit 1; }; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends \
		chromium chromium-l10n || { echo "apt-get could not install chromium (see above)." >&2; exit 1; }
	@test -x $(CHROMIUM) || { echo "chromium is installed but $(CHROMIUM) is not there." >&2; exit 1; }

# End-to-end: the demo municipality on a live server, user journeys in headless Chromium, axe-core
# (WCAG 2.1 A/AA) on every page, the registration burden in test-artifacts/burden.md.
e2e: install compilemessages check-redis $(CHROMIUM_NL)
	@echo "== Browser journeys in Chromium, WCAG 2.1 AA checks, registration burden, at $(TEST_CLOCK)"
	WIJKTEAM_ENV=test WIJKTEAM_TEST_NOW=$(TEST_CLOCK) WIJKTEAM_REDIS_URL=$(REDIS_URL) WIJKTEAM_E2E_CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest -q --tb=short e2e $(E2E_ARGS)

test: install compilemessages lint check-migrations coverage test-postgres e2e check-production

# docs/deployment.md on this checkout, on a throwaway PostgreSQL database: production settings,
# collectstatic, migrate as the owner, the application as a role that owns nothing, gunicorn, then
# signing in and a dossier through the TLS proxy's headers; any 500 fails (.ci/production). Its
# `npm ci` reinstalls node_modules as `make install` does.
check-production:
	PYTHON=$(PYTHON) PG_URL=$(PG_URL) REDIS_URL=$(REDIS_URL) .ci/production
	@if [ -d node_modules ]; then touch $(STAMP_NPM); fi

# The suite on SQLite at every moment of e2e/clock.py's CLOCKS (not part of `make test`: six runs).
test-clocks: install compilemessages check-redis
	@for moment in $(CLOCKS); do \
		$(MAKE) --no-print-directory test-sqlite TEST_CLOCK=$$moment || exit 1; \
	done

# The installer that `make install` bootstraps (requirements/pip.lock); change it here, then `make lock`.
PIP_VERSION ?= 25.3

# Benchmark at city scale (docs/performance.md): its own database, generated once and then reused.
BENCH_DB ?= wijkteam_city
BENCH_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
bench: install compilemessages
	@$(PG_READY) || { echo "make bench needs PostgreSQL at $(PG_URL)" >&2; exit 1; }
	WIJKTEAM_ENV=test $(PY) bench/run.py --database-url $(BENCH_URL) $(BENCH_ARGS)

messages: $(STAMP_PY)
	@for app in $(APPS); do \
		(cd src/$$app && ../../$(PY) ../../manage.py makemessages -l nl --no-obsolete --no-location -v 0 \
			--ignore=static --ignore=tests) || exit 1; \
	done
	@echo "Translate the new msgids in src/*/locale/nl/LC_MESSAGES/django.po"

schema: $(STAMP_PY) compilemessages
	$(MANAGE) spectacular --lang nl --validate --fail-on-warn --file docs/api/openapi.yaml

lock: $(STAMP_PY)
	$(PY) -m pip install --quiet uv
	echo "pip==$(PIP_VERSION)" | $(VENV)/bin/uv pip compile - --python-version 3.11 --generate-hashes -q -o requirements/pip.lock
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements/main.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -q -o requirements/dev.lock

clean:
	rm -rf $(VENV) node_modules var staticfiles .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
