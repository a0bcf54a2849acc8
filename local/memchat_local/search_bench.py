"""`make bench`, search: the index's costs and speed against DynamoDB Local, and recall of past exchanges on
the seeded set of evaluation/exchanges/ (dev half tuned on, held-out half only reported).

One user's history of 1,000 and of 10,000 messages is seeded (words drawn Zipf-like from this repository's
docs, so some words are in most messages and most in few), indexed as the stream function indexes it, then
searched: server time (the finder in this process, DynamoDB Local's round trips included), and the read
units DynamoDB reports. A turn's delay from its answer's end to being searchable is measured through DynamoDB
Local's real stream, polled as the local stack polls it (four times a second, as Lambda does).
"""

from __future__ import annotations

import asyncio
import random
import re
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from memchat_local.figures import local_table, percentile
from memchat_local.remote import Remote

DOCS = Path(__file__).resolve().parents[2] / "docs"
HISTORIES = (1_000, 10_000)
QUERIES = 60
TURNS = 30
_WORD = re.compile(r"[A-Za-z]{3,}")


def vocabulary() -> list[str]:
    """The docs' words, most frequent first (a Zipf-like draw over this ranking makes realistic posting lists)."""
    counts: dict[str, int] = {}
    for path in sorted(DOCS.glob("*.md")):
        for word in _WORD.findall(path.read_text()):
            counts[word.lower()] = counts.get(word.lower(), 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))


class Words:
    def __init__(self, seed: int = 7) -> None:
        self._words = vocabulary()
        self._random = random.Random(seed)
        self._weights = [1 / (rank + 1) for rank in range(len(self._words))]

    def text(self, low: int, high: int) -> str:
        count = self._random.randint(low, high)
        return " ".join(self._random.choices(self._words, weights=self._weights, k=count)).capitalize() + "."

    def pick(self, lowest_rank: int, highest_rank: int) -> str:
        return self._words[self._random.randint(lowest_rank, min(highest_rank, len(self._words) - 1))]


def _count(client) -> dict[str, float]:
    """The capacity DynamoDB reports, added up over every call made through `client` until `_stop_counting`."""
    totals = {"read_units": 0.0, "write_units": 0.0}
    lock = threading.Lock()  # the seeding writes from several threads

    def ask(params, **_):
        params.setdefault("ReturnConsumedCapacity", "TOTAL")

    def add(parsed, model, **_):
        consumed = parsed.get("ConsumedCapacity")
        for entry in consumed if isinstance(consumed, list) else [consumed] if consumed else []:
            unit = "write_units" if model.name in ("BatchWriteItem", "PutItem", "DeleteItem", "UpdateItem",
                                                   "TransactWriteItems") else "read_units"
            with lock:
                totals[unit] += entry.get("CapacityUnits", 0.0) or 0.0

    client.meta.events.register("provide-client-params.dynamodb.*", ask, unique_id="search-bench-ask")
    client.meta.events.register("after-call.dynamodb.*", add, unique_id="search-bench-add")
    return totals


def _stop_counting(client) -> None:
    client.meta.events.unregister("provide-client-params.dynamodb.*", unique_id="search-bench-ask")
    client.meta.events.unregister("after-call.dynamodb.*", unique_id="search-bench-add")


def history_items(user: str, messages: int, words: Words) -> list[dict[str, Any]]:
    """One user's history of `messages` messages (exchanges of a user's message and an answer, 20 to a
    conversation, a minute apart, the newest now) as the chat route and the worker store them: plain items."""
    from memchat.memory.codec import conversation_pk

    start = int(time.time() * 1000) - messages * 60_000
    items: list[dict[str, Any]] = []
    conversation = ""
    for number in range(messages):
        if number % 20 == 0:
            conversation = uuid.uuid4().hex
            items.append({"pk": conversation_pk(user, conversation), "sk": "META", "userId": user,
                          "conversationId": conversation, "title": "seeded", "titleSource": "model",
                          "messageCount": 20, "createdMs": start + number * 60_000,
                          "updatedMs": start + number * 60_000,
                          "updatedKey": f"{start + number * 60_000:013d}#{conversation}"})
        user_turn = number % 2 == 0
        ms = start + number * 60_000
        nonce = f"{number // 2:010x}"
        items.append({"pk": conversation_pk(user, conversation), "sk": f"M#{ms - (0 if user_turn else 1):012x}{nonce}"
                                                                          f"{0 if user_turn else 1}",
                      "role": "user" if user_turn else "assistant",
                      "text": words.text(6, 16) if user_turn else words.text(25, 70),
                      "status": "sent" if user_turn else "complete", "createdMs": ms, "tokens": 20})
    return items


