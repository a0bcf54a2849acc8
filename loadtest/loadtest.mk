# `make loadtest`: the Locust latency suite (loadtest/, report in docs/loadtest.md).
# Included from the root Makefile, which defines VENV, PY and `install`.
#
#   make loadtest                                   every local scenario, each on a fresh local stack
#   make loadtest SCENARIOS="replay-steps"          some of them (loadtest/scenarios.py lists them)
#   make loadtest WS_URL=wss://... TOKEN_FILE=f     a deployed stage (tokens: docs/loadtest.md)
#   make loadtest-smoke                             a few users for a few seconds

LOADTEST_STAMP := $(VENV)/.loadtest-installed
WS_URL ?=
TOKEN_FILE ?=
ENDPOINT_NAME ?=
SCENARIOS ?=
LOADTEST_ARGS ?=

.PHONY: loadtest loadtest-install loadtest-smoke

loadtest-install: install $(LOADTEST_STAMP)

$(LOADTEST_STAMP): $(VENV)/.installed requirements/loadtest.in requirements/constraints.txt
	$(PY) -m pip install --quiet -r requirements/loadtest.in -c requirements/constraints.txt
	touch $@

loadtest: install loadtest-install
	$(PY) -m loadtest $(SCENARIOS) $(if $(WS_URL),--url '$(WS_URL)') $(if $(TOKEN_FILE),--token-file '$(TOKEN_FILE)') \
		$(if $(ENDPOINT_NAME),--endpoint-name '$(ENDPOINT_NAME)') $(LOADTEST_ARGS)

loadtest-smoke: install loadtest-install
	$(PY) -m loadtest smoke smoke-open $(LOADTEST_ARGS)
