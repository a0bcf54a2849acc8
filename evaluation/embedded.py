"""Extraction with the embedded model (SmolLM2-135M via llama.cpp, behind the local endpoint): how much
the model alone gets right, and what memchat keeps of it once validated against the user's words."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import boto3
from botocore.config import Config

from evaluation.dataset import Persona, Say
from memchat.memory.extraction import (
    EXTRACTION_INSTRUCTIONS,
    EXTRACTION_SCHEMA,
    Proposal,
    parse_proposals,
    stated,
    validated,
)
from memchat.memory.recall import terms
from memchat.model import ChatMessage, ModelClient

ENDPOINT_NAME = "memchat-eval-llm"


@contextmanager
def local_endpoint() -> Iterator[ModelClient]:
    """The local endpoint with the embedded model, on a free port in a thread; a client for it."""
    from memchat_local.endpoint import LocalEndpoint, start
    from memchat_local.engine import LlamaEngine

    endpoint = LocalEndpoint(LlamaEngine(), endpoint_name=ENDPOINT_NAME)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    port: dict[str, int] = {}

    def serve() -> None:
        asyncio.set_event_loop(loop)
        runner, port["value"] = loop.run_until_complete(start(endpoint.app()))
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())

    thread = threading.Thread(target=serve, name="eval-endpoint", daemon=True)
    thread.start()
    if not ready.wait(120):
        raise RuntimeError("the local endpoint did not start")
    client = boto3.client("sagemaker-runtime", endpoint_url=f"http://127.0.0.1:{port['value']}",
                          region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local",  # noqa: S106
                          config=Config(retries={"max_attempts": 1}, read_timeout=300))
    try:
        yield ModelClient(client, endpoint_name=ENDPOINT_NAME)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)


@dataclass
class ExtractionFigures:
    messages: int = 0
    gold: int = 0
    model_proposals: int = 0
    model_correct: int = 0
    model_unstated: int = 0  # proposals whose words the user never wrote
    model_found: int = 0  # gold values some proposal of the model holds
    kept_found: int = 0
    kept: int = 0
    kept_correct: int = 0
    kept_unstated: int = 0

    @property
    def model_precision(self) -> float:
        return self.model_correct / self.model_proposals if self.model_proposals else 0.0

    @property
    def model_recall(self) -> float:
        return self.model_found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        return self.kept_correct / self.kept if self.kept else 0.0

    @property
    def recall(self) -> float:
        return self.kept_found / self.gold if self.gold else 0.0

    @property
    def unstated_rate(self) -> float:
        return self.kept_unstated / self.kept if self.kept else 0.0

    @property
    def model_unstated_rate(self) -> float:
        return self.model_unstated / self.model_proposals if self.model_proposals else 0.0


def _correct(proposal: Proposal, gold: list[str]) -> bool:
    value = set(terms(proposal.value))
    return any(set(terms(g)) <= value for g in gold if terms(g))


def _found(gold: list[str], proposals: list[Proposal]) -> int:
    return sum(any(_correct(p, [g]) for p in proposals) for g in gold)


def measure(model: ModelClient, personas: list[Persona], *, limit: int) -> ExtractionFigures:
    """Extraction over the personas' messages (those stating facts, and as many others), up to `limit`."""
    says = [step for p in personas for s in p.sessions for step in s.steps if isinstance(step, Say)]
    stating = [say for say in says if say.states]
    others = [say for say in says if not say.states and not say.probe][: len(stating)]
    sample = (stating + others)[:limit]
    figures = ExtractionFigures()
    for say in sample:
        gold = [value for _, value in say.states]
        completion = model.complete([ChatMessage("system", EXTRACTION_INSTRUCTIONS), ChatMessage("user", say.text)],
                                    max_tokens=200, temperature=0.0, json_schema=EXTRACTION_SCHEMA)
        proposals = parse_proposals(completion.text)
        kept = validated([*stated(say.text), *proposals], say.text)
        figures.messages += 1
        figures.gold += len(gold)
        message_terms = set(terms(say.text))
        figures.model_proposals += len(proposals)
        figures.model_correct += sum(_correct(p, gold) for p in proposals)
        figures.model_unstated += sum(not set(terms(p.value)) <= message_terms or not terms(p.value)
                                      for p in proposals)
        figures.model_found += _found(gold, proposals)
        figures.kept_found += _found(gold, kept)
        figures.kept += len(kept)
        figures.kept_correct += sum(_correct(p, gold) for p in kept)
        figures.kept_unstated += sum(not set(terms(p.value)) <= message_terms for p in kept)
    return figures
