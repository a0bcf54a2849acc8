"""A local SageMaker Runtime endpoint serving TGI's or vLLM's chat API: routes, error mapping, event streams, CLI.

An unmodified boto3 `sagemaker-runtime` client works against it (endpoint_url, or the environment variable
AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME; any credentials). Errors follow SageMaker's own tree:

    SageMakerError           base, answered as rest-json with `x-amzn-ErrorType: <code>`
    ├── EndpointNotFound     ValidationError, 400: no endpoint by that name
    ├── NoCapacity           ValidationError, 400: no copy of the model runs (`--wake-seconds`)
    ├── ModelError           424: the model container refused or failed (OriginalStatusCode, OriginalMessage)
    └── InternalFailure      500: a bug here

The container it stands for is chosen with `server` (`--model-server`): each one's request body, refusals,
chunks and framing are its own (`memchat_local.tgi`, `memchat_local.vllm`). Once a stream has started, a
model failure arrives in it as the server sends it, an in-band error event followed by `[DONE]` (SageMaker
passes the container's bytes through); a failure of this server itself arrives as SageMaker's own
`InternalStreamFailure` exception event.

With `--wake-seconds N` the endpoint stands for an inference component scaled to zero: it refuses every
invocation until SageMaker's scale-out call (`UpdateInferenceComponentRuntimeConfig`, answered on the
control plane's route here) has woken it, N seconds later (`memchat_local.capacity`). Tests that act in the
middle of an answer hold the streams there (`/local/pause`, `/local/resume`: `memchat_local.flow`).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import signal
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import aclosing
from pathlib import Path
from typing import Literal

from aiohttp import web

from memchat.model import BACKGROUND, CUSTOM_ATTRIBUTES_HEADER
from memchat_local.capacity import NO_CAPACITY_MESSAGE, Capacity, State
from memchat_local.engine import Engine, EngineError, Finish, GenerationItem, GenerationRequest, TextPiece, TtftLog
from memchat_local.eventstream import CONTENT_TYPE as EVENTSTREAM_CONTENT_TYPE
from memchat_local.eventstream import exception_event, payload_part
from memchat_local.flow import Flow
from memchat_local.replay import ReplayEngine
from memchat_local.tgi import TGI_WIRE
from memchat_local.vllm import VLLM_WIRE
from memchat_local.wire import JSON_CONTENT_TYPE, SSE_CONTENT_TYPE, ChatRequest, Refused, ServerName, Wire

logger = logging.getLogger("memchat_local.endpoint")

ACCOUNT_ID = "000000000000"
REGION = "us-east-1"
MAX_BODY_BYTES = 1 << 20
MODE_HEADER = "X-Memchat-Local-Mode"
Mode = Literal["llama", "replay"]
WIRES: dict[ServerName, Wire] = {"tgi": TGI_WIRE, "vllm": VLLM_WIRE}


def generation(request: web.Request, chat: ChatRequest) -> GenerationRequest:
    """The engine's request for a parsed body; a call whose CustomAttributes mark it background (the
    digest's) waits behind answers."""
    attributes = request.headers.get(CUSTOM_ATTRIBUTES_HEADER, "")
    background = BACKGROUND in (part.strip() for part in attributes.replace(";", ",").split(","))
    return dataclasses.replace(chat.generation(), background=background)


class SageMakerError(Exception):
    """Base of the errors SageMaker Runtime answers with itself; `code` is what botocore reports."""

    code = "InternalFailure"
    status = 500

    def body(self) -> dict[str, object]:
        return {"message": str(self)}


class EndpointNotFound(SageMakerError):
    code = "ValidationError"
    status = 400

    def __init__(self, name: str) -> None:
        super().__init__(f"Endpoint {name} of account {ACCOUNT_ID} not found.")


class NoCapacity(SageMakerError):
    code = "ValidationError"
    status = 400

    def __init__(self) -> None:
        super().__init__(NO_CAPACITY_MESSAGE)


class ModelError(SageMakerError):
    code = "ModelError"
    status = 424

    def __init__(self, endpoint_name: str, original_status: int, original_message: str) -> None:
        side = "client" if original_status < 500 else "server"
        super().__init__(
            f'Received {side} error ({original_status}) from primary with message "{original_message}". '
            f"See the local endpoint's log for more information."
        )
        self.original_status = original_status
        self.original_message = original_message
        self.log_stream_arn = f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:/aws/sagemaker/Endpoints/{endpoint_name}"

    def body(self) -> dict[str, object]:
        return {
            "ErrorCode": f"{'CLIENT' if self.original_status < 500 else 'SERVER'}_ERROR_FROM_MODEL",
            "Message": str(self),
            "OriginalStatusCode": self.original_status,
            "OriginalMessage": self.original_message,
            "LogStreamArn": self.log_stream_arn,
        }


