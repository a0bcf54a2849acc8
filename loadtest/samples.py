"""Raw per-request samples, one CSV row each, and exact percentiles computed from them.

Locust rounds the response times it keeps for percentiles (to 10 ms above 100 ms, to 100 ms above
1 s), which hides exactly the milliseconds this suite is about; every measured phase is therefore
also written here, unrounded, and the report reads only this file.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TextIO

# Phases, as Locust names them too. Chat phases come from the WebSocket user, direct ones from the baseline.
CONNECT = "connect"
ACK = "ack"
TTFT = "ttft"
GAP = "gap"
ANSWER = "answer"
STREAM = "stream"  # first text delta to done: delivery time of the answer
DIRECT_TTFT = "direct ttft"
DIRECT_ANSWER = "direct answer"
DIRECT_STREAM = "direct stream"  # first token to the end of the stream: the model's emission time
ARRIVAL_LAG = "arrival lag"  # open loop: how late a scheduled message was sent (all pool users busy)
ERROR = "error"


@dataclass(frozen=True)
class Sample:
    t: float  # seconds since the run started
    phase: str
    ms: float
    tokens: int = 0  # output tokens, for answer and stream phases
    turn: int = 0  # 1 for a conversation's first message
    stage: int = 0  # users in the load stage the request started in (chat users, baseline excluded)
    stage_age: float = 0.0  # seconds since that stage started
    user: str = ""
    code: str = ""  # an error's code; empty on success

    @property
    def failed(self) -> bool:
        return bool(self.code)


FIELDS = [f.name for f in fields(Sample)]


class SampleWriter:
    """Appends samples to a CSV file; rows are flushed in batches and on close."""

    def __init__(self, path: Path, *, flush_every: int = 500) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: TextIO = path.open("w", newline="", encoding="utf-8")
        self._writer = csv.DictWriter(self._file, fieldnames=FIELDS)
        self._writer.writeheader()
        self._pending = 0
        self._flush_every = flush_every

    def write(self, sample: Sample) -> None:
        row = asdict(sample)
        row["t"] = f"{sample.t:.4f}"
        row["ms"] = f"{sample.ms:.3f}"
        row["stage_age"] = f"{sample.stage_age:.2f}"
        self._writer.writerow(row)
        self._pending += 1
        if self._pending >= self._flush_every:
            self._file.flush()
            self._pending = 0

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()


def read_samples(path: Path) -> list[Sample]:
    with path.open(newline="", encoding="utf-8") as file:
        return [
            Sample(
                t=float(row["t"]), phase=row["phase"], ms=float(row["ms"]), tokens=int(row["tokens"]),
                turn=int(row["turn"]), stage=int(row["stage"]), stage_age=float(row["stage_age"]),
                user=row["user"], code=row["code"],
            )
            for row in csv.DictReader(file)
        ]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 to 100) by linear interpolation between the closest ranks.

    The same definition as numpy's default and `statistics.quantiles(method="inclusive")`: p0 is the
    minimum, p100 the maximum, and nothing is rounded.
    """
    if not values:
        raise ValueError("no samples")
    if not 0 <= q <= 100:
        raise ValueError("q is a percentage, 0 to 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Summary:
    count: int
    p50: float
    p95: float
    p99: float
    max: float
    mean: float

    @classmethod
    def of(cls, values: Iterable[float]) -> Summary | None:
        ordered = sorted(values)
        if not ordered:
            return None
        return cls(
            count=len(ordered), p50=percentile(ordered, 50), p95=percentile(ordered, 95),
            p99=percentile(ordered, 99), max=ordered[-1], mean=sum(ordered) / len(ordered),
        )


__all__ = [
    "ACK", "ANSWER", "ARRIVAL_LAG", "CONNECT", "DIRECT_ANSWER", "DIRECT_STREAM", "DIRECT_TTFT", "ERROR", "FIELDS",
    "GAP", "STREAM", "TTFT", "Sample", "SampleWriter", "Summary", "percentile", "read_samples",
]
