"""What the engine tests share: a request, and reading an engine's stream to its Finish."""

from __future__ import annotations

from contextlib import aclosing

from memchat_local.engine import Engine, Finish, GenerationRequest, TextPiece, Turn


def request(user: str = "Name three colours.", **options: object) -> GenerationRequest:
    messages = (Turn("system", "You are a helpful, concise assistant."), Turn("user", user))
    return GenerationRequest(messages=messages, **options)  # type: ignore[arg-type]


async def collect(engine: Engine, generation: GenerationRequest) -> tuple[str, Finish]:
    pieces: list[str] = []
    async with aclosing(engine.generate(generation)) as items:
        async for item in items:
            if isinstance(item, TextPiece):
                assert item.text, "pieces are never empty"
                pieces.append(item.text)
            else:
                return "".join(pieces), item
    raise AssertionError("the stream ended without a Finish")


async def slots_in_use_at_finish(engine: Engine, generation: GenerationRequest) -> int:
    """How many slots the engine reports busy at the moment it hands out the answer's Finish."""
    async with aclosing(engine.generate(generation)) as items:
        async for item in items:
            if isinstance(item, Finish):
                return engine.in_use
    raise AssertionError("the stream ended without a Finish")
