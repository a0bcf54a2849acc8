"""The local SageMaker Runtime endpoint, driven by an unmodified boto3 client as the backend drives AWS.

Tests on `replay_server` run once per model server's wire format (TGI's, vLLM's); where the two differ, the
test says what each sends.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from botocore.exceptions import ClientError, EventStreamError

from memchat.errors import ModelFailed
from memchat.model import ChatMessage, ModelClient
from memchat.model import TextPiece as ModelTextPiece
from memchat_local.endpoint import MAX_BODY_BYTES
from memchat_local.engine import EngineFailure, GenerationItem, GenerationRequest, TextPiece
from memchat_local.replay import ReplayEngine
from tests.local.conftest import ENDPOINT_NAME, Reply, Server, chat_body, sagemaker_client, serve
from tests.waiting import wait_until

StreamChat = Callable[..., Reply]


def stats(server: Server) -> dict[str, Any]:
    with urllib.request.urlopen(f"{server.url}/stats", timeout=10) as response:
        return json.load(response)


def model_error(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response


# ---------------------------------------------------------------- the stream, in replay mode


def test_stream_is_sse_inside_payload_parts(replay_server: Server, stream_chat: StreamChat) -> None:
    reply = stream_chat(replay_server, chat_body(max_tokens=8))

    assert reply.content_type == "text/event-stream"
    assert reply.headers["content-type"] == "application/vnd.amazon.eventstream"
    assert reply.done
    assert {chunk["object"] for chunk in reply.chunks} == {"chat.completion.chunk"}
    *tokens, last = reply.token_chunks
    for chunk in tokens:
        (choice,) = chunk["choices"]
        assert choice["finish_reason"] is None
        assert choice["logprobs"] is None
    assert last["choices"][0]["delta"]["content"] == ""
    assert last["choices"][0]["finish_reason"] == "length"


def _tgis_chunk_shape(reply: Reply) -> None:
    """TGI: `id` "", the fingerprint, and `role` and `usage: null` in every token chunk."""
    for chunk in reply.chunks:
        assert chunk["id"] == ""
        assert chunk["system_fingerprint"] == "memchat-local-replay"
    for chunk in reply.token_chunks:
        assert chunk["choices"][0]["delta"]["role"] == "assistant"
        assert chunk["usage"] is None
    assert all(chunk["choices"][0]["delta"]["content"] for chunk in reply.token_chunks[:-1])


def _vllms_chunk_shape(reply: Reply) -> None:
    """vLLM: one `chatcmpl-` id, no fingerprint, the role only in a first chunk with empty content."""
    (request_id,) = {chunk["id"] for chunk in reply.chunks}
    assert request_id.startswith("chatcmpl-")
    assert not any("system_fingerprint" in chunk for chunk in reply.chunks)
    first, *rest = reply.token_chunks
    assert first["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert all(set(chunk["choices"][0]["delta"]) == {"content"} for chunk in rest)
    assert all(chunk["choices"][0]["delta"]["content"] for chunk in rest[:-1])
    assert "usage" not in first


def test_each_servers_chunks_have_its_own_shape(replay_server: Server, stream_chat: StreamChat) -> None:
    reply = stream_chat(replay_server, chat_body(max_tokens=8))
    {"tgi": _tgis_chunk_shape, "vllm": _vllms_chunk_shape}[replay_server.wire](reply)


def test_replay_is_identifiable_in_every_chunk_and_a_header(replay_server: Server, stream_chat: StreamChat) -> None:
    reply = stream_chat(replay_server, chat_body())

    assert {chunk["model"] for chunk in reply.chunks} == {"replay"}
    assert reply.headers["x-memchat-local-mode"] == "replay"


def test_usage_chunk_comes_last_and_adds_up(replay_server: Server, stream_chat: StreamChat) -> None:
    reply = stream_chat(replay_server, chat_body(max_tokens=8))

    usage_chunk = reply.chunks[-1]
    assert usage_chunk["choices"] == []
    contents = [chunk for chunk in reply.token_chunks if chunk["choices"][0]["delta"]["content"]]
    assert usage_chunk["usage"]["completion_tokens"] == 8 == len(contents)
    assert usage_chunk["usage"]["total_tokens"] == (
        usage_chunk["usage"]["prompt_tokens"] + usage_chunk["usage"]["completion_tokens"]
    )


def test_without_include_usage_no_usage_chunk_is_sent(replay_server: Server, stream_chat: StreamChat) -> None:
    reply = stream_chat(replay_server, chat_body(stream_options={"include_usage": False}))

    assert all(chunk["choices"] for chunk in reply.chunks)
    assert reply.done


def test_stop_string_ends_the_stream_before_it(replay_server: Server, stream_chat: StreamChat) -> None:
    full = stream_chat(replay_server, chat_body(max_tokens=40)).text
    stop = full.split()[3]

    reply = stream_chat(replay_server, chat_body(max_tokens=40, stop=[stop]))

    assert reply.text == full[: full.index(stop)]
    assert reply.finish_reason == "stop"


@pytest.mark.parametrize("split_bytes", [1, 7, 64])
def test_split_payload_parts_carry_the_identical_stream(
    replay_server: Server, stream_chat: StreamChat, split_bytes: int
) -> None:
    whole = stream_chat(replay_server, chat_body(max_tokens=60))

    with serve(replay_server.endpoint.engine, server=replay_server.wire, split_bytes=split_bytes) as split_server:
        split = stream_chat(split_server, chat_body(max_tokens=60))

    assert split.text == whole.text
    assert split.usage == whole.usage
    assert all(len(part) <= split_bytes for part in split.parts)


def test_split_parts_cut_multi_byte_characters(replay_server: Server, stream_chat: StreamChat) -> None:
    assert any(ord(character) > 127 for character in stream_chat(replay_server, chat_body(max_tokens=60)).text)

    with serve(replay_server.endpoint.engine, server=replay_server.wire, split_bytes=1) as split_server:
        split = stream_chat(split_server, chat_body(max_tokens=60))

    assert any(not _is_utf8(part) for part in split.parts)


def test_split_parts_straddle_event_boundaries(replay_server: Server, stream_chat: StreamChat) -> None:
    with serve(replay_server.endpoint.engine, server=replay_server.wire, split_bytes=64) as split_server:
        split = stream_chat(split_server, chat_body(max_tokens=60))

    assert any(b"\n\ndata:" in part for part in split.parts)
    assert split.done


def test_stream_false_sends_one_chat_completion_document(replay_server: Server) -> None:
    response = sagemaker_client(replay_server.url).invoke_endpoint_with_response_stream(
        EndpointName=ENDPOINT_NAME, Body=chat_body(max_tokens=8, stream=False, stream_options=None)
    )
    data = b"".join(event["PayloadPart"]["Bytes"] for event in response["Body"])

    assert response["ContentType"] == "application/json"
    document = json.loads(data)
    assert document["object"] == "chat.completion"
    assert document["choices"][0]["finish_reason"] == "length"
    assert document["usage"]["completion_tokens"] == 8


def test_invoke_endpoint_returns_the_same_answer_as_one_document(
    replay_server: Server, stream_chat: StreamChat
) -> None:
    streamed = stream_chat(replay_server, chat_body(max_tokens=12))

    response = sagemaker_client(replay_server.url).invoke_endpoint(
        EndpointName=ENDPOINT_NAME, Body=chat_body(max_tokens=12), ContentType="application/json"
    )
    document = json.loads(response["Body"].read())

    assert response["ContentType"] == "application/json"
    assert response["InvokedProductionVariant"] == "AllTraffic"
    assert document["object"] == "chat.completion"
    assert document["model"] == "replay"
    assert document["choices"][0]["message"] == {"role": "assistant", "content": streamed.text}
    assert document["usage"] == streamed.usage


def test_client_finds_the_endpoint_through_the_environment(
    replay_server: Server, stream_chat: StreamChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME", replay_server.url)

    response = sagemaker_client(None).invoke_endpoint_with_response_stream(EndpointName=ENDPOINT_NAME, Body=chat_body())

    assert Reply.from_response(response, replay_server.wire).done


# ---------------------------------------------------------------- errors, as botocore maps them


@pytest.mark.parametrize("operation", ["invoke_endpoint_with_response_stream", "invoke_endpoint"])
def test_unknown_endpoint_is_a_validation_error(replay_server: Server, operation: str) -> None:
    client = sagemaker_client(replay_server.url)

    response = model_error(lambda: getattr(client, operation)(EndpointName="no-such-endpoint", Body=chat_body()))

    assert response["Error"]["Code"] == "ValidationError"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "no-such-endpoint" in response["Error"]["Message"]


def _refusal(response: dict[str, Any], wire: str) -> str:
    """The server's own error document inside SageMaker's ModelError: TGI's `{"error", "error_type"}`, or
    vLLM's `{"error": {"message", "type", "param", "code"}}`; returns its message."""
    original = json.loads(response["OriginalMessage"])
    if wire == "tgi":
        assert original["error_type"] == "validation"
        return original["error"]
    assert (original["error"]["type"], original["error"]["code"]) == ("BadRequestError", response["OriginalStatusCode"])
    return original["error"]["message"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (b"{not json", "Invalid JSON"),
        (b"", "Invalid JSON"),
        (b"\xff\xfe", "Invalid JSON"),
        (json.dumps({"max_tokens": 5}).encode(), "messages"),
        (json.dumps({"messages": []}).encode(), "messages"),
        (json.dumps({"messages": [{"role": "robot", "content": "hi"}]}).encode(), "messages.0.role"),
        (json.dumps({"messages": [{"role": "user", "content": 7}]}).encode(), "messages.0.content"),
        (chat_body(max_tokens=0), "max_tokens"),
        (chat_body(temperature=-1), "temperature"),
    ],
)
@pytest.mark.parametrize("operation", ["invoke_endpoint_with_response_stream", "invoke_endpoint"])
def test_a_request_the_model_rejects_is_a_model_error_from_status_400(
    replay_server: Server, operation: str, body: bytes, named: str
) -> None:
    client = sagemaker_client(replay_server.url)

    response = model_error(lambda: getattr(client, operation)(EndpointName=ENDPOINT_NAME, Body=body))

    assert response["Error"]["Code"] == "ModelError"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 424
    assert response["OriginalStatusCode"] == 400
    assert named in _refusal(response, replay_server.wire)


