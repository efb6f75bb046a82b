"""Quotes marked in a document's text: first place, overlaps, shared quotes, line breaks (no database)."""

from __future__ import annotations

from xiandao.programmes.highlight import Quote, highlight


def marked(result) -> list[list[tuple[str, tuple[str, ...], tuple[str, ...]]]]:
    return [[(s.text, s.quotes, s.anchors) for s in paragraph] for paragraph in result.paragraphs]


def test_a_quote_is_marked_at_its_first_place_with_its_anchor():
    result = highlight(
        "到2027年,建设10个左右先导区。再说一次:建设10个左右先导区。", [Quote("t1", "建设10个左右先导区", "")]
    )
    assert marked(result) == [
        [
            ("到2027年,", (), ()),
            ("建设10个左右先导区", ("t1",), ("t1",)),
            ("。再说一次:建设10个左右先导区。", (), ()),
        ]
    ]


def test_quotes_that_coincide_or_overlap_each_keep_their_anchor():
    text = "打造空天信息3个1000亿元未来产业,新增平台80个左右"
    quotes = [
        Quote("a", "打造空天信息3个1000亿元未来产业", ""),
        Quote("b", "打造空天信息3个1000亿元未来产业", ""),
        Quote("c", "1000亿元未来产业,新增平台80个左右", ""),
    ]
    [paragraph] = marked(highlight(text, quotes))
    assert paragraph == [
        ("打造空天信息3个", ("a", "b"), ("a", "b")),
        ("1000亿元未来产业", ("a", "b", "c"), ("c",)),
        (",新增平台80个左右", ("c",), ()),
    ]


def test_lines_become_paragraphs_and_a_missing_quote_is_reported():
    result = highlight("第一段\n\n第二段有目标\n", [Quote("x", "目标", ""), Quote("y", "不存在", "")])
    assert marked(result) == [[("第一段", (), ())], [("第二段有", (), ()), ("目标", ("x",), ("x",))]]
    assert [q.anchor for q in result.missing] == ["y"]
    assert [q.anchor for q in result.found] == ["x"]
