"""The model client: TGI's or vLLM's chat API streamed from SageMaker, and every endpoint failure translated.

Every test that reads a stream runs against each server's framing (`wire`: TGI, vLLM, and LMI's JSON lines,
which the vLLM client reads too); the request's body is checked per server.
"""

from __future__ import annotations

import json
import logging
import threading

import pytest
import urllib3
from botocore.eventstream import EventStreamBuffer
from botocore.exceptions import ClientError, EndpointConnectionError, EventStreamError, ReadTimeoutError
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from memchat.errors import ChatError, ModelFailed, ModelUnavailable, NotFound, RateLimited
from memchat.model import ChatMessage, Completion, Finish, ModelClient, TextPiece, response_format, translate
from memchat_local.eventstream import exception_event, payload_part

from .fakes import HANG
from .tgi import DONE, TGI, VLLM, WIRES, Wire, payload_parts

PROMPT = [ChatMessage("system", "Be brief."), ChatMessage("user", "Say hello")]
WORDS = ["h", "é", "llo", " w", "ö", "rld", " 你", "好", " 👋"]


@pytest.fixture(params=WIRES, ids=lambda wire: wire.name)
def wire(request) -> Wire:
    return request.param


@pytest.fixture
def model(endpoint, settings, wire) -> ModelClient:
    return ModelClient(endpoint.client, endpoint_name=settings.endpoint_name, server=wire.server)


def _client(endpoint, settings, server: str, **options) -> ModelClient:
    return ModelClient(endpoint.client, endpoint_name=settings.endpoint_name, server=server, **options)


def _answer(model: ModelClient) -> tuple[str, Finish]:
    events = list(model.stream(PROMPT, max_tokens=64, temperature=0.7))
    assert all(isinstance(event, TextPiece) for event in events[:-1])
    assert isinstance(events[-1], Finish)
    return "".join(event.text for event in events[:-1]), events[-1]


def test_payload_parts_are_event_stream_messages_botocore_decodes():
    buffer = EventStreamBuffer()
    buffer.add_data(payload_part(b"data: x\n\n") + exception_event("ModelStreamError", "boom", "StreamBroken"))
    part, failure = list(buffer)  # botocore checks both CRCs of each message

    assert part.headers == {":event-type": "PayloadPart", ":content-type": "application/octet-stream",
                            ":message-type": "event"}
    assert part.payload == b"data: x\n\n"
    assert failure.headers[":exception-type"] == "ModelStreamError"
    assert failure.payload == b'{"Message": "boom", "ErrorCode": "StreamBroken"}'


def test_the_request_is_a_streamed_messages_api_call_with_usage(model, endpoint, settings, wire):
    endpoint.streams(*wire.token_parts(["Hi"]))
    list(model.stream(PROMPT, max_tokens=64, temperature=0.7, stop=["</s>"]))

    assert endpoint.urls == [
        f"https://runtime.sagemaker.us-east-1.amazonaws.com/endpoints/{settings.endpoint_name}"
        "/invocations-response-stream"
    ]
    assert endpoint.headers[0]["Content-Type"] == "application/json"
    assert endpoint.headers[0]["X-Amzn-SageMaker-Accept"] == "text/event-stream"
    assert endpoint.requests == [{
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello"}],
        "max_tokens": 64,
        "stream": True,
        "stream_options": {"include_usage": True},
        "temperature": 0.7,
        "stop": ["</s>"],
    }]


def test_greedy_decoding_sends_temperature_zero_which_tgi_takes_as_greedy(model, endpoint, wire):
    # TGI's Messages API samples when no temperature is given; only temperature 0 turns sampling off.
    endpoint.streams(*wire.token_parts(["Hi"]))
    list(model.stream(PROMPT, max_tokens=8, temperature=0))
    assert endpoint.requests[0]["temperature"] == 0


def test_a_stream_yields_each_token_then_a_finish_with_the_servers_usage(model, endpoint, wire):
    endpoint.streams(*wire.token_parts(["Hello", ",", " world"], prompt_tokens=31))
    events = list(model.stream(PROMPT, max_tokens=64, temperature=0.7))
    assert events == [
        TextPiece("Hello"), TextPiece(","), TextPiece(" world"),
        Finish(reason="stop", prompt_tokens=31, completion_tokens=3),
    ]


def test_an_answer_cut_at_max_tokens_finishes_with_length(model, endpoint, wire):
    endpoint.streams(*wire.token_parts(["a", "b"], finish_reason="length"))
    assert _answer(model)[1].reason == "length"


