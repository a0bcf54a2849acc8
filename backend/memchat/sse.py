"""Server-sent events from byte chunks split at arbitrary points (SageMaker PayloadParts)."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator


def iter_sse_data(chunks: Iterable[bytes]) -> Iterator[str]:
    """Yield the `data:` payload of each event, however the byte stream was cut.

    SageMaker splits the container's response into PayloadParts at arbitrary byte offsets, even inside a
    multi-byte UTF-8 character or between the two newlines that end an event, so decoding is
    incremental and events are cut only on a blank line. Multi-line data fields are joined with a
    newline, as the SSE specification says; comments and other fields are ignored.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    pending = ""
    for chunk in chunks:
        pending += decoder.decode(chunk)
        pending = pending.replace("\r\n", "\n")
        *events, pending = pending.split("\n\n")
        for event in events:
            data = _data_of(event)
            if data is not None:
                yield data
    pending += decoder.decode(b"", final=True)
    data = _data_of(pending.replace("\r\n", "\n"))
    if data is not None:
        yield data


def _data_of(event: str) -> str | None:
    lines = [
        line.removeprefix("data:").removeprefix(" ")
        for line in event.split("\n")
        if line.startswith("data:")
    ]
    return "\n".join(lines) if lines else None
