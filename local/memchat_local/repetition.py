"""`python -m memchat_local.repetition`: how the repetition penalty shapes the embedded model's answers.

Each seeded prompt is answered through the whole model path the worker uses (the backend's request body for
the chosen server, the local endpoint speaking that server's wire, the backend's stream reader), once per
penalty, and the answers' repeats are counted: a paragraph or a sentence that says word for word what an
earlier one said, and answers that ran to the length limit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import boto3
from botocore.config import Config

from memchat.model import ChatMessage, Finish, ModelStream, TextPiece, request_body
from memchat.settings import ModelServer, Settings
from memchat_local.endpoint import LocalEndpoint, start

ENDPOINT_NAME = "memchat-repetition"
# What a new user types first; the first answered the seven-times-repeated paragraph of issue 18.
PROMPTS = (
    "Tell me about yourself.",
    "Write a short story about a cat who wants to fly.",
    "What can you help me with?",
    "Give me some tips for learning to cook.",
    "Explain how the seasons work.",
)


@dataclass(frozen=True)
class Answer:
    text: str
    finish: str
    tokens: int

    @property
    def repeated_paragraphs(self) -> int:
        # The small model writes a paragraph a line, often with no blank line between.
        return _repeats(re.split(r"\n+", self.text))

    @property
    def repeated_sentences(self) -> int:
        return _repeats(re.split(r"(?<=[.!?])\s+|\n+", self.text))


def _repeats(parts: Iterator[str] | Sequence[str]) -> int:
    """How many of `parts` repeat an earlier one, whitespace and case aside."""
    seen: set[str] = set()
    repeats = 0
    for part in parts:
        key = " ".join(part.lower().split())
        if len(key) < 12:  # "Yes." twice is no loop
            continue
        repeats += key in seen
        seen.add(key)
    return repeats


@contextmanager
def serving(server: ModelServer, *, threads: int | None) -> Iterator[str]:
    """The embedded model behind a local endpoint speaking `server`'s wire, on its own loop; yields its URL."""
    from memchat_local.llama import LlamaEngine

    endpoint = LocalEndpoint(LlamaEngine(n_ctx=2048, threads=threads), endpoint_name=ENDPOINT_NAME, server=server)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    found: dict[str, object] = {}

    def run() -> None:
        asyncio.set_event_loop(loop)
        found["runner"], found["port"] = loop.run_until_complete(start(endpoint.app()))
        ready.set()
        loop.run_forever()
        loop.run_until_complete(found["runner"].cleanup())  # type: ignore[attr-defined]

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(120)
    try:
        yield f"http://127.0.0.1:{found['port']}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(60)


def answer(client, server: ModelServer, prompt: str, *, penalty: float, seed: int, settings: Settings,
           max_tokens: int) -> Answer:
    messages = [ChatMessage("system", settings.system_prompt), ChatMessage("user", prompt)]
    body = request_body(server, messages, max_tokens=max_tokens, temperature=settings.temperature,
                        repetition_penalty=penalty)
    body["seed"] = seed  # both servers take one; it makes the comparison the same draw with and without
    response = client.invoke_endpoint_with_response_stream(
        EndpointName=ENDPOINT_NAME, Body=json.dumps(body).encode(), ContentType="application/json")
    pieces: list[str] = []
    for event in ModelStream(response["Body"]):
        if isinstance(event, TextPiece):
            pieces.append(event.text)
        elif isinstance(event, Finish):
            return Answer("".join(pieces), event.reason, event.completion_tokens or 0)
    raise RuntimeError("the stream ended without a finish")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m memchat_local.repetition", description=__doc__)
    parser.add_argument("--server", choices=("tgi", "vllm"), default="tgi")
    parser.add_argument("--penalties", default="1.0,1.1,1.2", help="comma-separated; 1.0 is off")
    parser.add_argument("--seeds", type=int, default=2, help="seeds per prompt")
    parser.add_argument("--max-tokens", type=int, default=384, help="the local stack's MEMCHAT_MAX_NEW_TOKENS")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--show", action="store_true", help="print every answer")
    args = parser.parse_args(argv)
    settings = Settings()
    penalties = [float(value) for value in args.penalties.split(",")]
    with serving(args.server, threads=args.threads) as url:
        client = boto3.client("sagemaker-runtime", endpoint_url=url, region_name="us-east-1",
                              aws_access_key_id="local", aws_secret_access_key="local",  # noqa: S106 - ignored locally
                              config=Config(read_timeout=600, retries={"total_max_attempts": 1}))
        print(f"server {args.server}, temperature {settings.temperature}, max_tokens {args.max_tokens}, "
              f"{len(PROMPTS)} prompts x {args.seeds} seeds")
        print(f"{'penalty':>8} {'answers':>8} {'rep. paragraphs':>16} {'rep. sentences':>15} {'at limit':>9} "
              f"{'tokens/answer':>14} {'looping':>8}")
        for penalty in penalties:
            answers = [answer(client, args.server, prompt, penalty=penalty, seed=seed, settings=settings,
                              max_tokens=args.max_tokens)
                       for prompt in PROMPTS for seed in range(1, args.seeds + 1)]
            if args.show:
                for item in answers:
                    print(f"--- penalty {penalty}, {item.finish}, {item.tokens} tokens\n{item.text}\n")
            looping = sum(1 for item in answers if item.repeated_paragraphs or item.repeated_sentences >= 2)
            print(f"{penalty:>8.2f} {len(answers):>8} {sum(a.repeated_paragraphs for a in answers):>16} "
                  f"{sum(a.repeated_sentences for a in answers):>15} "
                  f"{sum(a.finish == 'length' for a in answers):>9} "
                  f"{sum(a.tokens for a in answers) / len(answers):>14.0f} {looping:>8}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
