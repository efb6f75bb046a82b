"""Cutting a text at the proposals' offsets (no database)."""

from __future__ import annotations

from xiandao.policies.marking import Piece, Span, pieces


def test_overlapping_and_coinciding_quotes_are_cut_at_every_boundary():
    text = "到2030年，打造空天信息、通用智能3个1000亿元产业。"
    start, end = text.index("打造"), len(text) - 1
    a = Span("a", start, end)
    b = Span("b", start, end)
    c = Span("c", text.index("通用"), text.index("3个"))
    result = pieces(text, [a, b, c])
    assert len(result) == 1
    assert result[0] == [
        Piece("到2030年，", (), ()),
        Piece("打造空天信息、", ("a", "b"), ("a", "b")),
        Piece("通用智能", ("a", "b", "c"), ("c",)),
        Piece("3个1000亿元产业", ("a", "b"), ()),
        Piece("。", (), ()),
    ]
    assert "".join(p.text for p in result[0]) == text


def test_the_same_words_twice_are_marked_only_where_the_offsets_say():
    text = "通用智能。发展通用智能。"
    result = pieces(text, [Span("f", 7, 11)])
    assert [p.covering for p in result[0]] == [(), ("f",), ()]
    assert result[0][1].text == "通用智能"


def test_line_breaks_make_paragraphs_and_a_quote_may_cross_one():
    text = "第三代半导体\n\t围绕碳化硅\n\n其他"
    result = pieces(text, [Span("f", 0, text.index("\n\n"))])
    assert [[p.text for p in para] for para in result] == [["第三代半导体"], ["\t围绕碳化硅"], ["其他"]]
    assert result[1][0].covering == ("f",) and result[1][0].starting == ()


def test_spans_outside_the_text_are_ignored():
    assert pieces("短文", [Span("x", 1, 99), Span("y", 2, 1)]) == [[Piece("短文")]]
