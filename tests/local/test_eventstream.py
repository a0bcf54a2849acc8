"""The event stream encoder, checked by botocore's own decoder and response parser."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.eventstream import EventStream, EventStreamBuffer
from botocore.exceptions import EventStreamError
from botocore.parsers import EventStreamJSONParser

from memchat_local.eventstream import encode_message, exception_event, payload_part


class _RawStream:
    """Stands in for the HTTP body botocore reads an event stream from."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    def stream(self) -> list[bytes]:
        return self._chunks

    def close(self) -> None:
        pass


def _sagemaker_event_stream(data: bytes, chunk_size: int) -> EventStream:
    """botocore's event stream for InvokeEndpointWithResponseStream, fed `data` in chunks of `chunk_size`."""
    model = botocore.session.get_session().get_service_model("sagemaker-runtime")
    output = model.operation_model("InvokeEndpointWithResponseStream").output_shape
    chunks = [data[start : start + chunk_size] for start in range(0, len(data), chunk_size)]
    return EventStream(
        _RawStream(chunks), output.members["Body"], EventStreamJSONParser(), "InvokeEndpointWithResponseStream"
    )


def test_payload_part_decodes_with_botocore_to_its_headers_and_raw_bytes() -> None:
    buffer = EventStreamBuffer()
    buffer.add_data(payload_part("data: héllo 🙂\n\n".encode()))

    (message,) = list(buffer)

    assert message.headers == {
        ":event-type": "PayloadPart",
        ":content-type": "application/octet-stream",
        ":message-type": "event",
    }
    assert message.payload == "data: héllo 🙂\n\n".encode()


def test_message_of_empty_payload_and_no_headers_decodes() -> None:
    buffer = EventStreamBuffer()
    buffer.add_data(encode_message({}, b""))

    (message,) = list(buffer)

    assert message.headers == {}
    assert message.payload == b""


@pytest.mark.parametrize("chunk_size", [1, 7, 4096])
def test_botocore_parses_payload_parts_however_the_bytes_arrive(chunk_size: int) -> None:
    payloads = [b"data: one\n\n", "data: tw\u00f6\n\n".encode(), b"", b"x" * 3000]
    stream = _sagemaker_event_stream(b"".join(payload_part(p) for p in payloads), chunk_size)

    events = list(stream)

    assert events == [{"PayloadPart": {"Bytes": payload}} for payload in payloads]


def test_model_stream_error_is_raised_by_botocore_with_its_code_and_message() -> None:
    data = payload_part(b"data: partial\n\n") + exception_event("ModelStreamError", "The model broke", "StreamBroken")
    stream = iter(_sagemaker_event_stream(data, 5))

    assert next(stream) == {"PayloadPart": {"Bytes": b"data: partial\n\n"}}
    with pytest.raises(EventStreamError) as raised:
        next(stream)

    assert raised.value.response["Error"] == {"Code": "ModelStreamError", "Message": "The model broke"}


def test_internal_stream_failure_is_raised_by_botocore_without_an_error_code() -> None:
    stream = _sagemaker_event_stream(exception_event("InternalStreamFailure", "Something failed"), 64)

    with pytest.raises(EventStreamError) as raised:
        list(stream)

    assert raised.value.response["Error"]["Code"] == "InternalStreamFailure"
    assert raised.value.response["Error"]["Message"] == "Something failed"


def test_exception_payload_carries_the_modelled_fields() -> None:
    buffer = EventStreamBuffer()
    buffer.add_data(exception_event("ModelStreamError", "broken", "StreamBroken"))

    (message,) = list(buffer)

    assert message.headers[":message-type"] == "exception"
    assert message.headers[":exception-type"] == "ModelStreamError"
    assert message.payload == b'{"Message": "broken", "ErrorCode": "StreamBroken"}'
