"""The llama engine: the embedded SmolLM2 model through llama.cpp, its queue, its budget and its continuations."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import TypeVar

import pytest
from llama_cpp import Llama

from memchat.memory.budget import MESSAGE_OVERHEAD_TOKENS, estimate_tokens
from memchat_local.engine import (
    EngineError,
    Finish,
    FinishReason,
    GenerationItem,
    GenerationRequest,
    PromptTooLong,
    Turn,
)
from memchat_local.llama import LlamaEngine, Preempted, bundled_model_path, continuation_prompt, default_threads
from tests.local.generations import collect, request, slots_in_use_at_finish
from tests.waiting import until

T = TypeVar("T")


def with_llama(test: Callable[[LlamaEngine], Awaitable[T]], **options: object) -> T:
    """Run an async test against a fresh engine, closed afterwards."""

    async def run() -> T:
        engine = LlamaEngine(**options)  # type: ignore[arg-type]
        try:
            return await test(engine)
        finally:
            await engine.close()

    return asyncio.run(run())



def test_the_model_leaves_one_core_to_the_rest_of_the_stack() -> None:
    # llama.cpp's threads wait for each other at every step, so one that loses its core to another process stalls
    # them all: on two busy cores, two threads answered 2.4 times slower than one (README.md).
    assert [default_threads(cores) for cores in (1, 2, 4, 16)] == [1, 1, 3, 15]

    async def run(engine: LlamaEngine) -> list[tuple[int, int]]:
        return engine.threads_per_copy

    assert with_llama(run) == [(default_threads(), default_threads())]
    assert with_llama(run, parallel=2, threads=4) == [(2, 2), (2, 2)]


def test_each_copy_reads_the_mapped_weights_with_no_extra_buffer_types() -> None:
    # A virtual machine that shows AMX and faults on its tiles killed the model on every prompt of two tokens or more
    # (SIGSEGV in llama_decode): the answer below is one such prompt.
    async def run(engine: LlamaEngine) -> tuple[list[bool], str]:
        text, _ = await collect(engine, request(max_tokens=4))
        return engine.repacked_weights, text

    flags, text = with_llama(run, parallel=2, threads=2)
    assert flags == [False, False]
    assert text.strip()


def test_bundled_model_is_a_gguf_file() -> None:
    path = bundled_model_path()

    assert path.suffix == ".gguf"
    assert path.read_bytes()[:4] == b"GGUF"


def test_llama_streams_a_reply_with_consistent_usage() -> None:
    text, finish = with_llama(lambda engine: collect(engine, request(max_tokens=16)))

    assert text.strip()
    assert finish.reason in (FinishReason.STOP, FinishReason.LENGTH)
    assert 1 <= finish.completion_tokens <= 16
    # The system and user turns alone are more than 10 tokens once templated.
    assert finish.prompt_tokens > 10


def test_llama_continues_a_final_assistant_message_instead_of_starting_a_new_turn() -> None:
    messages = (Turn("system", "You are a helpful, concise assistant."), Turn("user", "Count from one to ten."),
                Turn("assistant", "One, two, three,"))

    async def run(engine: LlamaEngine) -> tuple[str, str]:
        continued = await collect(engine, GenerationRequest(messages=messages, max_tokens=8, temperature=0.0,
                                                            continue_final_message=True))
        anew = await collect(engine, GenerationRequest(messages=messages, max_tokens=8, temperature=0.0))
        return continued[0], anew[0]

    continued, anew = with_llama(run)

    assert "four" in continued.lower()  # it goes on counting from where the answer stopped
    assert continued != anew


def test_the_continuation_prompt_ends_with_the_answer_text_and_no_end_of_turn() -> None:
    llama = Llama(model_path=str(bundled_model_path()), n_ctx=256, verbose=False)
    prompt = continuation_prompt(llama, (Turn("user", "Hi"), Turn("assistant", "Hello, I am")))
    assert prompt.endswith("Hello, I am") and prompt.count("Hi") == 1


# Text in the scripts users write, and the worst cases for a tokenizer trained mostly on English.
SCRIPTS = (
    "Hello, my name is Sam and I live in Leeds. I walk my dog every morning before work.",
    "Je m'appelle Léa, j'habite à Lyon et je bois un café crème chaque matin.",
    "Привет! Меня зовут Анна, я живу в Москве и работаю врачом.",
    "東京に住んでいます。毎朝コーヒーを飲みます。週末は山に登ります。",
    "我住在上海，每天早上喝茶。周末我喜欢去公园散步。",
    "مرحبا، اسمي سارة وأعيش في القاهرة وأعمل مهندسة.",
    "नमस्ते, मेरा नाम प्रिया है और मैं दिल्ली में रहती हूँ।",
    "🙂✨👍🎉🚀" * 10,
    "灯" * 200,
    "def greet(name):\n    return f'Hello, {name}!'\n\nprint(greet('memchat'))\n",
)


@pytest.mark.parametrize("text", SCRIPTS, ids=lambda text: text[:12])
def test_the_backends_token_estimate_is_never_below_the_embedded_models_own_count(text: str) -> None:
    # The backend refuses a message, and fills the prompt, by its estimate: an estimate below the model's count
    # would let a message through that the model then refuses.
    llama = Llama(model_path=str(bundled_model_path()), vocab_only=True, verbose=False)
    counted = len(llama.tokenize(text.encode(), add_bos=False))

    assert estimate_tokens(text) - MESSAGE_OVERHEAD_TOKENS >= counted


def test_llama_stops_at_max_tokens_with_finish_length() -> None:
    _, finish = with_llama(lambda engine: collect(engine, request("Write a long poem about the sea.", max_tokens=3)))

    assert finish.reason is FinishReason.LENGTH
    assert finish.completion_tokens == 3


def test_llama_cuts_before_a_stop_string() -> None:
    async def run(engine: LlamaEngine) -> tuple[str, str, str, Finish]:
        greedy = request("Describe a cat in two sentences.", max_tokens=24, temperature=0.0)
        full, _ = await collect(engine, greedy)
        stop = full.split()[4]
        text, finish = await collect(
            engine, request("Describe a cat in two sentences.", max_tokens=24, temperature=0.0, stop=(stop,))
        )
        return full, stop, text, finish

    full, stop, text, finish = with_llama(run)

    assert text == full[: full.index(stop)]
    assert finish.reason is FinishReason.STOP


def test_llama_refuses_a_prompt_and_max_tokens_over_its_window() -> None:
    async def run(engine: LlamaEngine) -> list[GenerationItem]:
        seen: list[GenerationItem] = []
        async with aclosing(engine.generate(request(max_tokens=250))) as items:
            async for item in items:
                seen.append(item)
        return seen

    with pytest.raises(PromptTooLong, match="must be <= 256"):
        with_llama(run, n_ctx=256)


def test_llama_refuses_a_prompt_longer_than_its_window() -> None:
    with pytest.raises(PromptTooLong, match="exceed context window"):
        with_llama(lambda engine: collect(engine, request("words " * 400, max_tokens=None)), n_ctx=256)


def test_llama_queues_requests_beyond_its_parallelism_in_arrival_order() -> None:
    order: list[int] = []
    depth_at_first_token: list[int] = []

    async def one(engine: LlamaEngine, number: int) -> Finish:
        async with aclosing(engine.generate(request(f"Say the number {number}.", max_tokens=6))) as items:
            async for item in items:
                if not order or order[-1] != number:
                    order.append(number)
                    depth_at_first_token.append(engine.queue_depth)
                if isinstance(item, Finish):
                    return item
        raise AssertionError("no Finish")

    async def run(engine: LlamaEngine) -> list[Finish]:
        return await asyncio.gather(*(one(engine, number) for number in range(4)))

    finishes = with_llama(run, parallel=1)

    assert order == [0, 1, 2, 3]
    assert depth_at_first_token == [3, 2, 1, 0]
    assert all(finish.completion_tokens <= 6 for finish in finishes)


def test_llama_runs_as_many_generations_at_once_as_its_parallelism() -> None:
    async def run(engine: LlamaEngine) -> tuple[int, int, list[tuple[str, Finish]]]:
        tasks = [asyncio.create_task(collect(engine, request(f"Count to {n}.", max_tokens=8))) for n in range(3)]
        await asyncio.sleep(0)
        busy, queued = engine.in_use, engine.queue_depth
        return busy, queued, await asyncio.gather(*tasks)

    busy, queued, replies = with_llama(run, parallel=2)

    assert (busy, queued) == (2, 1)
    assert all(text and finish.completion_tokens <= 8 for text, finish in replies)


def test_llama_gives_the_model_back_before_it_hands_out_the_finish() -> None:
    async def run(engine: LlamaEngine) -> list[int]:
        return [await slots_in_use_at_finish(engine, request(f"Count to {n}.", max_tokens=4)) for n in range(5)]

    assert with_llama(run, parallel=1) == [0] * 5


def test_llama_stops_generating_when_the_consumer_leaves() -> None:
    async def run(engine: LlamaEngine) -> tuple[int, int, Finish]:
        generation = engine.generate(request("Write a very long story about a dragon.", max_tokens=1500))
        async with aclosing(generation) as items:
            for _ in range(3):
                await anext(items)
        in_use_after_close = engine.in_use
        generated = engine.completion_tokens_total
        _, next_finish = await collect(engine, request(max_tokens=4, temperature=0.0))
        return in_use_after_close, generated, next_finish

    in_use, generated, next_finish = with_llama(run)

    assert in_use == 0
    assert generated < 50
    assert next_finish.completion_tokens <= 4


def test_llama_drops_a_queued_request_whose_consumer_left() -> None:
    async def run(engine: LlamaEngine) -> tuple[int, int, Finish]:
        first = engine.generate(request("Write a long story.", max_tokens=200))
        await anext(first)
        waiting = asyncio.create_task(collect(engine, request("Never mind.", max_tokens=4, temperature=0.0)))
        queued = await until(lambda: engine.queue_depth, "the second request waits for the only model")
        waiting.cancel()
        await asyncio.gather(waiting, return_exceptions=True)
        after_cancel = engine.queue_depth
        await first.aclose()
        return queued, after_cancel, (await collect(engine, request(max_tokens=4, temperature=0.0)))[1]

    queued, after_cancel, finish = with_llama(run)

    assert (queued, after_cancel) == (1, 0)
    assert finish.completion_tokens <= 4


# ---------------------------------------------------------------- answers first


def test_llama_serves_a_waiting_answer_before_background_calls_that_came_first() -> None:
    order: list[str] = []

    async def one(engine: LlamaEngine, name: str, *, background: bool) -> None:
        async with aclosing(engine.generate(request(f"Say {name}.", max_tokens=4, background=background))) as items:
            async for _ in items:
                if name not in order:
                    order.append(name)

    async def run(engine: LlamaEngine) -> None:
        holder = engine.generate(request("Count to ten.", max_tokens=40))  # an answer holds the only model
        await anext(holder)
        digests = [asyncio.create_task(one(engine, f"digest {n}", background=True)) for n in range(2)]
        await until(lambda: engine.queue_depth == 2, "both background calls wait for the model")
        answer = asyncio.create_task(one(engine, "answer", background=False))
        await until(lambda: engine.queue_depth == 3, "the answer waits behind them")
        await holder.aclose()
        await asyncio.gather(answer, *digests)

    with_llama(run, parallel=1)

    assert order == ["answer", "digest 0", "digest 1"]


def test_an_answer_stops_a_background_generation_holding_the_only_model() -> None:
    async def run(engine: LlamaEngine) -> tuple[BaseException | None, int, str, Finish]:
        digest = engine.generate(request("Write a very long story about a dragon.", max_tokens=1500,
                                         background=True))
        await anext(digest)
        # Greedy: a sampled answer of emoji once counted 6 tokens for 4 (llama-cpp-python finishes a
        # character before it looks at max_tokens), which is not what this test is about.
        answer = asyncio.create_task(collect(engine, request("Say hi.", max_tokens=4, temperature=0.0)))
        failure: BaseException | None = None
        try:
            async for _ in digest:
                pass
        except EngineError as exc:
            failure = exc
        generated = engine.completion_tokens_total
        text, finish = await answer
        return failure, generated, text, finish

    failure, generated, text, finish = with_llama(run, parallel=1)

    assert isinstance(failure, Preempted) and failure.status == 503  # the digest retries it later
    assert generated < 100  # stopped within tokens of the answer's arrival, not at its 1500
    assert text and finish.completion_tokens <= 4


def test_a_background_generation_beside_a_free_model_is_left_alone() -> None:
    async def run(engine: LlamaEngine) -> tuple[tuple[str, Finish], tuple[str, Finish]]:
        digest = asyncio.create_task(collect(engine, request("Count to five.", max_tokens=12, background=True)))
        await asyncio.sleep(0)
        answer = asyncio.create_task(collect(engine, request("Say hi.", max_tokens=4)))
        return await digest, await answer

    (_, digest_finish), (_, answer_finish) = with_llama(run, parallel=2)

    assert digest_finish.completion_tokens > 0 and answer_finish.completion_tokens > 0


# ---------------------------------------------------------------- the token cap and multi-byte characters

# The grammar leaves the model no other token to choose, and the tokenizer spells each 灯 in three byte tokens.
# (Characters beyond the BMP are no use here: llama-cpp-python's schema-to-grammar turns them into surrogates.)
LANTERNS = {"type": "string", "enum": ["灯灯灯灯灯灯"]}


@pytest.mark.parametrize("max_tokens", [2, 3, 4, 5, 6, 8])
def test_llama_stops_at_max_tokens_inside_a_multi_byte_character(max_tokens: int) -> None:
    # llama-cpp-python samples on past its max_tokens while a UTF-8 character is incomplete; TGI and vLLM
    # stop at the cap, and so must the engine, handing out only whole characters.
    text, finish = with_llama(lambda engine: collect(engine, request(
        "Light the lanterns.", max_tokens=max_tokens, temperature=0.0, json_schema=LANTERNS)))

    assert finish.reason is FinishReason.LENGTH
    assert finish.completion_tokens == max_tokens
    assert text == '"' + "灯" * ((max_tokens - 1) // 3)  # the opening quote, then whole characters only


def test_a_model_cut_inside_a_character_serves_the_next_request_as_a_fresh_one() -> None:
    async def run(engine: LlamaEngine) -> tuple[str, str]:
        await collect(engine, request("Light the lanterns.", max_tokens=5, temperature=0.0, json_schema=LANTERNS))
        after_cut, _ = await collect(engine, request("Count to five.", max_tokens=12, temperature=0.0))
        full, _ = await collect(engine, request("Light the lanterns.", max_tokens=30, temperature=0.0,
                                                json_schema=LANTERNS))
        return after_cut, full

    after_cut, full = with_llama(run, parallel=1)
    fresh, _ = with_llama(lambda engine: collect(engine, request("Count to five.", max_tokens=12, temperature=0.0)))

    assert after_cut == fresh  # no grammar, token or cache state left over from the cut
    assert full == '"灯灯灯灯灯灯"'  # and the grammar starts afresh for the next request that has one
