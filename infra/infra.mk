# memchat infra: CDK targets, included from the root Makefile (which defines VENV and PY).
# Configure with CONFIG=path/to/config.json and/or CDK_ARGS="-c key=value" (see docs/deploy.md);
# keys are the fields of infra/memchat_infra/config.py.

INFRA_DIR := infra
# The CDK targets run in their own environment: the CDK app, cdk-nag, the backend package (the stack reads
# its settings, tables and actions) and the Lambda runtime set it imports. No compiler, Java or root needed:
# a deploying machine needs Python 3.11+, npm (with any Node.js 18+) and make (docs/deploy.md).
INFRA_VENV ?= .tools/infra-venv
INFRA_PY := $(INFRA_VENV)/bin/python
INFRA_REQUIREMENTS := requirements/infra.in requirements/lambda.in
CONFIG ?=
CDK_ARGS ?=
CDK_CONTEXT := $(if $(CONFIG),-c config=$(abspath $(CONFIG))) $(CDK_ARGS)
# `make deploy CLEAN_FAILED_DEPLOY=1`: the pre-flight first deletes a rolled-back first deploy and what it
# left, while empty (infra/memchat_infra/leftovers.py), then the deploy goes on.
CLEAN_FAILED_DEPLOY ?=
PREFLIGHT_ARGS = $(CDK_CONTEXT) $(if $(CLEAN_FAILED_DEPLOY),--clean-failed-deploy)
# The deploy toolchain runs on the Node.js pinned in infra/package.json (the `node` package puts its binary in
# node_modules/.bin), whatever Node the machine has: the CDK CLI finds it first on PATH, and jsii, the CDK
# library's JavaScript runtime under the Python app, is pointed at it.
NODE_BIN := $(abspath $(INFRA_DIR)/node_modules/.bin)
CDK_ENV := PATH="$(NODE_BIN):$$PATH" JSII_NODE="$(NODE_BIN)/node" CDK_DISABLE_CLI_TELEMETRY=true
CDK_CLI := "$(NODE_BIN)/cdk" --app "$(abspath $(INFRA_PY)) app.py" --no-notices
CDK := cd $(INFRA_DIR) && $(CDK_ENV) $(CDK_CLI)

.PHONY: infra-install infra-node infra-python preflight synth diff bootstrap deploy destroy infra-test model-images

# The Node.js and CDK CLI pinned in infra/package-lock.json, and the infra-only Python environment.
infra-install: infra-node infra-python

infra-node: $(INFRA_DIR)/node_modules/.package-lock.json

infra-python: $(INFRA_VENV)/.installed

# The infra tests synthesize the stack through jsii too: they run on the same Node (tests/infra/conftest.py).
test infra-test: infra-node

$(INFRA_VENV)/.installed: $(INFRA_REQUIREMENTS) $(CONSTRAINTS) backend/pyproject.toml
	test -x $(INFRA_PY) || $(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_PY) -m pip install --quiet --upgrade pip
	$(INFRA_PY) -m pip install --quiet $(foreach r,$(INFRA_REQUIREMENTS),-r $(r)) -c $(CONSTRAINTS)
	$(INFRA_PY) -m pip install --quiet --no-deps -e backend
	touch $@

$(INFRA_DIR)/node_modules/.package-lock.json: $(INFRA_DIR)/package.json $(INFRA_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "The deploy toolchain is installed with npm: install Node.js 18 or newer (it brings npm), then run make again (docs/deploy.md, Prerequisites)." >&2; exit 1; }
	cd $(INFRA_DIR) && npm ci --no-audit --no-fund
	$(NODE_BIN)/node --version

# Offline: no credentials needed, and the instance metadata lookup for them is skipped.
synth: infra-install
	cd $(INFRA_DIR) && AWS_EC2_METADATA_DISABLED=true $(CDK_ENV) $(CDK_CLI) synth $(CDK_CONTEXT) --quiet

diff: infra-install
	$(CDK) diff $(CDK_CONTEXT)

bootstrap: infra-install
	$(CDK) bootstrap $(CDK_CONTEXT)

# Stops before anything is created when the account cannot take the stack, and prints what the model will
# cost a month (docs/deploy.md, Pre-flight).
preflight: infra-install
	cd $(INFRA_DIR) && $(abspath $(INFRA_PY)) -m memchat_infra.preflight $(PREFLIGHT_ARGS)

deploy: preflight
	$(CDK) deploy $(CDK_CONTEXT) --outputs-file cdk-outputs.json

destroy: infra-install
	$(CDK) destroy $(CDK_CONTEXT)

infra-test:
	$(PY) -m pytest tests/infra -q

# Refresh infra/memchat_infra/model_images.json (the TGI and vLLM images per region, and AWS's LMI as an
# alternative) from the SageMaker SDK's image_uri_config, read straight from the sagemaker-core wheel: downloaded
# into a fresh folder, never installed.
# The version is pinned here, and the map records it (its "source"); `make model-images SAGEMAKER_CORE=<version>`
# reads another, and the map then says so.
SAGEMAKER_CORE ?= 2.27.0
SAGEMAKER_CORE_DIR := .tools/sagemaker-core-$(SAGEMAKER_CORE)
model-images: infra-python
	rm -rf $(SAGEMAKER_CORE_DIR) && mkdir -p $(SAGEMAKER_CORE_DIR)
	$(INFRA_PY) -m pip download --quiet --no-deps --only-binary=:all: -d $(SAGEMAKER_CORE_DIR) \
		sagemaker-core==$(SAGEMAKER_CORE)
	cd $(INFRA_DIR) && $(abspath $(INFRA_PY)) -m memchat_infra.catalog $(abspath $(SAGEMAKER_CORE_DIR))/sagemaker_core-*.whl
