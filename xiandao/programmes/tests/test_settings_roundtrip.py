"""After any sequence of edits in 计划设置, export_programme → load_programme round-trips.

A property test: random edits (values in and out of range, confirmations, reverts of the newest
change); the refused ones change nothing, the accepted ones are recorded, and the programme
exported afterwards is a file the loader accepts as exactly what the database holds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from xiandao.programmes.definition import dump_definition
from xiandao.programmes.definition.dated import values_for_year
from xiandao.programmes.models import Programme, ProgrammeChange, RuleParameter
from xiandao.programmes.selectors import framework_for_year
from xiandao.programmes.services.framework import dimension_weights_change, indicator_change, indicator_retire
from xiandao.programmes.services.history import (
    ChangeRefused,
    change_revert,
    programme_state,
    programme_state_on,
)
from xiandao.programmes.services.parameters import parameter_change, parameter_confirm
from xiandao.programmes.services.records import record_retire
from xiandao.programmes.services.taxonomy import VersionPlan, taxonomy_version_create
from xiandao.programmes.state import programme_definition_data, programme_definition_export
from xiandao.programmes.tests.loading import load_text

KEYS = [
    "grades.AA.threshold",
    "grades.AAA.threshold",
    "consequences.host_city_bonus.A.points",
    "consequences.host_city_bonus.AA.points",
    "consequences.host_city_bonus.AAA.points",
    "consequences.observation_period",
    "consequences.tolerance_period",
    "consequences.removal.consecutive_years",
]

DIMENSIONS = ["innovation", "enterprises", "agglomeration", "factors", "results"]
INDICATORS = ["ic-rd-intensity", "ic-platforms", "ec-listed", "ia-revenue", "fs-talent-teams"]
FIELDS = ["quantum", "life", "blockchain", "metaverse", "advanced-equipment"]

edit = st.one_of(
    st.tuples(
        st.just("change"),
        st.sampled_from(KEYS),
        st.one_of(st.integers(1, 5), st.integers(95, 140), st.integers(-5, 320)),
    ),
    st.tuples(st.just("confirm"), st.sampled_from(KEYS), st.none()),
    st.tuples(st.just("revert"), st.none(), st.none()),
    # Percentages for the five dimensions: some sum to 100, most do not and are refused.
    # In the key's place: the year the weights take effect from (None: every year; 2032 is refused).
    st.tuples(
        st.just("weights"),
        st.one_of(st.none(), st.integers(min_value=2024, max_value=2032)),
        st.one_of(
            st.permutations([30, 20, 20, 10, 20]),
            st.lists(st.sampled_from([10, 15, 20, 25, 30]), min_size=5, max_size=5),
        ),
    ),
    st.tuples(
        st.just("indicator"), st.sampled_from(INDICATORS), st.sampled_from(["0.8", "1", "1.2", "-1", "x"])
    ),
    st.tuples(
        st.just("dated_indicator"),
        st.sampled_from(INDICATORS),
        st.tuples(
            st.sampled_from(["0.8", "1", "1.5"]),
            st.sampled_from(["", "新口径"]),
            st.integers(min_value=2024, max_value=2032),
        ),
    ),
    st.tuples(st.just("retire"), st.sampled_from(INDICATORS), st.integers(min_value=2024, max_value=2031)),
    st.tuples(
        st.just("retire_target"),
        st.sampled_from(["pz-2030-listed-enterprises", "ap-2027-platforms", "pz-2027-pilot-zones"]),
        st.integers(min_value=2023, max_value=2032),
    ),
    st.tuples(
        st.just("taxonomy"), st.sampled_from(FIELDS), st.sampled_from(["retire", "merge", "元宇宙", "新名称"])
    ),
)


class Rollback(Exception):
    """Ends an example: its edits are undone so the next one starts from the shipped programme."""


def _parameters(programme: Programme) -> list[tuple[str, Any, bool]]:
    return list(
        RuleParameter.objects.filter(programme=programme)
        .order_by("key")
        .values_list("key", "value", "is_default")
    )


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(edit, min_size=1, max_size=6))
def test_any_sequence_of_edits_exports_a_file_the_loader_takes_as_is(shipped_programmes, personas, edits):
    admin = personas["province_admin"]
    anhui = shipped_programmes["anhui"]
    versions = 0
    with pytest.raises(Rollback), transaction.atomic():
        for action, key, value in edits:
            before = _parameters(anhui)
            try:
                if action == "change":
                    parameter_change(user=admin, programme=anhui, key=key, value=value, reason="随机修改")
                elif action == "confirm":
                    parameter_confirm(user=admin, programme=anhui, key=key, reason="随机确认")
                elif action == "weights":
                    weights = {code: f"{share}%" for code, share in zip(DIMENSIONS, value, strict=True)}
                    dimension_weights_change(
                        user=admin, programme=anhui, weights=weights, reason="随机权重", effective_year=key
                    )
                elif action == "indicator":
                    indicator_change(
                        user=admin, programme=anhui, code=key, changes={"weight": value}, reason="随机系数"
                    )
                elif action == "dated_indicator":
                    weight, definition, year = value
                    changes = {"weight": weight, **({"definition": definition} if definition else {})}
                    indicator_change(
                        user=admin,
                        programme=anhui,
                        code=key,
                        changes=changes,
                        reason="随机按年度调整",
                        effective_year=year,
                    )
                elif action == "retire":
                    indicator_retire(
                        user=admin, programme=anhui, code=key, from_year=value, reason="随机停用"
                    )
                elif action == "retire_target":
                    record_retire(
                        user=admin,
                        programme=anhui,
                        entity="target",
                        code=key,
                        from_year=value,
                        reason="随机停用目标",
                    )
                elif action == "taxonomy":
                    versions += 1
                    plan = VersionPlan()
                    if value == "retire":
                        plan.retired.add(key)
                    elif value == "merge":
                        plan.merges[key] = "future-network"
                    else:
                        plan.renames[key] = value
                    taxonomy_version_create(
                        user=admin,
                        programme=anhui,
                        code=f"random-{versions}",
                        name=f"随机版本{versions}",
                        valid_from=dt.date(2025, 1, 1) + dt.timedelta(days=versions),
                        document_code="anhui-action-plan-2024",
                        plan=plan,
                        reason="随机调整",
                    )
                else:
                    newest = (
                        ProgrammeChange.objects.filter(programme=anhui, reverted_by=None)
                        .exclude(kind="reverted")
                        .order_by("-at", "-id")
                        .first()
                    )
                    if newest is None:
                        continue
                    change_revert(user=admin, programme=anhui, change_id=newest.pk, reason="随机撤销")
            except (ValidationError, ChangeRefused):
                event(f"{action}：拒绝")
                assert _parameters(anhui) == before  # a refusal saves nothing
            else:
                event(f"{action}：接受")
        data = programme_definition_data(anhui)
        text = dump_definition(programme_definition_export(anhui))
        result = load_text(text)
        assert result.outcome == "unchanged"
        assert programme_definition_data(anhui) == data
        # Each year's framework read from the exported file is the one the evaluation runs get.
        exported = data["indicator_framework"]
        for year in range(anhui.start_year, anhui.end_year + 1):
            selected = framework_for_year(anhui, year)
            assert {d.code: d.weight for d, _ in selected} == {
                d["code"]: Decimal(str(values_for_year(d, year)["weight"])) for d in exported["dimensions"]
            }
            assert sum(d.weight for d, _ in selected) == 1
            assert {i.code: (i.weight, i.definition) for _, inds in selected for i in inds} == {
                i["code"]: (
                    Decimal(str(values_for_year(i, year)["weight"])),
                    values_for_year(i, year)["definition"],
                )
                for d in exported["dimensions"]
                for i in d["indicators"]
                if (i["from_year"] or 0) <= year < (i["retired_from"] or 9999)
            }
        # The history's last state is the programme now, and today's state is that one too.
        last = ProgrammeChange.objects.filter(programme=anhui).order_by("-at", "-id").first()
        if last is not None:
            assert last.state_after == programme_state(anhui)
        assert programme_state_on(anhui, timezone.localdate()) == programme_state(anhui)
        raise Rollback
