# Two commands do all set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench clean i18n openapi

$(STAMP): pyproject.toml setup.py $(wildcard src/lytter/*/*.pyx)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/lytter demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Extract the UI's messages, merge them into the catalogs and compile them (commit all three).
KEYWORDS := -k N_ -k NP_:1c,2 -k UserError -k NotFound -k Forbidden -k Unauthorized -k Conflict -k TooManyAttempts \
	-k QueryError:3 -k _fail:2
LOCALE_DIR := src/lytter/web/locale
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(KEYWORDS) --no-location --sort-output \
		--project Lytter --copyright-holder "Lytter contributors" -o $(LOCALE_DIR)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALE_DIR)/messages.pot -d $(LOCALE_DIR) --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALE_DIR) --statistics

# Refresh the committed OpenAPI snapshot after changing the API.
openapi: $(STAMP)
	$(BIN)/python scripts/export_openapi.py