def test_a_stream_without_usage_finishes_with_unknown_counts(model, endpoint, wire):
    endpoint.streams(payload_parts(wire.chunk("Hi", finish_reason="stop") + wire.done))
    assert _answer(model) == ("Hi", Finish(reason="stop", prompt_tokens=None, completion_tokens=None))


@hypothesis_settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(min_value=1, max_value=2000), max_size=30))
def test_payload_parts_cut_at_any_bytes_give_the_same_answer(model, endpoint, wire, cuts):
    data = wire.sse(WORDS)
    endpoint.streams(payload_parts(data, [cut % len(data) or 1 for cut in cuts]))
    text, finish = _answer(model)
    assert (text, finish.completion_tokens) == ("héllo wörld 你好 👋", len(WORDS))


def test_payload_parts_of_one_byte_each_give_the_same_answer(model, endpoint, wire):
    data = wire.sse(WORDS)
    endpoint.streams(payload_parts(data, range(1, len(data))))
    text, finish = _answer(model)
    assert text == "héllo wörld 你好 👋"
    assert finish.completion_tokens == len(WORDS)


@pytest.mark.parametrize(
    ("status", "code", "fields", "error"),
    [
        (424, "ModelError", {"OriginalStatusCode": 500, "OriginalMessage": "CUDA error",
                             "LogStreamArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/x"},
         ModelFailed),
        (400, "ThrottlingException", {}, RateLimited),
        (503, "ServiceUnavailable", {}, ModelUnavailable),
        (429, "ModelNotReadyException", {}, ModelUnavailable),
        (400, "ValidationError", {}, ModelUnavailable),
        (500, "InternalFailure", {}, ModelUnavailable),
        (500, "InternalDependencyException", {}, ModelUnavailable),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_endpoint_errors_are_translated_keeping_their_cause(model, endpoint, status, code, fields, error):
    endpoint.fails(status, code, f"{code} from the endpoint", **fields)
    with pytest.raises(ChatError) as raised:
        model.stream(PROMPT, max_tokens=64, temperature=0.7)
    assert type(raised.value) is error
    assert isinstance(raised.value.__cause__, ClientError)
    assert raised.value.__cause__.response["Error"]["Code"] == code


def test_a_model_error_says_what_the_model_reported(model, endpoint):
    endpoint.fails(424, "ModelError", "Received server error (500) from primary", OriginalStatusCode=500)
    with pytest.raises(ModelFailed, match=r"Received server error \(500\) from primary"):
        model.stream(PROMPT, max_tokens=64, temperature=0.7)


def test_a_read_timeout_before_the_stream_starts_is_model_unavailable(model, endpoint):
    endpoint.raises(ReadTimeoutError(endpoint_url="https://runtime.sagemaker.us-east-1.amazonaws.com"))
    with pytest.raises(ModelUnavailable, match="took too long"):
        model.stream(PROMPT, max_tokens=64, temperature=0.7)


def test_an_unreachable_endpoint_is_model_unavailable(model, endpoint):
    endpoint.raises(EndpointConnectionError(endpoint_url="https://runtime.sagemaker.us-east-1.amazonaws.com"))
    with pytest.raises(ModelUnavailable):
        model.stream(PROMPT, max_tokens=64, temperature=0.7)


@pytest.mark.parametrize("kind", ["ModelStreamError", "InternalStreamFailure"])
def test_a_stream_error_mid_answer_is_a_model_error_after_the_text_so_far(model, endpoint, kind, wire):
    broken = exception_event(kind, "Stream broken", "StreamBroken")
    endpoint.streams(payload_parts(wire.chunk("Hel") + wire.chunk("lo")), broken)
    events = model.stream(PROMPT, max_tokens=64, temperature=0.7)
    received = []
    with pytest.raises(ModelFailed, match="Stream broken") as raised:
        for event in events:
            received.append(event)
    assert received == [TextPiece("Hel"), TextPiece("lo")]
    assert isinstance(raised.value.__cause__, EventStreamError)


def test_a_read_timeout_mid_answer_is_model_unavailable(model, endpoint, wire):
    # A model silent for longer than the client's read timeout: urllib3 raises while botocore reads the body.
    timeout = urllib3.exceptions.ReadTimeoutError(None, "/", "Read timed out.")
    endpoint.streams(payload_parts(wire.chunk("Hel")), timeout)
    events = model.stream(PROMPT, max_tokens=64, temperature=0.7)
    assert next(iter(events)) == TextPiece("Hel")
    with pytest.raises(ModelUnavailable, match="took too long"):
        list(events)


def test_a_stream_that_ends_before_the_answer_finished_is_a_model_error(model, endpoint, wire):
    endpoint.streams(payload_parts(wire.chunk("Hel") + wire.chunk("lo")))
    with pytest.raises(ModelFailed, match="ended before the answer was complete"):
        list(model.stream(PROMPT, max_tokens=64, temperature=0.7))


# TGI's in-band error event, in the shape of TGI 2.4.1 and later (3.x) and in the older one; TGI ends the stream
# with [DONE] after it, so a client that skipped the event would read a stream that merely "ended early".
OPENAI_ERROR_EVENT = (b'data:{"error":{"message":"Request failed during generation: Server error: CUDA out of memory",'
                      b'"http_status_code":422}}\n\n')
LEGACY_ERROR_EVENT = (b'data:{"error":"Request failed during generation: Server error: CUDA out of memory",'
                      b'"error_type":"generation"}\n\n')
CUDA = "Request failed during generation: Server error: CUDA out of memory"


@pytest.fixture
def tgi_model(endpoint, settings) -> ModelClient:
    return _client(endpoint, settings, "tgi")


def test_each_servers_in_band_error_fails_the_answer_after_the_text_so_far(model, endpoint, wire):
    endpoint.streams(payload_parts(wire.chunk("Hel") + wire.failed(CUDA)))
    received = []
    with pytest.raises(ModelFailed) as raised:
        for event in model.stream(PROMPT, max_tokens=64, temperature=0.7):
            received.append(event)
    assert received == [TextPiece("Hel")]
    assert "ended before" not in raised.value.message  # the error itself failed the answer
    assert "CUDA" not in raised.value.message  # the server's internals stay out of what the user reads


def test_each_servers_in_band_error_logs_its_real_cause_and_status(model, endpoint, wire, caplog):
    endpoint.streams(payload_parts(wire.chunk("Secret user words") + wire.failed(CUDA)))
    with caplog.at_level(logging.WARNING, logger="memchat.model"), pytest.raises(ModelFailed):
        list(model.stream([ChatMessage("user", "Secret user words")], max_tokens=64, temperature=0.7))
    (record,) = [r for r in caplog.records if r.name == "memchat.model"]
    assert record.error_type == "generation"  # read from TGI's message, which the others pass on as theirs
    assert record.error_status == {"tgi": 422, "vllm": 500, "lmi": 424}[wire.name]
    assert "CUDA out of memory" in record.model_error
    assert "Secret" not in caplog.text


@pytest.mark.parametrize("error", [OPENAI_ERROR_EVENT, LEGACY_ERROR_EVENT], ids=["tgi-3", "legacy"])
def test_tgis_error_event_in_either_shape_fails_the_answer(tgi_model, endpoint, error, caplog):
    endpoint.streams(payload_parts(TGI.chunk("Hel") + error + DONE))
    with caplog.at_level(logging.WARNING, logger="memchat.model"), pytest.raises(ModelFailed):
        list(tgi_model.stream(PROMPT, max_tokens=64, temperature=0.7))
    (record,) = [r for r in caplog.records if r.name == "memchat.model"]
    assert record.error_type == "generation"


def test_an_error_event_ends_the_answer_even_when_chunks_follow_it(model, endpoint, wire):
    endpoint.streams(payload_parts(wire.chunk("Hel") + wire.error(CUDA) + wire.chunk("lo", finish_reason="stop")
                                   + wire.usage_chunk(3, 2) + wire.done))
    with pytest.raises(ModelFailed):
        list(model.stream(PROMPT, max_tokens=64, temperature=0.7))


def test_tgis_overloaded_error_event_is_rate_limited(tgi_model, endpoint):
    endpoint.streams(payload_parts(b'data:{"error":"Model is overloaded","error_type":"overloaded"}\n\n' + DONE))
    with pytest.raises(RateLimited):
        list(tgi_model.stream(PROMPT, max_tokens=64, temperature=0.7))


def test_vllms_error_class_is_logged_as_the_kind(endpoint, settings, caplog):
    endpoint.streams(payload_parts(VLLM.chunk("Hel") + VLLM.failed("The engine died")))
    with caplog.at_level(logging.WARNING, logger="memchat.model"), pytest.raises(ModelFailed):
        list(_client(endpoint, settings, "vllm").stream(PROMPT, max_tokens=64, temperature=0.7))
    (record,) = [r for r in caplog.records if r.name == "memchat.model"]
    assert (record.error_type, record.error_status) == ("InternalServerError", 500)


def test_an_unreadable_chunk_is_a_model_error(model, endpoint, wire):
    endpoint.streams(payload_parts(wire.chunk("Hel") + wire.prefix + b"{not json" + wire.end + wire.done))
    with pytest.raises(ModelFailed, match="could not read"):
        list(model.stream(PROMPT, max_tokens=64, temperature=0.7))


def test_closing_from_another_thread_ends_the_stream_quietly(model, endpoint, wire):
    endpoint.streams(payload_part(wire.chunk("Hel")), HANG)
    stream = model.stream(PROMPT, max_tokens=64, temperature=0.7)
    events = iter(stream)
    assert next(events) == TextPiece("Hel")

    threading.Thread(target=stream.close).start()
    assert list(events) == []  # no Finish, no error: a stopped answer
    assert stream.closed
    assert endpoint.bodies[0].closed  # the HTTP response is dropped, which ends the request on the endpoint


def test_usage_reported_after_the_finish_reason_is_kept(model, endpoint, wire):
    endpoint.streams(payload_parts(wire.chunk("Hi", finish_reason="stop") + wire.usage_chunk(12, 1) + wire.done))
    assert _answer(model)[1] == Finish(reason="stop", prompt_tokens=12, completion_tokens=1)


def test_domain_errors_pass_through_translation_unchanged():
    error = NotFound()
    assert translate(error) is error


# ---------------------------------------------------------------- complete(): one whole answer, or JSON


SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}


def test_complete_joins_the_stream_into_one_completion(model, endpoint, wire):
    endpoint.streams(*wire.token_parts(["Hello", ",", " world"], prompt_tokens=31))
    assert model.complete(PROMPT, max_tokens=16) == Completion("Hello, world", "stop", 31, 3)


def test_complete_is_greedy_and_sends_no_response_format_by_default(model, endpoint, wire):
    endpoint.streams(*wire.token_parts(["Hi"]))
    model.complete(PROMPT, max_tokens=16)
    (request,) = endpoint.requests
    assert request["temperature"] == 0.0 and "response_format" not in request
    assert request["stream"] is True and request["max_tokens"] == 16


RESPONSE_FORMATS = {
    # TGI's grammar, tagged by type with the schema as value (json_object: TGI 2.1 and later).
    "tgi": {"type": "json_object", "value": SCHEMA},
    # OpenAI's shape, which vLLM's chat API validates (type json_schema requires the json_schema field).
    "vllm": {"type": "json_schema", "json_schema": {"name": "answer", "schema": SCHEMA}},
}


def test_complete_with_a_schema_sends_each_servers_response_format(model, endpoint, wire):
    endpoint.streams(*wire.token_parts(['{"title"', ': "Cats"}']))
    completion = model.complete(PROMPT, max_tokens=32, temperature=0.2, json_schema=SCHEMA)

    (request,) = endpoint.requests
    assert request["response_format"] == RESPONSE_FORMATS[wire.server]
    assert "guided_json" not in request  # removed in vLLM 0.12, and ignored there without an error
    assert request["temperature"] == 0.2
    assert json.loads(completion.text) == {"title": "Cats"}


@pytest.mark.parametrize("server", ["tgi", "vllm"])
def test_the_response_format_is_the_servers_own_shape(server):
    assert response_format(server, SCHEMA) == RESPONSE_FORMATS[server]


# ---------------------------------------------------------------- the request's per-server details


ANSWER_SO_FAR = [*PROMPT, ChatMessage("assistant", "Hello th")]


def test_tgi_continues_a_final_assistant_message_without_being_told(endpoint, settings):
    # TGI's router cuts the rendered template after a final assistant message's text by itself; the
    # continue_final_message field was taken out of its request before release (TGI PR #2733).
    endpoint.streams(*TGI.token_parts(["ere"]))
    list(_client(endpoint, settings, "tgi").stream(ANSWER_SO_FAR, max_tokens=8, temperature=0.7,
                                                   continue_final_message=True))
    (request,) = endpoint.requests
    assert request["messages"][-1] == {"role": "assistant", "content": "Hello th"}
    assert "continue_final_message" not in request and "add_generation_prompt" not in request


def test_vllm_is_told_to_continue_and_to_add_no_generation_prompt(endpoint, settings):
    # vLLM refuses continue_final_message with add_generation_prompt, which defaults to true.
    endpoint.streams(*VLLM.token_parts(["ere"]))
    list(_client(endpoint, settings, "vllm").stream(ANSWER_SO_FAR, max_tokens=8, temperature=0.7,
                                                    continue_final_message=True))
    (request,) = endpoint.requests
    assert (request["continue_final_message"], request["add_generation_prompt"]) == (True, False)


def test_vllm_starts_a_new_turn_unless_continuing(endpoint, settings):
    endpoint.streams(*VLLM.token_parts(["Hi"]))
    list(_client(endpoint, settings, "vllm").stream(PROMPT, max_tokens=8, temperature=0.7))
    assert "continue_final_message" not in endpoint.requests[0]
    assert "add_generation_prompt" not in endpoint.requests[0]


@pytest.mark.parametrize(("server", "sent"), [
    # TGI's Messages API has no repetition_penalty; it sets one to presence_penalty + 2.0 (router/src/lib.rs).
    ("tgi", {"presence_penalty": -0.85}),
    ("vllm", {"repetition_penalty": 1.15}),
])
def test_the_repetition_penalty_is_sent_as_each_server_takes_it(endpoint, settings, server, sent):
    endpoint.streams(*TGI.token_parts(["Hi"]))
    list(_client(endpoint, settings, server, repetition_penalty=1.15).stream(PROMPT, max_tokens=8, temperature=0.7))
    (request,) = endpoint.requests
    penalties = {key: request[key] for key in ("presence_penalty", "repetition_penalty", "frequency_penalty")
                 if key in request}
    assert penalties == sent


@pytest.mark.parametrize("server", ["tgi", "vllm"])
def test_no_repetition_control_is_sent_when_it_is_off(endpoint, settings, server):
    endpoint.streams(*TGI.token_parts(["Hi"]))
    list(_client(endpoint, settings, server, repetition_penalty=1.0).stream(PROMPT, max_tokens=8, temperature=0.7))
    assert not {"presence_penalty", "repetition_penalty", "frequency_penalty"} & set(endpoint.requests[0])


def test_the_client_takes_its_server_and_penalty_from_the_settings(endpoint, settings):
    model = ModelClient.from_settings(endpoint.client, settings.model_copy(
        update={"model_server": "vllm", "repetition_penalty": 1.1}))
    endpoint.streams(*VLLM.token_parts(["Hi"]))
    list(model.stream(PROMPT, max_tokens=8, temperature=0.7, json_schema=SCHEMA))
    (request,) = endpoint.requests
    assert request["repetition_penalty"] == 1.1
    assert request["response_format"]["type"] == "json_schema"


@pytest.mark.parametrize("server", ["tgi", "vllm"])
def test_complete_sends_no_repetition_penalty_as_it_copies_the_conversations_words(endpoint, settings, server):
    endpoint.streams(*TGI.token_parts(["Hi"]))
    _client(endpoint, settings, server, repetition_penalty=1.2).complete(PROMPT, max_tokens=8, json_schema=SCHEMA)
    assert not {"presence_penalty", "repetition_penalty"} & set(endpoint.requests[0])


def test_complete_reports_an_answer_cut_at_max_tokens(model, endpoint, wire):
    endpoint.streams(*wire.token_parts(['{"title"', ': "Ca'], finish_reason="length"))
    completion = model.complete(PROMPT, max_tokens=2, json_schema=SCHEMA)
    assert completion.finish_reason == "length" and completion.text == '{"title": "Ca'


def test_complete_raises_the_streams_errors(model, endpoint, wire):
    endpoint.streams(payload_parts(wire.chunk("Hel") + wire.failed(CUDA)))
    with pytest.raises(ModelFailed):
        model.complete(PROMPT, max_tokens=16)


def test_complete_raises_a_refusal_before_the_stream(model, endpoint):
    endpoint.fails(400, "ThrottlingException", "slow down")
    with pytest.raises(RateLimited):
        model.complete(PROMPT, max_tokens=16)


def test_complete_drops_the_http_response_once_done(model, endpoint, wire):
    endpoint.streams(*wire.token_parts(["Hi"]))
    model.complete(PROMPT, max_tokens=16)
    assert endpoint.bodies[0].closed


def test_an_inference_component_is_named_on_every_invoke(endpoint, settings):
    """An endpoint hosting inference components refuses an invoke that names none (SageMaker Runtime
    API reference, InvokeEndpointWithResponseStream: InferenceComponentName)."""
    model = ModelClient.from_settings(endpoint.client, settings.model_copy(
        update={"inference_component_name": "memchat-tgi"}))
    endpoint.streams(*TGI.token_parts(["Hi"], prompt_tokens=3))
    list(model.stream([ChatMessage("user", "Hello")], max_tokens=8, temperature=0.0))
    assert endpoint.headers[-1]["X-Amzn-SageMaker-Inference-Component"] == "memchat-tgi"
