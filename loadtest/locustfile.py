"""memchat's Locust users: chat users on the WebSocket API, and a baseline user on the model endpoint.

    WebSocketUser       abstract: signs in, opens the socket (phase `connect`) and sends turns,
                        firing one request event per measured phase: ack, ttft, gap, answer, stream,
                        and `error` by code
    ├── ChatUser        closed loop: a conversation from the prompt set, one turn after another with
                        think time between them (--think); --conversation-turns N holds N-turn chats
    └── ArrivalUser     open loop: takes the next Poisson arrival (--shape poisson), sends at its time
    DirectUser          the baseline: the same prompts straight to the model endpoint through the
                        backend's own stream parser (direct ttft, direct answer, direct stream)
    PlannedShape        the one load shape: a StepPlan or a PoissonPlan, bounded in users, time and turns

Run it through `python -m loadtest` (make loadtest), which starts the stack and writes the report;
by hand: `locust -f loadtest/locustfile.py --headless -H ws://127.0.0.1:8765 --data-dir .data
--endpoint-url http://127.0.0.1:8767 --samples out.csv ChatUser DirectUser`.
"""

from __future__ import annotations

import itertools
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gevent
from locust import LoadTestShape, User, between, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

from loadtest.client import ChatClient, TurnResult
from loadtest.direct import LOCAL_ENDPOINT_NAME, DirectConversation, DirectModel, endpoint_client
from loadtest.errors import ConnectRefused, LoadTestError
from loadtest.prompts import PromptSet, prompt_set
from loadtest.samples import (
    ACK,
    ANSWER,
    ARRIVAL_LAG,
    CONNECT,
    DIRECT_ANSWER,
    DIRECT_STREAM,
    DIRECT_TTFT,
    ERROR,
    GAP,
    STREAM,
    TTFT,
    Sample,
    SampleWriter,
)
from loadtest.shapes import ArrivalClock, Budget, PlanError, PoissonPlan, StageAt, StepPlan
from loadtest.stack import is_loopback
from loadtest.tokens import LocalTokens, TokenList, TokenSource
from memchat.settings import ModelServer

CHAT = "WS"
DIRECT = "SageMaker"


@dataclass
class Run:
    """Everything a run shares, built once from the command line when Locust starts."""

    run_id: str
    plan: StepPlan | PoissonPlan
    budget: Budget
    prompts: PromptSet
    tokens: TokenSource
    samples: SampleWriter
    think: tuple[float, float]
    direct_think: tuple[float, float]
    stagger: float
    conversation_turns: int
    turn_timeout: float
    direct_users: int
    max_new_tokens: int
    endpoint_url: str | None
    endpoint_name: str
    model_server: ModelServer = "tgi"
    arrivals: ArrivalClock | None = None
    arrivals_offset: float = 0.0  # arrivals start once the pool has connected
    started_at: float = field(default_factory=time.perf_counter)
    in_flight: int = 0
    _direct_client: Any = None

    def elapsed(self) -> float:
        return time.perf_counter() - self.started_at

    def stage(self) -> StageAt:
        return self.plan.at(self.elapsed()) or StageAt(-1, 0, 0.0)

    def direct_client(self) -> Any:
        if self._direct_client is None:  # one client per process, shared by every baseline user
            self._direct_client = endpoint_client(self.endpoint_url, pool=max(10, self.direct_users * 2))
        return self._direct_client


RUN: Run | None = None
_user_numbers = itertools.count(1)


def run() -> Run:
    assert RUN is not None, "the run is set up by Locust's init event"
    return RUN


# ---------------------------------------------------------------- command line and set-up


