# Two entry points (see README): `make site` (or `make serve`) for the site, `make test` for the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve check test lint browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The offline audit pack (brmkb pack) needs npm's iframe-worker shim: fetched once into the
# venv, never committed. Optional for the site; the tests need it.
$(VENV)/.site: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[site]'
	-$(BIN)/python -m brmkb.pack.shim
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m brmkb.pack.shim
	touch $@ $(VENV)/.site

site: $(VENV)/.site  ## check the records, then build the site into site/ (fails on unwaived errors)
	$(BIN)/mkdocs build --strict

serve: $(VENV)/.site  ## the site on http://127.0.0.1:8000, rebuilt on every change
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

check: $(VENV)/.site  ## the compliance check in the terminal
	$(BIN)/brmkb check .

browser:  ## Debian's Chromium and CJK fonts for the browser tests
	bash scripts/install-browser.sh

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(VENV)/.test browser lint  ## everything CI runs
	$(BIN)/pytest tests checks

clean:
	rm -rf $(VENV) site