# What one server refuses and the other takes.
REFUSED_BY = [
    ("tgi", chat_body(stop=["a", "b", "c", "d", "e"]), "stop"),  # TGI's --max-stop-sequences is 4
    # vLLM's add_generation_prompt defaults to true, and it refuses continuing with a generation prompt.
    ("vllm", chat_body(continue_final_message=True), "continue_final_message"),
    ("vllm", chat_body(stream=False), "Stream options"),
]


@pytest.mark.parametrize(("wire", "body", "named"), REFUSED_BY, ids=["tgi-stops", "vllm-continue", "vllm-options"])
def test_each_server_refuses_what_it_refuses_and_the_other_takes_it(
    replay_server: Server, stream_chat: StreamChat, wire: str, body: bytes, named: str
) -> None:
    client = sagemaker_client(replay_server.url)
    if replay_server.wire != wire:
        assert client.invoke_endpoint(EndpointName=ENDPOINT_NAME, Body=body)["Body"].read()
        return

    response = model_error(lambda: client.invoke_endpoint(EndpointName=ENDPOINT_NAME, Body=body))

    assert response["OriginalStatusCode"] == 400
    assert named in _refusal(response, wire)


def test_an_oversized_body_is_a_model_error_from_status_413(replay_server: Server) -> None:
    body = chat_body("x" * (MAX_BODY_BYTES + 1))

    response = model_error(
        lambda: sagemaker_client(replay_server.url).invoke_endpoint_with_response_stream(
            EndpointName=ENDPOINT_NAME, Body=body
        )
    )

    assert response["Error"]["Code"] == "ModelError"
    assert response["OriginalStatusCode"] == 413
    assert stats(replay_server)["mode"] == "replay"  # still serving


