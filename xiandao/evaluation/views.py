"""Pages of the annual evaluation: runs, completeness, results, report cards, documents. Thin: parse, call, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from xiandao.accounts.models import Role
from xiandao.core.excel import export_filename, xlsx_response
from xiandao.pilot_zones.lifecycle import MoveRefused
from xiandao.programmes.selectors import programme_find, programme_get_public, programme_list_administered_by

from . import documents, forecasts, presentation, selectors, services
from .models import ConsequenceKind, ConsequenceStatus, RunStatus
from .permissions import (
    ConsequenceAction,
    EvaluationAction,
    ResultAction,
    consequence_policy,
    may_create_run,
    result_policy,
    run_policy,
)
from .services import snapshot as snap

HOME = ("年度评估", "/evaluation/")


def _done(request: HttpRequest, call: Callable[[], Any], ok: str) -> bool:
    """Run a service; its Chinese refusal becomes the page's message."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False
    except (PermissionDenied, MoveRefused) as exc:
        messages.error(request, str(getattr(exc, "message", None) or exc) or "您无权执行此操作。")
        return False
    messages.success(request, ok)
    return True


def _year(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


@login_required
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    runs = list(selectors.run_list_for_user(request.user))
    programmes = [p for p in programme_list_administered_by(request.user)]
    for run in runs:
        if run.programme not in programmes and may_create_run(request.user, run.programme):
            programmes.append(run.programme)
    results = []
    if not runs:
        results = list(selectors.result_list_for_user(request.user).order_by("-run__year", "zone_name")[:50])
    return render(
        request,
        "evaluation/run_list.html",
        {"runs": runs, "programmes": programmes, "results": results, "breadcrumbs": [(HOME[0], None)]},
    )


@login_required
@require_GET
def run_new(request: HttpRequest) -> HttpResponse:
    """Data completeness per zone and indicator before a run; which reports are not approved."""
    programme = programme_find(request.GET.get("programme", ""))
    year = _year(request.GET.get("year"))
    if programme is None or year is None or not may_create_run(request.user, programme):
        raise Http404("未找到该培育计划，或您无权新建评估批次。")
    problem = ""
    completeness = snap.completeness(programme, year)
    return render(
        request,
        "evaluation/run_new.html",
        {
            "programme": programme,
            "year": year,
            "completeness": completeness,
            "problem": problem,
            "breadcrumbs": [HOME, (f"新建{year}年度评估", None)],
        },
    )


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    programme = programme_find(request.POST.get("programme", ""))
    year = _year(request.POST.get("year"))
    if programme is None or year is None:
        raise Http404("未找到该培育计划。")
    created: dict[str, Any] = {}

    def call() -> None:
        created["run"] = services.run_create(
            actor=request.user,
            programme=programme,
            year=year,
            approved_only=request.POST.get("approved_only") == "1",
        )

    if _done(request, call, f"已冻结{year}年度数据快照，可以开始计算。"):
        return redirect("evaluation:run_detail", run_id=created["run"].pk)
    return redirect(f"{reverse('evaluation:run_new')}?programme={programme.code}&year={year}")


def _run_context(request: HttpRequest, run: Any) -> dict[str, Any]:
    results = selectors.results_of(run) if run.has_results else []
    labels = presentation.labels_of(run)
    actions = run_policy.actions_for(request.user, run)
    data = selectors.snapshot_of(run)
    evaluators = list(
        get_user_model().objects.filter(role_assignments__role=Role.EVALUATOR).distinct().order_by("username")
    )
    return {
        "run": run,
        "results": [
            {"result": r, "probabilities": presentation.probabilities_row(r, labels.grades)} for r in results
        ],
        "labels": labels,
        "actions": {str(a) for a in actions},
        "snapshot_info": {
            "zones": len(data.get("zones", {})),
            "values": len(data.get("engine", {}).get("values", [])),
            "years": data.get("method", {}).get("normalisation", {}).get("window"),
            "draws": data.get("method", {}).get("uncertainty", {}).get("draws"),
            "registry_counts": len(data.get("registry_counts") or {}),
        },
        "index_chart": presentation.index_bars(results) if results else None,
        "settings": services.settings_for(run.programme),
        "objections": list(run.objections.select_related("result").order_by("recorded_at")),
        "evaluator_grants": list(run.evaluators.select_related("user").order_by("valid_from")),
        "evaluator_choices": evaluators,
        "bonus": selectors.city_bonus_rows(run) if run.is_published else [],
        "breadcrumbs": [HOME, (str(run), None)],
    }


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    if request.GET.get("format") == "xlsx":
        return _results_xlsx(run)
    return render(request, "evaluation/run_detail.html", _run_context(request, run))


def _results_xlsx(run: Any) -> HttpResponse:
    labels = presentation.labels_of(run)
    grades = [code for code, _n in labels.grades]
    rows = []
    for r in selectors.results_of(run):
        rows.append(
            [
                r.rank,
                r.zone_name,
                r.composite,
                r.index,
                r.proposed_grade,
                r.final_grade or r.proposed_grade,
                "；".join(a.reason for a in r.adjustments.all()),
                *[
                    presentation.half_up(r.probabilities.get(g), presentation.Decimal("0.0001"))
                    for g in grades
                ],
                r.rank_low,
                r.rank_high,
                r.overall_attainment,
                r.change_previous,
                *[r.nodes.get(code) for code, _n in labels.dimensions],
            ]
        )
    return xlsx_response(
        filename=export_filename(documents.run_title(run), "结果"),
        title=documents.run_title(run) + ("（仅依据已审核数据）" if run.approved_only else ""),
        sheet="评估结果",
        columns=[
            "排名",
            "先导区",
            "综合得分",
            "绩效指数",
            "引擎等次",
            "最终等次",
            "调整理由",
            *[f"{g}概率" for g in grades],
            "排名区间下限",
            "排名区间上限",
            "目标总体达成度",
            "较上年变化",
            *[name for _c, name in labels.dimensions],
        ],
        rows=rows,
        subtitle=f"方法版本 {run.method_version}；快照摘要 {run.snapshot_sha256[:16]}",
    )


@login_required
@require_GET
def run_bonus_xlsx(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    rows = [
        [c.city.name if c.city else "", c.result.zone_name, c.result.final_grade, c.points]
        for c in selectors.city_bonus_rows(run)
    ]
    return xlsx_response(
        filename=export_filename(documents.run_title(run), "设区市加分"),
        title=f"{documents.run_title(run)}：所在设区市目标管理绩效考核加分",
        sheet="加分",
        columns=["设区市", "先导区", "评估等次", "加分"],
        rows=rows,
    )


@login_required
@require_POST
def run_start(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    _done(request, lambda: services.run_start(actor=request.user, run=run), "已开始计算，可在本页查看进度。")
    return redirect("evaluation:run_detail", run_id=run.pk)


@login_required
@require_POST
def run_finalise(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    _done(request, lambda: services.run_finalise(actor=request.user, run=run), "已确定评估等次。")
    return redirect("evaluation:run_detail", run_id=run.pk)


@login_required
@require_POST
def run_notice(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    _done(request, lambda: services.run_notice_start(actor=request.user, run=run), "已开始公示。")
    return redirect("evaluation:run_detail", run_id=run.pk)


@login_required
@require_POST
def run_publish(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    _done(
        request,
        lambda: services.run_publish(actor=request.user, run=run),
        "已发布评估结果，并落实评估结果运用。",
    )
    return redirect("evaluation:run_detail", run_id=run.pk)


@login_required
@require_POST
def run_entrust(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    user = get_user_model().objects.filter(pk=_year(request.POST.get("user")) or 0).first()
    try:
        start = dt.date.fromisoformat(request.POST.get("valid_from", ""))
        end = dt.date.fromisoformat(request.POST.get("valid_to", ""))
    except ValueError:
        messages.error(request, "请填写受托期限的起止日期。")
        return redirect("evaluation:run_detail", run_id=run.pk)
    if user is None:
        messages.error(request, "请选择第三方评估人员。")
    else:
        _done(
            request,
            lambda: services.evaluator_entrust(
                actor=request.user, run=run, user=user, valid_from=start, valid_to=end
            ),
            f"已委托{user}评估本批次。",
        )
    return redirect("evaluation:run_detail", run_id=run.pk)


@login_required
@require_POST
def objection_add(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    result = run.zone_results.filter(pk=_year(request.POST.get("result")) or 0).first()
    _done(
        request,
        lambda: services.objection_record(
            actor=request.user,
            run=run,
            raised_by=request.POST.get("raised_by", ""),
            text=request.POST.get("text", ""),
            result=result,
        ),
        "已登记异议。",
    )
    return redirect("evaluation:run_detail", run_id=run.pk)


@login_required
@require_POST
def objection_answer(request: HttpRequest, run_id: int, objection_id: int) -> HttpResponse:
    run = run_policy.get_or_404(request.user, EvaluationAction.VIEW, pk=run_id)
    objection = run.objections.filter(pk=objection_id).first()
    if objection is None:
        raise Http404("未找到该异议。")
    _done(
        request,
        lambda: services.objection_answer(
            actor=request.user, objection=objection, answer=request.POST.get("answer", "")
        ),
        "已答复异议。",
    )
    return redirect("evaluation:run_detail", run_id=run.pk)


@login_required
@require_GET
def result_detail(request: HttpRequest, result_id: int) -> HttpResponse:
    """A zone's report card: figures, tree, attainment, grade with probabilities, path to the next grade."""
    result = result_policy.get_or_404(request.user, ResultAction.VIEW, pk=result_id)
    run = result.run
    labels = presentation.labels_of(run)
    results = selectors.results_of(run)
    means = presentation.dimension_means(results, labels)
    previous = selectors.previous_result(result)
    consequences = [
        {
            "item": c,
            "manage": consequence_policy.user_may(request.user, ConsequenceAction.MANAGE, c),
            "respond": consequence_policy.user_may(request.user, ConsequenceAction.RESPOND, c),
        }
        for c in selectors.consequences_of(result)
    ]
    run_actions = {str(a) for a in run_policy.actions_for(request.user, run)}
    return render(
        request,
        "evaluation/result_detail.html",
        {
            "result": result,
            "run": run,
            "labels": labels,
            "dimensions": [
                {"code": code, "name": name, "score": result.nodes.get(code), "mean": means.get(code)}
                for code, name in labels.dimensions
            ],
            "indicators": presentation.indicator_rows(result, labels, run),
            "probabilities": presentation.probabilities_row(result, labels.grades),
            "previous": previous,
            "radar": presentation.radar_options(result, labels, means),
            "bars": presentation.bars_options(result, labels, means),
            "adjustments": list(result.adjustments.select_related("by").order_by("at")),
            "consequences": consequences,
            "run_actions": run_actions,
            "grades": labels.grades,
            "engine_parts": forecasts.available(),
            "kinds": ConsequenceKind,
            "statuses": ConsequenceStatus,
            "run_statuses": RunStatus,
            "breadcrumbs": [
                HOME,
                (str(run), reverse("evaluation:run_detail", args=[run.pk]))
                if "view" in run_actions
                else (str(run), None),
                (result.zone_name, None),
            ],
        },
    )


@login_required
@require_POST
def grade_adjust(request: HttpRequest, result_id: int) -> HttpResponse:
    result = result_policy.get_or_404(request.user, ResultAction.VIEW, pk=result_id)
    _done(
        request,
        lambda: services.grade_adjust(
            actor=request.user,
            result=result,
            grade=request.POST.get("grade", ""),
            reason=request.POST.get("reason", ""),
        ),
        "已调整等次，理由已记录。",
    )
    back = request.POST.get("back")
    if back == "run":
        return redirect("evaluation:run_detail", run_id=result.run_id)
    return redirect("evaluation:result_detail", result_id=result.pk)


@login_required
@require_GET
def report_card_docx(request: HttpRequest, result_id: int) -> HttpResponse:
    result = result_policy.get_or_404(request.user, ResultAction.VIEW, pk=result_id)
    response = HttpResponse(documents.report_card_docx(result), content_type=documents.DOCX)
    from xiandao.core.excel import content_disposition

    response["Content-Disposition"] = content_disposition(
        export_filename(result.zone_name, f"{result.run.year}年度评估报告单", extension="docx")
    )
    return response


@login_required
@require_GET
def national_letter_docx(request: HttpRequest, consequence_id: int) -> HttpResponse:
    item = consequence_policy.get_or_404(request.user, ConsequenceAction.VIEW, pk=consequence_id)
    if item.kind != ConsequenceKind.NATIONAL:
        raise Http404("该事项没有推荐函。")
    from xiandao.core.excel import content_disposition

    issuer = item.run.programme.admin_organisation.name if item.run.programme.admin_organisation_id else ""
    response = HttpResponse(documents.national_letter_docx(item.result, issuer), content_type=documents.DOCX)
    response["Content-Disposition"] = content_disposition(
        export_filename(item.result.zone_name, "推荐争创国家级先导区函", extension="docx")
    )
    return response


@login_required
@require_POST
def consequence_act(request: HttpRequest, consequence_id: int) -> HttpResponse:
    """Confirm or decline a removal, record support delivered, or submit the improvement plan."""
    item = consequence_policy.get_or_404(request.user, ConsequenceAction.VIEW, pk=consequence_id)
    what = request.POST.get("what", "")
    text = request.POST.get("text", "")
    if what in ("confirm", "decline"):
        _done(
            request,
            lambda: services.removal_decide(
                actor=request.user, consequence=item, confirm=what == "confirm", reason=text
            ),
            "已确认移出创建名单。" if what == "confirm" else "已决定不予移出。",
        )
    elif what == "deliver":
        _done(
            request,
            lambda: services.support_delivery_record(
                actor=request.user, consequence=item, text=text, delivered_on=dt.date.today()
            ),
            "已登记支持措施的落实情况。",
        )
    elif what == "plan":
        _done(
            request,
            lambda: services.improvement_plan_submit(actor=request.user, consequence=item, text=text),
            "已提交改进计划。",
        )
    else:
        messages.error(request, "无法识别的操作。")
    return redirect("evaluation:result_detail", result_id=item.result_id)


@require_GET
def published_grades(request: HttpRequest, programme_code: str) -> HttpResponse:
    """The published grades list of a programme: public when its grades are public, else scoped."""
    programme = programme_get_public(programme_code)
    runs = selectors.published_runs_for(programme, request.user)
    if not selectors.grades_public(programme) and not runs:
        raise Http404("本计划的评估等次不向社会公开。")
    public = selectors.grades_public(programme)
    if request.GET.get("format") == "xlsx":
        rows = [
            [run.year, r.zone_name, r.final_grade, r.index, r.rank]
            for run in runs
            for r in (run.zone_results.all() if public else run.visible_results)  # type: ignore[attr-defined]
        ]
        return xlsx_response(
            filename=export_filename(programme.name, "评估等次"),
            title=f"{programme.name}年度评估等次",
            sheet="评估等次",
            columns=["年度", "先导区", "评估等次", "绩效指数", "排名"],
            rows=rows,
        )
    return render(
        request,
        "evaluation/published_grades.html",
        {
            "programme": programme,
            "runs": [(run, list(run.zone_results.all()) if public else run.visible_results) for run in runs],  # type: ignore[attr-defined]
            "breadcrumbs": [
                (programme.name, reverse("programmes:overview", args=[programme.code])),
                ("年度评估等次", None),
            ],
        },
    )
