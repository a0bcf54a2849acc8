"""Recall of past exchanges side by side: the previous code (a git revision's `recollection.py` and `search/`'s
`finder.py`, `index.py`, `recent.py`, `snippets.py` and `words.py`, loaded beside this checkout's) against this one,
alternating
probe by probe in one run against one DynamoDB Local, on the seeded set of evaluation/exchanges/ (docs/search.md,
"Figures").

    python -m memchat_local.recall_side_by_side [--rounds N] [--previous REV] [--stream-beside]

The process's CPU each read adds is measured too (`time.process_time`, every thread of this process and none
of DynamoDB Local's): the function's own work, as it would be in AWS, and much less moved by the machine's load.
The table's stream is not followed while reads are timed (`--stream-beside`: it is, as before, and the index's
work for the bench's writer is counted in the reads it lands in).

Each probe is read four ways in turn (the order reversed every other probe): previous code with recall,
without recall, this code with recall, without recall; what recall adds is each with-recall time less the
without-recall time next to it. Two histories: the seeded exchanges as the user's newest (as `make bench`), and
then pushed out of the newest messages by PUSHED_OUT later exchanges of the bench's filler words, where this code's
recent messages no longer hold them and it falls back to the postings.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import threading
import time
import types
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from memchat_local.figures import local_table, percentile
from memchat_local.search_bench import Words, _count, _stop_counting, index_stream, seed_history

ROOT = Path(__file__).resolve().parents[2]
USER = "bench-search-1000"
# Later exchanges (two messages each): more than search/recent.py's RECENT_MESSAGES + its items' TRIM_SLACK.
PUSHED_OUT = 60


# The modules recall's CPU is in, as a revision has them, in the order they import each other.
PREVIOUS = (("memchat.search.words", "backend/memchat/search/words.py"),
            ("memchat.search.snippets", "backend/memchat/search/snippets.py"),
            ("memchat.search.recent", "backend/memchat/search/recent.py"),
            ("memchat.search.index", "backend/memchat/search/index.py"),
            ("memchat.search.finder", "backend/memchat/search/finder.py"),
            ("memchat.recollection", "backend/memchat/recollection.py"))


def previous_modules(revision: str) -> dict[str, Any]:
    """`PREVIOUS` as they are at `revision`, loaded beside this checkout's: while they load, each one loaded
    stands for its name (so the previous finder imports the previous index, snippets and words, and dataclasses
    find their module), and afterwards the names are this checkout's again. Their other imports are this
    checkout's modules, which the change left as they were for them."""
    real = {name: sys.modules.get(name) for name, _ in PREVIOUS}
    loaded: dict[str, Any] = {}
    try:
        for name, path in PREVIOUS:
            source = subprocess.run(["git", "show", f"{revision}:{path}"], cwd=ROOT, check=True, capture_output=True,
                                    text=True).stdout
            module = types.ModuleType(name)
            sys.modules[name] = module
            exec(compile(source, f"{revision}:{path}", "exec"), module.__dict__)  # noqa: S102
            loaded[name] = module
    finally:
        for name, module in real.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return loaded


class AsWritten:
    """The memory as a previous revision that kept no answers' recent entries (recent.py) wrote it: the answers'
    entries this checkout's stream function writes are left out of the recent items it reads (its own code would
    read one as a user's message with an odd answer id), so it sees about the messages it kept itself. The leaving
    out (a pass over 80 entries' first characters, some 10 µs) is counted in the previous code's time."""

    def __init__(self, memory: Any) -> None:
        self._memory = memory

    def __getattr__(self, name: str) -> Any:
        return getattr(self._memory, name)

    def recall_state(self, *args: Any, **kwargs: Any) -> Any:
        import dataclasses

        from memchat.search.recent import is_answer

        state = self._memory.recall_state(*args, **kwargs)
        if not state.recent:
            return state
        items = tuple({**item, "messages": {"M": {key: value for key, value in item["messages"]["M"].items()
                                                  if not is_answer(value["S"])}}} for item in state.recent)
        return dataclasses.replace(state, recent=items)


def _ready(pool, memory, settings, recollect, finder, text: str) -> tuple[Any, float]:
    """As search_bench._prompt_ready: the prompt's reads beside storing the message (another user's)."""
    started = time.perf_counter()
    read = pool.submit(recollect, memory, settings, pool, user_id=USER, conversation_id=None,
                       before="f" * 24, text=text, finder=finder)
    memory.store_user_message("bench-search-writer", conversation_id=None, client_message_id=uuid.uuid4(),
                              text=text, now_ms=int(time.time() * 1000))
    recalled = read.result()
    return recalled, (time.perf_counter() - started) * 1000