@events.init_command_line_parser.add_listener
def _arguments(parser: Any) -> None:
    group = parser.add_argument_group("memchat", "memchat's load test (see docs/loadtest.md)")
    group.add_argument("--samples", default="", help="CSV file for the raw per-request samples (required)")
    group.add_argument("--shape", choices=("steps", "poisson"), default="steps")
    group.add_argument("--stages", default="4x30", help="steps: USERSxSECONDS,... chat users per stage")
    group.add_argument("--ramp", type=float, default=20.0, help="users started per second")
    group.add_argument("--rate", type=float, default=5.0, help="poisson: messages per second")
    group.add_argument("--arrival-seconds", type=float, default=60.0, help="poisson: how long messages arrive")
    group.add_argument("--pool-users", type=int, default=50, help="poisson: connected users taking arrivals")
    group.add_argument("--seed", type=int, default=1)
    group.add_argument("--max-turns", type=int, default=10000, help="the most messages the run sends, in all")
    group.add_argument("--think", default="1:3", help="MIN:MAX seconds a user waits between answer and next message")
    group.add_argument("--direct-think", default="",
                       help="MIN:MAX seconds between a baseline user's calls (default: --think)")
    group.add_argument("--stagger", type=float, default=-1.0,
                       help="closed loop: users start at a random moment within this many seconds (default: think max)")
    group.add_argument("--conversation-turns", type=int, default=0,
                       help="N > 0: each conversation is N messages long (the prompt set, cycled)")
    group.add_argument("--turn-timeout", type=float, default=120.0)
    group.add_argument("--direct-users", type=int, default=0, help="baseline users calling the model endpoint")
    group.add_argument("--max-new-tokens", type=int, default=384, help="as the backend's MEMCHAT_MAX_NEW_TOKENS")
    group.add_argument("--endpoint-url", default="", help="the model endpoint (local stack: http://127.0.0.1:P)")
    group.add_argument("--endpoint-name", default=LOCAL_ENDPOINT_NAME)
    group.add_argument("--model-server", choices=("tgi", "vllm"), default="tgi", help="whose wire the endpoint speaks")
    group.add_argument("--data-dir", default="", help="local stack: its data folder, whose issuer mints tokens")
    group.add_argument("--token-file", default="", help="deployed stage: tokens, one a line")
    group.add_argument("--run-id", default="", help="prefix of the users' ids")
    group.add_argument("--allow-remote", action="store_true",
                       help="allow a target that is not loopback (make loadtest WS_URL=...)")


@events.init.add_listener
def _set_up(environment: Environment, **_: Any) -> None:
    global RUN
    options = environment.parsed_options
    if options is None:  # a library user builds the Run itself
        return
    try:
        RUN = _build_run(environment, options)
    except (PlanError, ValueError, OSError) as exc:
        raise SystemExit(f"loadtest: {exc}") from exc
    DirectUser.fixed_count = RUN.direct_users
    ChatUser.wait_time = between(*RUN.think)
    DirectUser.wait_time = between(*RUN.direct_think)


def _build_run(environment: Environment, options: Any) -> Run:
    host = environment.host or ""
    if not host.startswith(("ws://", "wss://")):
        raise ValueError(f"the host is the WebSocket API's URL (ws:// or wss://), not {host!r}")
    targets = [host] + ([options.endpoint_url] if options.endpoint_url else [])
    remote = [url for url in targets if not is_loopback(url)]
    if remote and not options.allow_remote:
        raise ValueError(f"{', '.join(remote)} is not loopback: pass --allow-remote (make loadtest WS_URL=...)")
    if not options.samples:
        raise ValueError("--samples FILE is required: the report reads the raw samples")
    think = seconds_range(options.think)
    direct_think = seconds_range(options.direct_think or options.think)
    plan: StepPlan | PoissonPlan
    if options.shape == "steps":
        plan = StepPlan.parse(options.stages, spawn_rate=options.ramp)
    else:
        plan = PoissonPlan(rate=options.rate, seconds=options.arrival_seconds, pool_users=options.pool_users,
                           seed=options.seed, spawn_rate=options.ramp)
    tokens: TokenSource
    if options.token_file:
        tokens = TokenList.from_file(Path(options.token_file))
    elif (listed := TokenList.from_environment()) is not None:
        tokens = listed
    elif options.data_dir:
        tokens = LocalTokens(Path(options.data_dir))
    else:
        raise ValueError("no tokens: give --data-dir (local stack), --token-file, or MEMCHAT_LOADTEST_TOKENS")
    if options.direct_users and not options.endpoint_url and options.endpoint_name == LOCAL_ENDPOINT_NAME:
        raise ValueError("baseline users need --endpoint-url (local) or --endpoint-name (a deployed endpoint)")
    budget = Budget(options.max_turns)
    current = Run(
        run_id=options.run_id or f"lt-{uuid.uuid4().hex[:8]}",
        plan=plan, budget=budget, prompts=prompt_set(), tokens=tokens, samples=SampleWriter(Path(options.samples)),
        think=think, direct_think=direct_think, stagger=options.stagger if options.stagger >= 0 else think[1],
        conversation_turns=options.conversation_turns, turn_timeout=options.turn_timeout,
        direct_users=options.direct_users, max_new_tokens=options.max_new_tokens,
        endpoint_url=options.endpoint_url or None, endpoint_name=options.endpoint_name,
        model_server=options.model_server,
    )
    if isinstance(plan, PoissonPlan):
        current.arrivals = ArrivalClock(plan.arrivals(options.max_turns))
        current.arrivals_offset = plan.pool_users / plan.spawn_rate + 1.0
    return current


