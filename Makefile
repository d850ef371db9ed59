# make demo: set up .venv when needed and open GridCC in demo mode.
# make test: same set-up, then the import contracts and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test translations clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gridcc demo

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

translations: $(STAMP)
	$(BIN)/python tools/translations.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