def _store(memory, question: str, answer: str) -> tuple[str, str]:
    from memchat.frames import MessageStatus

    turn = memory.store_user_message(USER, conversation_id=None, client_message_id=uuid.uuid4(), text=question,
                                     now_ms=int(time.time() * 1000))
    memory.claim_reply(USER, turn.conversation_id, turn.reply_id)
    memory.finish_reply(USER, turn.conversation_id, turn.reply_id, text=answer, status=MessageStatus.COMPLETE,
                        tokens=40)
    return turn.conversation_id, turn.message_id


def _wait_indexed(finder, word: str) -> None:
    deadline = time.monotonic() + 60
    while not finder.search(USER, word).results:
        if time.monotonic() > deadline:
            raise RuntimeError("not indexed within 60 s: is the stream followed?")
        time.sleep(0.05)
    time.sleep(1.0)  # the answers' records, a poll or two behind


def compare(pool, memory, settings, variants: dict[str, tuple[Any, Any]], asked, rounds: int,
            load: list[float]) -> dict[str, Any]:
    """Every probe of both halves, `rounds` times, each variant beside recall off."""
    from evaluation.exchanges import dev, held_out

    out: dict[str, Any] = {}
    for half_name, half in (("dev", dev.PROBES), ("held-out", held_out.PROBES)):
        rows = {name: {"refs": [], "all": [], "right": 0, "wrong": 0, "calls": [], "slow": set(), "cpu": []}
                for name in variants}
        for number in range(rounds):
            for position, probe in enumerate(half):
                order = list(variants)
                if (number + position) % 2:
                    order.reverse()
                for name in order:
                    recollect, finder, reads = variants[name]
                    index = finder.index
                    calls = index.calls
                    cpu = time.process_time()
                    recalled, with_recall = _ready(pool, reads, settings, recollect, finder, probe.text)
                    cpu_with = time.process_time() - cpu
                    made = index.calls - calls
                    cpu = time.process_time()
                    _, without = _ready(pool, reads, settings, recollect, None, probe.text)
                    cpu_without = time.process_time() - cpu
                    row = rows[name]
                    row["all"].append(with_recall - without)
                    found = [(e.conversation_id, e.message_id) for e in recalled.exchanges]
                    if probe.means is not None:
                        row["refs"].append(with_recall - without)
                        row["calls"].append(made)
                        row["cpu"].append((cpu_with - cpu_without) * 1000)
                        if made > 1:
                            row["slow"].add(probe.text if half is dev.PROBES else probe.means)
                        row["right"] += asked[probe.means] in found
                    else:
                        row["wrong"] += bool(found)
        refs = sum(p.means is not None for p in half) * rounds
        others = len(half) * rounds - refs
        out[half_name] = {name: {
            "right": row["right"] / refs, "false": row["wrong"] / others,
            "p50": statistics.median(row["refs"]), "p95": percentile(row["refs"], 0.95),
            "all_p50": statistics.median(row["all"]), "all_p95": percentile(row["all"], 0.95),
            "finder_calls_p50": statistics.median(row["calls"]), "finder_calls_max": max(row["calls"]),
            "one_request": sum(made <= 1 for made in row["calls"]) / len(row["calls"]), "slow": sorted(row["slow"]),
            "cpu_p50": statistics.median(row["cpu"]),
        } for name, row in rows.items()}
    out["load"] = (min(load), max(load)) if load else None
    load.clear()
    return out


def read_units(pool, memory, settings, client, variants, texts: list[str]) -> dict[str, float]:
    """Read units recall adds over the references, p50 (with recall less without, the same message)."""
    out = {}
    for name, (recollect, finder, reads) in variants.items():
        added = []
        for text in texts:
            units = []
            for with_finder in (finder, None):
                totals = _count(client)
                recollect(reads, settings, pool, user_id=USER, conversation_id=None, before="f" * 24, text=text,
                          finder=with_finder)
                _stop_counting(client)
                units.append(totals["read_units"])
            added.append(units[0] - units[1])
        out[name] = (statistics.median(added), max(added))
    return out


def _paused(poller: Any, stream_beside: bool) -> Any:
    """The stream's poller stopped for the timed reads (None), unless it is to run beside them: it would index the
    bench's writer's messages (another user's) in this process, and its CPU would land in the timed reads' now and
    then, more often in the longer ones. The stream is read again from its newest record when it is followed again,
    so what the writer wrote in between is never indexed; nothing reads it."""
    if stream_beside:
        return poller
    while True:  # the records already written first (another shard's may come a poll or two late)
        delivered = poller.delivered
        time.sleep(3.0)
        if poller.delivered == delivered:
            break
    poller.stop()
    return None


