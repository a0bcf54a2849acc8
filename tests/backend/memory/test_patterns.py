"""The rules' compiled patterns (memory/patterns.py): each compiled once, kept apart from re's own cache."""

from __future__ import annotations

import re

from memchat.memory import patterns


def test_a_pattern_is_compiled_once_and_kept_whatever_fills_res_cache():
    pattern = r"\bkept-once-\d+\b"
    first = patterns.compiled(pattern, re.I)
    re.purge()  # re's own cache emptied, as a process's other libraries empty it by filling it
    for number in range(600):
        re.compile(f"filler-{number}")
    assert patterns.compiled(pattern, re.I) is first


def test_the_functions_answer_as_res_own_with_their_flags():
    text = "I live in Leeds. I LIVE in York."
    assert patterns.search(r"live in (\w+)", text).group(1) == re.search(r"live in (\w+)", text).group(1)
    assert [m.group(1) for m in patterns.finditer(r"live in (\w+)", text, re.I)] == ["Leeds", "York"]
    assert patterns.findall(r"in (\w+)", text) == ["Leeds", "York"]
    assert patterns.match(r"I live", text) and not patterns.match(r"live", text)
    assert patterns.fullmatch(r"\w+", "Leeds") and not patterns.fullmatch(r"\w+", "Leeds.")
    assert patterns.sub(r"(?i)live", "stay", text, count=1) == "I stay in Leeds. I LIVE in York."
    assert patterns.subn(r"in", "at", text) == ("I live at Leeds. I LIVE at York.", 2)
    assert patterns.split(r"\. ", text, maxsplit=1) == ["I live in Leeds", "I LIVE in York."]
    compiled = re.compile(r"York")
    assert patterns.compiled(compiled) is compiled  # an already compiled pattern is used as it is
