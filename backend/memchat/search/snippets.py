"""A short piece of a matched text around its first match, with the matched words' places in it."""

from __future__ import annotations

from collections.abc import Sequence

from memchat.memory.language import spans
from memchat.search.words import Query, Word, phrase_word, sequence

SNIPPET_CHARS = 160
ELLIPSIS = "\u2026"
_SPACES = str.maketrans({"\n": " ", "\r": " ", "\t": " "})  # one character for one: offsets stay put


def snippet(text: str, query: Query, *, width: int = SNIPPET_CHARS,
            words: Sequence[Word] | None = None) -> tuple[str, list[tuple[int, int]]]:
    """Up to `width` characters of `text` (whole words, an ellipsis where it is cut) starting a little before
    its first match, and the [start, end) character offsets in the snippet of each matched word or phrase.
    `words`: the text's `sequence`, when the caller has it."""
    if words is None and not (query.terms or query.phrases):  # nothing to mark: only where the words are
        words = [(start, end, None) for start, end, _ in spans(text)]
    elif words is None:
        words = sequence(text)
    marks = [(start, end) for start, end, term in words if term is not None and term in query.terms]
    if query.phrases:
        lemmas = [phrase_word(text[start:end].casefold()) for start, end, _ in words]
        for phrase in query.phrases:
            size = len(phrase)
            marks += [(words[i][0], words[i + size - 1][1]) for i in range(len(words) - size + 1)
                      if tuple(lemmas[i : i + size]) == phrase]
    marks = _merged(sorted(marks))
    first = marks[0][0] if marks else 0
    start = 0
    if first > width // 4:  # a little context before the match, from a word's start
        start = next((s for s, _, _ in words if s >= first - width // 4), first)
    end = len(text)
    if end - start > width:
        end = max((e for _, e, _ in words if start < e <= start + width), default=start + width)
    piece = text[start:end].translate(_SPACES)
    before = ELLIPSIS if start > 0 else ""
    after = ELLIPSIS if end < len(text) else ""
    shift = len(before) - start
    inside = [(s + shift, e + shift) for s, e in marks if s >= start and e <= end]
    return before + piece + after, inside


def _merged(marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in marks:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
