"""`make bench`: cold-start proxy (handler import time) and the cost of a turn as a conversation grows.

The second part runs against DynamoDB Local: it seeds conversations of 10 and 10,000 messages, then
stores a turn and builds its prompt as the chat route and the worker do, counting DynamoDB calls and
the read capacity DynamoDB itself reports.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from pathlib import Path

from memchat_local.figures import local_table

HANDLERS = ("authorizer", "connect", "disconnect", "chat", "worker", "rescue", "digest", "sweep")
# What each handler builds on its first invocation (its clients and services, no network call): the rest of
# a cold start's CPU after Lambda's init, and what SnapStart would snapshot if the handler built it at init.
BUILDERS = {"authorizer": "verifier", "connect": "connections", "disconnect": "connections", "chat": "chat",
            "worker": "generation", "rescue": "services", "digest": "digest", "sweep": "sweeper"}
# The heavy packages a handler may import. A package's cumulative time when it is first imported (its own
# modules and whatever they pull in that was not loaded yet) is what making it lazy, or keeping it off a
# handler's path, would save on that handler's cold start.
HEAVY = ("boto3", "aws_lambda_powertools.utilities.parser", "aws_lambda_powertools.logging", "pydantic",
         "pydantic_settings", "jwt", "cryptography", "memchat.frames")
# The backend before the cold-start cuts (issue 10). With git and this commit at hand the bench measures it
# live beside the working tree, in the same runs; otherwise it shows BEFORE_RECORDED, taken that way on a
# shared 2-core machine (docs/deploy.md, "Cold starts and SnapStart"), which only the same machine can match.
BEFORE_COMMIT = "726f9f41ff5deaabd5236e5e8fe6a7f1e1aef774"
BEFORE_RECORDED = {"authorizer": 443.9, "connect": 605.0, "disconnect": 630.8, "chat": 612.3, "worker": 612.8,
                   "rescue": 641.8, "digest": 657.6, "sweep": 617.5}
_IMPORT_LINE = re.compile(r"^import time:\s+(\d+)\s*\|\s*(\d+)\s*\|\s*(\S+)\s*$", re.MULTILINE)
# A fresh interpreter imports the handler, then builds what its first invocation builds, and prints the CPU
# milliseconds of each step (CPU time: steadier than wall time on a machine other work shares).
_COLD_START = """
import sys, time
started = time.process_time()
import memchat.handlers.{handler} as handler
imported = time.process_time()
handler.{builder}()
built = time.process_time()
import memchat
print(memchat.__file__, (imported - started) * 1000, (built - imported) * 1000)
"""
# Settings' defaults suffice; fake credentials keep botocore from probing the instance metadata service.
_OFFLINE = {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_EC2_METADATA_DISABLED": "true"}


def _importtime(module: str) -> tuple[dict[str, float], dict[str, float]]:
    """Self and cumulative milliseconds per module, for one import of `module` in a fresh interpreter."""
    stderr = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"], capture_output=True, text=True, check=True,
    ).stderr
    lines = _IMPORT_LINE.findall(stderr)
    return ({name: int(own) / 1000 for own, _, name in lines},
            {name: int(cumulative) / 1000 for _, cumulative, name in lines})


def import_times(runs: int = 5) -> dict[str, float]:
    """Median milliseconds to import each handler module in a fresh interpreter (`-X importtime`)."""
    results = {}
    for name in HANDLERS:
        module = f"memchat.handlers.{name}"
        samples = [_importtime(module)[1] for _ in range(runs)]
        assert all(module in sample for sample in samples), f"no import line for {module}"
        results[name] = statistics.median(sample[module] for sample in samples)
    return results


def _cold_start(handler: str, backend: Path | None) -> tuple[float, float]:
    """CPU ms to import `handler` and to build its services, in a fresh interpreter; `backend`: another
    tree's backend directory to import memchat from (PYTHONPATH comes before the installed package)."""
    env = {**os.environ, **_OFFLINE}
    if backend is not None:
        env["PYTHONPATH"] = str(backend)
    code = _COLD_START.format(handler=handler, builder=BUILDERS[handler])
    origin, imported, built = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                             check=True, env=env).stdout.split()
    assert backend is None or Path(origin).is_relative_to(backend), f"memchat came from {origin}, not {backend}"
    return float(imported), float(built)


def cold_start_cpu(runs: int = 7, *, before: Path | None = None) -> dict[str, dict[str, tuple[float, float]]]:
    """Per tree ("after": this checkout; "before": `before`, when given), per handler, the median CPU ms of
    its import and of building its services. The trees alternate run by run, so both see the same load."""
    trees = {"after": None, **({"before": before} if before is not None else {})}
    samples: dict[str, dict[str, list[tuple[float, float]]]] = {tree: {h: [] for h in HANDLERS} for tree in trees}
    for _ in range(runs):
        for handler in HANDLERS:
            for tree, backend in trees.items():
                samples[tree][handler].append(_cold_start(handler, backend))
    return {tree: {handler: (statistics.median(s[0] for s in runs_), statistics.median(s[1] for s in runs_))
                   for handler, runs_ in by_handler.items()} for tree, by_handler in samples.items()}


