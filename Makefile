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

# The main job: the web service on http://127.0.0.1:8000/ (data in ./var/). The first run creates an admin API key
# and prints it (alone on the last line of that step); later runs keep the keys they have.
run: install
	$(BIN)/compliance admin create-key --role admin --name first-admin --if-none
	$(BIN)/compliance serve

lint: dev
	$(BIN)/ruff check compliance service tests benchmarks

lexicon-test: install
	$(BIN)/compliance lexicon test

test: dev
	$(BIN)/ruff check compliance service tests benchmarks
	$(BIN)/compliance lexicon test
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: install
	$(BIN)/python benchmarks/text_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
