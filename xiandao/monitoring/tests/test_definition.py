"""The monitoring section of a programme definition: read, checked across the file, stored and read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiandao.monitoring.permissions import programme_settings
from xiandao.programmes.definition import DefinitionError
from xiandao.programmes.definition.reader import dump_definition, parse_definition, read_definition

PROGRAMMES = Path(__file__).resolve().parents[3] / "programmes"


def _anhui_text() -> str:
    return (PROGRAMMES / "anhui.yaml").read_text(encoding="utf-8")


def test_the_shipped_chains():
    chains = {}
    for code in ("anhui", "zhejiang", "yangzhou", "fuzhou"):
        monitoring = read_definition(PROGRAMMES / f"{code}.yaml").monitoring
        assert monitoring is not None
        chains[code] = monitoring.approval_chain.levels
    assert chains == {
        "anhui": ["zone", "city", "province"],
        "zhejiang": ["zone", "city", "province"],
        "yangzhou": ["park", "county", "city"],
        "fuzhou": ["park", "county", "city"],
    }


def test_a_rule_naming_an_unknown_indicator_or_a_bad_side_is_refused_with_its_line():
    text = _anhui_text().replace("right: ec-high-tech + ec-leading", "right: ec-high-tech + no-such-code", 1)
    with pytest.raises(DefinitionError, match="no-such-code"):
        parse_definition(text)
    text = _anhui_text().replace("right: ec-high-tech + ec-leading", "right: ec-high-tech +", 1)
    with pytest.raises(DefinitionError, match="rules"):
        parse_definition(text)


def test_a_chain_must_end_at_the_programmes_level():
    text = _anhui_text().replace("levels: [zone, city, province]", "levels: [zone, city]", 1)
    with pytest.raises(DefinitionError, match="审核链的最后一级"):
        parse_definition(text)


def test_the_section_survives_a_dump_and_a_read():
    defn = parse_definition(_anhui_text())
    again = parse_definition(dump_definition(defn))
    assert again.monitoring == defn.monitoring


@pytest.mark.django_db
def test_the_loaded_programme_carries_its_settings(shipped_programmes):
    anhui = programme_settings(shipped_programmes["anhui"])
    assert anhui.levels == ("zone", "city", "province") and anhui.factor == 3
    assert {r.code for r in anhui.rules} >= {
        "lead-share-at-most-100",
        "listed-within-high-tech",
        "listed-not-falling",
    }
    yangzhou = programme_settings(shipped_programmes["yangzhou"])
    assert yangzhou.level_name(yangzhou.levels[-1]) == "市级主管部门"
