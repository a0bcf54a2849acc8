"""Where a turn's time goes before its first token: the local stack run in this process, every AWS call timed.

    python -m loadtest.trace [--turns 40] [--data-root DIR]

The stack is the one `memchat dev` runs (memchat_local.stack.Stack, the replay model), started in a
thread of this process with botocore hooks on the default session, so the handlers' own boto3 clients
report each call (DynamoDB, Lambda Invoke, PostToConnection, the model endpoint). A WebSocket client
then sends turns one at a time, and every turn's calls between the send and the first delta are laid
out on one clock. The medians show which steps make up the backend's overhead at no load.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import median

import boto3

from loadtest.client import ChatClient
from loadtest.prompts import prompt_set
from loadtest.samples import percentile
from loadtest.stack import free_port

THREAD_ROLES = (("route", "chat route"), ("chat", "chat route, beside"), ("async-invoke", "worker"),
                ("generation", "worker, beside"), ("delta-stream", "delta sender"))


@dataclass(frozen=True)
class Call:
    role: str
    operation: str
    start: float
    end: float


class CallLog:
    """Every AWS call any thread of this process makes: start and end on perf_counter's clock."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._open: dict[int, list[tuple[str, float]]] = defaultdict(list)
        self._lock = threading.Lock()

    def install(self, session: boto3.session.Session) -> None:
        events = session.events
        events.register("provide-client-params", self._started)
        events.register("after-call", self._ended)
        events.register("after-call-error", self._ended)

    def _started(self, event_name: str, **_: object) -> None:
        _, service, operation = event_name.split(".", 2)
        self._open[threading.get_ident()].append((f"{service} {operation}", time.perf_counter()))

    def _ended(self, event_name: str, **_: object) -> None:
        ended = time.perf_counter()
        opened = self._open[threading.get_ident()]
        if not opened:
            return
        operation, started = opened.pop()
        with self._lock:
            self.calls.append(Call(_role(threading.current_thread().name), operation, started, ended))

    def between(self, start: float, end: float) -> list[Call]:
        with self._lock:
            return sorted((c for c in self.calls if start <= c.start <= end), key=lambda c: c.start)


def _role(thread_name: str) -> str:
    for prefix, role in THREAD_ROLES:
        if thread_name.startswith(prefix):
            return role
    return "stop watcher" if "watch" in thread_name else thread_name


@dataclass(frozen=True)
class Step:
    label: str
    start_ms: float  # after the send
    call_ms: float

    @property
    def end_ms(self) -> float:
        return self.start_ms + self.call_ms


def critical_path(sent_at: float, first_delta_at: float, calls: list[Call]) -> list[Step]:
    """The calls between a send and its first delta, in the order they started, on the send's clock; the
    gaps between them are dispatch, thread hand-offs and Python. The stop watcher polls in parallel and
    is left out."""
    steps = [
        Step(f"{call.role}: {call.operation}", (call.start - sent_at) * 1000, (call.end - call.start) * 1000)
        for call in calls
        if call.role != "stop watcher" and call.start <= first_delta_at
    ]
    steps.append(Step("first delta read by the client", (first_delta_at - sent_at) * 1000, 0.0))
    return steps


def trace(turns: int, data_root: Path, replay_ttft_ms: float, conversation_turns: int = 10,
          max_new_tokens: int = 64) -> str:
    session = boto3.setup_default_session() or boto3.DEFAULT_SESSION
    log = CallLog()
    log.install(session)
    from memchat_local.issuer import LocalIssuer
    from memchat_local.stack import Stack, StackOptions

    data_dir = Path(tempfile.mkdtemp(prefix="memchat-trace-", dir=data_root))
    options = StackOptions(
        port=free_port(), dynamodb_port=free_port(), endpoint_port=free_port(), data_dir=data_dir,
        model_mode="replay", replay_ttft_ms=replay_ttft_ms, replay_tokens_per_second=240,
        worker_processes=0,  # the worker on this process's threads, where the botocore hooks see its calls
        settings={"MEMCHAT_RATE_LIMIT_PER_MINUTE": "1000000", "MEMCHAT_MAX_NEW_TOKENS": str(max_new_tokens)},
    )
    stack = Stack(options)
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="stack-loop", daemon=True).start()
    asyncio.run_coroutine_threadsafe(stack.start(), loop).result(240)
    try:
        client = ChatClient(stack.url, LocalIssuer(data_dir).token("trace-user"))
        client.connect()
        messages = prompt_set().long_conversation(turns)
        paths: list[tuple[int, list[Step], float, float]] = []
        conversation: str | None = None
        for index, text in enumerate(messages):
            if index % conversation_turns == 0:
                conversation = None  # a new conversation: first turns are in the mix
            result = client.turn(text, conversation_id=conversation)
            if result.error is not None or result.ttft_ms is None or result.ack_ms is None:
                raise RuntimeError(f"turn {index + 1} failed: {result.error}")
            conversation = result.conversation_id
            first_delta_at = result.sent_at + result.ttft_ms / 1000
            time.sleep(0.3)  # let the answer's last calls finish before the next turn
            calls = log.between(result.sent_at, first_delta_at)
            paths.append((index, critical_path(result.sent_at, first_delta_at, calls), result.ack_ms, result.ttft_ms))
        client.close()
    finally:
        asyncio.run_coroutine_threadsafe(stack.stop(), loop).result(120)
        loop.call_soon_threadsafe(loop.stop)
        shutil.rmtree(data_dir, ignore_errors=True)
    # The first conversation warms up imports and connections (a cold start is not what this measures).
    return render(paths[conversation_turns:], replay_ttft_ms, conversation_turns)