def write_items(client, table: str, items: list[dict[str, Any]]) -> None:
    from memchat.memory.codec import dump

    for begin in range(0, len(items), 25):
        batch = [{"PutRequest": {"Item": dump(item)}} for item in items[begin : begin + 25]]
        while batch:
            batch = client.batch_write_item(RequestItems={table: batch}).get("UnprocessedItems", {}).get(table, [])


def seed_history(client, table: str, index, user: str, messages: int, words: Words) -> dict[str, float]:
    """`messages` messages (`history_items`), stored and indexed as the stream function indexes them; the
    index's write units and postings per message."""
    items = history_items(user, messages, words)
    write_items(client, table, items)
    totals = _count(client)
    postings = 0
    with ThreadPoolExecutor(max_workers=8) as pool:
        for written, _ in pool.map(lambda item: index.apply(None, item), items):
            postings += written
    _stop_counting(client)
    return {"write_units_per_message": totals["write_units"] / messages, "postings_per_message": postings / messages}


def search_times(finder, client, user: str, words: Words, texts: list[str]) -> dict[str, float]:
    """Server time and read units of QUERIES searches: a third one word, a third two, a third a quoted phrase."""
    rng = random.Random(3)
    queries = []
    for number in range(QUERIES):
        if number % 3 == 0:
            queries.append(words.pick(5, 400))
        elif number % 3 == 1:
            queries.append(f"{words.pick(0, 60)} {words.pick(60, 2000)}")
        else:
            sentence = rng.choice(texts).rstrip(".").split()
            at = rng.randrange(0, max(1, len(sentence) - 2))
            queries.append('"' + " ".join(sentence[at : at + 2]) + '"')
    from memchat.errors import BadRequest

    times, units, results, refused = [], [], 0, 0
    for query in queries:
        totals = _count(client)
        started = time.perf_counter()
        try:
            page = finder.search(user, query)
        except BadRequest:  # a query of only stopwords: refused, still timed
            refused += 1
        else:
            results += len(page.results)
        times.append((time.perf_counter() - started) * 1000)
        _stop_counting(client)
        units.append(totals["read_units"])
    return {"p50_ms": statistics.median(times), "p95_ms": percentile(times, 0.95),
            "read_units_p50": statistics.median(units), "read_units_max": max(units),
            "results_per_query": results / len(queries), "refused": refused}


def searchable_delay(memory, finder, user: str) -> list[float]:
    """Seconds from an answer's end (its final write returned) to its words being found, for TURNS turns."""
    from memchat.frames import MessageStatus

    delays = []
    for number in range(TURNS):
        word = f"zebu{number}quoll"
        turn = memory.store_user_message(user, conversation_id=None, client_message_id=uuid.uuid4(),
                                         text=f"Tell me about turn {number}", now_ms=int(time.time() * 1000))
        memory.claim_reply(user, turn.conversation_id, turn.reply_id)
        memory.finish_reply(user, turn.conversation_id, turn.reply_id, text=f"This answer says {word}.",
                            status=MessageStatus.COMPLETE, tokens=8)
        ended = time.perf_counter()
        while not finder.search(user, word).results:
            if time.perf_counter() - ended > 30:
                raise RuntimeError("an answer was not searchable within 30 s: is the stream followed?")
            time.sleep(0.01)
        delays.append(time.perf_counter() - ended)
    return delays


# The AWS-shaped side by side (memchat_local/remote.py): one round trip's wait for every DynamoDB request and for
# the ack's post, none of DynamoDB's work on this machine. DynamoDB's own docs promise single-digit milliseconds.
ROUND_TRIPS_MS = (2.0, 5.0, 10.0)


