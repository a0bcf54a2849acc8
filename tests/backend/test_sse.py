"""The stream reader over byte chunks cut anywhere, in each server's framing (TGI's and vLLM's SSE, LMI's lines)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from memchat.sse import iter_payloads

from .tgi import LMI, TGI, VLLM, WIRES, Wire, cut

WORDS = ["h", "é", "llo", " w", "ö", "rld", " 你", "好", " 👋"]
by_name = pytest.mark.parametrize("wire", WIRES, ids=lambda wire: wire.name)


def _contents(payloads: list[str]) -> str:
    text = ""
    for data in payloads:
        if data == "[DONE]":
            continue
        for choice in json.loads(data)["choices"]:
            text += choice["delta"]["content"]
    return text


@by_name
def test_each_servers_whole_stream_yields_its_chunks_in_order(wire: Wire):
    payloads = list(iter_payloads([wire.sse(WORDS)]))
    assert _contents(payloads) == "héllo wörld 你好 👋"
    assert json.loads(payloads[len(WORDS)])["usage"]["completion_tokens"] == len(WORDS)
    # SSE servers end with [DONE]; LMI's empty last line is no payload at all.
    assert payloads[len(WORDS) + 1:] == ([] if wire is LMI else ["[DONE]"])


@by_name
@given(data=st.data())
def test_a_stream_cut_at_any_bytes_yields_the_same_payloads(wire: Wire, data: st.DataObject):
    stream = wire.sse(WORDS) + wire.error("Request failed during generation: boom")
    cuts = data.draw(st.lists(st.integers(min_value=1, max_value=len(stream) - 1), max_size=40))
    assert list(iter_payloads(cut(stream, cuts))) == list(iter_payloads([stream]))


@by_name
def test_a_stream_delivered_one_byte_at_a_time_yields_the_same_payloads(wire: Wire):
    stream = wire.sse(WORDS)
    assert list(iter_payloads(cut(stream, range(1, len(stream))))) == list(iter_payloads([stream]))


def test_tgis_data_without_a_space_is_read_whole():
    assert list(iter_payloads([b'data:{"a":1}\n\ndata:[DONE]\n\n'])) == ['{"a":1}', "[DONE]"]


def test_vllms_data_with_one_space_loses_only_that_space():
    assert list(iter_payloads([b'data: {"a":1}\n\ndata:  x\n\n'])) == ['{"a":1}', " x"]


def test_lmis_error_line_without_a_newline_ends_the_stream_as_a_payload():
    stream = LMI.chunk("Hel") + b'{"code": 424, "error": "boom"}'
    assert list(iter_payloads([stream]))[-1] == '{"code": 424, "error": "boom"}'


def test_json_lines_follow_each_other_without_blank_lines():
    assert list(iter_payloads([b'{"a":1}\n{"b":2}\n\n'])) == ['{"a":1}', '{"b":2}']


def test_an_event_is_held_until_its_blank_line_arrives():
    payloads = iter_payloads(iter([b"data: first\n", b"\ndata: second\n"]))
    assert next(payloads) == "first"


def test_a_json_line_is_held_until_its_newline_arrives():
    payloads = iter_payloads(iter([b'{"a":', b'1}\n{"b"', b":2}"]))
    assert next(payloads) == '{"a":1}'


def test_a_four_byte_character_split_across_every_chunk_boundary_survives():
    data = "data: 👋\n\n".encode()
    start = data.index("👋".encode())
    assert list(iter_payloads(cut(data, [start + 1, start + 2, start + 3]))) == ["👋"]


def test_crlf_line_endings_split_between_chunks_end_events():
    assert list(iter_payloads([b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\n"])) == ["a", "b"]


def test_multi_line_data_is_joined_with_newlines():
    assert list(iter_payloads([b"data: line one\ndata: line two\n\n"])) == ["line one\nline two"]


def test_comments_and_other_fields_are_ignored():
    stream = b": keep-alive\n\nevent: message\nid: 7\nretry: 1000\ndata: payload\n\n"
    assert list(iter_payloads([stream])) == ["payload"]


def test_only_the_prefix_is_removed_from_data():
    # TGI's client once used lstrip("data:"), which also eats leading 'd', 'a', 't' and ':' from the payload.
    assert list(iter_payloads([b"data: data:tad\n\n"])) == ["data:tad"]


@pytest.mark.parametrize("wire", [TGI, VLLM], ids=lambda wire: wire.name)
def test_a_last_event_without_its_blank_line_is_still_delivered(wire: Wire):
    assert list(iter_payloads([wire.prefix + b"one\n\n" + wire.done.rstrip(b"\n")])) == ["one", "[DONE]"]


def test_an_empty_stream_yields_nothing():
    assert list(iter_payloads([])) == []