def render(paths: list[tuple[int, list[Step], float, float]], replay_ttft_ms: float, conversation: int) -> str:
    shapes = defaultdict(list)
    for _, steps, _, _ in paths:
        shapes[tuple(step.label for step in steps)].append(steps)
    common, runs = max(shapes.items(), key=lambda item: len(item[1]))
    lines = [
        f"Critical path of a turn at no load: {len(runs)} of {len(paths)} turns took this path "
        f"(replay model, TTFT {replay_ttft_ms:g} ms). Milliseconds after the send, p50 (p90).",
        "",
        "| step | starts | takes | ends |",
        "|---|---|---|---|",
    ]
    for position, label in enumerate(common):
        starts = [steps[position].start_ms for steps in runs]
        takes = [steps[position].call_ms for steps in runs]
        ends = [steps[position].end_ms for steps in runs]
        took = f"{median(takes):.1f} ({percentile(takes, 90):.1f})" if any(takes) else ""
        lines.append(f"| {label} | {median(starts):.1f} ({percentile(starts, 90):.1f}) | {took} | "
                     f"{median(ends):.1f} ({percentile(ends, 90):.1f}) |")
    acks = [ack for _, _, ack, _ in paths]
    ttfts = [ttft for _, _, _, ttft in paths]
    lines += ["", f"Client side: ack p50 {median(acks):.1f} ms; TTFT p50 {median(ttfts):.1f} ms, "
                  f"{median(ttfts) - replay_ttft_ms:.1f} ms more than the model's {replay_ttft_ms:g} ms."]
    by_turn: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for index, steps, _, ttft in paths:
        turn = index % conversation + 1
        bucket = turn_bucket(turn)
        query = next((s.call_ms for s in steps if s.label.endswith("dynamodb Query")), float("nan"))
        by_turn[bucket].append((query, ttft))
    lines += ["", "By turn of the conversation:", "", "| turns | turns traced | worker Query p50 | TTFT p50 |",
              "|---|---|---|---|"]
    for bucket, rows in by_turn.items():
        queries, ttfts = [q for q, _ in rows], [t for _, t in rows]
        lines.append(f"| {bucket} | {len(rows)} | {median(queries):.1f} | {median(ttfts):.1f} |")
    return "\n".join(lines) + "\n"


def turn_bucket(turn: int) -> str:
    """1, 2-10, 11-20, 21-30, ...: turn 1 alone, then tens."""
    if turn == 1:
        return "1"
    if turn <= 10:
        return "2-10"
    low = (turn - 1) // 10 * 10 + 1
    return f"{low}-{low + 9}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest.trace", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=40, help="turns traced, one at a time")
    parser.add_argument("--conversation", type=int, default=10, help="turns per conversation")
    parser.add_argument("--max-new-tokens", type=int, default=64, help="the stack's MEMCHAT_MAX_NEW_TOKENS")
    parser.add_argument("--replay-ttft-ms", type=float, default=150.0)
    parser.add_argument("--data-root", type=Path, default=None, help="where DynamoDB Local keeps its file")
    parser.add_argument("--out", type=Path, default=None, help="also write the table to this file")
    args = parser.parse_args(argv)
    text = trace(args.turns + args.conversation, args.data_root or Path(tempfile.gettempdir()), args.replay_ttft_ms,
                 args.conversation, args.max_new_tokens)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

__all__ = ["Call", "CallLog", "Step", "critical_path", "main", "trace"]
