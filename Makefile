# Run `make help` to see what each target does.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
FLASK := $(BIN)/flask --app wsgi
GOVUK := node_modules/govuk-frontend/dist/govuk

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets and what they do
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-22s %s\n", $$1, $$2}'

$(BIN)/activate: pyproject.toml
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules/.package-lock.json

intake/static/app.css: node_modules/.package-lock.json $(wildcard intake/assets/*)
	mkdir -p intake/static/govuk
	npm run --silent build
	cp $(GOVUK)/govuk-frontend.min.js intake/static/govuk/
	cp intake/assets/app.mjs intake/assets/js-enabled.js intake/assets/favicon.svg intake/static/

.PHONY: python
python: $(BIN)/activate ## Install the Python packages into .venv

.PHONY: assets
assets: intake/static/app.css ## Build the GOV.UK Frontend styles and scripts into intake/static

.PHONY: translations
translations: $(BIN)/activate ## Compile the message catalogs (.po -> .mo)
	$(BIN)/pybabel compile -d translations --statistics

.PHONY: translations-extract
translations-extract: $(BIN)/activate ## Extract every marked string into translations/messages.pot
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext -k plural_texts:1,2 --no-location --sort-output \
		--project=intake --copyright-holder="The intake contributors" -o translations/messages.pot .

.PHONY: translations-update
translations-update: translations-extract ## Merge new strings from messages.pot into every catalog
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

.PHONY: setup
setup: python assets translations ## Install everything and bring the database schema up to date
	$(FLASK) db upgrade

.PHONY: run
run: setup ## Set up, then serve on http://127.0.0.1:5000 and run the worker beside it
	trap 'kill 0' EXIT INT TERM; \
	$(FLASK) intake worker & \
	$(FLASK) run --host 127.0.0.1 --port 5000

.PHONY: worker
worker: python ## Run only the worker (sends the outbox, reminders, digests, chat expiry)
	$(FLASK) intake worker

.PHONY: lint
lint: python ## ruff, the import contracts and mypy on the domain
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

.PHONY: format
format: python ## Rewrite the code in the house style
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The browser tests drive Debian's chromium (never a browser Playwright downloads), with
# Noto fonts so Bengali, Gurmukhi, Arabic and Urdu draw as letters in the screenshots.
CHROMIUM := /usr/bin/chromium
NOTO := /usr/share/fonts/truetype/noto/NotoSansBengali-Regular.ttf
BROWSER_PACKAGES := chromium fonts-noto-core

$(CHROMIUM) $(NOTO):
	command -v apt-get >/dev/null || { echo "Install Chromium at $(CHROMIUM) for the browser tests"; exit 1; }
	apt-get install -y --no-install-recommends $(BROWSER_PACKAGES) || \
		{ apt-get update && apt-get install -y --no-install-recommends $(BROWSER_PACKAGES); }

.PHONY: chromium
chromium: $(CHROMIUM) $(NOTO) ## Install Debian's chromium and Noto fonts for the browser tests

.PHONY: test
test: python assets translations lint chromium ## Run the whole test suite (PostgreSQL too when TEST_DATABASE_URL is set)
	$(BIN)/pytest -n auto --dist loadgroup
	@if [ -n "$$TEST_DATABASE_URL" ] && command -v pg_ctlcluster >/dev/null; then \
		$(MAKE) --no-print-directory test-restart; \
	else \
		echo "Skipped the restart test: it needs TEST_DATABASE_URL and a local PostgreSQL (pg_ctlcluster)"; \
	fi

# After the suite, never beside it: restarting the server would fail the other tests.
.PHONY: test-restart
test-restart: python ## The production layout under load, with PostgreSQL restarted half way: nothing lost
	$(PY) bench/production.py --postgres "$$TEST_DATABASE_URL" --submissions 200 --messages 200 \
		--clients 50 --restart-postgres

.PHONY: clean
clean: ## Remove what the setup built (keeps the database in instance/)
	rm -rf intake/static node_modules $(VENV)
	find translations -name '*.mo' -delete