class InternalFailure(SageMakerError):
    pass


class LocalEndpoint:
    """One named endpoint in front of one engine, serving SageMaker Runtime's invocation routes."""

    def __init__(
        self,
        engine: Engine,
        *,
        endpoint_name: str,
        server: ServerName = "tgi",
        split_bytes: int = 0,
        max_body_bytes: int = MAX_BODY_BYTES,
        wake_seconds: float = 0.0,
    ) -> None:
        self.engine = engine
        self.capacity = Capacity(wake_seconds)
        self.flow = Flow()
        self.endpoint_name = endpoint_name
        self.wire = WIRES[server]
        self.split_bytes = split_bytes
        self.max_body_bytes = max_body_bytes
        self.ttft = TtftLog()  # answers only: background calls are counted apart
        self.background_count = 0
        self._fingerprint = f"memchat-local-{engine.mode}"

    def app(self) -> web.Application:
        app = web.Application(client_max_size=self.max_body_bytes, middlewares=[self._errors])
        app.router.add_post("/endpoints/{name}/invocations-response-stream", self.invoke_with_response_stream)
        app.router.add_post("/endpoints/{name}/invocations", self.invoke)
        app.router.add_get("/ping", self.ping)
        app.router.add_get("/stats", self.stats)
        # SageMaker's control plane (boto3's `sagemaker` client, AWS_ENDPOINT_URL_SAGEMAKER): the scale-out call.
        app.router.add_post("/", self.control_plane)
        app.router.add_get("/local/capacity", self.capacity_state)
        app.router.add_post("/local/sleep", self.sleep)
        app.router.add_post("/local/wake", self.wake)
        app.router.add_get("/local/flow", self.flow_state)
        app.router.add_post("/local/pause", self.pause)
        app.router.add_post("/local/resume", self.resume)

        async def close_engine(_: web.Application) -> None:
            await self.engine.close()

        app.on_cleanup.append(close_engine)
        return app

    async def invoke_with_response_stream(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        chat = await self._chat_request(request)
        wanted = generation(request, chat)
        async with aclosing(self._generate(wanted, started)) as items:
            # Refusals (bad budget, model failure before any token) surface here, before the status line,
            # and so become ModelError responses, as SageMaker reports a container that rejects a request.
            first = await anext(items)
            response = web.StreamResponse(
                headers={
                    **self._headers(),
                    "X-Amzn-SageMaker-Content-Type": SSE_CONTENT_TYPE if chat.stream else JSON_CONTENT_TYPE,
                }
            )
            response.content_type = EVENTSTREAM_CONTENT_TYPE
            response.enable_chunked_encoding()
            await response.prepare(request)
            parts = _PartSplitter(self.split_bytes)
            tail: list[bytes] = []
            failure: bytes | None = None
            sent = 0
            try:
                async for data in self._body(chat, first, items, stream=chat.stream):
                    if not wanted.background:  # a pause holds answers; the digest's calls go on
                        await self.flow.gate(sent)
                    sent += 1
                    for part in parts.feed(data):
                        await response.write(payload_part(part))
            except ConnectionResetError:
                logger.info("client went away mid-stream; generation stopped")
                return response
            except EngineError as exc:
                # Both servers report a generation that fails mid-stream in the stream itself, then end it.
                logger.warning("generation failed mid-stream: %s", exc)
                message = f"Request failed during generation: {exc}"
                if chat.stream:
                    tail = [self.wire.writer(model=self.engine.model, fingerprint=self._fingerprint).failure(message)]
                else:  # one JSON document was promised: only SageMaker's own event can break it off
                    failure = exception_event("ModelStreamError", f"The model stream broke: {message}", "StreamBroken")
            except Exception as exc:  # noqa: BLE001 - after the status line only an event can report it
                failure = _stream_exception(exc)
            try:
                for part in [part for data in tail for part in parts.feed(data)] + parts.flush():
                    await response.write(payload_part(part))
                if failure is not None:
                    await response.write(failure)
                await response.write_eof()
            except ConnectionResetError:
                logger.info("client went away at the end of the stream")
        return response

    async def invoke(self, request: web.Request) -> web.Response:
        started = time.perf_counter()
        chat = await self._chat_request(request)
        async with aclosing(self._generate(generation(request, chat), started)) as items:
            # One document, whatever the body asked for.
            body = b"".join([data async for data in self._body(chat, None, items, stream=False)])
        return web.Response(body=body, headers=self._headers(), content_type=JSON_CONTENT_TYPE)

    async def ping(self, _: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "mode": self.engine.mode, "server": self.wire.name},
                                 headers={MODE_HEADER: self.engine.mode})

    async def stats(self, _: web.Request) -> web.Response:
        return web.json_response(
            {
                "mode": self.engine.mode,
                "server": self.wire.name,
                "model": self.engine.model,
                "endpoint_name": self.endpoint_name,
                "count": self.ttft.count,  # answers that had a first token; their TTFT below
                "ttft_ms": self.ttft.percentiles(),
                "background_count": self.background_count,  # the digest's requests, however they ended
                "queue_depth": self.engine.queue_depth,
                "in_use": self.engine.in_use,
            },
            headers={MODE_HEADER: self.engine.mode},
        )

    async def control_plane(self, request: web.Request) -> web.Response:
        """SageMaker's JSON API, for the one call that wakes the model; anything else is refused as SageMaker
        refuses an operation it does not know."""
        target = request.headers.get("X-Amz-Target", "")
        try:
            body = await request.json()
        except ValueError:
            body = None
        if target != "SageMaker.UpdateInferenceComponentRuntimeConfig" or not isinstance(body, dict):
            return _control_error("UnknownOperationException", f"Unknown operation {target or 'none'}")
        copies = (body.get("DesiredRuntimeConfig") or {}).get("CopyCount")
        name = body.get("InferenceComponentName")
        if not isinstance(copies, int) or not isinstance(name, str) or not name:
            return _control_error("ValidationException", "InferenceComponentName and DesiredRuntimeConfig.CopyCount "
                                                         "are required")
        await self.capacity.scale(copies)
        logger.info("copies of the model asked for: %d (%s)", copies, self.capacity.state.value)
        return web.json_response({"InferenceComponentArn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT_ID}:"
                                                           f"inference-component/{name}"},
                                 content_type="application/x-amz-json-1.1")

    async def capacity_state(self, request: web.Request) -> web.Response:
        """The model's copies; with `until=<asleep|waking|awake>`, answered once it is in that state (or
        after `timeout` seconds, 60 by default), so a test waits for the state, not for a time."""
        until = request.query.get("until")
        if until is not None:
            try:
                state = State(until)
                timeout = float(request.query.get("timeout", "60"))
            except ValueError:
                raise web.HTTPBadRequest(text="until: asleep, waking or awake; timeout: seconds") from None
            await self.capacity.until(state, timeout)
        return web.json_response(self.capacity.view())

    async def sleep(self, request: web.Request) -> web.Response:
        """No copy runs any more, as after a scale-in to zero: for tests of the wake (`hold=true`: the next
        wake lasts until POST /local/wake)."""
        await self.capacity.sleep(hold=request.query.get("hold") == "true")
        return web.json_response(self.capacity.view())

    async def wake(self, _: web.Request) -> web.Response:
        """A copy is up now: for tests that act while the model wakes, then let it answer."""
        await self.capacity.wake()
        return web.json_response(self.capacity.view())

    async def flow_state(self, _: web.Request) -> web.Response:
        return web.json_response(self.flow.view())

    async def pause(self, request: web.Request) -> web.Response:
        """Hold every stream once it has sent `after` events (0 by default), until POST /local/resume: for
        tests that act in the middle of an answer (memchat_local/flow.py)."""
        try:
            after = int(request.query.get("after", "0"))
        except ValueError:
            raise web.HTTPBadRequest(text="after: a whole number of events") from None
        if after < 0:
            raise web.HTTPBadRequest(text="after: a whole number of events")
        self.flow.pause(after=after)
        return web.json_response(self.flow.view())

    async def resume(self, _: web.Request) -> web.Response:
        self.flow.resume()
        return web.json_response(self.flow.view())

    async def _chat_request(self, request: web.Request) -> ChatRequest:
        name = request.match_info["name"]
        if name != self.endpoint_name:
            raise EndpointNotFound(name)
        if not self.capacity.serving:
            self.capacity.refuse()
            raise NoCapacity()
        too_large = ModelError(name, 413, self.wire.error_body(
            f"Request body is larger than {self.max_body_bytes} bytes", status=413, kind="validation"))
        if request.content_length is not None and request.content_length > self.max_body_bytes:
            raise too_large
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge as exc:
            raise too_large from exc
        try:
            return self.wire.parse(raw)
        except Refused as exc:
            raise ModelError(name, exc.status, exc.body) from exc

    async def _generate(self, request: GenerationRequest, started: float) -> AsyncIterator[GenerationItem]:
        """The engine's stream, timing the model's own TTFT: request arrival to first token."""
        first_token = True
        if request.background:
            self.background_count += 1
        async with aclosing(self.engine.generate(request)) as items:
            async for item in items:
                if first_token and isinstance(item, TextPiece):
                    if not request.background:
                        self.ttft.record((time.perf_counter() - started) * 1000)
                    first_token = False
                if isinstance(item, Finish):
                    logger.info(
                        "%s: %d prompt + %d completion tokens, finish %s",
                        self.engine.mode,
                        item.prompt_tokens,
                        item.completion_tokens,
                        item.reason,
                    )
                yield item

    async def _body(
        self, chat: ChatRequest, first: GenerationItem | None, items: AsyncIterator[GenerationItem], *, stream: bool
    ) -> AsyncIterator[bytes]:
        """The server's response bytes: SSE events as they come, or one chat.completion document at the end."""
        writer = self.wire.writer(model=self.engine.model, fingerprint=self._fingerprint)
        pieces: list[str] = []
        async for item in _prepend(first, items):
            if isinstance(item, TextPiece):
                if stream:
                    yield writer.token(item.text)
                else:
                    pieces.append(item.text)
                continue
            if not stream:
                yield writer.completion(pieces, item.reason, item.prompt_tokens, item.completion_tokens)
                return
            yield writer.finish(item.reason)
            if chat.include_usage:
                yield writer.usage(item.prompt_tokens, item.completion_tokens)
            yield writer.done()
            return
        raise EngineError("the model stopped without finishing its answer")

    def _headers(self) -> dict[str, str]:
        return {
            "x-Amzn-Invoked-Production-Variant": "AllTraffic",
            "x-amzn-RequestId": str(uuid.uuid4()),
            MODE_HEADER: self.engine.mode,
        }

    @web.middleware
    async def _errors(self, request: web.Request, handler: web.Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure gets SageMaker's error shape
            error = self._sagemaker_error(exc)
            return web.json_response(
                error.body(),
                status=error.status,
                headers={
                    "x-amzn-ErrorType": f"{error.code}:http://internal.amazon.com/coral/com.amazonaws.sagemaker/",
                    "x-amzn-RequestId": str(uuid.uuid4()),
                    MODE_HEADER: self.engine.mode,
                },
            )

    def _sagemaker_error(self, exc: Exception) -> SageMakerError:
        """The one mapping from a failure before the status line to SageMaker's error."""
        if isinstance(exc, SageMakerError):
            return exc
        if isinstance(exc, EngineError):
            return ModelError(self.endpoint_name, exc.status,
                              self.wire.error_body(str(exc), status=exc.status, kind=exc.error_type))
        logger.exception("unexpected failure")
        return InternalFailure("An internal error occurred in the local endpoint; see its log.")


def _control_error(code: str, message: str) -> web.Response:
    """An error of SageMaker's JSON API, as botocore reads it (`__type` and `message`)."""
    return web.json_response({"__type": code, "message": message}, status=400,
                             content_type="application/x-amz-json-1.1")


def _stream_exception(exc: Exception) -> bytes:
    """A failure of this server after the status line, as SageMaker's stream exception event."""
    logger.exception("unexpected failure mid-stream")
    return exception_event("InternalStreamFailure", "An internal error occurred in the local endpoint; see its log.")


async def _prepend(first: GenerationItem | None, rest: AsyncIterator[GenerationItem]) -> AsyncIterator[GenerationItem]:
    if first is not None:
        yield first
    async for item in rest:
        yield item


class _PartSplitter:
    """Re-cuts the response bytes into PayloadParts of `size` bytes, ignoring event and UTF-8 boundaries.

    SageMaker gives no guarantee where parts begin or end; this makes the client's SSE reassembly prove it
    copes with events split across parts, parts holding several events, and characters cut in two.
    With size 0 each SSE event is one part.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._pending = b""

    def feed(self, data: bytes) -> list[bytes]:
        if self._size <= 0:
            return [data]
        self._pending += data
        cut = len(self._pending) - len(self._pending) % self._size
        ready, self._pending = self._pending[:cut], self._pending[cut:]
        return [ready[start : start + self._size] for start in range(0, len(ready), self._size)]

    def flush(self) -> list[bytes]:
        rest, self._pending = self._pending, b""
        return [rest] if rest else []


def create_app(
    engine: Engine,
    *,
    endpoint_name: str,
    server: ServerName = "tgi",
    split_bytes: int = 0,
    max_body_bytes: int = MAX_BODY_BYTES,
    wake_seconds: float = 0.0,
) -> web.Application:
    """The aiohttp app for one endpoint; serve it with `start` (or an AppRunner with handler_cancellation=True)."""
    return LocalEndpoint(
        engine, endpoint_name=endpoint_name, server=server, split_bytes=split_bytes, max_body_bytes=max_body_bytes,
        wake_seconds=wake_seconds,
    ).app()


def build_engine(
    mode: Mode,
    *,
    model_path: Path | None = None,
    n_ctx: int = 2048,
    parallel: int = 1,
    threads: int | None = None,
    replay_ttft_ms: float = 150.0,
    replay_tokens_per_second: float = 40.0,
    replay_reply_tokens: int = 120,
) -> Engine:
    if mode == "llama":
        from memchat_local.llama import LlamaEngine  # llama.cpp and numpy load only for the real model

        return LlamaEngine(model_path, n_ctx=n_ctx, parallel=parallel, threads=threads)
    return ReplayEngine(
        ttft_ms=replay_ttft_ms, tokens_per_second=replay_tokens_per_second, reply_tokens=replay_reply_tokens
    )


async def start(app: web.Application, *, host: str = "127.0.0.1", port: int = 0) -> tuple[web.AppRunner, int]:
    """Listen on host:port (0 picks a free port); returns the runner (`await runner.cleanup()`) and the port."""
    # handler_cancellation: a client that hangs up cancels its handler, which stops generation and frees
    # the model at once instead of at the next write.
    runner = web.AppRunner(app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner, runner.addresses[0][1]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m memchat_local.endpoint",
        description="A local SageMaker Runtime endpoint speaking TGI's or vLLM's chat API.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--endpoint-name", default="memchat-llm")
    parser.add_argument("--model-server", choices=tuple(WIRES), default="tgi",
                        help="whose wire format and errors to serve: TGI's Messages API or vLLM's chat API")
    parser.add_argument(
        "--mode",
        choices=("llama", "replay"),
        default="llama",
        help="llama: the real model; replay: LOAD-TEST MODE, generated filler at a set pace",
    )
    parser.add_argument("--model", type=Path, default=None, help="a GGUF file (default: the bundled SmolLM2-135M)")
    parser.add_argument("--n-ctx", type=int, default=2048, help="the model's window: prompt plus answer")
    parser.add_argument("--parallel", type=int, default=1, help="generations at once; more wait in FIFO order")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="CPU threads for the model, shared by the parallel copies (default: all cores but one, left to "
        "the rest of the stack)",
    )
    parser.add_argument("--replay-ttft-ms", type=float, default=150.0)
    parser.add_argument("--replay-tokens-per-second", type=float, default=40.0)
    parser.add_argument("--replay-reply-tokens", type=int, default=120)
    parser.add_argument(
        "--split-bytes", type=int, default=0, help="cut the stream into PayloadParts of N bytes (0: one per event)"
    )
    parser.add_argument("--max-body-bytes", type=int, default=MAX_BODY_BYTES)
    parser.add_argument("--wake-seconds", type=float, default=0.0, metavar="N",
                        help="start with no copy of the model running (scaled to zero): invocations are refused "
                             "with SageMaker's no-capacity error until a scale-out call, and N seconds after it")
    return parser


async def _serve(args: argparse.Namespace) -> None:
    engine = build_engine(
        args.mode,
        model_path=args.model,
        n_ctx=args.n_ctx,
        parallel=args.parallel,
        threads=args.threads,
        replay_ttft_ms=args.replay_ttft_ms,
        replay_tokens_per_second=args.replay_tokens_per_second,
        replay_reply_tokens=args.replay_reply_tokens,
    )
    app = create_app(engine, endpoint_name=args.endpoint_name, server=args.model_server,
                     split_bytes=args.split_bytes, max_body_bytes=args.max_body_bytes,
                     wake_seconds=args.wake_seconds)
    runner, port = await start(app, host=args.host, port=args.port)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    print(
        f"memchat-local endpoint {args.endpoint_name} ({args.model_server}, {engine.mode}: {engine.model}) "
        f"listening on http://{args.host}:{port}",
        flush=True,
    )
    await stopping.wait()
    await runner.cleanup()


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(_serve(_parser().parse_args(argv)))


if __name__ == "__main__":
    main()
