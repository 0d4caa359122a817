# The two commands of the README. Both install what is missing first (Debian packages, .venv).
VENV    := .venv
PY      := $(VENV)/bin/python
SOHOA   := $(VENV)/bin/sohoa
HOST    ?= 127.0.0.1
PORT    ?= 8080

.PHONY: run test install install-test lint bench-ocr bench-search bench-tagging bench-ingest

$(VENV)/.installed: pyproject.toml
	bash scripts/install-system.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: install
	bash scripts/install-system.sh --test

run: install
	$(SOHOA) serve --host $(HOST) --port $(PORT)

test: install-test
	bash scripts/run-tests.sh

lint: install
	bash scripts/lint.sh

bench-ocr: install
	$(PY) -m bench.ocr

bench-tagging: install
	$(PY) -m bench.tagging.run

bench-search: install
	$(PY) -m bench.search

bench-ingest: install
	$(PY) -m bench.ingest

bench-signing: install-test
	$(PY) -m bench.signing
