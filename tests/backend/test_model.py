"""The model client: TGI's Messages API streamed from SageMaker, and every endpoint failure translated."""

from __future__ import annotations

import json
import logging
import threading

import pytest
import urllib3
from botocore.eventstream import EventStreamBuffer
from botocore.exceptions import ClientError, EndpointConnectionError, EventStreamError, ReadTimeoutError

from memchat.errors import ChatError, ModelFailed, ModelUnavailable, NotFound, RateLimited
from memchat.model import ChatMessage, Completion, Finish, ModelClient, TextPiece, response_format, translate
from memchat_local.eventstream import exception_event, payload_part

from .fakes import HANG
from .tgi import DONE, chunk, payload_parts, sse, token_parts, usage_chunk

PROMPT = [ChatMessage("system", "Be brief."), ChatMessage("user", "Say hello")]
WORDS = ["h", "é", "llo", " w", "ö", "rld", " 你", "好", " 👋"]


@pytest.fixture
def model(endpoint, settings) -> ModelClient:
    return ModelClient(endpoint.client, endpoint_name=settings.endpoint_name)


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


def test_the_request_is_a_streamed_messages_api_call_with_usage(model, endpoint, settings):
    endpoint.streams(*token_parts(["Hi"]))
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


def test_greedy_decoding_sends_temperature_zero_which_tgi_takes_as_greedy(model, endpoint):
    # TGI's Messages API samples when no temperature is given; only temperature 0 turns sampling off.
    endpoint.streams(*token_parts(["Hi"]))
    list(model.stream(PROMPT, max_tokens=8, temperature=0))
    assert endpoint.requests[0]["temperature"] == 0


def test_a_stream_yields_each_token_then_a_finish_with_the_servers_usage(model, endpoint):
    endpoint.streams(*token_parts(["Hello", ",", " world"], prompt_tokens=31))
    events = list(model.stream(PROMPT, max_tokens=64, temperature=0.7))
    assert events == [
        TextPiece("Hello"), TextPiece(","), TextPiece(" world"),
        Finish(reason="stop", prompt_tokens=31, completion_tokens=3),
    ]


def test_an_answer_cut_at_max_tokens_finishes_with_length(model, endpoint):
    endpoint.streams(*token_parts(["a", "b"], finish_reason="length"))
    assert _answer(model)[1].reason == "length"


def test_a_stream_without_usage_finishes_with_unknown_counts(model, endpoint):
    endpoint.streams(payload_parts(chunk("Hi", finish_reason="stop") + DONE))
    assert _answer(model) == ("Hi", Finish(reason="stop", prompt_tokens=None, completion_tokens=None))


def test_payload_parts_cut_at_any_byte_give_the_same_answer(model, endpoint):
    data = sse(WORDS)
    for position in range(1, len(data)):
        endpoint.streams(payload_parts(data, [position]))
        assert _answer(model)[0] == "héllo wörld 你好 👋", f"PayloadParts cut at byte {position}"


def test_payload_parts_of_one_byte_each_give_the_same_answer(model, endpoint):
    data = sse(WORDS)
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
def test_a_stream_error_mid_answer_is_a_model_error_after_the_text_so_far(model, endpoint, kind):
    endpoint.streams(payload_parts(chunk("Hel") + chunk("lo")), exception_event(kind, "Stream broken", "StreamBroken"))
    events = model.stream(PROMPT, max_tokens=64, temperature=0.7)
    received = []
    with pytest.raises(ModelFailed, match="Stream broken") as raised:
        for event in events:
            received.append(event)
    assert received == [TextPiece("Hel"), TextPiece("lo")]
    assert isinstance(raised.value.__cause__, EventStreamError)


