# make demo: run the service on http://127.0.0.1:8000 · make test: the whole suite.
# PostgreSQL and OpenSearch come from `python -m devtools.services` (see README.md).

PYTHON := .venv/bin/python

.PHONY: install chromium services services-cluster services-down services-status migrate demo test lint bench

install: .venv/.installed chromium

# The browser tests drive Debian's Chromium: Playwright cannot download a browser here.
# As root it is installed when missing; otherwise say how (those tests then fail, never skip).
CHROMIUM_PATH ?= /usr/bin/chromium
chromium:
	@if [ -x "$(CHROMIUM_PATH)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
		echo "Chromium not found at $(CHROMIUM_PATH): the browser tests will fail." \
			"Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)."; \
	fi

.venv/bin/python:
	python3 -m venv .venv

# Reinstall only when the dependencies may have changed.
.venv/.installed: pyproject.toml | .venv/bin/python
	$(PYTHON) -m pip install -e '.[dev,test]'
	touch $@

services: install
	$(PYTHON) -m devtools.services up

# A real three-node OpenSearch cluster on LOCAL_CLUSTER_PORT (9260…) instead of the single node.
services-cluster: install
	$(PYTHON) -m devtools.services up --nodes 3

services-down: install
	$(PYTHON) -m devtools.services down

services-status: install
	$(PYTHON) -m devtools.services status

migrate: install services
	$(PYTHON) manage.py migrate --no-input

demo: install services migrate
	$(PYTHON) manage.py ensure_demo_admin
	$(PYTHON) manage.py load_demo_catalog
	$(PYTHON) manage.py search_index rebuild
	DEBUG=1 $(PYTHON) manage.py runserver 127.0.0.1:8000

test: install services
	.venv/bin/pytest

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

bench: install services migrate
	$(PYTHON) -m benchmarks.run
