# coursecheck: every target sets up what it needs (a .venv from PyPI) on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

# ``make fuzz``: the Hypothesis fuzz of the manifest loader and MP4 probing, many examples
FUZZ_EXAMPLES ?= 500

.PHONY: help demo test fuzz lint typecheck pytest samples schema docs site screenshot bench clean

help:
	@echo "make demo     check the two sample courses (one passes, one fails on purpose)"
	@echo "make test     ruff, mypy and pytest"
	@echo "make fuzz     fuzz the manifest loader and MP4 probing longer (FUZZ_EXAMPLES=500)"
	@echo "make samples  rebuild sample_courses/ with ffmpeg"
	@echo "make schema   regenerate schemas/course.schema.json and case.schema.json from the models"
	@echo "make docs     regenerate the rule pages under docs/rules/ from the rule registry"
	@echo "make site     optional: build docs/ as a static site into site/ (installs MkDocs on first use)"
	@echo "make screenshot  photograph the sample audit's HTML report for the README (needs chromium)"
	@echo "make bench    time audit against MediaInfo and ffprobe on 200 and 2,000 seven-minute lessons"
	@echo "make clean    remove .venv and caches"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "coursecheck needs Python 3.11 or newer; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.stamp-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.stamp-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dask]'
	@touch $@ $(VENV)/.stamp-run

demo: $(VENV)/.stamp-run
	$(BIN)/coursecheck doctor
	@echo; echo "== a course that passes =="
	$(BIN)/coursecheck check sample_courses/good-course
	@echo; echo "== a course with problems (exit code 1 is expected) =="
	$(BIN)/coursecheck check sample_courses/needs-work; test $$? -eq 1

test: lint typecheck pytest

fuzz: $(VENV)/.stamp-test
	COURSECHECK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/test_fuzz.py

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check src tests scripts

typecheck: $(VENV)/.stamp-test
	$(BIN)/mypy

pytest: $(VENV)/.stamp-test
	$(BIN)/python -m pytest -q -n 2 --timeout=900

samples: $(VENV)/.stamp-run
	$(BIN)/python scripts/make_samples.py

schema: $(VENV)/.stamp-run
	$(BIN)/coursecheck schema --lang en > schemas/course.schema.json
	$(BIN)/coursecheck schema --kind case --lang en > schemas/case.schema.json

docs: $(VENV)/.stamp-run
	$(BIN)/python scripts/make_docs.py

# The optional static site: MkDocs with the Material theme, installed into the venv on first use.
$(VENV)/.stamp-docs: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	@touch $@

site: $(VENV)/.stamp-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

screenshot: $(VENV)/.stamp-run
	$(BIN)/python scripts/make_screenshot.py

# BENCH_ARGS e.g. "--runs 3 --ffprobe /opt/ffprobe/bin/ffprobe"; the corpus stays in bench-corpus/
# the bench's cluster row runs Dask workers: the dask extra
$(VENV)/.stamp-dask: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dask]'
	@touch $@ $(VENV)/.stamp-run

bench: $(VENV)/.stamp-dask
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis
