"""What each handler imports at cold start: packages a handler does not use stay off its init path.

Each handler is imported in a fresh interpreter (this test process has imported everything already) and
its `sys.modules` checked. Import times are printed by `make bench`; no test here asserts a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# Per handler, packages it must not import at init, and why each is off its path.
KEPT_OUT: dict[str, dict[str, str]] = {
    "authorizer": {
        "aws_lambda_powertools.utilities.parser": "its event is memchat.authorizer_event, not Powertools' models",
        "memchat.events": "it hands no job to anyone",
        "memchat.frames": "it sends no frame",
        "memchat.memory": "it reads no table",
        "boto3": "it calls no AWS API (the JWKS is a plain HTTPS fetch)",
    },
    "worker": {"aws_lambda_powertools.utilities.parser": "its job is memchat.events, not an API Gateway event"},
    "rescue": {"aws_lambda_powertools.utilities.parser": "its record carries a job, not an API Gateway event"},
    "digest": {"aws_lambda_powertools.utilities.parser": "it reads stream records as Powertools' data classes"},
    "index": {"aws_lambda_powertools.utilities.parser": "it reads stream records as Powertools' data classes"},
    "sweep": {"aws_lambda_powertools.utilities.parser": "a schedule's event is not read"},
}


def imported_by(handler: str) -> set[str]:
    code = f"import json, sys; import memchat.handlers.{handler}; print(json.dumps(sorted(sys.modules)))"
    return set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                         check=True).stdout))


@pytest.mark.parametrize("handler", sorted(KEPT_OUT))
def test_a_handler_does_not_import_packages_off_its_path(handler):
    modules = imported_by(handler)
    pulled = {package: why for package, why in KEPT_OUT[handler].items()
              if any(module == package or module.startswith(f"{package}.") for module in modules)}
    assert not pulled, f"memchat.handlers.{handler} imports what it should not: {pulled}"


# The functions the stack serves through SnapStart, and what each builds on its first invocation.
SNAPPED = {"authorizer": "verifier", "connect": "connections", "disconnect": "connections", "chat": "chat",
           "worker": "generation"}


def built_at_init(handler: str, initialization_type: str) -> bool:
    builder = SNAPPED[handler]
    code = f"import memchat.handlers.{handler} as h; print(h.{builder}.cache_info().currsize)"
    env = {**os.environ, "AWS_LAMBDA_INITIALIZATION_TYPE": initialization_type, "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_EC2_METADATA_DISABLED": "true"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    return int(out) == 1


@pytest.mark.parametrize("handler", sorted(SNAPPED))
def test_a_snapstart_init_builds_the_clients_into_the_snapshot(handler):
    """Lambda sets AWS_LAMBDA_INITIALIZATION_TYPE to "snap-start" while it initializes a SnapStart version
    (AWS Lambda Developer Guide, "Defined runtime environment variables")."""
    assert built_at_init(handler, "snap-start")


@pytest.mark.parametrize("handler", sorted(SNAPPED))
def test_an_on_demand_init_leaves_the_clients_to_the_first_invocation(handler):
    assert not built_at_init(handler, "on-demand")


def lemmas_loaded_at_init(initialization_type: str) -> bool:
    code = ("import memchat.handlers.worker; from memchat.memory import language; "
            "print(language.lemma.cache_info().currsize)")
    env = {**os.environ, "AWS_LAMBDA_INITIALIZATION_TYPE": initialization_type, "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_EC2_METADATA_DISABLED": "true"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    return int(out) > 0


def test_a_snapstart_worker_loads_the_lemma_table_into_the_snapshot():
    """Recall reads lemmas on the answer path: the English table (about 0.2 s to load) is in the snapshot."""
    assert lemmas_loaded_at_init("snap-start") and not lemmas_loaded_at_init("on-demand")
