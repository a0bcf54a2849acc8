"""Keys and codecs: every key is built from the caller's user id, and items round-trip unchanged."""

from __future__ import annotations

from decimal import Decimal

import pytest

from memchat.errors import BadRequest
from memchat.memory.codec import (
    conversation_pk,
    decode_cursor,
    dump,
    encode_cursor,
    load,
    memory_sk,
    message_ms,
    message_sk,
    new_message_id,
    user_pk,
)

from ..recorded import ALICE, BOB


def test_every_key_of_a_user_starts_with_their_id():
    assert conversation_pk(ALICE, "c0ffee00").startswith(user_pk(ALICE) + "#")
    assert conversation_pk(ALICE, "c0ffee00") != conversation_pk(BOB, "c0ffee00")


def test_message_and_memory_keys_have_their_own_prefixes():
    assert (message_sk("abc"), memory_sk("abc")) == ("M#abc", "MEM#abc")


def test_dump_leaves_out_none_and_load_reads_back_the_rest():
    item = {"pk": "U#x", "n": 3, "flag": True, "tags": ["a", "b"], "gone": None}

    assert "gone" not in dump(item)
    assert load(dump(item)) == {"pk": "U#x", "n": Decimal(3), "flag": True, "tags": ["a", "b"]}


def test_message_ids_sort_by_time_whatever_their_nonce():
    ids = [new_message_id(ms) for ms in (1, 2, 10, 16, 2**40)]
    assert ids == sorted(ids)


def test_a_message_id_says_when_it_was_stored_and_an_id_of_another_form_says_nothing():
    assert [message_ms(new_message_id(ms, 1)) for ms in (0, 1_732_000_000_000)] == [0, 1_732_000_000_000]
    assert [message_ms(other) for other in ("m1", "", "not-hex-at-all-here")] == [None, None, None]


def test_a_cursor_decodes_back_to_its_key_for_its_own_user():
    key = {"pk": "U#a#C#b", "sk": "META", "userId": ALICE, "updatedKey": "0001#b"}
    assert decode_cursor(encode_cursor(key), ALICE) == key


def test_another_users_cursor_is_a_bad_request():
    key = {"pk": "U#a#C#b", "sk": "META", "userId": ALICE, "updatedKey": "0001#b"}
    with pytest.raises(BadRequest):
        decode_cursor(encode_cursor(key), BOB)
