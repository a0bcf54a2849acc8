# memchat infra: CDK targets, included from the root Makefile (which defines VENV and PY).
# Configure with CONFIG=path/to/config.json and/or CDK_ARGS="-c key=value" (see docs/deploy.md);
# keys are the fields of infra/memchat_infra/config.py.

INFRA_DIR := infra
CONFIG ?=
CDK_ARGS ?=
CDK_CONTEXT := $(if $(CONFIG),-c config=$(abspath $(CONFIG))) $(CDK_ARGS)
# jsii prints a banner on every run under Node 20 (past end of life; the machines here have it and the
# CLI and library still work on it). Only that version's banner is silenced; use Node 22+ where you can.
CDK_ENV := CDK_DISABLE_CLI_TELEMETRY=true JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
CDK_CLI := npx --no-install cdk --app "$(abspath $(PY)) app.py" --no-notices
CDK := cd $(INFRA_DIR) && $(CDK_ENV) $(CDK_CLI)

.PHONY: infra-install synth diff bootstrap deploy destroy infra-test

# The CDK CLI pinned in infra/package-lock.json.
infra-install: $(INFRA_DIR)/node_modules/.package-lock.json

$(INFRA_DIR)/node_modules/.package-lock.json: $(INFRA_DIR)/package.json $(INFRA_DIR)/package-lock.json
	cd $(INFRA_DIR) && npm ci --no-audit --no-fund

# Offline: no credentials needed, and the instance metadata lookup for them is skipped.
synth: infra-install
	cd $(INFRA_DIR) && AWS_EC2_METADATA_DISABLED=true $(CDK_ENV) $(CDK_CLI) synth $(CDK_CONTEXT) --quiet

diff: infra-install
	$(CDK) diff $(CDK_CONTEXT)

bootstrap: infra-install
	$(CDK) bootstrap $(CDK_CONTEXT)

deploy: infra-install
	$(CDK) deploy $(CDK_CONTEXT) --outputs-file cdk-outputs.json

destroy: infra-install
	$(CDK) destroy $(CDK_CONTEXT)

infra-test:
	$(PY) -m pytest tests/infra -q
