"""The demonstration review comes through the services and goes with the demo data."""

from __future__ import annotations

from xiandao.review.models import Draw, Expert, ReviewOpinion, ReviewRound, ScoreSheet
from xiandao.review.selectors import application_review_results
from xiandao.web.demo import demo_data_load, demo_data_remove


def test_demo_data_brings_a_pool_a_drawn_panel_of_three_kinds_and_scores(
    shipped_programmes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert demo_data_load()
    round_ = ReviewRound.objects.get(name="示例2026年度先导区创建方案论证")
    draw = Draw.objects.get(round=round_)
    reasons = " ".join(e["reason"] for e in draw.exclusions)
    assert "与申报城市为同一城市（合肥市）" in reasons
    assert "本人申报回避该园区（合肥高新技术产业开发区）" in reasons
    assert "师生关系（长期回避）" in reasons and "任职或受聘" in reasons and "已停用" in reasons
    sheets = ScoreSheet.objects.filter(assignment__member__round=round_)
    # Every application of the round is scored by the same three experts, one of each kind.
    assert set(sheets.values_list("assignment__member__expert__user__username", flat=True)) == {
        "expert_chen",
        "expert_huang",
        "expert_lin",
    }
    applications = set(sheets.values_list("assignment__application", flat=True))
    assert sheets.count() == 3 * len(applications)
    application = sheets[0].assignment.application
    results = application_review_results(application)
    assert results.result.count == 3 and results.result.dissent and results.opinion is not None
    assert ReviewOpinion.objects.filter(round=round_).exists()
    demo_data_remove()
    assert not ReviewRound.objects.exists() and not Expert.objects.exists()
