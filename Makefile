# factcheck: `make run` serves the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
FLASK  := $(BIN)/flask --app wsgi

.PHONY: run test install install-dev browser bench-extraction bench-load clean

run: install
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) run --host $(HOST) --port $(PORT)

# One test process per core (pytest-xdist; at most 8, each with its own databases).
test: install-dev browser
	$(BIN)/python -m pytest --numprocesses auto --maxprocesses 8

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

# Browser tests drive Debian's Chromium (no browser download). Installed here
# when missing and we are root; otherwise the browser tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
	      || echo "could not install chromium; browser tests will skip"; \
	  else echo "chromium is not installed (apt-get install chromium); browser tests will skip"; fi; }

bench-extraction: install-dev
	$(BIN)/python bench/extraction.py

# gunicorn + wrk against 100k articles / 1M quotes (built once into bench/out/), then
# two RQ workers ingesting. DATABASE_URL=postgresql:///loadtest runs it on PostgreSQL.
bench-load: install-dev
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null; \
	  else echo "wrk is not installed (apt-get install wrk)"; exit 1; fi; }
	$(BIN)/python bench/load.py $(if $(DATABASE_URL),--database-url $(DATABASE_URL))

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
