"""Fields of the programme's taxonomy (领域) and their directions (重点方向).

Documents list their fields in a section headed 发展方向 / 建设方向 / 发展重点 / 重点领域, one
numbered item per field (「（一）量子科技。加快量子计算、量子通信…」), sometimes grouped under a
heading of their own (Fuzhou's 1+6+2), and some add a table (专栏, the Anhui plan). A field's
directions are the first list its text gives. Method version 1.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from .model import FieldProposal
from .normalise import compact, normalise
from .structure import MAX_TITLE, Paragraph, paragraphs

_SECTION_RE = re.compile(r"发展方向|建设方向|发展重点|重点领域|重点方向|产业方向|主攻方向|发展领域|布局方向")
_NAME_LEAD_RE = re.compile(
    r"^(?:推动|加快|重点培育|重点发展|培育发展|培育|发展|前瞻布局|积极|大力|做强|壮大)+"
)
_NAME_TAIL_RE = re.compile(r"(?:产业)?(?:跨越发展|倍增发展|创新发展|加快发展|高质量发展|集群发展|发展)$")
_BAD_NAME_RE = re.compile(r"[“”\"\d]|一批|先导区|园区|布局|体系|若干|方向|领域|重点")
_LIST_LEAD_RE = re.compile(
    r"^(?:重点|加快|积极|大力|前瞻|着力|优先|聚焦|围绕|面向|瞄准|发展|推动|推进|突破|布局|培育|研发|研制|"
    r"提升|探索|开展|加强|以|支持|深化|发力|针对性|做好|和)+"
)
_ITEM_TAIL_RE = re.compile(
    r"(?:等|技术突破|突破|研发|的|(?:产业)?新增长点).*$|[一二三四五六七八九十两\d]+(?:个|大|项|类|种).*$"
)
_FIELD_SENTENCE_RE = re.compile(
    r"(?:^|。)(?:其中)?(?P<name>[^，。、；“”]{2,10}?)领域(?=重点|探索|加快|聚焦|围绕|前瞻|大力)"
)
_LISTED_FIELDS_RE = re.compile(r"(?P<list>[^，。；：]*、[^，。；：]*)等(?:领域|产业|方向)")
_PLACES_RE = re.compile(r"^(?:重点|主要|优先)?(?:在|于)")
_TABLE_START_RE = re.compile(r"^[ \t]*(?:专栏|表[ ]*\d)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class _Item:
    """A numbered heading inside a direction section, with the text that follows it."""

    heading: Paragraph
    body_end: int


def extract_fields(text: str, norm: str | None = None) -> tuple[FieldProposal, ...]:
    """Return the taxonomy's fields in document order, each name once."""
    norm = normalise(text) if norm is None else norm
    lines = paragraphs(norm)
    found: dict[str, FieldProposal] = {}
    for proposal in [*_from_sections(text, norm, lines), *_from_tables(text, norm)]:
        found.setdefault(proposal.name, proposal)
    return tuple(sorted(found.values(), key=lambda f: f.start))


def _from_sections(text: str, norm: str, lines: tuple[Paragraph, ...]) -> Iterator[FieldProposal]:
    """Yield a field for each leaf item of a direction section."""
    items = list(_section_items(norm, lines))
    for index, item in enumerate(items):
        following = items[index + 1] if index + 1 < len(items) else None
        level = item.heading.level or 0
        if following is not None and (following.heading.level or 0) > level:
            continue  # a group heading (「（二）推动重点产业倍增发展」) holds fields, it is not one
        yield from _item_fields(text, norm, item)


def _section_items(norm: str, lines: tuple[Paragraph, ...]) -> Iterator[_Item]:
    """Yield the numbered headings under a direction heading, each with the end of its text."""
    section_level: int | None = None
    headings: list[Paragraph] = []
    for line in lines:
        if line.level is None or line.title is None:
            continue
        if section_level is not None and line.level <= section_level:
            section_level = None
        if section_level is None:
            if _SECTION_RE.search(line.title) and line.level <= 2:
                section_level = line.level
            continue
        headings.append(line)
    titled = [p.start for p in lines if p.level is not None and p.title]
    for heading in headings:
        following = bisect_right(titled, heading.start)
        end = titled[following] if following < len(titled) else len(norm)
        table = _TABLE_START_RE.search(norm, heading.start, end)
        yield _Item(heading, min(end, table.start() if table else end))


def _item_fields(text: str, norm: str, item: _Item) -> Iterator[FieldProposal]:
    """Yield the field an item names, or the fields its text lists when its title is no name."""
    heading = item.heading
    title = heading.title or ""
    body_start = heading.title_end
    body = norm[body_start : item.body_end]
    name = _field_name(title)
    if name is not None:
        directions, list_end = _directions(body)
        end = body_start + list_end if list_end else heading.title_end
        yield _proposal(text, norm, name, directions, heading.title_start, end)
        return
    # 「（二）延伸发展…重点领域」 names no field itself; its sentences do (「其中氢能领域重点突破…」).
    named = list(_FIELD_SENTENCE_RE.finditer(body))
    for match in named:
        sentence_end = body.find("。", match.end())
        directions, list_end = _directions(
            body[match.end() : sentence_end if sentence_end != -1 else len(body)]
        )
        start = body_start + match.start("name")
        end = body_start + match.end() + list_end
        yield _proposal(text, norm, compact(match.group("name")), directions, start, end)
    if named:
        return
    listed = _LISTED_FIELDS_RE.search(body)
    if listed is None:
        return
    offset = body_start + listed.start("list")
    for index, piece in enumerate(listed.group("list").split("、")):
        name = _clean_item(piece, first=index == 0)
        position = norm.find(piece.strip(), offset)
        if name and position != -1:
            yield _proposal(text, norm, name, (), position, position + len(piece.strip()))


