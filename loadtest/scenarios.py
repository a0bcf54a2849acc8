"""The named scenarios `make loadtest` runs: which stack mode, which users, which load shape, which targets."""

from __future__ import annotations

from dataclasses import dataclass

from loadtest.shapes import PoissonPlan, StepPlan

RATE_LIMIT_OFF = ("--set", "MEMCHAT_RATE_LIMIT_PER_MINUTE=1000000")


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    mode: str  # the model endpoint's mode this scenario needs: "llama", "replay", or "any" (a deployed stage)
    plan: StepPlan | PoissonPlan
    max_turns: int
    think: str = "1:3"  # seconds between an answer and the user's next message, MIN:MAX
    direct_think: str = ""  # the baseline users' think time (default: the chat users')
    stagger: float = -1.0  # users start at a random moment within this many seconds (default: think max)
    direct_users: int = 2
    max_new_tokens: int = 384  # the stack's MEMCHAT_MAX_NEW_TOKENS; the baseline asks for the same
    conversation_turns: int = 0  # > 0: every conversation is this long
    stack_options: tuple[str, ...] = ()  # `memchat dev` options beyond mode, rate limit and max new tokens
    warmup: float = 5.0  # seconds of each stage left out of its figures (users connecting, queues filling)
    checks: tuple[str, ...] = ()  # which latency targets this scenario measures
    notes: str = ""

    @property
    def users(self) -> tuple[str, ...]:
        chat = "ArrivalUser" if isinstance(self.plan, PoissonPlan) else "ChatUser"
        return (chat, "DirectUser") if self.direct_users else (chat,)

    def memchat_dev_options(self) -> list[str]:
        return [*RATE_LIMIT_OFF, "--set", f"MEMCHAT_MAX_NEW_TOKENS={self.max_new_tokens}", *self.stack_options]

    def locust_options(self) -> list[str]:
        plan = self.plan
        options = [
            "--max-turns", str(self.max_turns), "--think", self.think, "--direct-users", str(self.direct_users),
            "--max-new-tokens", str(self.max_new_tokens), "--conversation-turns", str(self.conversation_turns),
            "--ramp", str(plan.spawn_rate), "--stagger", str(self.stagger),
            "--direct-think", self.direct_think or self.think,
        ]
        if isinstance(plan, StepPlan):
            stages = ",".join(f"{stage.users}x{stage.seconds:g}" for stage in plan.stages)
            options += ["--shape", "steps", "--stages", stages]
        else:
            options += ["--shape", "poisson", "--rate", f"{plan.rate:g}", "--arrival-seconds", f"{plan.seconds:g}",
                        "--pool-users", str(plan.pool_users), "--seed", str(plan.seed)]
        return options

    @property
    def seconds(self) -> float:
        return self.plan.total_seconds


# The replay model: 150 ms to the first token, then 60 tokens a second, answers of 120 tokens (its default);
# a plausible GPU-served small model, and the same schedule for every request at any concurrency.
REPLAY = ("--replay-ttft-ms", "150", "--replay-tokens-per-second", "60")

SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario(
            name="llama-4",
            title="Embedded model (SmolLM2 on llama.cpp), 4 chat users",
            mode="llama",
            plan=StepPlan.parse("4x240", spawn_rate=4),
            max_turns=600,
            think="5:10",
            direct_users=2,
            max_new_tokens=64,
            warmup=10.0,
            checks=("llama_ratio",),
            notes="One llama.cpp slot serves every request in arrival order, chat and baseline alike, so both "
                  "wait in the same queue; the think time keeps that queue short, so that TTFT is mostly the "
                  "model's own prompt processing and the backend's share is visible.",
        ),
        Scenario(
            name="replay-steps",
            title="Replay model, closed loop, 25 to 200 chat users thinking 10-30 s between messages",
            mode="replay",
            plan=StepPlan.parse("25x45,50x45,100x45,200x90", spawn_rate=25),
            max_turns=20000,
            think="10:30",
            direct_think="1:3",  # the baseline's pace does not load the replay model; more samples
            direct_users=4,
            stack_options=REPLAY,
            warmup=15.0,
            checks=("overhead", "errors", "delivery"),
            notes="10-30 s between an answer and the next message is a brisk chat user (reading a 90-word "
                  "answer, typing a line); 200 such users send about 9 messages a second.",
        ),
        Scenario(
            name="replay-stress",
            title="Replay model, closed loop, 10 to 100 chat users thinking 1-3 s: where the machine saturates",
            mode="replay",
            plan=StepPlan.parse("10x30,25x30,50x30,100x30", spawn_rate=25),
            max_turns=20000,
            think="1:3",
            direct_users=4,
            stack_options=REPLAY,
            warmup=8.0,
            checks=("errors",),
        ),
        Scenario(
            name="replay-poisson",
            title="Replay model, open loop: 8 messages a second (Poisson), 200 connected users",
            mode="replay",
            plan=PoissonPlan(rate=8.0, seconds=60.0, pool_users=200, spawn_rate=50, drain_seconds=20.0),
            max_turns=5000,
            think="10:30",
            direct_think="1:3",  # the baseline's pace does not load the replay model; more samples
            direct_users=4,
            stack_options=REPLAY,
            warmup=5.0,
            checks=("overhead", "errors", "delivery"),
        ),
        Scenario(
            name="replay-long",
            title="Replay model, conversations of 50 turns, 8 chat users",
            mode="replay",
            plan=StepPlan.parse("8x180", spawn_rate=8),
            max_turns=10000,
            think="0.2:0.4",
            stagger=40.0,
            direct_users=2,
            max_new_tokens=64,
            conversation_turns=50,
            stack_options=("--replay-ttft-ms", "150", "--replay-tokens-per-second", "240"),
            warmup=0.0,
            checks=("turns",),
            notes="Users start up to 40 s apart (about one conversation), so first and fiftieth turns run side "
                  "by side under the same load; by turn 50 the prompt window is full, so the turn reads a "
                  "full page of memory and sends the model its longest prompt.",
        ),
        Scenario(
            name="smoke",
            title="Smoke: 3 chat users and 1 baseline user for a few seconds",
            mode="replay",
            plan=StepPlan.parse("3x8", spawn_rate=10),
            max_turns=200,
            think="0.1:0.3",
            direct_users=1,
            max_new_tokens=24,
            stack_options=("--replay-ttft-ms", "20", "--replay-tokens-per-second", "200"),
            warmup=0.0,
        ),
        Scenario(
            name="smoke-open",
            title="Smoke: the open loop, 4 messages a second for 5 s taken by 4 connected users",
            mode="replay",
            plan=PoissonPlan(rate=4.0, seconds=5.0, pool_users=4, spawn_rate=20, drain_seconds=10.0),
            max_turns=100,
            think="0.1:0.3",
            direct_users=0,
            max_new_tokens=24,
            stack_options=("--replay-ttft-ms", "20", "--replay-tokens-per-second", "200"),
            warmup=0.0,
        ),
        Scenario(
            name="remote",
            title="Deployed stage: 1 then 5 chat users, slow think time",
            mode="any",
            plan=StepPlan.parse("1x60,5x120", spawn_rate=1),
            max_turns=300,
            think="5:15",  # API Gateway stage: 30 messages a minute per user at most
            direct_users=0,
            warmup=10.0,
            checks=("errors",),
        ),
    )
}

DEFAULT_LOCAL = ("llama-4", "replay-steps", "replay-stress", "replay-poisson", "replay-long")
DEFAULT_REMOTE = ("remote",)


__all__ = ["DEFAULT_LOCAL", "DEFAULT_REMOTE", "SCENARIOS", "Scenario"]
