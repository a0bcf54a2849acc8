"""The integration suite's harness lives with the local stack, where benchmarks use it too; and the
stack's child processes, found by their command lines, for the tests that kill them."""

import time
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from memchat.settings import Settings
from memchat_local.harness import Answer, Client, LocalStack

__all__ = ["TABLE", "Answer", "Client", "LocalStack", "children", "dynamodb", "rss_kib", "threads",
           "wait_for_output"]

TABLE = Settings.model_fields["table_name"].default  # the stack's table: its settings leave the name alone


def dynamodb(stack: LocalStack) -> Any:
    """A client of the stack's DynamoDB Local, for a test that reads what the stack stored, or sets a state."""
    return boto3.client("dynamodb", endpoint_url=stack.dynamodb_url, region_name="us-east-1",
                        aws_access_key_id="local", aws_secret_access_key="local",
                        config=Config(retries={"total_max_attempts": 1}))


def children(stack: LocalStack, marker: str) -> list[int]:
    """The pids of the stack's child processes whose command line holds `marker`."""
    assert stack.process is not None
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
        if parent == stack.process.pid and marker in command:
            pids.append(int(entry.name))
    return pids


def rss_kib(pid: int) -> int:
    """A process's resident memory, in KiB (VmRSS)."""
    return _status(pid, "VmRSS")


def threads(pid: int) -> int:
    """How many threads a process runs now."""
    return _status(pid, "Threads")


def _status(pid: int, name: str) -> int:
    """A number from a process's /proc status (its first word: VmRSS is in KiB)."""
    for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1])
    raise ValueError(f"no {name} for pid {pid}")


def wait_for_output(stack: LocalStack, text: str, *, start: int = 0, timeout: float = 90) -> str:
    """The first line the stack printed, from line `start` on, that holds `text`; fails after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in stack.output[start:]:
            if text in line:
                return line
        time.sleep(0.1)
    raise AssertionError(f"the stack never said {text!r} within {timeout:.0f} s:\n" + "".join(stack.output[-20:]))
