"""Properties: offsets always slice the quote out of the text; punctuation width changes nothing else."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from xiandao.policies.extraction import extract
from xiandao.policies.extraction.normalise import normalise, to_full_width, to_half_width

CLAUSES = [
    "到2027年，",
    "到2030年，",
    "力争",
    "累计",
    "全省",
    "新增省级创新平台80个左右",
    "培育20家左右上市企业",
    "打造100个以上标志性产品",
    "未来产业规模突破2000亿元",
    "3.5万家科技型中小企业",
    "（责任单位：省科技厅，配合单位：省财政厅、省教育厅）",
    "〔市科技局、市发改委等按职责分工负责〕",
    "建立由省经信厅牵头，各相关单位参加的工作机制",
    "“613”产业体系",
    "〔2023〕50号",
    "二、发展目标\n",
    "（一）量子科技。",
    "三、发展方向\n",
    "加快量子计算、量子通信发展",
    "，",
    "、",
    "。",
    "\n",
    "\n\n",
    " ",
    "**",
]
documents = st.lists(st.sampled_from(CLAUSES), max_size=40).map("".join)
noise = st.text(alphabet="，。、：；（）(),:;0123456789年个家%亿元到力争以上左右\n 一二三十百", max_size=200)


def _assert_quotes(text: str) -> None:
    extraction = extract(text)
    for proposal in extraction.proposals():
        assert 0 <= proposal.start <= proposal.end <= len(text)
        assert text[proposal.start : proposal.end] == proposal.quote


@settings(max_examples=150, deadline=None)
@given(documents)
def test_offsets_slice_quotes_from_built_documents(text: str) -> None:
    _assert_quotes(text)


@settings(max_examples=150, deadline=None)
@given(noise)
def test_offsets_slice_quotes_from_noise(text: str) -> None:
    _assert_quotes(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_normalise_keeps_length(text: str) -> None:
    assert len(normalise(text)) == len(text)


def _without_quotes(text: str) -> dict[str, list[dict[str, object]]]:
    data = extract(text).to_dict()
    return {
        kind: [{k: v for k, v in item.items() if k != "quote"} for item in items]
        for kind, items in data.items()
    }


@settings(max_examples=150, deadline=None)
@given(documents)
def test_half_and_full_width_give_the_same_proposals(text: str) -> None:
    full = to_full_width(text)
    assert _without_quotes(to_half_width(full)) == _without_quotes(full)
