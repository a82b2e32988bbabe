# Two commands for a newcomer: `make run` (install + extract the bundled corpus into DuckDB)
# and `make test` (install + the test suite). Needs only Python 3.11+, pip and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: install run test lint clean

$(BIN)/thidua: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/thidua

run: install
	$(BIN)/thidua run

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data build *.egg-info
