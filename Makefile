# Two entry points (see README): `make site` / `make serve` for the site, `make test` for the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve check test lint browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)  ## check the records, then build the site into site/ (fails on unwaived errors)
	$(BIN)/mkdocs build --strict

serve: $(STAMP)  ## the site on http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

check: $(STAMP)  ## the compliance check in the terminal
	$(BIN)/brmkb check .

browser:  ## Debian's Chromium and CJK fonts for the browser tests
	bash scripts/install-browser.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) browser lint  ## everything CI runs
	$(BIN)/pytest tests checks

clean:
	rm -rf $(VENV) site
