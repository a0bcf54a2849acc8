"""Encoder for AWS's binary event stream framing (application/vnd.amazon.eventstream) as SageMaker streams it."""

# botocore ships only the decoder (botocore.eventstream), and no maintained library on PyPI encodes this
# framing, so this small encoder is hand-written; the tests decode its output with botocore itself.
#
# One message on the wire:
#   [total length: u32][headers length: u32][prelude CRC32 over the previous 8 bytes]
#   [headers: (name length: u8)(name)(value type: u8)(value)...]
#   [payload]
#   [message CRC32 over every byte before it, prelude CRC included]
# All integers are big-endian. Only string header values (type 7: u16 length + UTF-8) are needed here.

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Mapping

CONTENT_TYPE = "application/vnd.amazon.eventstream"

_STRING = 7
_PRELUDE = struct.Struct(">II")
_CRC = struct.Struct(">I")
_PRELUDE_LENGTH = _PRELUDE.size + _CRC.size


def encode_message(headers: Mapping[str, str], payload: bytes) -> bytes:
    """Frame one event stream message with string headers and a raw payload."""
    encoded_headers = b"".join(_encode_header(name, value) for name, value in headers.items())
    total_length = _PRELUDE_LENGTH + len(encoded_headers) + len(payload) + _CRC.size
    prelude = _PRELUDE.pack(total_length, len(encoded_headers))
    message = prelude + _CRC.pack(zlib.crc32(prelude)) + encoded_headers + payload
    return message + _CRC.pack(zlib.crc32(message))


def payload_part(data: bytes) -> bytes:
    """A SageMaker `PayloadPart` event carrying `data` as its raw bytes."""
    return encode_message(
        {
            ":event-type": "PayloadPart",
            ":content-type": "application/octet-stream",
            ":message-type": "event",
        },
        data,
    )


def exception_event(kind: str, message: str, error_code: str | None = None) -> bytes:
    """A modelled stream exception such as `ModelStreamError` (Message, ErrorCode) or `InternalStreamFailure`.

    botocore raises it from the stream as `EventStreamError` whose `Error.Code` is `kind`.
    """
    body: dict[str, str] = {"Message": message}
    if error_code is not None:
        body["ErrorCode"] = error_code
    return encode_message(
        {
            ":exception-type": kind,
            ":content-type": "application/json",
            ":message-type": "exception",
        },
        json.dumps(body).encode(),
    )


def _encode_header(name: str, value: str) -> bytes:
    raw_name = name.encode()
    raw_value = value.encode()
    return struct.pack(">B", len(raw_name)) + raw_name + struct.pack(">BH", _STRING, len(raw_value)) + raw_value
