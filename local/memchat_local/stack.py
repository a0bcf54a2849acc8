"""`make dev`: DynamoDB Local, the model endpoint and the gateway with the Lambda code, on one machine.

Everything is the cloud code path with local endpoint URLs: the handlers read the same settings and
make the same boto3 calls, pointed here through AWS_ENDPOINT_URL_<SERVICE> and MEMCHAT_* variables.
The stack supervises its two child processes: when DynamoDB Local or the model endpoint dies, it says so
and starts it again, with a growing delay, and gives up (saying so) if one keeps dying.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import aiohttp
import boto3
from aiohttp import web

from memchat.frames import CLIENT_ACTIONS
from memchat.tables import DIGEST_FILTER, INDEX_FILTERS
from memchat_local.dynamodb import DEFAULT_DIR, DynamoDBLocal, stop_process
from memchat_local.gateway import Gateway, GatewayConfig
from memchat_local.issuer import AUDIENCE, ISSUER, LocalIssuer
from memchat_local.runtime import Functions, Runtimes
from memchat_local.streams import StreamPoller

logger = logging.getLogger("memchat.stack")

CHAT_FUNCTION = "memchat-chat"
WORKER_FUNCTION = "memchat-worker"
ENDPOINT_NAME = "memchat-local-llm"
COMPONENT_NAME = "memchat-local-llm-component"
DIGEST_FUNCTION = "memchat-digest"
INDEX_FUNCTION = "memchat-index"
SWEEP_FUNCTION = "memchat-sweep"
# Every client action and $default go to the chat function, as in the CDK stack (both derive the list).
ROUTES = (*CLIENT_ACTIONS, "$default")


def gateway_config(*, jwks: dict, idle_timeout: float, max_connection_seconds: float) -> GatewayConfig:
    """The same wiring as the CDK stack: one authorizer, $connect/$disconnect, every action to the chat function."""
    return GatewayConfig(
        functions={
            "memchat-authorizer": "memchat.handlers.authorizer:lambda_handler",
            "memchat-connect": "memchat.handlers.connect:lambda_handler",
            "memchat-disconnect": "memchat.handlers.disconnect:lambda_handler",
            CHAT_FUNCTION: "memchat.handlers.chat:lambda_handler",
            WORKER_FUNCTION: "memchat.handlers.worker:lambda_handler",
            DIGEST_FUNCTION: "memchat.handlers.digest:lambda_handler",
            INDEX_FUNCTION: "memchat.handlers.index:lambda_handler",
            SWEEP_FUNCTION: "memchat.handlers.sweep:lambda_handler",
        },
        authorizer_function="memchat-authorizer",
        connect_function="memchat-connect",
        disconnect_function="memchat-disconnect",
        routes=dict.fromkeys(ROUTES, CHAT_FUNCTION),
        jwks=jwks,
        idle_timeout=idle_timeout,
        max_connection_seconds=max_connection_seconds,
    )


@dataclass(frozen=True)
class RestartPolicy:
    """How a dead child is restarted: after `first_delay` seconds, doubling up to `max_delay` for each
    restart within `window` seconds, and not at all once `max_restarts` happened within that window."""

    max_restarts: int = 5
    window: float = 300.0
    first_delay: float = 0.5
    max_delay: float = 10.0

    def delay(self, recent: int) -> float:
        return min(self.max_delay, self.first_delay * 2**recent)


def describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class StackOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    dynamodb_port: int = 8766
    endpoint_port: int = 8767
    data_dir: Path = Path(".data")
    dynamodb_dir: Path = DEFAULT_DIR
    model_mode: str = "llama"  # or "replay", the load-test mode
    model_server: str = "tgi"  # whose wire format the endpoint speaks and the backend reads: or "vllm"
    model_path: Path | None = None
    replay_ttft_ms: float = 150.0
    replay_tokens_per_second: float = 60.0
    idle_timeout: float = 600.0
    max_connection_seconds: float = 7200.0
    # Processes that run the generation worker's invocations, apart from the gateway as in AWS;
    # 0 runs them on the gateway's own threads (one process: what a debugger wants).
    worker_processes: int = 2
    settings: dict[str, str] = field(default_factory=dict)  # extra MEMCHAT_* overrides
    restart: RestartPolicy = field(default_factory=RestartPolicy)
    # How often the sweep ends answers whose lease ran out (EventBridge runs it every minute in AWS;
    # here sooner, so a developer sees a killed worker's answer end within the lease and a few seconds).
    sweep_interval: float = 5.0
    # The endpoint starts scaled to zero and wakes this long after the backend's scale-out call (0: always up).
    wake_seconds: float = 0.0

    def environment(self) -> dict[str, str]:
        """What the Lambda code sees: the same names the CDK stack sets, pointing at local parts."""
        base = f"http://{self.host}:{self.port}"
        env = {
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_DYNAMODB": f"http://127.0.0.1:{self.dynamodb_port}",
            "AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME": f"http://127.0.0.1:{self.endpoint_port}",
            # SageMaker's control plane, for the call that wakes the model: the same local endpoint answers it.
            "AWS_ENDPOINT_URL_SAGEMAKER": f"http://127.0.0.1:{self.endpoint_port}",
            "AWS_ENDPOINT_URL_LAMBDA": base,
            "MEMCHAT_CALLBACK_URL": f"{base}/local",
            "MEMCHAT_JWKS_URL": f"{base}/.well-known/jwks.json",
            "MEMCHAT_JWT_ISSUER": ISSUER,
            "MEMCHAT_JWT_AUDIENCE": AUDIENCE,  # the CDK stack sets its app client's id
            "MEMCHAT_ENDPOINT_NAME": ENDPOINT_NAME,
            # As in AWS, where the model is an inference component (one that can be scaled to zero and woken).
            "MEMCHAT_INFERENCE_COMPONENT_NAME": COMPONENT_NAME,
            "MEMCHAT_MODEL_SERVER": self.model_server,
            "MEMCHAT_WORKER_FUNCTION_NAME": WORKER_FUNCTION,
            "MEMCHAT_MODEL_MAX_TOKENS": "2048",
            "MEMCHAT_MAX_NEW_TOKENS": "384",
            "POWERTOOLS_METRICS_NAMESPACE": "memchat",
            "POWERTOOLS_METRICS_DISABLED": "true",  # CloudWatch's EMF lines mean nothing locally
        }
        env.update(self.settings)
        return env


class Stack:
    def __init__(self, options: StackOptions) -> None:
        self.options = options
        self.dynamodb = DynamoDBLocal(
            jar_dir=options.dynamodb_dir, data_dir=options.data_dir / "dynamodb", port=options.dynamodb_port,
            log_path=options.data_dir / "logs" / "dynamodb.log",
        )
        self.endpoint: asyncio.subprocess.Process | None = None
        self.runner: web.AppRunner | None = None
        self.gateway: Gateway | None = None
        self._supervisors: list[asyncio.Task] = []
        self.digest: StreamPoller | None = None
        self.index: StreamPoller | None = None

    @property
    def url(self) -> str:
        return f"ws://{self.options.host}:{self.options.port}"

    async def start(self) -> None:
        options = self.options
        os.environ.update(options.environment())
        issuer = LocalIssuer(options.data_dir)
        started = time.monotonic()
        # A TaskGroup cancels the other start when one fails, so stop() finds every child it must end.
        async with asyncio.TaskGroup() as group:
            group.create_task(self.dynamodb.start())
            group.create_task(self._start_endpoint())
        # Imported only now: the settings object is read once, from the environment set above.
        from memchat.settings import get_settings

        settings = get_settings()
        await asyncio.to_thread(self.dynamodb.create_tables, settings)
        config = gateway_config(jwks=issuer.jwks(), idle_timeout=options.idle_timeout,
                                max_connection_seconds=options.max_connection_seconds)
        if options.host in ("127.0.0.1", "::1", "localhost"):  # one-tap sign-in only where no one else can reach
            config = replace(config, dev_tokens=issuer.token)
        runtimes = None
        if options.worker_processes > 0:  # started after the environment above is set: children inherit it
            runtimes = Runtimes(config.functions, processes=options.worker_processes, warm=(WORKER_FUNCTION,))
        self.gateway = Gateway(config, runtimes=runtimes)
        self.digest = await asyncio.to_thread(self._follow_stream, settings.table_name, config.functions,
                                              DIGEST_FUNCTION, DIGEST_FILTER)
        self.index = await asyncio.to_thread(self._follow_stream, settings.table_name, config.functions,
                                             INDEX_FUNCTION, INDEX_FILTERS)
        self.runner = web.AppRunner(self.gateway.app(), handle_signals=False, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, options.host, options.port).start()
        sweep = Functions({SWEEP_FUNCTION: config.functions[SWEEP_FUNCTION]})
        self._supervisors = [
            asyncio.create_task(self._every(options.sweep_interval, lambda: sweep.invoke(SWEEP_FUNCTION, {}))),
            asyncio.create_task(self._supervise("The model endpoint", lambda: self.endpoint, self._start_endpoint,
                                                options.data_dir / "logs" / "endpoint.log")),
            asyncio.create_task(self._supervise("DynamoDB Local", lambda: self.dynamodb.process,
                                                self._restart_dynamodb, self.dynamodb.log_path)),
        ]
        logger.info("Stack started in %.1f s", time.monotonic() - started)

    async def _supervise(self, name: str, process: Callable[[], asyncio.subprocess.Process | None],
                         start: Callable[[], Awaitable[None]], log_path: Path) -> None:
        """Wait for the child to die, then start it again; cancelled by stop()."""
        policy = self.options.restart
        loop = asyncio.get_running_loop()
        restarts: deque[float] = deque()  # when each recent restart began
        while True:
            child = process()
            if child is None:
                return
            code = await child.wait()
            now = loop.time()
            while restarts and now - restarts[0] > policy.window:
                restarts.popleft()
            if len(restarts) >= policy.max_restarts:
                logger.error("%s (pid %d) %s after %d restarts in %.0f s: not restarting it again; see %s",
                             name, child.pid, describe_exit(code), len(restarts), policy.window, log_path)
                return
            delay = policy.delay(len(restarts))
            logger.warning("%s (pid %d) %s; restarting it in %.1f s (restart %d of at most %d in %.0f s)",
                           name, child.pid, describe_exit(code), delay, len(restarts) + 1, policy.max_restarts,
                           policy.window)
            await asyncio.sleep(delay)
            restarts.append(loop.time())
            try:
                await start()
            except Exception as exc:  # noqa: BLE001 - a failed start counts as one more death
                logger.error("%s did not start again: %s", name, exc)
                continue
            logger.info("%s restarted (pid %d)", name, process().pid)

    async def _restart_dynamodb(self) -> None:
        await self.dynamodb.start()
        from memchat.settings import get_settings

        # The tables persist in the data folder; creating any that are missing costs one list_tables call.
        await asyncio.to_thread(self.dynamodb.create_tables, get_settings())

    async def _start_endpoint(self) -> None:
        options = self.options
        log_path = options.data_dir / "logs" / "endpoint.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "memchat_local.endpoint", "--host", "127.0.0.1", "--port", str(options.endpoint_port),
            "--endpoint-name", ENDPOINT_NAME, "--mode", options.model_mode, "--model-server", options.model_server,
            "--replay-ttft-ms", str(options.replay_ttft_ms),
            "--replay-tokens-per-second", str(options.replay_tokens_per_second),
            "--wake-seconds", str(options.wake_seconds),
        ]
        if options.model_path:
            command += ["--model", str(options.model_path)]
        with log_path.open("ab") as log:
            self.endpoint = await asyncio.create_subprocess_exec(
                *command, stdout=log, stderr=log, stdin=asyncio.subprocess.DEVNULL,
                start_new_session=True,  # stopped by the stack, in order, not by the terminal's Ctrl-C
            )
        deadline = time.monotonic() + 120
        async with aiohttp.ClientSession() as session:
            while True:
                if self.endpoint.returncode is not None:
                    raise RuntimeError(f"The model endpoint exited; see {log_path}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"http://127.0.0.1:{options.endpoint_port}/ping") as response:
                        if response.status == 200:
                            return
                if time.monotonic() > deadline:
                    raise RuntimeError(f"The model endpoint did not start; see {log_path}")
                await asyncio.sleep(0.2)

    async def _every(self, interval: float, job: Callable[[], object]) -> None:
        """Run `job` on a thread every `interval` seconds, as a schedule invokes a function; cancelled by stop()."""
        while True:
            await asyncio.sleep(interval)
            try:
                await asyncio.to_thread(job)
            except Exception:  # DynamoDB Local restarting: the next run tries again
                logger.warning("A scheduled function failed; it runs again in %.0f s", interval, exc_info=True)

    def _follow_stream(self, table_name: str, functions: dict[str, str], function: str,
                       pattern: dict | tuple[dict, ...]) -> StreamPoller:
        """The chat table's stream to a function (the digest, the search index), as the CDK stack's event
        source mappings do: each its own poller, so neither waits for the other."""
        arn = self.dynamodb.client().describe_table(TableName=table_name)["Table"]["LatestStreamArn"]
        streams = boto3.client("dynamodbstreams", endpoint_url=self.dynamodb.endpoint_url, region_name="us-east-1",
                               aws_access_key_id="local", aws_secret_access_key="local")  # noqa: S106
        registry = Functions({function: functions[function]})
        return StreamPoller(streams, stream_arn=arn, pattern=pattern, name=f"stream-{function}",
                            invoke=lambda event: registry.invoke(function, event)).start()

    async def stop(self) -> None:
        """Stop in the order that lets answers in flight end cleanly: no more restarts, then the sockets
        (a worker posting to one sees its client gone and saves the answer as interrupted), then what runs
        answers and digests, all at once (each waits a few seconds at most), and DynamoDB Local last."""
        began = time.monotonic()
        for supervisor in self._supervisors:
            supervisor.cancel()
        await asyncio.gather(*self._supervisors, return_exceptions=True)
        if self.runner is not None:
            await self.runner.cleanup()
        await asyncio.gather(
            asyncio.to_thread(self.digest.stop) if self.digest is not None else asyncio.sleep(0),
            asyncio.to_thread(self.index.stop) if self.index is not None else asyncio.sleep(0),
            asyncio.to_thread(self.gateway.shutdown) if self.gateway is not None else asyncio.sleep(0),
            stop_process(self.endpoint),
        )
        await self.dynamodb.stop()
        logger.info("Stack stopped in %.1f s", time.monotonic() - began)


async def run(options: StackOptions) -> None:
    """Start everything, print the ready line, run until SIGINT/SIGTERM (or the terminal closes: SIGHUP),
    then shut down cleanly: the children run in process groups of their own, so only this stops them."""
    stack = Stack(options)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stopping.set)
    try:
        try:
            await stack.start()
        except* RuntimeError as failures:
            raise failures.exceptions[0] from None
        print(f"memchat ready: {stack.url}", flush=True)
        await stopping.wait()
        print("memchat: shutting down", flush=True)
    finally:
        await stack.stop()
