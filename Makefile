# CoP Workspace: `make run` starts the app with demo data; `make test` runs every test.
# Both set everything up on a fresh clone with only python3.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
COP_DEMO ?= 1
export COP_DEMO

.PHONY: run test bench screens a11y setup system-packages lint clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed
	$(BIN)/python -m cop.core.i18n_catalog compile

# Debian packages the tests drive, installed only when missing and only as root:
# Chromium for the browser tests (never a downloaded browser), Pango and fonts
# (Latin, Greek, Cyrillic) for the PDF export, LibreOffice Writer for the DOCX
# test, nginx for checking the example proxy configuration.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu fonts-noto-core \
	libreoffice-writer-nogui nginx-light

system-packages:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null && \
		! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
		echo "Installing Debian packages for the tests: $(SYSTEM_PACKAGES)"; \
		apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null 2>&1 || \
		(apt-get update -q >/dev/null && apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null) || \
		echo "Could not install every package; tests that need a missing one say so."; \
	fi

run: setup
	$(BIN)/cop db upgrade
	@if [ "$(COP_DEMO)" = "1" ]; then $(BIN)/cop demo load --if-empty; fi
	@echo ""
	@echo "  CoP Workspace: http://localhost:$(PORT)"
	@if [ "$(COP_DEMO)" = "1" ]; then \
		echo "  Demo sign-ins: admin, facilitator, member, observer; password: demo passphrase 2026"; fi
	@echo ""
	$(BIN)/streamlit run serve.py --server.port $(PORT) --server.headless true

# Two workers (one per core), each test file on one worker so a file's server starts once;
# then the tests marked `last`, which stop and restart the shared PostgreSQL server.
test: setup system-packages lint
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not last" --durations=20 -p no:cacheprovider
	$(BIN)/python -m pytest -m last --durations=20 -p no:cacheprovider

# Every page and state, each demo role, English and German, 1400 px and 390 px: docs/screens/.
screens: setup system-packages
	$(BIN)/python -m tests.browser.screens

# axe-core over every page and state (EN, DE; admin, observer); writes docs/accessibility.json,
# which the accessibility statement shows. Commit the file after a run.
a11y: setup system-packages
	CI=true COP_A11Y_FULL=1 COP_A11Y_REPORT=docs/accessibility.json \
		$(BIN)/python -m pytest -p no:cacheprovider tests/browser/test_accessibility.py

bench: setup
	$(BIN)/python -m benchmarks.run $(ONLY)

# The gates: lint, formatting, the layers (import-linter contracts in pyproject.toml), types.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