def seconds_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition(":")
    return float(low), float(high or low)


@events.test_start.add_listener
def _started(environment: Environment, **_: Any) -> None:
    if RUN is not None:
        RUN.started_at = time.perf_counter()


@events.quitting.add_listener
def _quitting(environment: Environment, **_: Any) -> None:
    if RUN is not None:
        RUN.samples.close()


@events.request.add_listener
def _record(name: str, response_time: float, response_length: int, context: dict | None = None,
            exception: BaseException | None = None, **_: Any) -> None:
    """Every measured phase, unrounded, into the samples file: the report's only source."""
    if RUN is None or not context or "phase" not in context:
        return
    RUN.samples.write(Sample(
        t=context["t"], phase=context["phase"], ms=float(response_time), tokens=int(response_length or 0),
        turn=context.get("turn", 0), stage=context.get("stage", 0), stage_age=context.get("stage_age", 0.0),
        user=context.get("user", ""), code=getattr(exception, "code", "") if exception else "",
    ))


# ---------------------------------------------------------------- users


class MeasuredUser(User):
    abstract = True
    request_type = CHAT

    def on_start(self) -> None:
        self.number = next(_user_numbers)
        self.user_id = f"{run().run_id}-{self.number}"

    def context_for(self, turn: int = 0) -> dict[str, Any]:
        stage = run().stage()
        return {"t": run().elapsed(), "turn": turn, "stage": stage.users, "stage_age": stage.age,
                "user": self.user_id}

    def measure(self, phase: str, ms: float, context: dict[str, Any], *, tokens: int = 0,
                error: LoadTestError | None = None) -> None:
        name = f"{phase} {error.code}" if error else phase
        self.environment.events.request.fire(
            request_type=self.request_type, name=name, response_time=ms, response_length=tokens,
            exception=error, context={**context, "phase": phase},
        )

    def out_of_turns(self) -> None:
        gevent.sleep(1.0)  # the shape stops the run at its next tick


class WebSocketUser(MeasuredUser):
    """A signed-in user with one open WebSocket, sending turns and timing every phase."""

    abstract = True
    client: ChatClient | None = None
    _refusals = 0

    def on_start(self) -> None:
        super().on_start()
        self.token = run().tokens.token(self.number, self.user_id)
        self.connect()

    def on_stop(self) -> None:
        if self.client is not None:
            self.client.close()

    def connect(self) -> bool:
        self.client = ChatClient(self.host, self.token, timeout=run().turn_timeout)
        context = self.context_for()
        started = time.perf_counter()
        try:
            ms = self.client.connect()
        except ConnectRefused as exc:
            self.measure(ERROR, (time.perf_counter() - started) * 1000, context, error=exc)
            if exc.unauthorized:
                raise StopUser from exc  # the same token will be refused again: this user is done
            self._refusals += 1
            gevent.sleep(min(30.0, 2.0 ** self._refusals))  # back off from a gateway that refuses
            return False
        self._refusals = 0
        self.measure(CONNECT, ms, context)
        return True

    def say(self, text: str, conversation_id: str | None, turn: int) -> TurnResult:
        if (self.client is None or not self.client.connected) and not self.connect():
            return TurnResult(error=ConnectRefused("not connected"))
        assert self.client is not None
        context = self.context_for(turn)
        run().in_flight += 1
        try:
            result = self.client.turn(text, conversation_id=conversation_id, timeout=run().turn_timeout)
        finally:
            run().in_flight -= 1
        if result.ack_ms is not None:
            self.measure(ACK, result.ack_ms, context)
        if result.ttft_ms is not None:
            self.measure(TTFT, result.ttft_ms, context)
        for gap in result.gaps_ms:
            self.measure(GAP, gap, context)
        if result.answer_ms is not None:
            self.measure(ANSWER, result.answer_ms, context, tokens=result.completion_tokens)
        if result.stream_ms is not None:
            self.measure(STREAM, result.stream_ms, context, tokens=result.completion_tokens)
        if result.error is not None:
            self.measure(ERROR, result.ended_ms or 0.0, context, error=result.error)
        return result