class _BreakingEngine(ReplayEngine):
    """Replays `pieces` pieces, then fails the way a model can."""

    def __init__(self, pieces: int, failure: Exception) -> None:
        super().__init__(ttft_ms=0, tokens_per_second=10_000)
        self._pieces = pieces
        self._failure = failure

    async def generate(self, request: GenerationRequest) -> AsyncIterator[GenerationItem]:
        for number in range(self._pieces):
            yield TextPiece(f"piece{number} ")
        raise self._failure


@pytest.fixture(params=["tgi", "vllm"])
def breaking_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    pieces, failure = request.node.callspec.params["failing"]
    with serve(_BreakingEngine(pieces, failure), server=request.param) as server:
        yield server


GPU_FIRE = "Request failed during generation: the GPU caught fire"
IN_BAND_ERRORS = {
    # TGI's InferError::into_openai_event: always 422.
    "tgi": {"error": {"message": GPU_FIRE, "http_status_code": 422}},
    # vLLM's create_streaming_error_response.
    "vllm": {"error": {"message": GPU_FIRE, "type": "InternalServerError", "param": None, "code": 500}},
}


@pytest.mark.parametrize("failing", [(2, EngineFailure("the GPU caught fire"))])
def test_a_failure_after_streaming_started_is_the_servers_in_band_error_then_done(
    breaking_server: Server, stream_chat: StreamChat, failing: tuple
) -> None:
    reply = stream_chat(breaking_server, chat_body())

    *tokens, error = reply.chunks
    assert "".join(chunk["choices"][0]["delta"]["content"] for chunk in tokens) == "piece0 piece1 "
    assert error == IN_BAND_ERRORS[breaking_server.wire]
    assert reply.done  # both servers end the stream with [DONE] after the error event


