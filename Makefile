# The set-up commands of the README: `make demo`, `make test` and `make docs`.
# Both create .venv on first use, installing the CPU build of torch pinned in
# constraints-cpu.txt (never a multi-GB CUDA download).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test fuzz lint install docs test-backbones

$(BIN)/.installed: pyproject.toml constraints-cpu.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints-cpu.txt -e ".[dev,benchmarks]"
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/python benchmarks/run.py --quick

test: install
	$(BIN)/python -m pytest -q

# The property tests on fresh random inputs (`make test` draws the same ones
# every run), under a new seed that it prints; `make fuzz SEED=...` replays a run.
fuzz: install
	@seed=$(SEED); seed=$${seed:-$$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}; \
	echo "make fuzz: hypothesis seed $$seed (replay with: make fuzz SEED=$$seed)"; \
	$(BIN)/python -m pytest -q tests/generic/test_properties.py \
		--hypothesis-profile=fuzz --hypothesis-seed=$$seed \
		|| { echo "make fuzz failed with seed $$seed: replay with make fuzz SEED=$$seed"; exit 1; }

# The real torchvision and timm models of tests/image/test_backbones.py, which cannot
# import beside the CPU build of torch: a second venv with the stock build (torch
# 2.14.1 and torchvision 0.29.1 with CUDA libraries, about 5.5 GB, run on the CPU),
# kept in the user's cache across clones and made again when pyproject.toml changes.
BACKBONES_VENV ?= $(HOME)/.cache/sklearn-ssl/venv-backbones
BACKBONE_PINS := torch==2.14.1 torchvision==0.29.1 timm

$(BACKBONES_VENV)/.installed-%:
	rm -rf $(BACKBONES_VENV)
	$(PYTHON) -m venv $(BACKBONES_VENV)
	$(BACKBONES_VENV)/bin/python -m pip install --quiet $(BACKBONE_PINS)
	$(BACKBONES_VENV)/bin/python -m pip install --quiet ".[dev]"
	$(BACKBONES_VENV)/bin/python -m pip uninstall --quiet --yes sklearn-ssl  # tests use this tree
	touch $@

test-backbones: $(BACKBONES_VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
	SKLEARN_SSL_REQUIRE_BACKBONES=1 $(BACKBONES_VENV)/bin/python -m pytest -q \
		-p no:cacheprovider tests/image/test_backbones.py

# The documentation, with every warning an error. It runs the gallery examples
# (one to three minutes each on one CPU thread); an example is run again only
# when its file changes, so `rm -rf docs/auto_examples` after library changes.
$(BIN)/.docs-installed: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -c constraints-cpu.txt -e ".[docs]"
	touch $@

docs: $(BIN)/.docs-installed
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

lint: install
	$(BIN)/ruff check sklearn_ssl tests benchmarks docs examples
	$(BIN)/ruff format --check sklearn_ssl tests benchmarks docs examples