def recall_figures(memory, settings, finder, user: str, *, remote=None) -> dict[str, dict[str, Any]]:
    """Recall of past exchanges on both halves of the seeded set, and the time recall adds to reading
    what a prompt remembers (the read the first token waits for). `remote`: a (Remote, Memory, Finder) over the
    same table whose DynamoDB calls are replayed as memchat_local/remote.py says, for the AWS-shaped figures."""
    from evaluation.exchanges import POOL, dev, held_out
    from memchat.frames import MessageStatus

    asked: dict[str, tuple[str, str]] = {}
    for key, (question, answer) in POOL.items():
        turn = memory.store_user_message(user, conversation_id=None, client_message_id=uuid.uuid4(),
                                         text=question, now_ms=int(time.time() * 1000))
        memory.claim_reply(user, turn.conversation_id, turn.reply_id)
        memory.finish_reply(user, turn.conversation_id, turn.reply_id, text=answer,
                            status=MessageStatus.COMPLETE, tokens=40)
        asked[key] = (turn.conversation_id, turn.message_id)
    for question, _ in POOL.values():  # until the stream has indexed every one of them
        word = max(question.rstrip("?.!").split(), key=len)
        while not finder.search(user, word).results:
            time.sleep(0.05)
    out: dict[str, dict[str, float]] = {}
    with ThreadPoolExecutor(max_workers=8) as pool:
        for name, half in (("dev", dev.PROBES), ("held-out", held_out.PROBES)):
            right = refs = wrong = others = 0
            added, added_all = [], []
            for probe in half:
                recalled, with_recall = _prompt_ready(pool, memory, settings, finder, user, probe.text)
                _, without = _prompt_ready(pool, memory, settings, None, user, probe.text)
                found = [(e.conversation_id, e.message_id) for e in recalled.exchanges]
                added_all.append(with_recall - without)
                if probe.means is not None:
                    refs += 1
                    right += asked[probe.means] in found
                    added.append(with_recall - without)
                else:
                    others += 1
                    wrong += bool(found)
            out[name] = {"right": right / refs, "refs": refs, "false": wrong / others, "others": others,
                         "added_ms_p50": statistics.median(added), "added_ms_p95": percentile(added, 0.95),
                         "added_all_ms_p50": statistics.median(added_all),
                         "added_all_ms_p95": percentile(added_all, 0.95)}
            if remote is not None:
                out[name]["aws_shaped"] = _aws_shaped(pool, *remote, settings, user,
                                                      [p.text for p in half if p.means is not None])
    return out


def _prompt_ready(pool, memory, settings, finder, user: str, text: str, *, ack_s: float = 0.0):
    """As sendMessage does: what the prompt remembers is read beside storing the message (here another user's,
    so the probes never become history), and the ack is posted (`ack_s`, a round trip's wait) before the read is
    waited for; the job is ready when both are done. The time in ms, with what was recalled."""
    from memchat.recollection import recollect

    started = time.perf_counter()
    read = pool.submit(recollect, memory, settings, pool, user_id=user, conversation_id=None,
                       before="f" * 24, text=text, finder=finder)
    memory.store_user_message("bench-search-writer", conversation_id=None, client_message_id=uuid.uuid4(),
                              text=text, now_ms=int(time.time() * 1000))
    time.sleep(ack_s)
    recalled = read.result()
    return recalled, (time.perf_counter() - started) * 1000


def _aws_shaped(pool, remote, memory, finder, settings, user: str, texts: list[str]) -> dict[str, Any]:
    """What recall adds over the references, p50, with every DynamoDB answer replayed (remote.py): to the job's
    readiness for each round trip, and to this process's CPU (the function's own work, whatever the machine's
    load). Each reference is read once for real (and recorded), then timed with and without recall, alternating."""
    for text in texts:
        _prompt_ready(pool, memory, settings, finder, user, text)
        _prompt_ready(pool, memory, settings, None, user, text)
    added: dict[float, float] = {}
    cpu: list[float] = []
    for round_trip_ms in ROUND_TRIPS_MS:
        remote.round_trip_s = round_trip_ms / 1000
        walls = []
        for repetition in range(4):
            for text in texts:
                timed = {}
                for recalls in ((False, True) if repetition % 2 else (True, False)):
                    started = time.process_time()
                    wall = _prompt_ready(pool, memory, settings, finder if recalls else None, user, text,
                                         ack_s=remote.round_trip_s)[1]
                    timed[recalls] = (wall, (time.process_time() - started) * 1000)
                walls.append(timed[True][0] - timed[False][0])
                cpu.append(timed[True][1] - timed[False][1])
        added[round_trip_ms] = statistics.median(walls)
    return {"added_ms_p50": added, "cpu_ms_p50": statistics.median(cpu)}


def _indexed(handler, event: dict[str, Any], index) -> dict[str, Any]:
    """The index's stream function, as the local stack runs it, without its metrics on stdout."""
    try:
        return handler.handle(event, index)
    finally:
        handler.meter.metrics.clear_metrics()