@pytest.mark.parametrize("failing", [(2, EngineFailure("the GPU caught fire"))])
def test_the_backend_reads_the_in_band_error_as_a_failed_answer(breaking_server: Server, failing: tuple) -> None:
    model = ModelClient(sagemaker_client(breaking_server.url), endpoint_name=ENDPOINT_NAME,
                        server=breaking_server.wire)
    received = []

    with pytest.raises(ModelFailed):
        for event in model.stream([ChatMessage("user", "Hi")], max_tokens=16, temperature=0.7):
            received.append(event)

    assert received == [ModelTextPiece("piece0 "), ModelTextPiece("piece1 ")]


@pytest.mark.parametrize("failing", [(1, RuntimeError("a bug"))])
def test_an_unexpected_failure_mid_stream_is_an_internal_stream_failure(breaking_server: Server,
                                                                        failing: tuple) -> None:
    response = sagemaker_client(breaking_server.url).invoke_endpoint_with_response_stream(
        EndpointName=ENDPOINT_NAME, Body=chat_body()
    )

    with pytest.raises(EventStreamError) as raised:
        list(response["Body"])

    assert raised.value.response["Error"]["Code"] == "InternalStreamFailure"
    assert "a bug" not in raised.value.response["Error"]["Message"]


@pytest.mark.parametrize("failing", [(0, EngineFailure("out of memory"))])
def test_a_failure_before_the_first_token_is_a_model_error_from_status_500(breaking_server: Server,
                                                                           failing: tuple) -> None:
    response = model_error(
        lambda: sagemaker_client(breaking_server.url).invoke_endpoint_with_response_stream(
            EndpointName=ENDPOINT_NAME, Body=chat_body()
        )
    )

    assert response["Error"]["Code"] == "ModelError"
    assert response["OriginalStatusCode"] == 500
    assert "out of memory" in response["OriginalMessage"]


def test_garbage_on_the_socket_does_not_stop_the_server(replay_server: Server, stream_chat: StreamChat) -> None:
    with socket.create_connection(("127.0.0.1", replay_server.port), timeout=10) as raw:
        raw.sendall(b"\x00\x01 NOT HTTP AT ALL\r\n\r\n")
        raw.recv(1024)

    assert stream_chat(replay_server, chat_body()).done


# ---------------------------------------------------------------- ping and stats


def test_ping_answers_ok(replay_server: Server) -> None:
    with urllib.request.urlopen(f"{replay_server.url}/ping", timeout=10) as response:
        assert response.status == 200
        assert json.load(response)["status"] == "ok"


def test_stats_count_requests_and_report_ttft_percentiles(replay_server: Server, stream_chat: StreamChat) -> None:
    before = stats(replay_server)["count"]

    stream_chat(replay_server, chat_body())
    stream_chat(replay_server, chat_body())
    after = stats(replay_server)

    assert after["count"] == before + 2
    assert after["mode"] == "replay"
    assert after["server"] == replay_server.wire
    assert after["model"] == "replay"
    assert after["ttft_ms"]["p50"] >= 0
    assert after["ttft_ms"]["p95"] >= after["ttft_ms"]["p50"]
    assert after["queue_depth"] == 0



