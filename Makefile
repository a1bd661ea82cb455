# Two entry points that work on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

# The browser tests' tools: Debian's Chromium (and fonts that show Chinese and emoji),
# Java for the Nu HTML checker, and axe-core and vnu-jar from the npm registry.
NPM_CACHE   := .cache/npm
AXE_CORE    := axe-core@4.14.1
VNU_JAR     := vnu-jar@26.9.27
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site site-zh test serve check clean golden browser-deps screenshots

$(BIN)/cocreate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

## Build the demo site into _site/: English at /, Chinese under /zh-CN/ (site.yml's languages)
site: $(BIN)/cocreate
	$(BIN)/cocreate build --config site.yml --out _site
	@echo "Open it with: make serve   (then http://127.0.0.1:$(PORT)/)"

## Build the demo Chinese-first (site.zh-CN.yml: Chinese at /, English under /en/) into _site-zh-CN/
site-zh: $(BIN)/cocreate
	$(BIN)/cocreate build --config site.zh-CN.yml

## Serve the built demo site on localhost (static; `cocreate serve` rebuilds live)
serve: site
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _site $(PORT)

## Validate the demo content without building
check: $(BIN)/cocreate
	$(BIN)/cocreate check --config site.yml

## Install what the browser tests need; each step is skipped when its tool is already there
browser-deps:
	command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium)
	dpkg -s fonts-noto-cjk fonts-noto-color-emoji >/dev/null 2>&1 || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y fonts-noto-cjk fonts-noto-color-emoji)
	command -v java >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y default-jre-headless)
	test -f $(NPM_CACHE)/node_modules/axe-core/axe.min.js -a -f $(NPM_CACHE)/node_modules/vnu-jar/build/dist/vnu.jar || \
	  npm install --prefix $(NPM_CACHE) --no-save --no-package-lock --ignore-scripts --no-audit --no-fund $(AXE_CORE) $(VNU_JAR)

## Run the whole test suite, browser tests included
# One worker per core; a test file stays on one worker, so its shared site is built once.
test: $(BIN)/cocreate browser-deps
	$(BIN)/python -m pytest -q -n auto --dist loadfile

## Regenerate the golden output of tests/sites/basic on purpose (review the diff!)
golden: $(BIN)/cocreate
	$(BIN)/python -m pytest -q tests/test_golden.py --update-golden

## Screenshots of the demo site for the README (docs/screenshots/), with the test browser
screenshots: $(BIN)/cocreate browser-deps
	command -v pngquant >/dev/null || ($(SUDO) apt-get update && $(SUDO) apt-get install -y pngquant)
	$(BIN)/python tests/browser/screenshots.py

clean:
	rm -rf _site _site-zh _site-zh-CN $(VENV) .pytest_cache
