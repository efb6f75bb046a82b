"""Mark quotes in a document's text, each at its first place, with an anchor per quote (no Django).

Quotes may overlap or coincide (three targets quote 「打造空天信息、通用智能、低碳能源3个1000亿元未来产业」),
so the text is cut at every quote boundary and at every line break; each piece knows which
quotes cover it, and the piece where a quote starts carries that quote's anchor.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass


@dataclass(frozen=True)
class Quote:
    """A target's or task's quote to mark; ``anchor`` is its id in the page (``target-ap-2027-platforms``)."""

    anchor: str
    text: str
    label: str


@dataclass(frozen=True)
class Segment:
    text: str
    quotes: tuple[str, ...] = ()  # anchors of the quotes covering this piece
    anchors: tuple[str, ...] = ()  # anchors of the quotes that start here


@dataclass(frozen=True)
class Highlighted:
    paragraphs: list[list[Segment]]
    found: list[Quote]
    missing: list[Quote]


def highlight(text: str, quotes: list[Quote]) -> Highlighted:
    """The text as paragraphs of segments, every quote marked at its first occurrence."""
    spans: list[tuple[int, int, Quote]] = []
    missing: list[Quote] = []
    for quote in quotes:
        start = text.find(quote.text) if quote.text else -1
        if start < 0:
            missing.append(quote)
        else:
            spans.append((start, start + len(quote.text), quote))
    cuts = {0, len(text)}
    for start, end, _ in spans:
        cuts.update((start, end))
    position = text.find("\n")
    while position >= 0:
        cuts.update((position, position + 1))
        position = text.find("\n", position + 1)
    paragraphs: list[list[Segment]] = [[]]
    ordered = sorted(cuts)
    for a, b in itertools.pairwise(ordered):
        piece = text[a:b]
        if piece == "\n":
            paragraphs.append([])
            continue
        covering = tuple(q.anchor for s, e, q in spans if s <= a and b <= e)
        starting = tuple(q.anchor for s, _, q in spans if s == a)
        paragraphs[-1].append(Segment(piece, covering, starting))
    paragraphs = [p for p in paragraphs if any(seg.text.strip() for seg in p)]
    found = [q for _, _, q in sorted(spans, key=lambda span: span[0])]
    return Highlighted(paragraphs, found, missing)
