# Two entry points for a newcomer (see README):
#   make dataset   install the package and build datasets/processed from datasets/raw
#   make test      install with dev extras, lint, run the test suite and check the notebooks with nbval
# (the installs precompile the package's bytecode, as pip does for a regular install: an editable
#  install does not, and under PYTHONDONTWRITEBYTECODE every run would compile our modules again)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: dataset test install install-dev evaluate benchmark lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q src

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null

dataset: install
	$(BIN)/corpus-tools build datasets/raw --out datasets/processed

test: install-dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest --nbval --nbval-current-env tests notebooks

evaluate: install-dev
	$(BIN)/corpus-tools evaluate

benchmark: install-dev
	$(BIN)/python benchmarks/bench_pipeline.py

lint: install-dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
