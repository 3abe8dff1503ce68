# Quick start:  make book   (build the book into _build/html)
#               make test   (unit tests, every page as a notebook, the strict build)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test unit pages clean help

help:
	@echo "make book   build the book into _build/html (creates .venv on first use)"
	@echo "make test   run every test: unit tests, each page as a notebook, the strict build"
	@echo "make unit   only the unit tests;  make pages   only the page executions"
	@echo "make clean  remove _build and .venv"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Python 3.11 or newer is needed; found: $$($(PYTHON) --version 2>&1). Use make PYTHON=python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --all -W -n --keep-going
	@echo
	@echo "The book is built. Open $(CURDIR)/_build/html/index.html in a browser."

test: $(STAMP)
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest -m "not pages and not build"

pages: $(STAMP)
	$(BIN)/python -m pytest -m pages

clean:
	rm -rf _build $(VENV) .pytest_cache .hypothesis
