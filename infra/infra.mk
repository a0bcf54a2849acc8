# memchat infra: CDK targets, included from the root Makefile (which defines VENV and PY).
# Configure with CONFIG=path/to/config.json and/or CDK_ARGS="-c key=value" (see docs/deploy.md);
# keys are the fields of infra/memchat_infra/config.py.

INFRA_DIR := infra
# The CDK targets run in their own environment: the CDK app, cdk-nag, the backend package (the stack reads
# its settings, tables and actions) and the Lambda runtime set it imports. No compiler, Java or root needed:
# a deploying machine needs Python 3.11+, Node.js 18+ and make (docs/deploy.md).
INFRA_VENV ?= .tools/infra-venv
INFRA_PY := $(INFRA_VENV)/bin/python
INFRA_REQUIREMENTS := requirements/infra.in requirements/lambda.in
CONFIG ?=
CDK_ARGS ?=
CDK_CONTEXT := $(if $(CONFIG),-c config=$(abspath $(CONFIG))) $(CDK_ARGS)
# jsii prints a banner on every run under Node 20 (past end of life; the machines here have it and the
# CLI and library still work on it). Only that version's banner is silenced; use Node 22+ where you can.
CDK_ENV := CDK_DISABLE_CLI_TELEMETRY=true JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
CDK_CLI := npx --no-install cdk --app "$(abspath $(INFRA_PY)) app.py" --no-notices
CDK := cd $(INFRA_DIR) && $(CDK_ENV) $(CDK_CLI)

.PHONY: infra-install infra-python preflight synth diff bootstrap deploy destroy infra-test tgi-images

# The CDK CLI pinned in infra/package-lock.json, and the infra-only Python environment.
infra-install: $(INFRA_DIR)/node_modules/.package-lock.json infra-python

infra-python: $(INFRA_VENV)/.installed

$(INFRA_VENV)/.installed: $(INFRA_REQUIREMENTS) $(CONSTRAINTS) backend/pyproject.toml
	test -x $(INFRA_PY) || $(PYTHON) -m venv $(INFRA_VENV)
	$(INFRA_PY) -m pip install --quiet --upgrade pip
	$(INFRA_PY) -m pip install --quiet $(foreach r,$(INFRA_REQUIREMENTS),-r $(r)) -c $(CONSTRAINTS)
	$(INFRA_PY) -m pip install --quiet --no-deps -e backend
	touch $@

$(INFRA_DIR)/node_modules/.package-lock.json: $(INFRA_DIR)/package.json $(INFRA_DIR)/package-lock.json
	cd $(INFRA_DIR) && npm ci --no-audit --no-fund

# Offline: no credentials needed, and the instance metadata lookup for them is skipped.
synth: infra-install
	cd $(INFRA_DIR) && AWS_EC2_METADATA_DISABLED=true $(CDK_ENV) $(CDK_CLI) synth $(CDK_CONTEXT) --quiet

diff: infra-install
	$(CDK) diff $(CDK_CONTEXT)

bootstrap: infra-install
	$(CDK) bootstrap $(CDK_CONTEXT)

# Stops before anything is created when the account cannot take the stack (docs/deploy.md, Pre-flight).
preflight: infra-install
	cd $(INFRA_DIR) && $(abspath $(INFRA_PY)) -m memchat_infra.preflight $(CDK_CONTEXT)

deploy: preflight
	$(CDK) deploy $(CDK_CONTEXT) --outputs-file cdk-outputs.json

destroy: infra-install
	$(CDK) destroy $(CDK_CONTEXT)

infra-test:
	$(PY) -m pytest tests/infra -q

# Refresh infra/memchat_infra/tgi_images.json from the SageMaker SDK's image config, read straight from the
# sagemaker-core wheel (never installed): the newest, or SAGEMAKER_CORE=<version>.
SAGEMAKER_CORE ?=
tgi-images: infra-python
	rm -rf .tools/sagemaker-core && mkdir -p .tools/sagemaker-core
	$(INFRA_PY) -m pip download --quiet --no-deps --only-binary=:all: -d .tools/sagemaker-core \
		sagemaker-core$(if $(SAGEMAKER_CORE),==$(SAGEMAKER_CORE))
	cd $(INFRA_DIR) && $(abspath $(INFRA_PY)) -m memchat_infra.catalog $(abspath .tools/sagemaker-core)/sagemaker_core-*.whl