def test_a_read_timeout_mid_answer_is_model_unavailable(model, endpoint):
    # A model silent for longer than the client's read timeout: urllib3 raises while botocore reads the body.
    endpoint.streams(payload_parts(chunk("Hel")), urllib3.exceptions.ReadTimeoutError(None, "/", "Read timed out."))
    events = model.stream(PROMPT, max_tokens=64, temperature=0.7)
    assert next(iter(events)) == TextPiece("Hel")
    with pytest.raises(ModelUnavailable, match="took too long"):
        list(events)


def test_a_stream_that_ends_before_the_answer_finished_is_a_model_error(model, endpoint):
    endpoint.streams(payload_parts(chunk("Hel") + chunk("lo")))
    with pytest.raises(ModelFailed, match="ended before the answer was complete"):
        list(model.stream(PROMPT, max_tokens=64, temperature=0.7))


# TGI's in-band error event, in the shape of TGI 2.4.1 and later (3.x) and in the older one; TGI ends the stream
# with [DONE] after it, so a client that skipped the event would read a stream that merely "ended early".
OPENAI_ERROR_EVENT = (b'data: {"error":{"message":"Request failed during generation: Server error: CUDA out of memory",'
                      b'"http_status_code":422}}\n\n')
LEGACY_ERROR_EVENT = (b'data: {"error":"Request failed during generation: Server error: CUDA out of memory",'
                      b'"error_type":"generation"}\n\n')


@pytest.mark.parametrize("error", [OPENAI_ERROR_EVENT, LEGACY_ERROR_EVENT], ids=["tgi-3", "legacy"])
def test_an_error_event_from_tgi_is_a_model_error_after_the_text_so_far(model, endpoint, error):
    endpoint.streams(payload_parts(chunk("Hel") + error + DONE))
    received = []
    with pytest.raises(ModelFailed) as raised:
        for event in model.stream(PROMPT, max_tokens=64, temperature=0.7):
            received.append(event)
    assert received == [TextPiece("Hel")]
    assert "ended before" not in raised.value.message  # the event itself failed the answer
    assert "CUDA" not in raised.value.message  # the server's internals stay out of what the user reads


@pytest.mark.parametrize("error", [OPENAI_ERROR_EVENT, LEGACY_ERROR_EVENT], ids=["tgi-3", "legacy"])
def test_an_error_event_logs_its_real_cause_and_kind(model, endpoint, error, caplog):
    endpoint.streams(payload_parts(chunk("Secret user words") + error + DONE))
    with caplog.at_level(logging.WARNING, logger="memchat.model"), pytest.raises(ModelFailed):
        list(model.stream([ChatMessage("user", "Secret user words")], max_tokens=64, temperature=0.7))
    (record,) = [r for r in caplog.records if r.name == "memchat.model"]
    assert record.error_type == "generation"
    assert "CUDA out of memory" in record.model_error
    assert "Secret" not in caplog.text


def test_an_error_event_ends_the_answer_even_when_chunks_follow_it(model, endpoint):
    endpoint.streams(payload_parts(chunk("Hel") + OPENAI_ERROR_EVENT + chunk("lo", finish_reason="stop")
                                   + usage_chunk(3, 2) + DONE))
    with pytest.raises(ModelFailed):
        list(model.stream(PROMPT, max_tokens=64, temperature=0.7))


def test_an_overloaded_error_event_is_rate_limited(model, endpoint):
    endpoint.streams(payload_parts(b'data: {"error":"Model is overloaded","error_type":"overloaded"}\n\n' + DONE))
    with pytest.raises(RateLimited):
        list(model.stream(PROMPT, max_tokens=64, temperature=0.7))


def test_an_unreadable_chunk_is_a_model_error(model, endpoint):
    endpoint.streams(payload_parts(chunk("Hel") + b"data: {not json\n\n" + DONE))
    with pytest.raises(ModelFailed, match="could not read"):
        list(model.stream(PROMPT, max_tokens=64, temperature=0.7))


