"""The review's services: the pool, the draw and its record, the panel, declarations, scores, opinions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from xiandao.core.models import AuditEntry
from xiandao.notifications.models import Notification
from xiandao.review import services
from xiandao.review.models import (
    Assignment,
    AssignmentStatus,
    Draw,
    Expert,
    MemberStatus,
    PanelEvent,
    PanelMember,
    ReviewOpinion,
    RoundStatus,
    ScoreSheet,
)
from xiandao.review.selectors import application_review_results

from .conftest import DEADLINE, persona_experts

pytestmark = pytest.mark.django_db

PER_KIND = {"scientist": 1, "entrepreneur": 1, "investor": 1}


def new_round(world, applications=None, name="示例评审批次"):
    return services.round_create(
        actor=world.personas["province_admin"],
        programme=world.programme,
        name=name,
        deadline=DEADLINE,
        applications=applications or world.applications,
    )


def drawn(world, round_=None, **kwargs):
    round_ = round_ or new_round(world)
    services.draw_run(
        actor=world.personas["province_admin"],
        round=round_,
        per_kind=kwargs.get("per_kind", PER_KIND),
        reserves_per_kind=kwargs.get("reserves", 1),
        supervisor=world.personas["department_officer"],
        seed=kwargs.get("seed", "seed-1"),
    )
    round_.refresh_from_db()
    return round_


def confirmed(world, round_):
    admin = world.personas["province_admin"]
    for member in PanelMember.objects.filter(round=round_, status=MemberStatus.DRAWN):
        services.member_contact(actor=admin, member=member, accepted=True)
    services.panel_confirm(actor=admin, round=round_)
    round_.refresh_from_db()
    return round_


def test_a_city_officer_cannot_add_to_the_pool_and_nothing_is_written(world):
    before = Expert.objects.count()
    with pytest.raises(PermissionDenied):
        services.expert_create(
            actor=world.personas["hefei_city_officer"], programme=world.programme, name="某", kind="scientist"
        )
    assert Expert.objects.count() == before


def test_an_expert_account_must_hold_the_expert_role(world):
    with pytest.raises(ValidationError) as caught:
        services.expert_create(
            actor=world.personas["province_admin"],
            programme=world.programme,
            name="某",
            kind="scientist",
            user=world.personas["hefei_city_officer"],
            field_codes=["no-such-field"],
        )
    assert caught.value.message_dict["user"] == ["登录账号须持有“咨询委员会专家”角色。"]
    assert "本培育计划没有这些领域：no-such-field。" in caught.value.message_dict["field_codes"]


def test_a_draw_excludes_conflicted_experts_with_their_reasons_and_records_everything(world):
    admin = world.personas["province_admin"]
    hefei_expert = services.expert_create(
        actor=admin, programme=world.programme, name="示例合肥专家", kind="scientist", city=world.hefei
    )
    park_declared = world.experts[1]
    services.conflict_declare(
        actor=admin, expert=park_declared, kind="park", target=world.hefei_park, note="曾参与园区规划"
    )
    round_ = drawn(world)
    draw = Draw.objects.get(round=round_)
    reasons = {e["id"]: e["reason"] for e in draw.exclusions}
    assert reasons[hefei_expert.pk] == "回避：示例合肥申报：与申报城市为同一城市（合肥市）"
    assert reasons[park_declared.pk] == "回避：示例合肥申报：本人申报回避该园区（合肥高新技术产业开发区）"
    drawn_ids = {r["id"] for r in draw.ranked}
    assert hefei_expert.pk not in drawn_ids and park_declared.pk not in drawn_ids
    assert draw.seed == "seed-1" and draw.pool_size == 10 and len(draw.pool) == 10
    assert draw.run_by == admin and draw.supervised_by == world.personas["department_officer"]
    members = PanelMember.objects.filter(round=round_)
    assert sorted(members.filter(status=MemberStatus.DRAWN).values_list("kind", flat=True)) == sorted(
        PER_KIND
    )
    assert members.filter(status=MemberStatus.RESERVE).count() == 3
    assert round_.status == RoundStatus.DRAWN
    assert AuditEntry.objects.filter(action="review.draw.run", object_id=str(round_.pk)).exists()


def test_the_same_seed_and_pool_draw_the_same_panel(world):
    first = drawn(world, seed="same")
    second = drawn(world, round_=new_round(world, name="示例第二批次"), seed="same")
    assert Draw.objects.get(round=first).ranked == Draw.objects.get(round=second).ranked


def test_a_panel_lacking_a_kind_is_refused_and_nothing_is_recorded(world):
    round_ = new_round(world)
    with pytest.raises(ValidationError, match="须包含风险投资家"):
        drawn(world, round_=round_, per_kind={"scientist": 2, "entrepreneur": 1, "investor": 0})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PREPARING and not Draw.objects.filter(round=round_).exists()


def test_the_drawer_cannot_supervise_their_own_draw(world):
    round_ = new_round(world)
    with pytest.raises(ValidationError, match="不能是抽取人本人"):
        services.draw_run(
            actor=world.personas["province_admin"],
            round=round_,
            per_kind=PER_KIND,
            reserves_per_kind=1,
            supervisor=world.personas["province_admin"],
        )


def test_the_draw_check_re_runs_and_finds_a_tampered_record(world):
    round_ = drawn(world)
    assert services.draw_verify(actor=world.personas["department_officer"], round=round_).same
    draw = Draw.objects.get(round=round_)
    draw.ranked = list(reversed(draw.ranked))
    draw.save()
    check = services.draw_verify(actor=world.personas["province_admin"], round=round_)
    assert not check.same and "排序名单与记录不一致" in check.differences


def test_a_declined_member_is_replaced_by_the_next_reserve_with_the_reason_logged(world):
    round_ = drawn(world)
    admin = world.personas["province_admin"]
    investor = PanelMember.objects.get(round=round_, kind="investor", status=MemberStatus.DRAWN)
    with pytest.raises(ValidationError):
        services.member_contact(actor=admin, member=investor, accepted=False)
    services.member_contact(actor=admin, member=investor, accepted=False, note="出差在外")
    reserve = services.member_replace(actor=admin, member=investor, reason="出差不能参加")
    assert reserve.kind == "investor" and reserve.rank == 2 and reserve.replaces == investor
    assert list(PanelEvent.objects.filter(round=round_).values_list("kind", "reason")) == [
        ("contacted", "出差在外"),
        ("replaced", "出差不能参加"),
    ]
    with pytest.raises(ValidationError, match="已无备选专家"):
        services.member_replace(actor=admin, member=reserve, reason="再换")


def test_confirming_assigns_every_application_and_notifies_the_experts_on_commit(
    world, django_capture_on_commit_callbacks
):
    experts = persona_experts(world)
    for expert in world.experts:
        services.expert_update(actor=world.personas["province_admin"], expert=expert, active=False)
    round_ = drawn(world, reserves=0)
    with django_capture_on_commit_callbacks(execute=True):
        round_ = confirmed(world, round_)
    assert round_.status == RoundStatus.SCORING
    assert Assignment.objects.filter(member__round=round_).count() == 6
    for expert in experts.values():
        assert Notification.objects.filter(recipient=expert.user, kind="review.assigned").count() == 1


def test_a_conflict_found_after_assignment_closes_it_to_the_expert(world):
    experts = persona_experts(world)
    for expert in world.experts:
        services.expert_update(actor=world.personas["province_admin"], expert=expert, active=False)
    confirmed(world, drawn(world, reserves=0))
    chen = experts["scientist"]
    hefei_assignment = Assignment.objects.get(member__expert=chen, application=world.applications[0])
    services.conflict_declare(
        actor=world.personas["province_admin"], expert=chen, kind="city", target=world.hefei
    )
    hefei_assignment.refresh_from_db()
    assert hefei_assignment.conflicted and "合肥市" in hefei_assignment.conflict_reasons[0]
    with pytest.raises(Http404):
        services.assignment_declare(actor=chen.user, assignment=hefei_assignment)
    wuhu_assignment = Assignment.objects.get(member__expert=chen, application=world.applications[1])
    services.assignment_declare(actor=chen.user, assignment=wuhu_assignment)


def _scoring_round(world):
    experts = persona_experts(world)
    for expert in world.experts:
        services.expert_update(actor=world.personas["province_admin"], expert=expert, active=False)
    return experts, confirmed(world, drawn(world, reserves=0))


def test_a_score_outside_the_range_is_refused_in_chinese_and_nothing_is_saved(world):
    experts, _round = _scoring_round(world)
    user = experts["entrepreneur"].user
    assignment = Assignment.objects.get(
        member__expert=experts["entrepreneur"], application=world.applications[0]
    )
    with pytest.raises(Http404):  # no declaration yet: the sheet is not open
        services.score_submit(actor=user, assignment=assignment, points={}, comments="", recommendation="")
    services.assignment_declare(actor=user, assignment=assignment)
    with pytest.raises(ValidationError) as caught:
        services.score_submit(
            actor=user,
            assignment=assignment,
            points={"direction": "120", "attainability": "80", "soundness": "80", "feasibility": "80"},
            comments="",
            recommendation="recommend",
        )
    assert caught.value.message_dict["direction"] == ["“发展方向”的评分应在0～100分之间（填写的是120）"]
    assert caught.value.message_dict["comments"] == ["请填写评审意见。"]
    assert not ScoreSheet.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLARED


def test_all_scores_in_notify_the_admin_and_the_results_are_weighted(
    world, django_capture_on_commit_callbacks
):
    experts, round_ = _scoring_round(world)
    given = {
        "scientist": ("80", "70", "90", "60", "recommend"),
        "entrepreneur": ("90", "90", "90", "90", "recommend"),
        "investor": ("50", "50", "50", "50", "reject"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        for kind, expert in experts.items():
            for application in world.applications:
                assignment = Assignment.objects.get(member__expert=expert, application=application)
                services.assignment_declare(actor=expert.user, assignment=assignment)
                d, a, s, f, rec = given[kind]
                services.score_submit(
                    actor=expert.user,
                    assignment=assignment,
                    points={"direction": d, "attainability": a, "soundness": s, "feasibility": f},
                    comments="示例意见",
                    recommendation=rec,
                )
    admin = world.personas["province_admin"]
    assert Notification.objects.filter(recipient=admin, kind="review.scores_complete").count() == 1
    results = application_review_results(world.applications[0])
    overall = [Decimal(75), Decimal(90), Decimal(50)]  # 80/70/90/60 at 25% each → 75
    mean = Decimal(sum(overall)) / 3
    assert results.result.mean == mean.quantize(Decimal("0.01"))
    assert results.result.minimum == Decimal("50.00") and results.result.maximum == Decimal("90.00")
    investor = next(sheet.label for sheet in results.sheets if sheet.kind == "风险投资家")
    assert results.result.dissent and results.result.dissenters == (investor,)
    assert all(sheet.label.startswith("专家") for sheet in results.sheets)  # the panel stays unnamed
    # the opinion: only once scoring is closed, and a stale edit is refused
    with pytest.raises(ValidationError, match="评审结束"):
        services.review_opinion_write(
            actor=admin, application=world.applications[0], text="同意", conclusion="recommend"
        )
    services.round_close(actor=admin, round=round_)
    opinion = services.review_opinion_write(
        actor=admin, application=world.applications[0], text="同意列入。", conclusion="recommend"
    )
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.review_opinion_write(
            actor=admin,
            application=world.applications[0],
            text="改",
            conclusion="revise",
            expected_version=opinion.version - 1,
        )
    written = application_review_results(world.applications[0]).opinion
    assert written is not None and written.text == "同意列入。"
    with pytest.raises(ValidationError, match="示例芜湖申报"):
        services.round_publish(actor=admin, round=round_)
    services.review_opinion_write(
        actor=admin, application=world.applications[1], text="修改后列入。", conclusion="revise"
    )
    assert services.round_publish(actor=admin, round=round_).status == RoundStatus.PUBLISHED
    assert ReviewOpinion.objects.filter(round=round_).count() == 2


def test_a_recusal_is_recorded_and_the_admin_told(world, django_capture_on_commit_callbacks):
    experts, _round = _scoring_round(world)
    assignment = Assignment.objects.get(member__expert=experts["investor"], application=world.applications[1])
    with pytest.raises(ValidationError):
        services.assignment_recuse(actor=experts["investor"].user, assignment=assignment, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_recuse(
            actor=experts["investor"].user, assignment=assignment, reason="曾在该市任职"
        )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RECUSED
    assert Notification.objects.filter(
        recipient=world.personas["province_admin"], kind="review.recused"
    ).exists()
    with pytest.raises(Http404):
        services.assignment_declare(actor=experts["investor"].user, assignment=assignment)


def test_a_round_takes_only_applications_under_review(world):
    application = world.applications[0]
    application.status = "draft"
    application.save()
    with pytest.raises(ValidationError, match="只能选择本计划论证中的申报"):
        new_round(world, applications=[application])


def test_itemised_scoring_rules_are_scored_by_item(world, monkeypatch):
    from xiandao.review.scoring import Item, Rules
    from xiandao.review.services import scoring as scoring_module

    rules = Rules(
        0,
        100,
        {"direction": 25, "attainability": 25, "soundness": 25, "feasibility": 25},
        (
            Item("d1", "direction", "方向契合度", 60),
            Item("d2", "direction", "前沿性", 40),
            Item("a1", "attainability", "目标可及", 100),
            Item("s1", "soundness", "任务合理", 100),
            Item("f1", "feasibility", "措施可行", 100),
        ),
    )
    monkeypatch.setattr(scoring_module, "scoring_rules", lambda programme: rules)
    experts, _round = _scoring_round(world)
    expert = experts["scientist"]
    assignment = Assignment.objects.get(member__expert=expert, application=world.applications[0])
    services.assignment_declare(actor=expert.user, assignment=assignment)
    with pytest.raises(ValidationError, match="“前沿性”的评分应在0～40分之间"):
        services.score_submit(
            actor=expert.user,
            assignment=assignment,
            points={"d1": "60", "d2": "41", "a1": "80", "s1": "80", "f1": "80"},
            comments="细则评分",
            recommendation="recommend",
        )
    sheet = services.score_submit(
        actor=expert.user,
        assignment=assignment,
        points={"d1": "60", "d2": "20", "a1": "80", "s1": "80", "f1": "60"},
        comments="细则评分",
        recommendation="recommend",
    )
    # direction (60+20)/100 → 80; then 80, 80, 60 at a quarter each → 75
    assert sheet.overall == Decimal("75.00")
    assert sorted(sheet.lines.values_list("code", "criterion")) == [
        ("a1", "attainability"),
        ("d1", "direction"),
        ("d2", "direction"),
        ("f1", "feasibility"),
        ("s1", "soundness"),
    ]
    results = application_review_results(world.applications[0])
    assert results.result.criteria_means["direction"] == Decimal("80.00")


def test_the_admin_changes_a_weight_in_the_programme_settings_and_new_sheets_use_it(world):
    from xiandao.programmes.services.parameters import parameter_change
    from xiandao.review.facts import scoring_rules

    parameter_change(
        user=world.personas["province_admin"],
        programme=world.programme,
        key="review.weights.direction",
        value=40,
        reason="发展方向为论证重点",
    )
    rules = scoring_rules(world.programme)
    assert rules is not None and rules.weights["direction"] == 40
    with pytest.raises(ValidationError, match="论证评分满分应在1至1000分之间"):
        parameter_change(
            user=world.personas["province_admin"],
            programme=world.programme,
            key="review.scale.max",
            value=0,
            reason="试",
        )
    experts, _round = _scoring_round(world)
    expert = experts["investor"]
    assignment = Assignment.objects.get(member__expert=expert, application=world.applications[1])
    services.assignment_declare(actor=expert.user, assignment=assignment)
    sheet = services.score_submit(
        actor=expert.user,
        assignment=assignment,
        points={"direction": "90", "attainability": "60", "soundness": "60", "feasibility": "60"},
        comments="示例",
        recommendation="revise",
    )
    assert sheet.overall == ((Decimal(90) * 40 + Decimal(60) * 75) / 115).quantize(Decimal("0.01"))
    assert sheet.rules["weights"]["direction"] == 40
