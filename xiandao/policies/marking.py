"""Cut a stored text into paragraphs of pieces, each knowing which proposals cover it (no Django).

Unlike ``programmes.highlight``, which finds each quote by searching for its first occurrence, this
works from the extractor's offsets: a field name such as 通用智能 occurs many times in a document and
only the offsets say which occurrence was proposed. Proposals may overlap or coincide (three targets
quote one clause), so the text is cut at every start, every end and every line break.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    key: Hashable  # the proposal's id
    start: int
    end: int


@dataclass(frozen=True)
class Piece:
    text: str
    covering: tuple[Hashable, ...] = ()  # proposals whose quote covers this piece
    starting: tuple[Hashable, ...] = ()  # proposals whose quote starts here


def pieces(text: str, spans: Sequence[Span]) -> list[list[Piece]]:
    """The text as paragraphs (split at line breaks) of pieces; blank paragraphs are dropped."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = {0, len(text)}
    for span in valid:
        cuts.update((span.start, span.end))
    position = text.find("\n")
    while position >= 0:
        cuts.update((position, position + 1))
        position = text.find("\n", position + 1)
    starts: dict[int, list[Span]] = {}
    for span in valid:
        starts.setdefault(span.start, []).append(span)
    active: list[Span] = []  # spans covering the current piece, in the order they started
    paragraphs: list[list[Piece]] = [[]]
    for a, b in itertools.pairwise(sorted(cuts)):
        active = [s for s in active if s.end > a] + starts.get(a, [])
        piece = text[a:b]
        if piece == "\n":
            paragraphs.append([])
            continue
        starting = tuple(s.key for s in starts.get(a, []))
        paragraphs[-1].append(Piece(piece, tuple(s.key for s in active), starting))
    return [p for p in paragraphs if any(piece.text.strip() or piece.starting for piece in p)]
