"""The reference organisations cover every unit the gold tasks name, within the right jurisdiction."""

from __future__ import annotations

from collections import Counter
from typing import Any

import yaml

from xiandao.programmes.tests.support import ORGANISATIONS, PROGRAMME_CODES, gold, programme

KINDS = {
    "government_department",
    "government",
    "park_committee",
    "evaluation_agency",
    "enterprise",
    "institution",
    "other",
}


def reference() -> dict[str, Any]:
    data = yaml.safe_load(ORGANISATIONS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def within(jurisdiction: str, ancestor: str) -> bool:
    """``340100`` is within ``340000``: compare the code without the ancestor's trailing zero pairs."""
    prefix = ancestor
    while prefix.endswith("00"):
        prefix = prefix[:-2]
    return jurisdiction.startswith(prefix)


def test_entries_are_well_formed() -> None:
    organisations = reference()["organisations"]
    assert [c for c, n in Counter(o["code"] for o in organisations).items() if n > 1] == []
    for organisation in organisations:
        assert set(organisation) <= {"code", "name", "aliases", "kind", "jurisdiction", "note"}
        assert organisation["kind"] in KINDS
        assert isinstance(organisation["jurisdiction"], str) and len(organisation["jurisdiction"]) == 6
    # An alias means one body within one jurisdiction.
    pairs = Counter((o["jurisdiction"], alias) for o in organisations for alias in o["aliases"])
    assert [pair for pair, n in pairs.items() if n > 1] == []


def test_aliases_cover_every_gold_unit() -> None:
    data = reference()
    collective = data["collective_units"]
    uncovered = []
    for code in PROGRAMME_CODES:
        defn = programme(code)
        names = {
            name
            for o in data["organisations"]
            if within(o["jurisdiction"], defn.jurisdiction)
            for name in [o["name"], *o["aliases"]]
        }
        for document in defn.documents:
            for task in gold(document.code, "tasks"):
                for unit in [*task["lead"], *task["cooperating"]]:
                    if unit not in names and unit not in collective:
                        uncovered.append((document.code, unit))
    assert uncovered == []


def test_collective_units_say_how_they_fan_out() -> None:
    for phrase, rule in reference()["collective_units"].items():
        assert rule["fans_out_to"] in {"city", "county", "park", "host_park", "task_force_members"}, phrase
        assert rule["kind"] in KINDS


def test_zhejiang_economy_department_is_not_an_industry_department() -> None:
    organisations = {o["code"]: o for o in reference()["organisations"]}
    assert organisations["zj-deit"]["name"] == "浙江省经济和信息化厅"
    assert "省经信厅" in organisations["zj-deit"]["aliases"]
    assert {"省工信厅", "省工业和信息化厅"} <= set(organisations["ah-diit"]["aliases"]) | {
        organisations["ah-diit"]["name"]
    }


def test_programme_admins_exist_in_their_jurisdiction() -> None:
    organisations = {o["code"]: o for o in reference()["organisations"]}
    for code in PROGRAMME_CODES:
        defn = programme(code)
        admin = organisations[defn.admin_organisation]
        assert admin["jurisdiction"] == defn.jurisdiction
