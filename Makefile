# The two commands of the README: `make book` and `make test`. Both create the virtual
# environment and install the book's exact versions first (constraints.txt is the one place
# where versions are pinned; pyproject.toml declares labutils' ranges).
PYTHON ?= python3.11
VENV ?= .venv
PROFILE ?= auto
BIN := $(VENV)/bin
PIP_INSTALL := $(BIN)/python -m pip install --quiet

.PHONY: book test checks install colab-check lock lock-gpu clean

book: $(VENV)/.installed  ## execute every chapter (papermill) and build _build/html
	PROFILE=$(PROFILE) $(BIN)/python tools/book.py

test: $(VENV)/.installed  ## unit tests, notebook hygiene, chapters under nbmake (smoke), papermill
	$(BIN)/python -m pytest -n 2

checks: $(VENV)/.installed  ## after `make book`: every test except running the notebooks again; bands on _build's ledger
	$(BIN)/python -m pytest labutils tools tests --check-results=_build

install: $(VENV)/.installed

# pip installs uv (pinned in constraints.txt), and uv installs the rest from the same lock: in
# 37-42 s on the 2-core CI machine, against about 115 s for pip. Bytecode is compiled, as
# pip does, so that every kernel imports TensorFlow from .pyc files.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -c constraints.txt --upgrade pip uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -c constraints.txt -e ".[all]"
	touch $@

colab-check: $(VENV)/.installed  ## Colab's runtime (Python 3.13, tools/colab-runtime.txt): install cells and chapters
	$(BIN)/python -m tools.colab_check

lock:  ## re-pin constraints.txt from a fresh environment built from pyproject.toml's ranges
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet -e ".[all]"
	sed -n '/^#/p' constraints.txt > constraints.new
	$(VENV)-lock/bin/python -m pip freeze --exclude-editable | grep -v '^labutils' >> constraints.new
	mv constraints.new constraints.txt && rm -rf $(VENV)-lock

lock-gpu: $(VENV)/.installed  ## re-pin constraints-gpu.txt: the nvidia-* wheels tensorflow[and-cuda] adds (dry run)
	$(BIN)/python -m pip install --dry-run --quiet --report $(VENV)/gpu-report.json -c constraints.txt \
		"tensorflow[and-cuda]==$$($(BIN)/python -c 'import tensorflow as tf; print(tf.__version__)')"
	sed -n '/^#/p' constraints-gpu.txt > constraints-gpu.new
	$(BIN)/python -c "import json; r = json.load(open('$(VENV)/gpu-report.json')); \
		print(*sorted(f\"{i['metadata']['name']}=={i['metadata']['version']}\" for i in r['install']), sep='\n')" >> constraints-gpu.new
	mv constraints-gpu.new constraints-gpu.txt

clean:
	rm -rf _build
