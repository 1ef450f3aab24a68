# The two commands of the README's quick start:
#   make run    set up (virtual environment + dependencies) and start the editor
#   make test   set up and run the whole test suite
# make dist: the self-contained Linux build, dist/fazhi-report-editor-<version>-linux-x86_64.tar.gz
# (packaging/; smoke test: packaging/smoke_test.sh), for desktops with glibc >= 2.28: it freezes a
# Python built for them (build/py-compat/, made once by packaging/build_compat_python.sh and kept).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test bench lint clean dist

run: $(VENV)/.installed
	$(PY) main.py

test: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(VENV)/.installed
	$(PY) benchmarks/run_all.py

dist: $(VENV)/.installed
	HOSTPY=$(PY) bash packaging/build_compat_python.sh
	PY=build/py-compat/bin/python3.11 bash packaging/build_dist.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check editor db tests benchmarks main.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]' ruff
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache build dist
