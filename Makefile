# The two commands of the README: `make book` and `make test`. Both create the virtual
# environment and install the pinned dependencies first (pyproject.toml is the one place).
PYTHON ?= python3.11
VENV ?= .venv
PROFILE ?= auto
BIN := $(VENV)/bin
export LABUTILS_BUILD_DIR ?= $(CURDIR)/_build

.PHONY: book test install clean

book: $(VENV)/.installed  ## execute every chapter (papermill) and build _build/html
	PROFILE=$(PROFILE) $(BIN)/python tools/book.py

test: $(VENV)/.installed  ## unit tests, notebook hygiene, chapters under nbmake (smoke), papermill
	$(BIN)/python -m pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[all]"
	touch $@

clean:
	rm -rf _build