def test_stats_count_and_time_answers_only_and_the_digests_calls_apart(replay_server: Server) -> None:
    # The digest's client marks its calls background (CustomAttributes); the bench times answers alone.
    answers = ModelClient(sagemaker_client(replay_server.url), endpoint_name=ENDPOINT_NAME, server=replay_server.wire)
    digest = ModelClient(sagemaker_client(replay_server.url), endpoint_name=ENDPOINT_NAME, server=replay_server.wire,
                         background=True)
    before = stats(replay_server)

    answers.complete([ChatMessage("user", "Hello")], max_tokens=4)
    digest.complete([ChatMessage("user", "Title this.")], max_tokens=4)
    digest.complete([ChatMessage("user", "Summarise this.")], max_tokens=4)
    after = stats(replay_server)

    assert after["count"] == before["count"] + 1
    assert after["background_count"] == before["background_count"] + 2


# ---------------------------------------------------------------- the real model


@pytest.mark.model
def test_llama_streams_a_real_reply_with_plausible_usage(any_llama_server: Server, stream_chat: StreamChat) -> None:
    llama_server = any_llama_server
    reply = stream_chat(llama_server, chat_body(max_tokens=16))

    assert reply.text.strip()
    assert reply.finish_reason in ("stop", "length")
    assert reply.headers["x-memchat-local-mode"] == "llama"
    assert {chunk["model"] for chunk in reply.chunks} == {"SmolLM2-135M-Instruct.Q4_1"}
    usage = reply.usage
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["prompt_tokens"] > len("Say hello to a new colleague in one sentence.".split())
    # Each content chunk holds at least one token; the finish chunk stands for EOS, or the last counted token.
    contents = [chunk for chunk in reply.token_chunks if chunk["choices"][0]["delta"]["content"]]
    assert len(contents) <= usage["completion_tokens"] <= 16


@pytest.mark.model
def test_llama_honours_max_tokens(llama_server: Server, stream_chat: StreamChat) -> None:
    reply = stream_chat(llama_server, chat_body("Write a long poem about the sea.", max_tokens=4))

    assert reply.finish_reason == "length"
    assert reply.usage["completion_tokens"] == 4


@pytest.mark.model
def test_llama_stop_string_ends_the_stream_before_it(llama_server: Server, stream_chat: StreamChat) -> None:
    body = {"max_tokens": 20, "temperature": 0.0}
    full = stream_chat(llama_server, chat_body("Describe a dog in two sentences.", **body)).text
    stop = full.split()[3]

    reply = stream_chat(llama_server, chat_body("Describe a dog in two sentences.", stop=[stop], **body))

    assert reply.text == full[: full.index(stop)]
    assert reply.finish_reason == "stop"


@pytest.mark.model
def test_llama_refuses_a_budget_over_its_window_as_tgi_does(llama_server: Server) -> None:
    response = model_error(
        lambda: sagemaker_client(llama_server.url).invoke_endpoint_with_response_stream(
            EndpointName=ENDPOINT_NAME, Body=chat_body(max_tokens=2040)
        )
    )

    assert response["Error"]["Code"] == "ModelError"
    assert response["OriginalStatusCode"] == 422
    assert "must be <= 2048" in json.loads(response["OriginalMessage"])["error"]


@pytest.mark.model
def test_llama_serves_twenty_concurrent_requests_through_its_queue(llama_server: Server) -> None:
    client = sagemaker_client(llama_server.url)
    before = stats(llama_server)["count"]

    def ask(number: int) -> Reply:
        body = chat_body(f"Give me one word that rhymes with number {number}.", max_tokens=4)
        return Reply.from_response(client.invoke_endpoint_with_response_stream(EndpointName=ENDPOINT_NAME, Body=body),
                                   llama_server.wire)

    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(ask, range(20)))

    assert all(reply.done and reply.usage["completion_tokens"] <= 4 for reply in replies)
    after = stats(llama_server)
    assert after["count"] == before + 20  # each request served once: none sent again by the client
    assert (after["queue_depth"], after["in_use"]) == (0, 0)


@pytest.mark.model
def test_llama_client_hanging_up_mid_stream_frees_the_model(llama_server: Server, stream_chat: StreamChat) -> None:
    engine = llama_server.endpoint.engine
    generated_before = engine.completion_tokens_total  # type: ignore[attr-defined]
    response = sagemaker_client(llama_server.url).invoke_endpoint_with_response_stream(
        EndpointName=ENDPOINT_NAME, Body=chat_body("Write a very long story about a dragon.", max_tokens=1500)
    )
    events = iter(response["Body"])
    next(events)
    next(events)

    response["Body"].close()

    wait_until(lambda: stats(llama_server)["in_use"] == 0, "the server saw the hang-up and freed the model")
    assert engine.completion_tokens_total - generated_before < 300  # type: ignore[attr-defined]
    assert stream_chat(llama_server, chat_body(max_tokens=4)).done


