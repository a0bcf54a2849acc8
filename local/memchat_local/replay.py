"""The replay engine, LOAD-TEST MODE: deterministic, plausible filler text at a set TTFT and token rate, no model."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

from memchat_local.engine import Finish, FinishReason, GenerationItem, GenerationRequest, TextPiece, Turn

HELD_SECONDS = 1.0  # a reader this late for the next token held the stream: the pace starts again from now

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
            due = start + self.ttft_ms / 1000
            for index, piece in enumerate(pieces):
                await asyncio.sleep(max(0.0, due - loop.time()))
                text, stopped = stops.feed(piece)
                if text:
                    yield TextPiece(text)
                if stopped:
                    finish = Finish(FinishReason.STOP, estimate_prompt_tokens(request.messages), index + 1)
                    break
                # On schedule from the start, but a reader that held the stream for longer than a beat (the
                # endpoint's /local/pause) gets the rest at the same pace from now, not all at once.
                now = loop.time()
                due = (due if now - due < HELD_SECONDS else now) + 1 / self.tokens_per_second
            else:
                reason = FinishReason.STOP if natural_end else FinishReason.LENGTH
                completion = len(pieces) + (1 if natural_end else 0)
                finish = Finish(reason, estimate_prompt_tokens(request.messages), completion)
        finally:
            self._running -= 1
        yield finish  # after the slot is free (see Engine.generate)

    async def close(self) -> None:
        return None


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