def index_stream(local, index):
    """DynamoDB Local's stream of the bench's table, polled as Lambda polls it, into the index's stream function
    (started; stop it when done)."""
    import boto3

    from memchat.handlers import index as handler
    from memchat.tables import INDEX_FILTERS
    from memchat_local.streams import MappingOptions, StreamPoller

    streams = boto3.client("dynamodbstreams", endpoint_url=local.database.endpoint_url, region_name="us-east-1",
                           aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
    arn = local.client.describe_table(TableName=local.settings.table_name)["Table"]["LatestStreamArn"]
    return StreamPoller(streams, stream_arn=arn, pattern=INDEX_FILTERS, options=MappingOptions(),
                        invoke=lambda event: _indexed(handler, event, index)).start()


async def _figures(*, recall_only: bool = False) -> dict[str, Any]:
    """Every figure; `recall_only`: only recall's (its user's 1,000 messages seeded, no search timed, no turns
    through the stream), to iterate on recall in a fraction of the full run."""
    from memchat.memory import Memory
    from memchat.search import Finder, Index

    figures: dict[str, Any] = {"histories": []}
    async with local_table(in_memory=True) as local:
        client, memory, settings = local.client, local.memory, local.settings
        index = Index.beside(memory)
        finder = Finder(index)
        words = Words()
        for messages in HISTORIES[:1] if recall_only else HISTORIES:
            user = f"bench-search-{messages}"
            started = time.perf_counter()
            print(f"  (seeding {messages} messages)", file=sys.stderr, flush=True)
            writes = seed_history(client, settings.table_name, index, user, messages, words)
            texts = [words.text(6, 16) for _ in range(50)]
            if recall_only:
                continue
            print(f"  (seeded in {time.perf_counter() - started:.0f} s; searching)", file=sys.stderr, flush=True)
            times = search_times(finder, client, user, words, texts)
            figures["histories"].append({"messages": messages, "seed_s": time.perf_counter() - started,
                                         **writes, **times})
        poller = index_stream(local, index)
        try:
            if not recall_only:
                print("  (turns through the stream)", file=sys.stderr, flush=True)
                delays = searchable_delay(memory, finder, "bench-search-delay")
                figures["delay_p50_s"] = statistics.median(delays)
                figures["delay_p95_s"] = percentile(delays, 0.95)
            print("  (recall of past exchanges)", file=sys.stderr, flush=True)
            remote = Remote(round_trip_s=0.0)
            shaped = Memory(remote.attach(local.database.client()), table_name=settings.table_name,
                            rate_limit_per_minute=10**6)
            figures["recall"] = recall_figures(memory, settings, finder, "bench-search-1000",
                                               remote=(remote, shaped, Finder(Index.beside(shaped))))
        finally:
            poller.stop()
    return figures


def search_figures(*, recall_only: bool = False) -> dict[str, Any]:
    return asyncio.run(_figures(recall_only=recall_only))


def print_search_figures(*, recall_only: bool = False) -> None:
    figures = search_figures(recall_only=recall_only)
    if not recall_only:
        _print_search(figures)
    _print_recall(figures)


def _print_search(figures: dict[str, Any]) -> None:
    print("\nSearch (DynamoDB Local; one user; server time is the finder's, its DynamoDB round trips included)")
    print(f"  (seeding took {[round(r['seed_s']) for r in figures['histories']]} s)")
    print(f"  {'messages':>9} {'p50 ms':>8} {'p95 ms':>8} {'read units p50':>15} {'max':>6} "
          f"{'postings/msg':>13} {'write units/msg':>16}")
    for row in figures["histories"]:
        print(f"  {row['messages']:>9} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['read_units_p50']:>15.1f} "
              f"{row['read_units_max']:>6.1f} {row['postings_per_message']:>13.1f} "
              f"{row['write_units_per_message']:>16.1f}")
    print(f"  answer's end to searchable ({TURNS} turns, through the stream): p50 {figures['delay_p50_s']:.2f} s, "
          f"p95 {figures['delay_p95_s']:.2f} s")


def _print_recall(figures: dict[str, Any]) -> None:
    print("Recall of past exchanges (evaluation/exchanges; the right exchange in the prompt of a message that refers "
          "to it, any exchange in the prompt of one that refers to none)")
    for name, row in figures["recall"].items():
        print(f"  {name:<9} right {row['right']:.0%} of {row['refs']} references; recalled for {row['false']:.0%} "
              f"of {row['others']} other messages; added to the prompt's readiness (read beside the message's "
              f"write) p50 {row['added_ms_p50']:.1f} ms (p95 {row['added_ms_p95']:.1f}) over the references, "
              f"{row['added_all_ms_p50']:.1f} ms (p95 {row['added_all_ms_p95']:.1f}) over all")
        if "aws_shaped" in row:
            shaped = row["aws_shaped"]
            added = ", ".join(f"{ms:.1f} ms at {round_trip:g} ms a round trip"
                              for round_trip, ms in shaped["added_ms_p50"].items())
            print(f"  {'':<9} AWS-shaped (each DynamoDB answer replayed after a round trip, the ack's post one too, "
                  f"DynamoDB's work off this machine): added p50 over the references {added}; "
                  f"recall's own CPU p50 {shaped['cpu_ms_p50']:.1f} ms")


if __name__ == "__main__":
    threading.excepthook = lambda args: None  # the poller's daemon thread at exit
    # --recall: recall's figures alone (a fraction of the full run), to iterate on recall.
    print_search_figures(recall_only="--recall" in sys.argv[1:])
