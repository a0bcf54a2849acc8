"""`memchat dev` supervises its children: kill the model endpoint or DynamoDB Local and the stack says so,
starts it again, and the next turn is answered."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from memchat.frames import GetHistory, History
from tests.integration.stack import LocalStack, children

pytestmark = pytest.mark.integration

WAIT_SECONDS = 90  # a restart of DynamoDB Local (a JVM) takes a few seconds; this bounds every wait


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    local = LocalStack(tmp_path_factory.mktemp("supervised"), mode="replay",
                       extra=("--replay-ttft-ms", "0", "--replay-tokens-per-second", "2000",
                              "--set", "MEMCHAT_MAX_NEW_TOKENS=6"))
    local.start()
    yield local
    local.stop()


def child(stack: LocalStack, marker: str) -> int:
    """The pid of the stack's one child process whose command line holds `marker`."""
    pids = children(stack, marker)
    assert pids, f"no child of the stack runs {marker}"
    return pids[0]


def wait_for_line(stack: LocalStack, text: str, start: int) -> str:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for line in stack.output[start:]:
            if text in line:
                return line
        time.sleep(0.1)
    raise AssertionError(f"the stack never said {text!r}:\n" + "".join(stack.output[-20:]))


@pytest.mark.parametrize(("name", "marker"), [("The model endpoint", "memchat_local.endpoint"),
                                              ("DynamoDB Local", "DynamoDBLocal.jar")])
def test_a_killed_child_is_reported_restarted_and_serves_the_next_turn(stack: LocalStack, name: str,
                                                                       marker: str) -> None:
    client = stack.connect("survivor")
    before = client.say("Remember this before the crash.")
    assert before.done is not None, before.error
    client.close()

    pid = child(stack, marker)
    seen = len(stack.output)
    os.kill(pid, signal.SIGKILL)

    died = wait_for_line(stack, f"{name} (pid {pid}) was killed by SIGKILL; restarting it", seen)
    restarted = wait_for_line(stack, f"{name} restarted (pid ", seen)
    assert "restart 1 of at most" in died
    assert child(stack, marker) != pid

    client = stack.connect("survivor")
    after = client.say("And after it?", before.ack.conversation_id)
    assert after.done is not None, after.error
    history = client.request(GetHistory(action="getHistory", conversation_id=before.ack.conversation_id))
    assert isinstance(history, History)
    assert {before.ack.message_id, after.ack.message_id} <= {m.message_id for m in history.messages}
    client.close()
    assert restarted
