"""The model stream's framing, server-sent events or JSON lines, read from byte chunks split at arbitrary points."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator


def iter_payloads(chunks: Iterable[bytes]) -> Iterator[str]:
    """Yield each payload of the stream, however its bytes were cut, in whichever framing the server used.

    The three servers memchat runs behind SageMaker frame the same chat chunks three ways: TGI sends SSE
    events as `data:{json}` (no space) ending with `data:[DONE]`; vLLM's OpenAI server sends `data: {json}`
    and `data: [DONE]`; AWS's LMI image sends JSON lines with no prefix and no `[DONE]`, and may end with an
    error line that has no newline. A line starting with `{` is a JSON line; any other line is an SSE field
    (data lines accumulate until a blank line ends the event; comments and other fields are ignored).

    SageMaker splits the container's response into PayloadParts at arbitrary byte offsets, even inside a
    multi-byte UTF-8 character or between the two newlines that end an event, so decoding is incremental
    and a line is read only once its newline (or the end of the stream) has arrived.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    reader = _Lines()
    pending = ""
    for chunk in chunks:
        pending += decoder.decode(chunk)
        # A \r left at the end waits in `pending` for the \n that may open the next chunk.
        *lines, pending = pending.replace("\r\n", "\n").split("\n")
        for line in lines:
            yield from reader.feed(line)
    pending += decoder.decode(b"", final=True)
    for line in pending.replace("\r\n", "\n").split("\n"):
        yield from reader.feed(line)
    yield from reader.end()


class _Lines:
    """Turns lines into payloads: one per JSON line, one per SSE event (its data lines joined by newlines)."""

    def __init__(self) -> None:
        self._data: list[str] = []

    def feed(self, line: str) -> Iterator[str]:
        line = line.removesuffix("\r")
        if not line.strip():
            yield from self.end()
        elif line.lstrip().startswith("{"):
            yield from self.end()
            yield line.strip()
        elif line.startswith("data:"):
            # The SSE specification drops one space after the colon, and only one.
            self._data.append(line.removeprefix("data:").removeprefix(" "))

    def end(self) -> Iterator[str]:
        if self._data:
            yield "\n".join(self._data)
            self._data = []
