"""After any sequence of edits in 计划设置, export_programme → load_programme round-trips.

A property test: random edits (values in and out of range, confirmations, reverts of the newest
change); the refused ones change nothing, the accepted ones are recorded, and the programme
exported afterwards is a file the loader accepts as exactly what the database holds.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiandao.programmes.definition import dump_definition
from xiandao.programmes.models import Programme, ProgrammeChange, RuleParameter
from xiandao.programmes.services.history import (
    ChangeRefused,
    change_revert,
    programme_state,
    programme_state_on,
)
from xiandao.programmes.services.parameters import parameter_change, parameter_confirm
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

edit = st.one_of(
    st.tuples(st.just("change"), st.sampled_from(KEYS), st.integers(min_value=-5, max_value=320)),
    st.tuples(st.just("confirm"), st.sampled_from(KEYS), st.none()),
    st.tuples(st.just("revert"), st.none(), st.none()),
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
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(edit, min_size=1, max_size=6))
def test_any_sequence_of_edits_exports_a_file_the_loader_takes_as_is(shipped_programmes, personas, edits):
    admin = personas["province_admin"]
    anhui = shipped_programmes["anhui"]
    with pytest.raises(Rollback), transaction.atomic():
        for action, key, value in edits:
            before = _parameters(anhui)
            try:
                if action == "change":
                    parameter_change(user=admin, programme=anhui, key=key, value=value, reason="随机修改")
                elif action == "confirm":
                    parameter_confirm(user=admin, programme=anhui, key=key, reason="随机确认")
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
                assert _parameters(anhui) == before  # a refusal saves nothing
        data = programme_definition_data(anhui)
        text = dump_definition(programme_definition_export(anhui))
        result = load_text(text)
        assert result.outcome == "unchanged"
        assert programme_definition_data(anhui) == data
        # The history's last state is the programme now, and today's state is that one too.
        last = ProgrammeChange.objects.filter(programme=anhui).order_by("-at", "-id").first()
        if last is not None:
            assert last.state_after == programme_state(anhui)
        assert programme_state_on(anhui, timezone.localdate()) == programme_state(anhui)
        raise Rollback