class ConversationUser(WebSocketUser):
    """Holds conversations from the prompt set: each message waits for the previous answer.

    With --conversation-turns N every conversation is N messages long.
    """

    abstract = True
    finished = False

    def on_start(self) -> None:
        super().on_start()
        self._conversations = conversations(self.number)
        self._start_conversation()

    def _start_conversation(self) -> None:
        self._messages = list(next(self._conversations, ()))
        self.finished = not self._messages
        self._turn = 0
        self._conversation_id: str | None = None

    def ready(self) -> bool:
        """Whether the user has a message to send: the next of this conversation, or the first of a new one."""
        if self._turn >= len(self._messages):
            self._start_conversation()
        return not self.finished

    def next_turn(self) -> None:
        text = self._messages[self._turn]
        result = self.say(text, self._conversation_id, self._turn + 1)
        if result.error is not None:
            self._start_conversation()  # a failed turn may not be stored; start afresh rather than guess
            return
        self._conversation_id = result.conversation_id
        self._turn += 1


def conversations(number: int) -> Iterator[tuple[str, ...]]:
    """A user's conversations from the prompt set: as written, or each --conversation-turns long."""
    turns = run().conversation_turns
    if turns > 0:
        return (run().prompts.long_conversation(turns, seed=number * 1000 + k) for k in itertools.count())
    return run().prompts.conversations_for(seed=number)


def stagger() -> None:
    """Start a closed-loop user at a random moment within the think time, not all at once with its stage:
    a burst of first messages would measure the burst, and put every turn 1 at the same instant."""
    gevent.sleep(random.uniform(0, run().stagger))


class ChatUser(ConversationUser):
    """Closed loop: the next message goes once the answer is done and the user has thought (--think)."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        stagger()

    @task
    def chat(self) -> None:
        if not self.ready() or not run().budget.take():
            self.out_of_turns()
            return
        self.next_turn()


class ArrivalUser(ConversationUser):
    """Open loop: sends at the times of a Poisson process, whatever the latency; a late send is measured."""

    wait_time = constant(0)

    @task
    def arrive(self) -> None:
        current = run()
        at = current.arrivals.claim() if current.arrivals is not None and self.ready() else None
        if at is None or not current.budget.take():
            self.out_of_turns()
            return
        current.in_flight += 1  # claimed and waiting for its time: the run is not over
        try:
            due = current.started_at + current.arrivals_offset + at
            wait = due - time.perf_counter()
            if wait > 0:
                gevent.sleep(wait)
            lag_ms = max(0.0, (time.perf_counter() - due) * 1000)
            self.measure(ARRIVAL_LAG, lag_ms, self.context_for(self._turn + 1))
            self.next_turn()
        finally:
            current.in_flight -= 1


class DirectUser(MeasuredUser):
    """The baseline: the same prompts, held as conversations, sent straight to the model endpoint."""

    request_type = DIRECT
    wait_time = between(1, 3)
    fixed_count = 0
    finished = False

    def on_start(self) -> None:
        super().on_start()
        current = run()
        self.model = DirectModel(current.direct_client(), endpoint_name=current.endpoint_name,
                                 max_tokens=current.max_new_tokens, server=current.model_server)
        self._conversations = conversations(10_000 + self.number)
        self._start_conversation()
        stagger()

    def _start_conversation(self) -> None:
        self._messages = list(next(self._conversations, ()))
        self.finished = not self._messages
        self._turn = 0
        self._conversation = DirectConversation(max_new_tokens=run().max_new_tokens)

    @task
    def generate(self) -> None:
        if self._turn >= len(self._messages):
            self._start_conversation()
        if self.finished or not run().budget.take():
            self.out_of_turns()
            return
        text = self._messages[self._turn]
        context = self.context_for(self._turn + 1)
        run().in_flight += 1
        try:
            result = self.model.generate(self._conversation.prompt(text))
        finally:
            run().in_flight -= 1
        if result.error is not None:
            self.measure(ERROR, result.answer_ms or 0.0, context, error=result.error)
            self._start_conversation()
            return
        if result.ttft_ms is not None:
            self.measure(DIRECT_TTFT, result.ttft_ms, context)
        if result.answer_ms is not None:
            self.measure(DIRECT_ANSWER, result.answer_ms, context, tokens=result.completion_tokens)
        if result.stream_ms is not None:
            self.measure(DIRECT_STREAM, result.stream_ms, context, tokens=result.completion_tokens)
        self._conversation.remember(text, result)
        self._turn += 1


# ---------------------------------------------------------------- the load shape


class PlannedShape(LoadTestShape):
    """Users per the run's plan, baseline users on top; stops when the plan, the turns or the arrivals end."""

    def tick(self) -> tuple[int, float] | None:
        current = RUN
        if current is None or current.budget.exhausted:
            return None
        if current.arrivals is not None and current.in_flight == 0 and current.arrivals.claimed_all:
            return None
        stage = current.plan.at(self.get_run_time())
        if stage is None:
            return None
        return stage.users + current.direct_users, current.plan.spawn_rate
