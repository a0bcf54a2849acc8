"""Search across a user's conversations: the index (written from the table's stream), ranked search with
snippets, and the earlier exchanges a message refers to (recalled into its prompt). docs/search.md.

    words.py       the terms of a text (lemmas, as memory reads them), queries and phrases
    index.py       posting items in the chat table; the live items a hit is checked against
    recent.py      the terms of a user's newest messages, beside their memories, for recall on one request
    ranking.py     BM25 over the postings read, recency breaking ties
    snippets.py    a short piece around the match, with the matched words' places
    references.py  whether a message refers to earlier conversations (rules, on the answer path)
    finder.py      a page of results; the exchanges a message refers to
    citations.py   the exchanges answers recalled, read back from the live items when history shows them
"""

from memchat.search.finder import Exchange, Finder
from memchat.search.index import Document, Index

__all__ = ["Document", "Exchange", "Finder", "Index"]
