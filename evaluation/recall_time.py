"""What 100 memories add to the answer path's time to first token, measured side by side in one run.

Each repetition times the answer path's memory work for one question twice, in alternating order so both
share the machine's load: with memory on (reading 100 memory items as `recall_state` does, then
`recollection.fit` choosing from them) and with memory off (`fit` with nothing to recall, as `recollect`
runs it then). The DynamoDB Query for the memories runs beside the window's read and is not timed here
(`make eval`'s three systems time it end to end, on DynamoDB Local).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from evaluation.bank import Split
from evaluation.recall import MEMORIES, facts, holding, questions
from evaluation.report import Figure, percentile
from memchat.memory import RecallState, SavedMemory, estimate_tokens, memory_budget
from memchat.memory.codec import dump, load
from memchat.recollection import fit
from memchat.settings import Settings

TARGET_MS = 5.0  # issue 17: memory's added time to first token stays <= 5 ms p50
USERS = 20


@dataclass(frozen=True)
class RecallTime:
    """Per-call times in ms, with 100 memories and with memory off."""

    on: list[float]
    off: list[float]

    def p(self, q: float) -> tuple[float, float]:
        return percentile(self.on, q), percentile(self.off, q)

    @property
    def added_p50(self) -> float:
        on, off = self.p(0.5)
        return on - off


def _on(items: list[dict], text: str, total: int, settings: Settings) -> None:
    memories = [SavedMemory.from_plain(load(item)) for item in items]
    memories.sort(key=lambda m: m.updated_ms, reverse=True)
    fit([], {}, RecallState(enabled=True, memories=memories), text=text, total=total, settings=settings)


def _off(items: list[dict], text: str, total: int, settings: Settings) -> None:
    fit([], {}, RecallState(enabled=False, memories=[]), text=text, total=total, settings=settings)


def measure(*, split: Split = "dev", repetitions: int = 2000, seed: int = 2026,
            settings: Settings | None = None) -> RecallTime:
    """Time `repetitions` questions of `split`, each asked by one of a few users holding 100 memories."""
    settings = settings or Settings()
    rng = random.Random(f"{seed}:time")
    pool, asked = facts(split), questions(split)
    users = []
    for _ in range(USERS):
        question = rng.choice(asked)
        fact = rng.choice([f for f in pool if question.fits(f)])
        items = [dump(m.item("u-time")) for m in holding(fact, pool, rng, size=MEMORIES)]
        users.append((items, question.asked_of(fact)))
    on: list[float] = []
    off: list[float] = []
    for n in range(repetitions):
        items, text = users[n % USERS]
        total = memory_budget(settings) - estimate_tokens(text)
        runs = ((_on, on), (_off, off)) if n % 2 else ((_off, off), (_on, on))
        for run, into in runs:
            started = time.perf_counter()
            run(items, text, total, settings)
            into.append((time.perf_counter() - started) * 1000)
    return RecallTime(on, off)


def render(timing: RecallTime) -> str:
    (on50, off50), (on95, off95) = timing.p(0.5), timing.p(0.95)
    return (f"Recall's time on the answer path, {len(timing.on)} questions side by side (ms): with {MEMORIES} "
            f"memories p50 {on50:.2f} / p95 {on95:.2f}; memory off p50 {off50:.2f} / p95 {off95:.2f}; "
            f"added p50 {timing.added_p50:+.2f}")


def figures(timing: RecallTime) -> list[Figure]:
    (on50, off50), (on95, off95) = timing.p(0.5), timing.p(0.95)
    return [Figure(f"recall with {MEMORIES} memories vs memory off, p50 / p95 (ms)",
                   {"window-only": f"{off50:.2f} / {off95:.2f}", "memchat": f"{on50:.2f} / {on95:.2f}"}),
            Figure(f"time {MEMORIES} memories add to the answer path, p50 (ms)",
                   {"memchat": f"{timing.added_p50:+.2f}"}, f"<= {TARGET_MS:g} ms", timing.added_p50 <= TARGET_MS,
                   timed=True)]
