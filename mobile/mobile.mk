# memchat mobile app: included from the root Makefile (which defines VENV, PY and install).
# See mobile/README.md.

MOBILE_DIR := mobile
MOBILE_PIP := $(VENV)/bin/pip
MOBILE_CONSTRAINTS := requirements/constraints.txt
MOBILE_HOST ?= 127.0.0.1
MOBILE_PORT ?= 8550
CHROMIUM ?= /usr/bin/chromium
# `flet build` needs the protocol modules inside the app: they are staged with it, not copied into src/.
MOBILE_STAGE := $(MOBILE_DIR)/build/flet-app
MOBILE_FRAMES := __init__.py errors.py frames.py

.PHONY: mobile mobile-install mobile-python mobile-browser mobile-chromium mobile-test mobile-screenshots mobile-render-cost \
	mobile-stage mobile-apk mobile-aab mobile-ipa

# A desktop window where there is a display; elsewhere (a headless Linux box) the web server, for a browser.
# MOBILE_VIEW=web forces the browser version.
mobile: mobile-python
	@if [ "$(MOBILE_VIEW)" = web ] || { [ "$$(uname)" = Linux ] && [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; }; then \
		echo "memchat mobile: open http://$(MOBILE_HOST):$(MOBILE_PORT)/ (Ctrl-C stops it)"; \
		FLET_FORCE_WEB_SERVER=1 FLET_WEB_NO_CDN=1 FLET_SERVER_IP=$(MOBILE_HOST) FLET_SERVER_PORT=$(MOBILE_PORT) \
			$(PY) $(MOBILE_DIR)/src/main.py; \
	else \
		$(PY) $(MOBILE_DIR)/src/main.py; \
	fi

# Everything the tests need: flet in the venv, chromium, and playwright-core from the lock file.
mobile-install: mobile-python mobile-browser

mobile-python: $(VENV)/.mobile-installed

# The app itself goes in editable with --no-deps: its pins are for phones (see pyproject.toml), and the
# venv keeps the backend's.
$(VENV)/.mobile-installed: $(VENV)/.installed requirements/mobile.in $(MOBILE_DIR)/pyproject.toml
	$(MOBILE_PIP) install --quiet -r requirements/mobile.in -c $(MOBILE_CONSTRAINTS)
	$(MOBILE_PIP) install --quiet --no-deps "$$($(PY) -c 'import tomllib; print(next(d for d in tomllib.load(open("$(MOBILE_DIR)/pyproject.toml", "rb"))["project"]["dependencies"] if d.startswith("flet-secure-storage")))')"
	$(MOBILE_PIP) install -qq --no-deps -e $(MOBILE_DIR)
	touch $@

mobile-browser: mobile-chromium $(MOBILE_DIR)/node_modules/.package-lock.json

# Debian's chromium; playwright-core drives it and never downloads a browser build.
mobile-chromium:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(MOBILE_DIR)/node_modules/.package-lock.json: $(MOBILE_DIR)/package.json $(MOBILE_DIR)/package-lock.json
	cd $(MOBILE_DIR) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund

mobile-test: install mobile-install
	$(VENV)/bin/ruff check $(MOBILE_DIR) tests/mobile
	$(PY) -m pytest tests/mobile

# Runs the browser test and keeps its pictures in docs/screenshots/.
mobile-screenshots: install mobile-install
	MEMCHAT_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/mobile/test_browser.py

# CPU milliseconds per streamed delta, in the app and in the browser (a fake server streams 2,000 characters).
# MOBILE_COMPARE=path/to/other/mobile/src/main.py measures another checkout the same way.
mobile-render-cost: install mobile-install
	$(PY) -m tests.mobile.render_cost $(if $(MOBILE_COMPARE),--app-main $(MOBILE_COMPARE))

# ---------------------------------------------------------------- store packages (need the Flutter SDK)

mobile-stage:
	rm -rf $(MOBILE_STAGE) && mkdir -p $(MOBILE_STAGE)/src/memchat
	cp $(MOBILE_DIR)/pyproject.toml $(MOBILE_DIR)/README.md $(MOBILE_STAGE)/
	cp -r $(MOBILE_DIR)/src/main.py $(MOBILE_DIR)/src/assets $(MOBILE_DIR)/src/memchat_mobile $(MOBILE_STAGE)/src/
	cp $(addprefix backend/memchat/,$(MOBILE_FRAMES)) $(MOBILE_STAGE)/src/memchat/
	find $(MOBILE_STAGE) -name __pycache__ -prune -exec rm -rf {} +

mobile-apk mobile-aab mobile-ipa: mobile-%: mobile-python mobile-stage
	$(MOBILE_PIP) install --quiet "flet-cli==$$($(PY) -c 'import flet.version as v; print(v.flet_version)')"
	cd $(MOBILE_STAGE) && $(abspath $(VENV))/bin/flet build $* --yes $(FLET_BUILD_ARGS)
	@echo "memchat mobile: the package is in $(MOBILE_STAGE)/build/$*/"