def test_closing_from_another_thread_ends_the_stream_quietly(model, endpoint):
    endpoint.streams(payload_part(chunk("Hel")), HANG)
    stream = model.stream(PROMPT, max_tokens=64, temperature=0.7)
    events = iter(stream)
    assert next(events) == TextPiece("Hel")

    threading.Thread(target=stream.close).start()
    assert list(events) == []  # no Finish, no error: a stopped answer
    assert stream.closed
    assert endpoint.bodies[0].closed  # the HTTP response is dropped, which ends the request on the endpoint


def test_usage_reported_after_the_finish_reason_is_kept(model, endpoint):
    endpoint.streams(payload_parts(chunk("Hi", finish_reason="stop") + usage_chunk(12, 1) + DONE))
    assert _answer(model)[1] == Finish(reason="stop", prompt_tokens=12, completion_tokens=1)


def test_domain_errors_pass_through_translation_unchanged():
    error = NotFound()
    assert translate(error) is error


# ---------------------------------------------------------------- complete(): one whole answer, or JSON


SCHEMA = {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"]}


def test_complete_joins_the_stream_into_one_completion(model, endpoint):
    endpoint.streams(*token_parts(["Hello", ",", " world"], prompt_tokens=31))
    assert model.complete(PROMPT, max_tokens=16) == Completion("Hello, world", "stop", 31, 3)


def test_complete_is_greedy_and_sends_no_response_format_by_default(model, endpoint):
    endpoint.streams(*token_parts(["Hi"]))
    model.complete(PROMPT, max_tokens=16)
    (request,) = endpoint.requests
    assert request["temperature"] == 0.0 and "response_format" not in request
    assert request["stream"] is True and request["max_tokens"] == 16


def test_complete_with_a_schema_sends_tgis_response_format(model, endpoint):
    endpoint.streams(*token_parts(['{"title"', ': "Cats"}']))
    completion = model.complete(PROMPT, max_tokens=32, temperature=0.2, json_schema=SCHEMA)

    (request,) = endpoint.requests
    assert request["response_format"] == {"type": "json_object", "value": SCHEMA}
    assert request["temperature"] == 0.2
    assert json.loads(completion.text) == {"title": "Cats"}


def test_the_response_format_is_tgis_tagged_grammar_with_the_schema_as_value():
    assert response_format(SCHEMA) == {"type": "json_object", "value": SCHEMA}


def test_complete_reports_an_answer_cut_at_max_tokens(model, endpoint):
    endpoint.streams(*token_parts(['{"title"', ': "Ca'], finish_reason="length"))
    completion = model.complete(PROMPT, max_tokens=2, json_schema=SCHEMA)
    assert completion.finish_reason == "length" and completion.text == '{"title": "Ca'


def test_complete_raises_the_streams_errors(model, endpoint):
    endpoint.streams(payload_parts(chunk("Hel") + OPENAI_ERROR_EVENT + DONE))
    with pytest.raises(ModelFailed):
        model.complete(PROMPT, max_tokens=16)


def test_complete_raises_a_refusal_before_the_stream(model, endpoint):
    endpoint.fails(400, "ThrottlingException", "slow down")
    with pytest.raises(RateLimited):
        model.complete(PROMPT, max_tokens=16)


def test_complete_drops_the_http_response_once_done(model, endpoint):
    endpoint.streams(*token_parts(["Hi"]))
    model.complete(PROMPT, max_tokens=16)
    assert endpoint.bodies[0].closed


def test_an_inference_component_is_named_on_every_invoke(endpoint, settings):
    """An endpoint hosting inference components refuses an invoke that names none (SageMaker Runtime
    API reference, InvokeEndpointWithResponseStream: InferenceComponentName)."""
    model = ModelClient.from_settings(endpoint.client, settings.model_copy(
        update={"inference_component_name": "memchat-tgi"}))
    endpoint.streams(*token_parts(["Hi"], prompt_tokens=3))
    list(model.stream([ChatMessage("user", "Hello")], max_tokens=8, temperature=0.0))
    assert endpoint.headers[-1]["X-Amzn-SageMaker-Inference-Component"] == "memchat-tgi"
