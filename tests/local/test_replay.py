"""The replay engine (load-test mode): deterministic filler at a set pace, any number at once."""

from __future__ import annotations

import asyncio

from memchat_local.engine import Finish, FinishReason, GenerationItem, TextPiece
from memchat_local.replay import ReplayEngine
from tests.local.generations import collect, request, slots_in_use_at_finish


def fast_replay(reply_tokens: int = 40) -> ReplayEngine:
    return ReplayEngine(ttft_ms=0, tokens_per_second=10_000, reply_tokens=reply_tokens)



def test_replay_repeats_the_same_reply_for_the_same_conversation() -> None:
    engine = fast_replay()

    first = asyncio.run(collect(engine, request("Hello there")))
    second = asyncio.run(collect(engine, request("Hello there")))

    assert first == second
    assert engine.model == "replay"


def test_replay_differs_between_conversations() -> None:
    engine = fast_replay()

    one, _ = asyncio.run(collect(engine, request("Hello there")))
    other, _ = asyncio.run(collect(engine, request("Something else entirely")))

    assert one != other


def test_replay_stops_at_max_tokens_with_finish_length() -> None:
    text, finish = asyncio.run(collect(fast_replay(reply_tokens=60), request(max_tokens=5)))

    assert finish == Finish(FinishReason.LENGTH, finish.prompt_tokens, 5)
    assert len(text.split()) == 5


def test_replay_ends_its_reply_with_finish_stop_and_counts_the_end_token() -> None:
    text, finish = asyncio.run(collect(fast_replay(reply_tokens=10), request(max_tokens=100)))

    assert finish.reason is FinishReason.STOP
    assert finish.completion_tokens == 11
    assert text.endswith(".")
    assert text[0].isupper()


def test_replay_answers_a_request_for_code_with_a_fenced_block_after_its_first_sentence() -> None:
    text, finish = asyncio.run(collect(fast_replay(reply_tokens=60), request("Show me some code to greet someone.")))
    prose, opening, rest = text.partition("\n\n```python\n")
    code, closing, after = rest.partition("```\n\n")

    assert opening and closing, text
    assert prose.endswith(".") and prose.count(".") == 1, "the block comes after the first sentence"
    assert code.startswith("def greet(name):\n") and 'print(greet("memchat"))' in code
    assert after and after.endswith("."), "the filler goes on after the block"
    assert finish.reason is FinishReason.STOP and finish.completion_tokens == 61


def test_replay_writes_no_code_unless_asked_and_a_block_counts_against_max_tokens() -> None:
    plain, _ = asyncio.run(collect(fast_replay(), request("Tell me about the sea.")))
    cut, finish = asyncio.run(collect(fast_replay(reply_tokens=60), request("Write code, please.", max_tokens=20)))

    assert "```" not in plain
    assert "```python" in cut and finish == Finish(FinishReason.LENGTH, finish.prompt_tokens, 20)


def test_replay_estimates_prompt_tokens_from_the_conversation_length() -> None:
    _, short = asyncio.run(collect(fast_replay(), request("Hi")))
    _, long = asyncio.run(collect(fast_replay(), request("Tell me everything. " * 50)))

    assert 0 < short.prompt_tokens < long.prompt_tokens


def test_replay_cuts_before_a_stop_string_even_across_pieces() -> None:
    full, _ = asyncio.run(collect(fast_replay(), request()))
    words = full.split(" ")
    stop = words[5][-2:] + " " + words[6][:2]  # spans two pieces

    text, finish = asyncio.run(collect(fast_replay(), request(stop=(stop,))))

    assert text == full[: full.index(stop)]
    assert finish.reason is FinishReason.STOP


def test_replay_serves_any_number_of_requests_at_once() -> None:
    engine = ReplayEngine(ttft_ms=0, tokens_per_second=1000, reply_tokens=3)

    async def run() -> tuple[int, int, list[GenerationItem]]:
        streams = [engine.generate(request(f"user {n}")) for n in range(50)]
        for stream in streams:  # each holds its slot from its first piece to its Finish
            assert isinstance(await anext(stream), TextPiece)
        in_use, queued = engine.in_use, engine.queue_depth
        return in_use, queued, [[item async for item in stream][-1] for stream in streams]

    in_use, queued, finishes = asyncio.run(run())

    assert (in_use, queued) == (50, 0)  # all fifty at once, none waiting
    assert all(isinstance(finish, Finish) and finish.reason is FinishReason.STOP for finish in finishes)
    assert engine.in_use == 0


def test_replay_frees_its_slot_before_it_hands_out_the_finish() -> None:
    assert asyncio.run(slots_in_use_at_finish(fast_replay(), request())) == 0