def _field_name(title: str) -> str | None:
    """The field a heading names (「推动前沿新材料产业跨越发展」 → 前沿新材料), or None."""
    name = _NAME_TAIL_RE.sub("", _NAME_LEAD_RE.sub("", title))
    if not 2 <= len(name) <= 16 or _BAD_NAME_RE.search(name):
        return None
    if re.search(r"[，。；]", name):
        return None
    return name


def _directions(body: str) -> tuple[tuple[str, ...], int]:
    """The first 、-list of a field's text, as directions, and where that list ends in `body`."""
    position = 0
    for clause in re.split(r"(?<=[，。；：])", body):
        # 「重点在软件园、长乐功能区…布局」 lists places, not directions.
        if "、" in clause and len(clause) > 3 and not _PLACES_RE.match(compact(clause)):
            clause_text = clause.rstrip("，。；：")
            pieces = clause_text.split("、")
            # A list ends at 「…等」: what follows (「产业链重点、难点环节」) is no longer a direction.
            closing = next((i for i, piece in enumerate(pieces) if "等" in piece), len(pieces) - 1)
            pieces = pieces[: closing + 1]
            names = [_clean_item(piece, first=index == 0) for index, piece in enumerate(pieces)]
            directions = tuple(n for n in names if n)
            if len(directions) >= 2:
                return directions, position + len(clause_text)
        position += len(clause)
    return (), 0


def _clean_item(piece: str, *, first: bool) -> str:
    """One direction out of a list item: lead-in verbs off the first, 等… off any."""
    words = compact(piece)
    if first:
        words = _LIST_LEAD_RE.sub("", words)
        words = re.sub(r"^.*(?:聚焦|围绕|面向|瞄准|以)", "", words)
    words = _ITEM_TAIL_RE.sub("", words)
    return words if 1 <= len(words) <= MAX_TITLE else ""


def _proposal(
    text: str, norm: str, name: str, directions: tuple[str, ...], start: int, end: int
) -> FieldProposal:
    """Build a field proposal whose quote is sliced from the original text."""
    while start < end and norm[start].isspace():
        start += 1
    while end > start and (norm[end - 1].isspace() or norm[end - 1] in "，。；、"):
        end -= 1
    return FieldProposal(name=name, directions=directions, quote=text[start:end], start=start, end=end)


def _from_tables(text: str, norm: str) -> Iterator[FieldProposal]:
    """Yield a field per row of a 专栏 table whose header reads 领域 … 方向."""
    for table in _TABLE_START_RE.finditer(norm):
        yield from _table_rows(text, norm, norm.find("\n", table.start()) + 1)


def _table_rows(text: str, norm: str, start: int) -> Iterator[FieldProposal]:
    """Rows are blocks of indented lines separated by blank lines; a name cell is short."""
    blocks = _blocks(text, start)
    if not blocks:
        return
    header = compact(norm[blocks[0][0] : blocks[0][1]])
    if "领域" not in header or "方向" not in header:
        return
    for block_start, block_end in blocks[1:]:
        cells = _cells(text, block_start, block_end)
        if len(cells) < 2:
            continue
        (name_start, name_end), (cell_start, cell_end) = cells[0], cells[1]
        name = compact(norm[name_start:name_end])
        if not 2 <= len(name) <= 16:
            continue
        directions, _ = _directions(norm[cell_start:cell_end])
        yield _proposal(text, norm, name, directions, name_start, cell_end)


def _blocks(text: str, start: int) -> list[tuple[int, int]]:
    """Consecutive indented blocks from `start`, split at blank lines, until a non-indented line."""
    blocks: list[tuple[int, int]] = []
    position = start
    block_start: int | None = None
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        line = text[position:end]
        if not line.strip():
            if block_start is not None:
                blocks.append((block_start, position - 1))
                block_start = None
        elif block_start is None:
            if not line[:1].isspace():
                break
            block_start = position
        position = end + 1
    if block_start is not None:
        blocks.append((block_start, min(position, len(text))))
    return blocks


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cells of a row: a tab opens a cell; lines without one continue the cell before."""
    cells: list[tuple[int, int]] = []
    for match in re.finditer(r"\t+([^\t]*)", text[start:end]):
        content_start = start + match.start(1)
        content_end = start + match.end(1)
        while content_end > content_start and text[content_end - 1].isspace():
            content_end -= 1
        if content_end > content_start:
            cells.append((content_start, content_end))
    return cells