def before_tree(scratch: Path, commit: str = BEFORE_COMMIT) -> Path | None:
    """The backend as it was at `commit` (git archive into `scratch`), or None without git or that commit."""
    archive = subprocess.run(["git", "archive", commit, "backend"], capture_output=True, check=False,
                             cwd=Path(__file__).resolve().parents[2])
    if archive.returncode != 0:
        return None
    tarfile.open(fileobj=io.BytesIO(archive.stdout)).extractall(scratch, filter="data")
    return scratch / "backend"


def import_breakdown(runs: int = 5) -> dict[str, dict[str, float]]:
    """Per handler, the median cumulative time of each heavy package where it is first imported (absent: never)."""
    results = {}
    for name in HANDLERS:
        samples = [_importtime(f"memchat.handlers.{name}")[1] for _ in range(runs)]
        results[name] = {package: statistics.median(sample[package] for sample in samples)
                         for package in HEAVY if all(package in sample for sample in samples)}
    return results


def _count_capacity(client) -> dict[str, float]:
    """Ask DynamoDB for consumed capacity on every call and add it up (benchmark instrumentation)."""
    totals = {"calls": 0, "read_units": 0.0, "write_units": 0.0}

    def ask(params, **_):
        params.setdefault("ReturnConsumedCapacity", "TOTAL")

    def add(http_response, parsed, model, **_):
        totals["calls"] += 1
        consumed = parsed.get("ConsumedCapacity")
        for entry in consumed if isinstance(consumed, list) else [consumed] if consumed else []:
            totals["read_units"] += entry.get("ReadCapacityUnits", 0.0) or 0.0
            totals["write_units"] += entry.get("WriteCapacityUnits", 0.0) or 0.0
            if "ReadCapacityUnits" not in entry and "WriteCapacityUnits" not in entry:
                unit = "read_units" if model.name in ("Query", "GetItem") else "write_units"
                totals[unit] += entry.get("CapacityUnits", 0.0) or 0.0

    client.meta.events.register("provide-client-params.dynamodb.*", ask)
    client.meta.events.register("after-call.dynamodb.*", add)
    return totals


def _seed(client, table: str, user: str, conversation: str, messages: int) -> None:
    from memchat.memory import estimate_tokens
    from memchat.memory.codec import conversation_pk as _conv_pk
    from memchat.memory.codec import dump as _dump

    now = int(time.time() * 1000) - messages * 1000
    items = [{"pk": _conv_pk(user, conversation), "sk": "META", "userId": user, "conversationId": conversation,
              "title": "seeded", "messageCount": messages, "createdMs": now, "updatedMs": now,
              "updatedKey": f"{now:013d}#{conversation}"}]
    for i in range(messages):
        text = f"Seeded message number {i}, long enough to look like a real turn of a conversation."
        role = "user" if i % 2 == 0 else "assistant"
        items.append({"pk": _conv_pk(user, conversation), "sk": f"M#{now + i:012x}0{i:010x}", "role": role,
                      "text": text, "status": "sent" if role == "user" else "complete", "createdMs": now + i,
                      "tokens": estimate_tokens(text)})
    for start in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": _dump(item)}} for item in items[start : start + 25]]
        while batch:
            batch = client.batch_write_item(RequestItems={table: batch}).get("UnprocessedItems", {}).get(table, [])


def turn_costs(lengths: tuple[int, ...] = (10, 10_000), turns: int = 5) -> list[dict]:
    return asyncio.run(_turn_costs(lengths, turns))


async def _turn_costs(lengths: tuple[int, ...], turns: int) -> list[dict]:
    from memchat.frames import MessageStatus

    rows = []
    async with local_table() as local:
        client, memory, settings = local.client, local.memory, local.settings
        budget = settings.prompt_budget
        for length in lengths:
            user, conversation = f"bench{length}", uuid.uuid4().hex
            _seed(client, settings.table_name, user, conversation, length)
            samples = []
            for _ in range(turns):
                totals = _count_capacity(client)
                started = time.perf_counter()
                now = int(time.time() * 1000)
                turn = memory.store_user_message(user, conversation_id=conversation,
                                                 client_message_id=uuid.uuid4(), text="How are you?", now_ms=now)
                window = memory.prompt_window(user, conversation, before=turn.reply_id, budget=budget)
                memory.claim_reply(user, conversation, turn.reply_id)
                memory.finish_reply(user, conversation, turn.reply_id, text="Fine, thanks.",
                                    status=MessageStatus.COMPLETE, tokens=12, prompt_tokens=100)
                elapsed = (time.perf_counter() - started) * 1000
                client.meta.events.unregister("provide-client-params.dynamodb.*")
                client.meta.events.unregister("after-call.dynamodb.*")
                samples.append({**totals, "ms": elapsed, "window": len(window),
                                "window_tokens": sum(m.tokens for m in window)})
            rows.append({"length": length, "budget": budget, **{
                key: statistics.median(s[key] for s in samples) for key in samples[0]}})
    return rows


