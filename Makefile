# Two commands: `make run` serves the app on embedded defaults; `make test` runs lint, then every test.
# Both set everything up first and are quick when nothing changed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.requirements-installed

# The languages' catalogs (translations/): each .po is compiled into the .mo the app reads whenever it changed.
# `make catalogs` extracts every marked string (templates, and N_()/_() in Python) into messages.pot and merges
# it into each language's .po; translate what it added (README: "Languages"), and the tests say when one is missing.
PO := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)
CATALOG_SOURCES := --ignore-dirs=".* _* tests bench node_modules datasets migrations instance data" .

.PHONY: run test test-fast lint bench setup database browser catalogs clean

run: database
	@echo "Serving on http://127.0.0.1:$(PORT)"
	$(BIN)/gunicorn app:app --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} --threads 4 --access-logfile -

test: lint database browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The inner loop: everything but the slow and the browser tests (see the markers in pytest.ini).
test-fast: lint database
	$(BIN)/python -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

# Every benchmark under bench/, each printing its figures (results are kept in bench/README.md).
# bench/webhooks.py needs wrk (Debian's package; it installs it when missing and run as root), and Redis for the form.
# The surge benchmark needs PostgreSQL and Redis: BENCH_DATABASE_URL, BENCH_REDIS_URL override the local ones.
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/11
SURGE_ARGS ?= --submissions 5000 --window 60 --cps 20
bench: database
	$(BIN)/python bench/webhooks.py --redis-url $(BENCH_REDIS_URL)
	$(BIN)/python bench/speech.py
	$(BIN)/python bench/lines.py
	$(BIN)/python bench/webhook_latency.py --calls 200
	$(BIN)/python bench/http_load.py --calls 200 --concurrency 16
	$(BIN)/python bench/surge.py $(SURGE_ARGS) --database-url $(BENCH_DATABASE_URL) --redis-url $(BENCH_REDIS_URL)

# Lint and types (settings in pyproject.toml); `test` and `test-fast` run it first, so CI fails on either.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

setup: $(STAMP) $(MO)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --project=Patchthrough --copyright-holder="The Patchthrough project" -o translations/messages.pot $(CATALOG_SOURCES)
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(MAKE) setup

# Migrate the local database, fetch the campaigns' states' data once if DATA_DIR lacks it (a fresh
# clone without ../shared/data), then load the legislator data and the campaign files.
database: setup
	$(FLASK) db upgrade
	$(FLASK) data ensure
	$(FLASK) data load
	$(FLASK) campaign load

# The browser tests drive Debian's Chromium; install it when it is missing and we may. They check
# every page state with axe-core, pinned in package.json/package-lock.json and installed by npm.
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium at /usr/bin/chromium: sudo apt-get install chromium"; exit 1; fi; }
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules
