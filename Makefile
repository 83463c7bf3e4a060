# Two entry points do all the set-up on a fresh Debian 12 / Ubuntu 24.04 machine:
#   make demo   - system packages, .venv, the project, then `kiosk demo`
#   make test   - the same set-up, then quality gates and the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := $(shell grep -v '^\#' packaging/apt-packages.txt | grep -v '^$$')
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo test system venv lint typecheck contracts pytest clean

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else echo "System packages present."; fi

$(BIN)/kiosk: setup.py requirements.txt requirements-dev.txt constraints.txt
	$(MAKE) system
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "paperless-kiosk needs Python 3.11 or newer (PYTHON=$(PYTHON))"; exit 1; }
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	# pyscard builds from source and needs swig on PATH during its build
	$(BIN)/pip install -q -c constraints.txt swig
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(BIN)/kiosk

venv: $(BIN)/kiosk

demo: system venv
	$(BIN)/kiosk demo

lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy kiosk db config devices printers ui

contracts: venv
	$(BIN)/lint-imports

pytest: venv
	$(BIN)/pytest

test: system venv lint typecheck contracts pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
