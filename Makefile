# Two entry points that work on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: site test serve check clean golden

$(BIN)/cocreate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

## Build the demo site into _site/
site: $(BIN)/cocreate
	$(BIN)/cocreate build --config site.yml --out _site
	@echo "Open it with: make serve   (then http://127.0.0.1:$(PORT)/)"

## Serve the built demo site on localhost (static; `cocreate serve` rebuilds live)
serve: site
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _site $(PORT)

## Validate the demo content without building
check: $(BIN)/cocreate
	$(BIN)/cocreate check --config site.yml

## Run the whole test suite
test: $(BIN)/cocreate
	$(BIN)/python -m pytest -q

## Regenerate the golden output of tests/sites/basic on purpose (review the diff!)
golden: $(BIN)/cocreate
	$(BIN)/python -m pytest -q tests/test_golden.py --update-golden

clean:
	rm -rf _site $(VENV) .pytest_cache