def flow(server: Server, action: str = "", *, after: int | None = None) -> dict[str, Any]:
    """The endpoint's hold on its streams: read (no action), or `pause` (after `after` events) or `resume`."""
    query = f"?after={after}" if after is not None else ""
    request = urllib.request.Request(f"{server.url}/local/{action or 'flow'}{query}",
                                     method="POST" if action else "GET")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_a_pause_holds_each_stream_after_its_events_until_resumed(replay_server: Server,
                                                                   stream_chat: StreamChat) -> None:
    unheld = stream_chat(replay_server, chat_body(max_tokens=12))
    assert flow(replay_server, "pause", after=3) == {"paused": True, "after": 3, "held": 0}
    try:
        response = sagemaker_client(replay_server.url).invoke_endpoint_with_response_stream(
            EndpointName=ENDPOINT_NAME, Body=chat_body(max_tokens=12))
        events = iter(response["Body"])
        first = [next(events) for _ in range(3)]
        # The stream has sent its three events and waits: the answer is held mid-way, not ended.
        wait_until(lambda: flow(replay_server)["held"] == 1, "the stream is held after its third event")
        assert b"[DONE]" not in b"".join(event["PayloadPart"]["Bytes"] for event in first)
    finally:
        resumed = flow(replay_server, "resume")
    assert resumed["paused"] is False
    held = Reply.from_response({**response, "Body": [*first, *events]}, replay_server.wire)
    # Resumed, it goes on where it stopped: the same answer as one never held, to its end.
    assert held.done and held.text == unheld.text and len(held.parts) == len(unheld.parts)
    assert flow(replay_server)["held"] == 0


def test_a_pause_holds_answers_and_never_the_digests_calls(replay_server: Server) -> None:
    digest = ModelClient(sagemaker_client(replay_server.url), endpoint_name=ENDPOINT_NAME, server=replay_server.wire,
                         background=True)
    flow(replay_server, "pause", after=0)
    try:
        completion = digest.complete([ChatMessage("user", "Title this.")], max_tokens=6)
        assert flow(replay_server)["held"] == 0
    finally:
        flow(replay_server, "resume")
    assert completion.text and completion.finish_reason == "length"


@pytest.mark.parametrize("after", ["-1", "three"])
def test_a_pause_after_anything_but_a_whole_number_of_events_is_refused(replay_server: Server, after: str) -> None:
    request = urllib.request.Request(f"{replay_server.url}/local/pause?after={after}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
    assert flow(replay_server)["paused"] is False


# ---------------------------------------------------------------- the command line


def test_cli_serves_until_sigterm_and_exits_cleanly() -> None:
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "memchat_local.endpoint", "--port", "0", "--mode", "replay"),
            *("--endpoint-name", "cli-test", "--replay-ttft-ms", "0", "--replay-tokens-per-second", "1000"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "listening on http://127.0.0.1:" in line
        url = line.rsplit(" ", 1)[-1].strip()
        response = sagemaker_client(url).invoke_endpoint_with_response_stream(EndpointName="cli-test", Body=chat_body())
        assert Reply.from_response(response).done

        process.send_signal(signal.SIGTERM)

        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# ---------------------------------------------------------------- helpers


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


# ---------------------------------------------------------------- structured output: TGI's response_format

PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 30},
        "age": {"type": "integer", "minimum": 0},
        "likes": {"type": "array", "items": {"type": "string", "maxLength": 20}, "minItems": 1, "maxItems": 3},
    },
    "required": ["name", "age", "likes"],
}
FORMATS = {
    # TGI's grammar, tagged by type with the schema as value.
    "tgi": {
        "json_object": {"type": "json_object", "value": PERSON},
        "json": {"type": "json", "value": PERSON},
        "json_schema": {"type": "json_schema", "value": {"name": "person", "schema": PERSON}},
    },
    # OpenAI's shape, which vLLM takes.
    "vllm": {"json_schema": {"type": "json_schema", "json_schema": {"name": "person", "schema": PERSON}}},
}
NOT_SERVED = {
    "tgi": [{"type": "regex", "value": "[a-z]+"}, {"type": "json_object"},
            {"type": "json_schema", "value": {"name": "no schema"}}],
    # vLLM refuses a json_schema type without its json_schema field, and TGI's tagged shape is not its own.
    "vllm": [{"type": "json_schema"}, {"type": "json_schema", "value": {"name": "person", "schema": PERSON}}],
}


