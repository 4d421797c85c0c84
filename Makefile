# Kiosque — the two commands: `make run` (demo site on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# pip reads the package indexes configured on the machine; no other network is needed.
PIP := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: run test bench bench-batch lint format install install-test messages clean system-libs

$(PY):
	$(PYTHON) -m venv $(VENV)

# A stamp per extra, redone when pyproject.toml changes.
$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) -e '.[dev]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) -e '.[test]'
	touch $@

install: $(VENV)/.installed-dev
install-test: $(VENV)/.installed-test

# The demo: DEBUG on, SQLite, file-system Celery broker, emails in var/mail/, and the Stripe
# stand-in unless STRIPE_SECRET_KEY is set. Honcho runs the processes of Procfile.dev;
# Ctrl-C stops them all.
RUN_PROCESSES = web worker $(if $(STRIPE_SECRET_KEY),,stripe)
run: export DEBUG ?= true
run: $(VENV)/.installed-dev system-libs
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.dev $(RUN_PROCESSES)

# Browser tests use Debian's Chromium; it is installed when missing (never downloaded by Playwright).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# WeasyPrint (tax receipts) embeds fonts with HarfBuzz's subsetter; installed from Debian if missing.
system-libs:
	@ldconfig -p | grep -q libharfbuzz-subset || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0; }

# axe-core, injected by the browser tests for the accessibility checks (npm, pinned by the lock).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

test: $(VENV)/.installed-test $(CHROMIUM) system-libs $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

# wrk, the load generator of the benchmarks, from Debian when missing.
WRK := /usr/bin/wrk
$(WRK):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

# Benchmarks, not part of `make test`: ratios against references measured in the same run,
# on this machine's PostgreSQL (BENCH_DATABASE_URL); prints a table, writes bench/results.json.
bench: $(VENV)/.installed-test $(WRK) system-libs
	$(PY) bench/run.py

# The batch's memory at 10 000 receipts (some 15 minutes alone, too long for `make bench`):
# recorded in bench/results/batch_memory.jsonl, where `make bench` reads it.
bench-batch: $(VENV)/.installed-test system-libs
	$(PY) bench/batch_memory.py --receipts 10000 --record

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Recompile translations after editing locale/*/LC_MESSAGES/django.po or locale_oscar/ (the .mo
# files are committed; README, "Translations").
messages: $(VENV)/.installed-dev
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/ .pytest_cache node_modules
