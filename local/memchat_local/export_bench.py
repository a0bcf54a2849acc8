"""`python -m memchat_local.export_bench`: how long the first `exportData` page takes as a history grows.

API Gateway gives a WebSocket route's integration 29 s at most, and the chat function's timeout is the same:
the route must never need more, so it hands the build to the worker (docs/protocol.md, `exportData`). One
user's history of 1,000 and of 10,000 messages (search_bench's, 20 to a conversation) is seeded into
DynamoDB Local; the route, the worker's build and the later pages run in this process, a page at a time, and
their server time, DynamoDB calls and the document's size are printed.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from memchat_local.figures import local_table
from memchat_local.search_bench import Words, history_items, write_items

HISTORIES = (1_000, 10_000)
RUNS = 3
LIMIT_S = 29.0  # API Gateway's integration timeout for a WebSocket route (not raised on request)
WORKER_S = 300.0  # the worker function's timeout (infra's worker_timeout_seconds, up to 900)


class Frames:
    """A poster that keeps what it is asked to send."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    def send(self, connection_id: str, frame: Any) -> bool:
        self.sent.append(frame)
        return True


class Jobs:
    """A worker invoker that keeps the jobs it is asked to start (run here, as the worker would run them)."""

    def __init__(self) -> None:
        self.started: list[Any] = []

    def start(self, job: Any) -> None:
        self.started.append(job)


def export_pages(routes, jobs: Jobs, memory, settings, frames: Frames, caller) -> dict[str, Any]:
    """Seconds of the route's first request, of the worker's build, and of every later page; the document."""
    from memchat import export
    from memchat.frames import ExportData

    started = time.perf_counter()
    routes.export_data(caller, ExportData(action="exportData"))
    routed = time.perf_counter()
    pages = [export.prepare(memory, settings, jobs.started[-1])]
    built = time.perf_counter()
    while pages[-1].cursor:
        routes.export_data(caller, ExportData(action="exportData", cursor=pages[-1].cursor))
        pages.append(frames.sent[-1])
    return {"route_s": routed - started, "build_s": built - routed, "rest_s": time.perf_counter() - built,
            "pages": len(pages), "chars": len("".join(page.part for page in pages))}


async def _figures() -> list[dict[str, Any]]:
    from memchat.chat import Caller
    from memchat.portability import PortabilityRoutes

    rows = []
    async with local_table(in_memory=True) as local:
        words = Words()
        for messages in HISTORIES:
            user = f"bench-export-{messages}"
            write_items(local.client, local.settings.table_name, history_items(user, messages, words))
            frames, jobs = Frames(), Jobs()
            routes = PortabilityRoutes(memory=local.memory, poster=frames, worker=jobs, settings=local.settings)
            caller = Caller(user_id=user, connection_id="bench")
            samples = []
            for _ in range(RUNS):
                calls = local.memory.calls
                samples.append({**export_pages(routes, jobs, local.memory, local.settings, frames, caller),
                                "calls": local.memory.calls - calls})
            rows.append({"messages": messages, **{key: statistics.median(s[key] for s in samples)
                                                  for key in samples[0]}})
    return rows


def print_export_figures() -> None:
    rows = asyncio.run(_figures())
    print(f"\nExport (DynamoDB Local; one user; server time, median of {RUNS}): the route hands the build to the "
          f"worker; the worker builds the document, keeps its parts and posts the first page")
    print(f"  {'messages':>9} {'route ms':>9} {'worker build s':>15} {'other pages s':>14} {'pages':>6} "
          f"{'document chars':>15} {'DynamoDB calls':>15}")
    for row in rows:
        print(f"  {row['messages']:>9} {row['route_s'] * 1000:>9.1f} {row['build_s']:>15.2f} {row['rest_s']:>14.2f} "
              f"{row['pages']:>6.0f} {row['chars']:>15,.0f} {row['calls']:>15.0f}")
    per_message = max(row["build_s"] / row["messages"] for row in rows)
    print(f"  the build grows by {per_message * 1000:.2f} ms a message: in the route it would pass {LIMIT_S:.0f} s "
          f"(API Gateway's integration timeout) at about {LIMIT_S / per_message:,.0f} messages here; the worker's "
          f"{WORKER_S:.0f} s cover about {WORKER_S / per_message:,.0f}")


if __name__ == "__main__":
    print_export_figures()
