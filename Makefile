# Two commands: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := frameworks/examples/goci-profile.answers.yaml
WORK := .venv/example.answers.yaml

.PHONY: run test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/assess validate frameworks/*.yaml
	$(BIN)/assess score $(EXAMPLE)
	@test -f $(WORK) || cp $(EXAMPLE) $(WORK)
	@if [ -t 0 ] && [ -t 1 ]; then $(BIN)/assess open $(WORK); \
	else echo "No terminal here: in a terminal, 'make run' opens the app on $(WORK)"; fi

test: $(BIN)/.installed
	$(BIN)/ruff check assess tests bench
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check assess tests bench

bench: $(BIN)/.installed
	$(BIN)/python bench/run.py
	$(BIN)/python bench/tui.py

clean:
	rm -rf $(VENV) .pytest_cache