def chat_latency(messages: int = 8) -> dict[str, float]:
    """Client-measured TTFT (send to first delta) on the local stack with the embedded model, next to
    the model endpoint's own TTFT for the same requests (from its /stats, which counts and times the
    answers alone: the digest's background calls, which run between turns, are counted apart)."""
    from memchat_local.harness import LocalStack

    with tempfile.TemporaryDirectory() as scratch:
        stack = LocalStack(Path(scratch), mode="llama", extra=("--set", "MEMCHAT_MAX_NEW_TOKENS=32")).start()
        try:
            client = stack.connect("bench")
            client.say("Warm up: say hi.")  # loads the model's caches; not measured
            warm = _endpoint_stats(stack.endpoint_url)
            ttfts, conversation = [], None
            for number in range(messages):
                started = time.perf_counter()
                answer = client.say(f"Question {number}: name one planet.", conversation)
                conversation = answer.ack.conversation_id
                assert answer.done is not None, answer.error
                first = answer.first_delta_at or time.perf_counter()
                ttfts.append((first - started) * 1000)
            stats = _endpoint_stats(stack.endpoint_url)
            client.close()
        finally:
            stack.stop()
    assert stats["count"] == warm["count"] + messages, "the endpoint counts each answer once"
    return {"client_ttft_p50_ms": statistics.median(ttfts), "model_ttft_p50_ms": stats["ttft_ms"]["p50"],
            "mode": stats["mode"], "messages": messages,
            "digest_calls": stats["background_count"] - warm["background_count"]}


def _endpoint_stats(endpoint_url: str) -> dict:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{endpoint_url}/stats", timeout=10) as response:  # noqa: S310 - our loopback URL
        return json.load(response)


def print_cold_starts(runs: int = 7) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        before = before_tree(Path(scratch))
        measured = cold_start_cpu(runs, before=before)
    print(f"Handler cold start, CPU ms in a fresh interpreter (median of {runs}): import = Lambda's init; build = "
          "the clients and services its first invocation builds (no network)")
    label = f"before ({BEFORE_COMMIT[:7]}{'' if before else ', recorded'})"
    print(f"  {'handler':<11} {label:>24} {'after (this tree)':>24}")
    print(f"  {'':<11} {'import':>12}{'build':>12} {'import':>12}{'build':>12} {'import change':>14}")
    for name in HANDLERS:
        after_import, after_build = measured["after"][name]
        if before:
            before_import, before_build = measured["before"][name]
            was = f"{before_import:>12.1f}{before_build:>12.1f}"
        else:
            before_import, was = BEFORE_RECORDED[name], f"{BEFORE_RECORDED[name]:>12.1f}{'-':>12}"
        change = (after_import - before_import) / before_import * 100
        print(f"  {name:<11} {was} {after_import:>12.1f}{after_build:>12.1f} {change:>13.0f}%")


def main() -> int:
    if sys.argv[1:] == ["search"]:  # `python -m memchat_local.bench search`: the search figures alone
        from memchat_local.search_bench import print_search_figures

        print_search_figures()
        return 0
    print_cold_starts()
    print("\nHandler import time (python -X importtime, wall time; median of 5)")
    for name, ms in import_times().items():
        print(f"  memchat.handlers.{name:<11} {ms:7.1f} ms")
    print("\nWhere it goes: each heavy package's cumulative import time where the handler first imports it "
          "(median of 5; what a lazy import of it would save)")
    print(f"  {'handler':<11}" + "".join(f"{package.rsplit('.', 1)[-1]:>13}" for package in HEAVY))
    for name, packages in import_breakdown().items():
        print(f"  {name:<11}" + "".join(f"{packages[p]:>10.1f} ms" if p in packages else f"{'-':>13}" for p in HEAVY))
    print("\nDynamoDB cost of one turn (DynamoDB Local; store the message, build the prompt, save the answer)")
    print(f"  {'messages':>9} {'calls':>6} {'read units':>11} {'write units':>12} {'prompt msgs':>12} "
          f"{'prompt tokens':>14} {'ms':>7}")
    for row in turn_costs():
        print(f"  {row['length']:>9} {row['calls']:>6.0f} {row['read_units']:>11.1f} {row['write_units']:>12.1f} "
              f"{row['window']:>12.0f} {row['window_tokens']:>9.0f}/{row['budget']:<4} {row['ms']:>7.1f}")
    print("\nTime to first token on the local stack (embedded model, one user, multi-turn)")
    latency = chat_latency()
    print(f"  client TTFT p50 {latency['client_ttft_p50_ms']:.1f} ms (send to first delta, {latency['messages']} "
          f"messages) vs the model's own TTFT p50 {latency['model_ttft_p50_ms']:.1f} ms ({latency['mode']} mode)")
    print(f"  the digest's model requests meanwhile (titles, summaries, extraction; served after answers, a "
          f"running one stopped for an answer and retried; not in the TTFT): {latency['digest_calls']:.0f}")
    from memchat_local.search_bench import print_search_figures

    print_search_figures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
