"""A small encoder of AWS's binary event stream framing, to feed real bytes to a real sagemaker-runtime client.

botocore ships only the decoder. One message on the wire, all integers big-endian:
    [total length: u32][headers length: u32][CRC32 of the previous 8 bytes]
    [headers: (name length: u8)(name)(value type: u8 = 7, string)(value length: u16)(value) ...]
    [payload]
    [CRC32 of every byte before it]
test_model.py decodes this output with botocore's own EventStreamBuffer.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Mapping

CONTENT_TYPE = "application/vnd.amazon.eventstream"
_STRING = 7


def encode_message(headers: Mapping[str, str], payload: bytes) -> bytes:
    encoded = b"".join(_header(name, value) for name, value in headers.items())
    prelude = struct.pack(">II", 12 + len(encoded) + len(payload) + 4, len(encoded))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + encoded + payload
    return message + struct.pack(">I", zlib.crc32(message))


def payload_part(data: bytes) -> bytes:
    """A SageMaker `PayloadPart` event carrying `data` as its raw bytes."""
    return encode_message(
        {":event-type": "PayloadPart", ":content-type": "application/octet-stream", ":message-type": "event"}, data
    )


def exception_event(kind: str, message: str, error_code: str | None = None) -> bytes:
    """A modelled stream exception (`ModelStreamError`, `InternalStreamFailure`) as SageMaker sends it mid-stream."""
    body = {"Message": message} | ({"ErrorCode": error_code} if error_code else {})
    return encode_message(
        {":exception-type": kind, ":content-type": "application/json", ":message-type": "exception"},
        json.dumps(body).encode(),
    )


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    return struct.pack(">B", len(raw_name)) + raw_name + struct.pack(">BH", _STRING, len(raw_value)) + raw_value
