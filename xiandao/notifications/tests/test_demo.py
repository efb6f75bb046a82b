"""The demonstration notices and messages come through the services and go with the demo data."""

from __future__ import annotations

from xiandao.notifications.models import Notice, Notification
from xiandao.web.demo import demo_data_load, demo_data_remove


def test_demo_data_brings_notices_and_messages_and_takes_them_away(
    shipped_programmes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert demo_data_load()
    assert Notice.objects.count() == 4  # three in Anhui, one in Zhejiang
    titles = set(
        Notification.objects.filter(recipient__username="hf_officer").values_list("title", flat=True)
    )
    assert "关于开展2026年度未来产业先导区统计监测填报的通知（示例）" in titles
    assert "合肥市先导区创建工作调度会安排（示例）" in titles
    assert not any("咨询委员会" in t for t in titles)  # addressed to experts and evaluators only
    # the welcome only (the demo reports also tell the province what waits for it: monitoring's own kinds)
    assert (
        Notification.objects.filter(recipient__username="ah_admin")
        .exclude(kind__startswith="monitoring.")
        .count()
        == 1
    )
    demo_data_remove()
    assert not Notice.objects.exists() and not Notification.objects.exists()
