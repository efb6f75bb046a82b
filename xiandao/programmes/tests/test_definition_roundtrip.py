"""Load → export → load gives the same definition, and export is stable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiandao.programmes.definition import dump_definition, parse_definition
from xiandao.programmes.tests.support import PROGRAMME_CODES, programme


@pytest.mark.parametrize("code", PROGRAMME_CODES)
def test_dump_then_read_is_identical(code: str) -> None:
    defn = programme(code)
    text = dump_definition(defn)
    again = parse_definition(text, filename=f"{code}.yaml")
    assert again == defn
    assert dump_definition(again) == text


@pytest.mark.parametrize("code", PROGRAMME_CODES)
def test_dump_keeps_chinese_and_key_order(code: str) -> None:
    text = dump_definition(programme(code), header="导出")
    assert text.startswith("# 导出\nschema_version: 1\ncode: ")
    assert "\\u" not in text
    assert programme(code).name in text
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys[:6] == ["schema_version", "code", "name", "level", "jurisdiction", "admin_organisation"]


# Text a person may write in a quote or note: CJK, full- and half-width punctuation, YAML's
# special characters, leading/trailing spaces and line breaks.
awkward_text = st.text(
    alphabet=st.sampled_from(list("未来产业先导区：:，,#-&*!|>'\"%@`{}[]（）() \n\t“”〔〕0123456789aZ")),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() != "")


@given(quote=awkward_text, note=awkward_text)
def test_any_text_survives_the_round_trip(quote: str, note: str) -> None:
    defn = programme("zhejiang")
    target = defn.targets[0].model_copy(update={"quote": quote, "note": note})
    changed = defn.model_copy(update={"targets": [target]})
    assert parse_definition(dump_definition(changed)) == changed
