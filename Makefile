# The set-up commands of the README: `make demo`, `make test` and `make docs`.
# Both create .venv on first use, installing the CPU build of torch pinned in
# constraints-cpu.txt (never a multi-GB CUDA download).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test fuzz lint install docs

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
