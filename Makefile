# Two commands: `make run` and `make test`. Both set up .venv from uv.lock first; they need Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
EXAMPLE := frameworks/examples/goci-profile.answers.yaml
WORK := $(VENV)/example.answers.yaml

# uv installs into .venv with the Python that made it, never downloads one, and copies from its cache (no
# warning when the cache and the checkout are on different disks)
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
# site-packages compiled to bytecode at install: every command imports them compiled, even where
# PYTHONDONTWRITEBYTECODE keeps Python from caching what it compiles (matplotlib alone is 6 s of compiling)
export UV_COMPILE_BYTECODE := 1
export UV_NO_PROGRESS := 1

.PHONY: run test lint typecheck tools lock upgrade bench clean

# pip (in every venv) installs the pinned uv with its hashes; uv installs exactly the locked versions, hashes
# checked, and removes anything the lock does not list
$(UV): scripts/uv.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "assess needs Python 3.11 or newer; run: make $(MAKECMDGOALS) PYTHON=python3.11" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -qq --disable-pip-version-check --require-hashes -r scripts/uv.txt
	@touch $@

$(BIN)/.installed: $(UV) pyproject.toml uv.lock
	@$(UV) sync --locked --all-extras --quiet
	@touch $@

run: $(BIN)/.installed
	$(BIN)/assess validate frameworks/*.yaml
	$(BIN)/assess score $(EXAMPLE)
	@test -f $(WORK) || cp $(EXAMPLE) $(WORK)
	@if [ -t 0 ] && [ -t 1 ]; then $(BIN)/assess open $(WORK); \
	else echo "No terminal here: in a terminal, 'make run' opens the app on $(WORK)"; fi

test: $(BIN)/.installed tools
	$(BIN)/ruff check assess tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check assess tests bench
	$(BIN)/mypy

# LibreOffice Writer, poppler-utils and tmux for the report and terminal tests: installed where this machine
# allows it, otherwise those tests are skipped with the command that installs them
tools:
	@scripts/system-tools

# after changing the dependencies in pyproject.toml: pin them (other pins stay), in a commit of their own
lock: $(UV)
	$(UV) lock
	$(UV) export --quiet --only-group bootstrap --format requirements-txt --no-emit-project --no-header -o scripts/uv.txt

# the newest versions the ranges in pyproject.toml allow
upgrade: $(UV)
	$(UV) lock --upgrade
	$(UV) export --quiet --only-group bootstrap --format requirements-txt --no-emit-project --no-header -o scripts/uv.txt

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py
	$(BIN)/python bench/tui.py
	$(BIN)/python bench/versions.py

clean:
	rm -rf $(VENV) .pytest_cache
