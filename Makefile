# Two entry points for a fresh machine: `make run` (the main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test install dev lint lexicon-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(STAMP)

dev: $(DEV_STAMP)

# The main job. Until the web service lands, it checks the bundled sample inputs and prints the findings
# (exit status 1 from `compliance check` means "findings", which is the expected outcome here).
run: install
	$(BIN)/compliance check fixtures/samples --format table; status=$$?; test $$status -le 1

lint: dev
	$(BIN)/ruff check compliance tests benchmarks

lexicon-test: install
	$(BIN)/compliance lexicon test

test: dev
	$(BIN)/ruff check compliance tests benchmarks
	$(BIN)/compliance lexicon test
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: install
	$(BIN)/python benchmarks/text_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
