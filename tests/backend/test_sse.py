"""SSE parsing over byte chunks cut anywhere, as SageMaker cuts the container's stream into PayloadParts."""

from __future__ import annotations

import json

from memchat.sse import iter_sse_data

from .tgi import cut, sse

WORDS = ["h", "é", "llo", " w", "ö", "rld", " 你", "好", " 👋"]
STREAM = sse(WORDS)


def _contents(events: list[str]) -> str:
    text = ""
    for data in events:
        if data == "[DONE]":
            continue
        for choice in json.loads(data)["choices"]:
            text += choice["delta"]["content"]
    return text


def test_whole_events_yield_their_data():
    assert list(iter_sse_data([b"data: one\n\ndata: two\n\n"])) == ["one", "two"]


def test_a_stream_cut_at_any_byte_yields_the_same_events():
    whole = list(iter_sse_data([STREAM]))
    assert _contents(whole) == "héllo wörld 你好 👋"
    for position in range(1, len(STREAM)):
        assert list(iter_sse_data(cut(STREAM, [position]))) == whole, f"cut at byte {position}"


def test_a_stream_delivered_one_byte_at_a_time_yields_the_same_events():
    events = list(iter_sse_data(cut(STREAM, range(1, len(STREAM)))))
    assert events[-1] == "[DONE]"
    assert _contents(events) == "héllo wörld 你好 👋"


def test_an_event_is_held_until_its_blank_line_arrives():
    events = iter_sse_data(iter([b"data: first\n", b"\ndata: second\n"]))
    assert next(events) == "first"


def test_a_four_byte_character_split_across_every_chunk_boundary_survives():
    data = "data: 👋\n\n".encode()
    start = data.index("👋".encode())
    assert list(iter_sse_data(cut(data, [start + 1, start + 2, start + 3]))) == ["👋"]


def test_crlf_line_endings_split_between_chunks_end_events():
    assert list(iter_sse_data([b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\n"])) == ["a", "b"]


def test_multi_line_data_is_joined_with_newlines():
    assert list(iter_sse_data([b"data: line one\ndata: line two\n\n"])) == ["line one\nline two"]


def test_comments_and_other_fields_are_ignored():
    stream = b": keep-alive\n\nevent: message\nid: 7\nretry: 1000\ndata: payload\n\n"
    assert list(iter_sse_data([stream])) == ["payload"]


def test_data_without_a_space_after_the_colon_is_read_whole():
    assert list(iter_sse_data([b"data:{\"a\":1}\n\n"])) == ['{"a":1}']


def test_only_the_prefix_is_removed_from_data():
    # TGI's client once used lstrip("data:"), which also eats leading 'd', 'a', 't' and ':' from the payload.
    assert list(iter_sse_data([b"data: data:tad\n\n"])) == ["data:tad"]


def test_a_last_event_without_its_blank_line_is_still_delivered():
    assert list(iter_sse_data([b"data: one\n\ndata: [DONE]"])) == ["one", "[DONE]"]


def test_an_empty_stream_yields_nothing():
    assert list(iter_sse_data([])) == []
