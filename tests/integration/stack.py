"""The integration suite's harness lives with the local stack, where benchmarks use it too; and the
stack's child processes, found by their command lines, for the tests that kill them."""

from pathlib import Path

from memchat_local.harness import Answer, Client, LocalStack

__all__ = ["Answer", "Client", "LocalStack", "children"]


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