def _matches_person(value: Any) -> bool:
    return (isinstance(value, dict) and set(value) >= {"name", "age", "likes"} and isinstance(value["name"], str)
            and value["name"] != "" and isinstance(value["age"], int) and value["age"] >= 0
            and isinstance(value["likes"], list) and len(value["likes"]) >= 1
            and len(value["likes"]) <= 3 and all(isinstance(item, str) and len(item) <= 20 for item in value["likes"]))


def test_replay_answers_each_servers_response_format_with_json_matching_the_schema(
    replay_server: Server, stream_chat: StreamChat
) -> None:
    for shape, response_format in FORMATS[replay_server.wire].items():
        reply = stream_chat(replay_server, chat_body(max_tokens=60, response_format=response_format))
        assert _matches_person(json.loads(reply.text)), shape


def test_a_response_format_the_server_does_not_take_is_a_model_error_from_status_400(replay_server: Server) -> None:
    for response_format in NOT_SERVED[replay_server.wire]:
        response = model_error(
            lambda response_format=response_format: sagemaker_client(replay_server.url)
            .invoke_endpoint_with_response_stream(EndpointName=ENDPOINT_NAME,
                                                  Body=chat_body(response_format=response_format))
        )
        assert response["OriginalStatusCode"] == 400, response_format


def test_the_backends_complete_gets_schema_valid_json_through_the_endpoint(replay_server: Server) -> None:
    model = ModelClient(sagemaker_client(replay_server.url), endpoint_name=ENDPOINT_NAME, server=replay_server.wire)
    completion = model.complete([ChatMessage("user", "Describe a person.")], max_tokens=60, json_schema=PERSON)
    assert completion.finish_reason == "stop"
    assert _matches_person(json.loads(completion.text))


@pytest.mark.model
@pytest.mark.parametrize("shape", ["json_object", "json_schema"])
def test_llama_constrains_its_answer_to_the_schema(llama_server: Server, stream_chat: StreamChat,
                                                   shape: str) -> None:
    body = chat_body("Invent a person who likes cats. Answer in JSON.", max_tokens=120, temperature=0.0,
                     response_format=FORMATS["tgi"][shape])
    reply = stream_chat(llama_server, body)

    assert reply.finish_reason == "stop", reply.text
    assert _matches_person(json.loads(reply.text)), reply.text


@pytest.mark.model
def test_llama_serves_the_backends_complete_with_schema_valid_json(any_llama_server: Server) -> None:
    model = ModelClient(sagemaker_client(any_llama_server.url), endpoint_name=ENDPOINT_NAME,
                        server=any_llama_server.wire)
    schema = {"type": "object", "properties": {"title": {"type": "string", "maxLength": 40}}, "required": ["title"]}
    completion = model.complete([ChatMessage("user", "Give this chat about sourdough bread a short title.")],
                                max_tokens=60, json_schema=schema)

    value = json.loads(completion.text)
    assert isinstance(value, dict) and isinstance(value["title"], str) and len(value["title"]) <= 40


@pytest.mark.model
def test_llama_continues_the_backends_unfinished_answer_in_each_servers_terms(any_llama_server: Server) -> None:
    # TGI continues a final assistant message by itself; vLLM only when told continue_final_message with
    # add_generation_prompt false, which the backend sends to it (and the endpoint refuses it otherwise).
    model = ModelClient(sagemaker_client(any_llama_server.url), endpoint_name=ENDPOINT_NAME,
                        server=any_llama_server.wire)
    messages = [ChatMessage("system", "You are a helpful, concise assistant."),
                ChatMessage("user", "Count from one to ten."), ChatMessage("assistant", "One, two, three,")]
    text = "".join(event.text for event in model.stream(messages, max_tokens=8, temperature=0.0,
                                                        continue_final_message=True)
                   if isinstance(event, ModelTextPiece))
    assert "four" in text.lower()  # it goes on counting from where the answer stopped
