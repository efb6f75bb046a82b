"""The demonstration data of issue 15: an Anhui round in every state, the published lists, Zhejiang's assessed zone."""

from __future__ import annotations

from typing import Any

import pytest

from xiandao.pilot_zones.lifecycle import State
from xiandao.pilot_zones.lists.models import CreationList, ListStatus
from xiandao.pilot_zones.lists.selectors import published_lists_public
from xiandao.pilot_zones.models import Application, PilotZone
from xiandao.web.demo import demo_data_load, demo_data_remove

pytestmark = pytest.mark.django_db


def test_the_demo_round_lists_and_assessment_load_through_the_services_and_go_again(
    shipped_programmes: dict[str, Any],
) -> None:
    assert demo_data_load() is True
    anhui, zhejiang = shipped_programmes["anhui"], shipped_programmes["zhejiang"]
    states = set(Application.objects.filter(programme=anhui, is_demo=True).values_list("status", flat=True))
    assert states >= {
        State.DRAFT,
        State.SUBMITTED,
        State.ATTESTED,
        State.RECOMMENDED,
        State.RETURNED,
        State.UNDER_REVIEW,
        State.CONSULTATION,
        State.NOT_LISTED,
        State.CREATING,
    }
    [published] = published_lists_public(anhui)
    assert len(published.zones) >= 4
    assert all(z.name.startswith("示例") for z in published.zones)
    assert CreationList.objects.filter(programme=anhui, status=ListStatus.CONSULTATION).exists()
    [cultivation] = published_lists_public(zhejiang)
    assert {z.status for z in cultivation.zones} == {"培育建设", "列入省级“未来产业先导区”名单"}
    recognised = PilotZone.objects.get(name="示例人形机器人培育先导区")
    assert recognised.status == State.RECOGNISED
    assert recognised.acceptance_assessments.get().result == "passed"
    assert recognised.targets.filter(year__isnull=True).exists()
    # The committee's figures and 论证意见 stand beside each listed application (the review app's provider).
    from xiandao.pilot_zones.lists.selectors import review_summaries

    listed = Application.objects.get(name="示例量子精密测量先导区")
    summary = review_summaries([listed])[listed.pk]
    assert summary.score is not None and "委员会认为" in summary.opinion
    removed = demo_data_remove()
    assert removed["creation_lists"] == 3
    assert not CreationList.objects.exists()
    assert not Application.objects.filter(is_demo=True).exists()
    assert not PilotZone.objects.filter(is_demo=True).exists()
