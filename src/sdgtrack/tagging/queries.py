"""Boolean search queries in the Scopus syntax of the Aurora SDG queries, run on plain text.

The subset the Aurora v5 files use: quoted phrases with ``*`` wildcards, ``OR``, ``AND``,
``AND NOT``, proximity ``W/n`` and parentheses. Precedence follows Scopus: ``OR`` binds
tightest, then ``W/n``, then ``AND``, then ``AND NOT``.

Text and phrases are compared as lower-case runs of letters and digits, so punctuation and
hyphens separate words on both sides ("climate-driven" matches "climate driven", "women's"
matches "women’s"). A query result is the list of word spans that satisfied it, which is what
the tagger shows as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

import numpy as np

from ..errors import UserInputError

WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(
    r'\s*(?:"(?P<phrase>[^"]*)"|(?P<open>\()|(?P<close>\))|W/(?P<near>\d+)\b'
    r"|(?P<op>AND|OR|NOT)\b|(?P<bare>[^\s()\"]+))"
)


@dataclass(frozen=True)
class Phrase:
    text: str
    pattern: re.Pattern
    anchor: str  # the longest literal piece: a cheap substring test before the regex runs


@dataclass(frozen=True)
class Op:
    kind: str  # "or" | "and" | "not" | "near"
    left: "Node"
    right: "Node"
    distance: int = 0


Node = Union[Phrase, Op]


def normalize(text: str) -> tuple[str, np.ndarray, np.ndarray, np.ndarray]:
    """Lower-case words joined by single spaces, their start in that string and their span in ``text``."""
    matches = list(WORD.finditer(text))
    words = [m.group(0).lower() for m in matches]
    starts = np.zeros(len(words), dtype=np.int64)
    if words:
        lengths = np.fromiter((len(w) + 1 for w in words), dtype=np.int64, count=len(words))
        starts[1:] = np.cumsum(lengths)[:-1]
    spans = np.array([m.span() for m in matches], dtype=np.int64).reshape(-1, 2)
    return " ".join(words), starts, spans[:, 0], spans[:, 1]


def make_phrase(raw: str) -> Phrase:
    words = [w for w in re.split(r"[^\w*]+|_", raw.lower()) if w.strip("*")]
    if not words:
        raise UserInputError(f"empty phrase {raw!r} in a search query")
    pieces = [re.escape(w).replace(r"\*", r"[^\W_]*") for w in words]
    pattern = re.compile(r"(?<![^\W_])" + " ".join(pieces) + r"(?![^\W_])")
    anchor = max((p for w in words for p in w.split("*")), key=len)
    return Phrase(raw, pattern, anchor)


def parse(query: str) -> Node:
    tokens = _tokenize(query)
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else (None, None)

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def primary() -> Node:
        kind, value = take() if pos < len(tokens) else (None, "end of query")
        if kind == "open":
            node = level0()
            if peek()[0] != "close":
                raise UserInputError(f"unbalanced parentheses in query {query!r}")
            take()
            return node
        if kind in ("phrase", "bare"):
            return make_phrase(value)
        raise UserInputError(f"unexpected {value!r} in query {query!r}")

    def level3() -> Node:  # OR
        node = primary()
        while peek() == ("op", "OR"):
            take()
            node = Op("or", node, primary())
        return node

    def level2() -> Node:  # W/n
        node = level3()
        while peek()[0] == "near":
            distance = int(take()[1])
            node = Op("near", node, level3(), distance)
        return node

    def level1() -> Node:  # AND (but not AND NOT)
        node = level2()
        while peek() == ("op", "AND") and (pos + 1 >= len(tokens) or tokens[pos + 1] != ("op", "NOT")):
            take()
            node = Op("and", node, level2())
        return node

    def level0() -> Node:  # AND NOT
        node = level1()
        while peek() == ("op", "AND"):
            take()
            take()  # NOT
            node = Op("not", node, level1())
        return node

    tree = level0()
    if pos != len(tokens):
        raise UserInputError(f"unexpected {tokens[pos][1]!r} in query {query!r}")
    return tree


def _tokenize(query: str) -> list[tuple[str, str]]:
    out, i = [], 0
    query = query.strip()
    while i < len(query):
        m = _TOKEN.match(query, i)
        if not m or m.end() == i:
            raise UserInputError(f"cannot read query {query!r} at character {i}")
        i = m.end()
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
    return out


def phrases(node: Node) -> list[Phrase]:
    if isinstance(node, Phrase):
        return [node]
    return phrases(node.left) + phrases(node.right)


def needed_anchors(node: Node) -> frozenset[str]:
    """Anchors of which at least one must occur in a text for ``node`` to match: a phrase matches
    only where its anchor occurs, OR needs either side, AND and W/n both (the shorter list of
    the two is kept, the tighter test), AND NOT its left side."""
    if isinstance(node, Phrase):
        return frozenset([node.anchor])
    if node.kind == "or":
        return needed_anchors(node.left) | needed_anchors(node.right)
    if node.kind == "not":
        return needed_anchors(node.left)
    return min(needed_anchors(node.left), needed_anchors(node.right), key=len)


class Matcher:
    """Runs one normalised text through any number of parsed queries, caching phrase hits."""

    def __init__(self, text: str):
        self.norm, self.word_starts, self.char_start, self.char_end = normalize(text)
        self._hits: dict[str, list[tuple[int, int]]] = {}

    def phrase_spans(self, phrase: Phrase) -> list[tuple[int, int]]:
        hits = self._hits.get(phrase.text)
        if hits is None:
            hits = []
            if phrase.anchor in self.norm:
                for m in phrase.pattern.finditer(self.norm):
                    first = int(np.searchsorted(self.word_starts, m.start()))
                    last = int(np.searchsorted(self.word_starts, m.end(), side="left"))
                    hits.append((first, last))  # word indices, end exclusive
            self._hits[phrase.text] = hits
        return hits

    def run(self, node: Node) -> list[tuple[int, int]]:
        """Word spans (start, end exclusive) that satisfy ``node``; empty when it does not match."""
        if isinstance(node, Phrase):
            return self.phrase_spans(node)
        left = self.run(node.left)
        if node.kind == "or":
            return left + self.run(node.right)
        if not left:
            return []
        right = self.run(node.right)
        if node.kind == "and":
            return left + right if right else []
        if node.kind == "not":
            return [] if right else left
        # W/n: at most n words between the two spans, in either order.
        out = []
        for a in left:
            for b in right:
                gap = max(b[0] - a[1], a[0] - b[1])
                if gap <= node.distance:
                    out.append((min(a[0], b[0]), max(a[1], b[1])))
        return out

    def excerpt(self, text: str, span: tuple[int, int]) -> str:
        start, end = span
        return " ".join(text[int(self.char_start[start]) : int(self.char_end[end - 1])].split())
