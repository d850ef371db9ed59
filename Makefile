# make demo: set up .venv when needed and open GridCC in demo mode.
# make lint: ruff, mypy (the files named in pyproject.toml) and the import contracts.
# make test: same set-up, then the lint above and the whole suite (it builds the bundle once and smoke-runs it).
# make bundle: the desktop app as one folder, dist/gridcc/ (runs without Python), and dist/gridcc-VERSION-linux.tar.gz.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo lint test translations bundle clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,bundle]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gridcc demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest

translations: $(STAMP)
	$(BIN)/python tools/translations.py

bundle: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/gridcc.spec
	dist/gridcc/gridcc --version
	tar -C dist -czf dist/gridcc-$$(dist/gridcc/gridcc --version | cut -d' ' -f2)-linux-$$(uname -m).tar.gz gridcc
	@du -sh dist/gridcc dist/gridcc-*.tar.gz

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist *.egg-info