async def _run(rounds: int, revision: str, *, stream_beside: bool = False) -> dict[str, Any]:
    from evaluation.exchanges import POOL, dev, held_out
    from memchat.recollection import recollect
    from memchat.search import Finder, Index

    previous = previous_modules(revision)
    figures: dict[str, Any] = {}
    load: list[float] = []
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(2.0):
            load.append(float(Path("/proc/loadavg").read_text().split()[0]))

    threading.Thread(target=sample, daemon=True).start()
    async with local_table(in_memory=True) as local:
        client, memory, settings = local.client, local.memory, local.settings
        index = Index.beside(memory)
        words = Words()
        print("  (seeding 1000 messages)", file=sys.stderr, flush=True)
        figures["writes"] = seed_history(client, settings.table_name, index, USER, 1000, words)
        poller = index_stream(local, index)
        try:
            asked = {key: _store(memory, question, answer) for key, (question, answer) in POOL.items()}
            finder = Finder(Index.beside(memory))
            _wait_indexed(finder, "Lisbon")
            _wait_indexed(finder, max(POOL[list(POOL)[-1]][0].rstrip("?.!").split(), key=len))
            # A previous revision that kept no answers' entries reads the items as it would have written them.
            kept_answers = hasattr(previous["memchat.search.recent"], "answer_entry")
            variants = {"previous": (previous["memchat.recollection"].recollect,
                                     previous["memchat.search.finder"].Finder(
                                         previous["memchat.search.index"].Index.beside(memory)),
                                     memory if kept_answers else AsWritten(memory)),
                        "this": (recollect, Finder(Index.beside(memory)), memory)}
            texts = [p.text for p in (*dev.PROBES, *held_out.PROBES) if p.means is not None]
            with ThreadPoolExecutor(max_workers=8) as pool:
                for text in texts:  # warm both (imports, caches, connections)
                    for recollect_, finder_, reads in variants.values():
                        _ready(pool, reads, settings, recollect_, finder_, text)
                poller = _paused(poller, stream_beside)
                print("  (newest: side by side)", file=sys.stderr, flush=True)
                figures["newest"] = compare(pool, memory, settings, variants, asked, rounds, load)
                figures["newest"]["read_units"] = read_units(pool, memory, settings, client, variants, texts)
                poller = poller or index_stream(local, index)
                for _ in range(PUSHED_OUT):
                    _store(memory, words.text(6, 16), words.text(25, 70))
                _store(memory, "Tell me about the zebuquoll", "The zebuquoll is made up.")
                _wait_indexed(finder, "zebuquoll")
                poller = _paused(poller, stream_beside)
                print("  (pushed out: side by side)", file=sys.stderr, flush=True)
                figures["pushed_out"] = compare(pool, memory, settings, variants, asked, rounds, load)
                figures["pushed_out"]["read_units"] = read_units(pool, memory, settings, client, variants, texts)
        finally:
            if poller is not None:
                poller.stop()
            sampling.set()
    return figures


def main(argv: list[str]) -> None:
    rounds = int(argv[argv.index("--rounds") + 1]) if "--rounds" in argv else 4
    revision = argv[argv.index("--previous") + 1] if "--previous" in argv else "main"
    figures = asyncio.run(_run(rounds, revision, stream_beside="--stream-beside" in argv))
    writes = figures["writes"]
    print(f"index writes per message seeded: {writes['write_units_per_message']:.1f} write units "
          f"({writes['postings_per_message']:.1f} postings)")
    for history in ("newest", "pushed_out"):
        block = figures[history]
        print(f"\n{history} ({rounds} rounds; load average {block['load'][0]:.1f} to {block['load'][1]:.1f})")
        for half in ("dev", "held-out"):
            for name, row in block[half].items():
                print(f"  {half:<9} {name:<9} right {row['right']:.0%} false {row['false']:.0%}  added over the "
                      f"references p50 {row['p50']:.1f} ms (p95 {row['p95']:.1f}), over all p50 {row['all_p50']:.1f} "
                      f"(p95 {row['all_p95']:.1f}); finder requests p50 {row['finder_calls_p50']:g} "
                      f"max {row['finder_calls_max']}; one request or none for {row['one_request']:.0%}; this "
                      f"process's CPU added over the references p50 {row['cpu_p50']:.1f} ms")
                if "--detail" in sys.argv and name == "this":
                    print(f"    more than one: {row['slow']}")
        for name, (p50, most) in block["read_units"].items():
            print(f"  read units recall adds over the references, {name}: p50 {p50:.1f}, max {most:.1f}")


if __name__ == "__main__":
    threading.excepthook = lambda args: None  # the poller's daemon thread at exit
    main(sys.argv[1:])
