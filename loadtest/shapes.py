"""Load shapes as pure plans, always bounded in users, time and turns.

    StepPlan     closed loop: N users, each sending its next message when the last answer is done (plus
                 think time), in stages of rising N: what concurrency does to latency
    PoissonPlan  open loop: messages arrive at random (exponential gaps) at a set rate whatever the
                 latency, taken by a bounded pool of connected users; an arrival that finds every user
                 busy waits, and that wait is measured as `arrival lag`
    Budget       the most turns a run may send, shared by its users

Locust's `LoadTestShape` (in locustfile.py) only asks these plans what to do at a given second.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

MAX_USERS = 1000
MAX_SECONDS = 3600.0
MAX_TURNS = 1_000_000


class PlanError(ValueError):
    """A plan that would not be bounded, or that cannot be read."""


@dataclass(frozen=True)
class Stage:
    users: int  # chat users; the baseline users run on top of these
    seconds: float


@dataclass(frozen=True)
class StageAt:
    index: int
    users: int
    age: float  # seconds since this stage began


@dataclass(frozen=True)
class StepPlan:
    stages: tuple[Stage, ...]
    spawn_rate: float = 20.0

    def __post_init__(self) -> None:
        if not self.stages:
            raise PlanError("a step plan needs at least one stage")
        for stage in self.stages:
            if not 0 <= stage.users <= MAX_USERS:
                raise PlanError(f"{stage.users} users: a stage has 0 to {MAX_USERS}")
            if not 0 < stage.seconds <= MAX_SECONDS:
                raise PlanError(f"{stage.seconds} s: a stage lasts more than 0 and at most {MAX_SECONDS:.0f} s")
        if self.total_seconds > MAX_SECONDS:
            raise PlanError(f"{self.total_seconds:.0f} s in all: a plan lasts at most {MAX_SECONDS:.0f} s")
        if self.spawn_rate <= 0:
            raise PlanError("the spawn rate must be positive")

    @classmethod
    def parse(cls, spec: str, *, spawn_rate: float = 20.0) -> StepPlan:
        """'25x30,50x30' is 25 users for 30 s, then 50 users for 30 s."""
        stages = []
        for part in spec.split(","):
            users, sep, seconds = part.strip().partition("x")
            try:
                if not sep:
                    raise ValueError(part)
                stages.append(Stage(int(users), float(seconds)))
            except ValueError as exc:
                raise PlanError(f"{part!r}: write a stage as USERSxSECONDS, e.g. 50x30") from exc
        return cls(tuple(stages), spawn_rate)

    @property
    def total_seconds(self) -> float:
        return sum(stage.seconds for stage in self.stages)

    @property
    def peak_users(self) -> int:
        return max(stage.users for stage in self.stages)

    def at(self, elapsed: float) -> StageAt | None:
        """The stage running `elapsed` seconds into the plan; None once the plan is over."""
        start = 0.0
        for index, stage in enumerate(self.stages):
            if elapsed < start + stage.seconds:
                return StageAt(index, stage.users, max(0.0, elapsed - start))
            start += stage.seconds
        return None


@dataclass(frozen=True)
class PoissonPlan:
    rate: float  # arrivals per second
    seconds: float  # arrivals stop after this; answers in flight then finish
    pool_users: int  # connected users that take arrivals; at most this many turns at once
    seed: int = 1
    spawn_rate: float = 20.0
    drain_seconds: float = 30.0

    def __post_init__(self) -> None:
        if not 0 < self.rate <= 1000:
            raise PlanError("the arrival rate is more than 0 and at most 1000 a second")
        if not 0 < self.seconds + self.drain_seconds <= MAX_SECONDS:
            raise PlanError(f"a plan lasts at most {MAX_SECONDS:.0f} s, draining included")
        if not 1 <= self.pool_users <= MAX_USERS:
            raise PlanError(f"the pool has 1 to {MAX_USERS} users")

    @property
    def total_seconds(self) -> float:
        return self.seconds + self.drain_seconds

    @property
    def peak_users(self) -> int:
        return self.pool_users

    def arrivals(self, max_turns: int) -> list[float]:
        """Arrival times in seconds from the start: a Poisson process, the same for the same seed."""
        rng = random.Random(self.seed)
        times: list[float] = []
        at = rng.expovariate(self.rate)
        while at < self.seconds and len(times) < max_turns:
            times.append(at)
            at += rng.expovariate(self.rate)
        return times

    def at(self, elapsed: float) -> StageAt | None:
        if elapsed < self.total_seconds:
            return StageAt(0, self.pool_users, elapsed)
        return None


class Budget:
    """The most turns a run sends. Greenlets switch only at I/O, so taking a turn needs no lock."""

    def __init__(self, max_turns: int) -> None:
        if not 0 < max_turns <= MAX_TURNS:
            raise PlanError(f"a run sends 1 to {MAX_TURNS} turns")
        self.max_turns = max_turns
        self.taken = 0

    def take(self) -> bool:
        if self.taken >= self.max_turns:
            return False
        self.taken += 1
        return True

    @property
    def exhausted(self) -> bool:
        return self.taken >= self.max_turns


class ArrivalClock:
    """Hands each idle user the next arrival time, in order; None when the arrivals are all taken."""

    def __init__(self, arrivals: list[float]) -> None:
        self._arrivals = arrivals
        self._next = 0

    def claim(self) -> float | None:
        if self._next >= len(self._arrivals):
            return None
        at = self._arrivals[self._next]
        self._next += 1
        return at

    @property
    def claimed_all(self) -> bool:
        return self._next >= len(self._arrivals)

    def __len__(self) -> int:
        return len(self._arrivals)


__all__ = ["MAX_SECONDS", "MAX_USERS", "ArrivalClock", "Budget", "PlanError", "PoissonPlan", "Stage", "StageAt",
           "StepPlan"]
