"""Pages of statistical monitoring: thin, each read from selectors and each write through services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xiandao.core.excel import xlsx_response
from xiandao.core.files import file_response
from xiandao.core.listing import Listing, Sort
from xiandao.pilot_zones.selectors import zone_list

from . import selectors, services
from .models import Evidence, ReportStatus, ReportValue, ValueSource
from .permissions import (
    MonitoringAction,
    PeriodAction,
    programme_settings,
    programmes_managed,
    report_policy,
)


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("数据填报", reverse("monitoring:report_list")), *items]


def _refused(request: HttpRequest, exc: services.ReportRefused) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- 数据填报: the reports I fill in or approve ----------------------------------------------------

REPORT_SORTS = (
    Sort("period", "填报期", ("-period__year", "-period__quarter", "zone__name")),
    Sort("zone", "先导区", ("zone__name",)),
    Sort("city", "所在市", ("city__code", "zone__name")),
    Sort("status", "状态", ("status", "stage")),
    Sort("deadline", "截止日期", ("period__deadline",)),
)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    todo = request.GET.get("todo", "")
    action = {"fill": MonitoringAction.SUBMIT, "review": MonitoringAction.REVIEW}.get(
        todo, MonitoringAction.VIEW
    )
    reports = selectors.report_list_for_user(request.user, action)
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    year = request.GET.get("year", "")
    if year.isdigit():
        reports = reports.filter(period__year=int(year))
    listing = Listing(request, reports, sorts=REPORT_SORTS, default="period")
    rows = list(listing.page.object_list)
    for report in rows:
        report.state_label = selectors.report_state_label(report, programme_settings(report.period.programme))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="统计报表.xlsx",
            title="统计报表",
            sheet="报表",
            columns=["培育计划", "填报期", "先导区", "所在市", "状态", "截止日期", "提交时间"],
            rows=[
                [
                    r.period.programme.name,
                    r.period.label,
                    r.zone.name,
                    r.city.name if r.city else "",
                    selectors.report_state_label(r, programme_settings(r.period.programme)),
                    r.period.deadline,
                    timezone.localtime(r.submitted_at).date() if r.submitted_at else "",
                ]
                for r in listing.ordered
            ],
        )
    return render(
        request,
        "monitoring/report_list.html",
        {
            "listing": listing,
            "rows": rows,
            "todo": todo,
            "status": status,
            "year": year,
            "statuses": ReportStatus.choices,
            "manages": programmes_managed(request.user).exists(),
            "breadcrumbs": [("数据填报", None)],
        },
    )


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(request.user, report_id)
    return render(request, "monitoring/report_detail.html", _report_context(request, report))


def _report_context(request: HttpRequest, report: Any) -> dict[str, Any]:
    view = selectors.report_view(report)
    may = report_policy.actions_for(request.user, report)
    return {
        "view": view,
        "report": report,
        "state_label": selectors.report_state_label(report, view.settings),
        "may_enter": MonitoringAction.ENTER in may,
        "may_submit": MonitoringAction.SUBMIT in may,
        "may_review": MonitoringAction.REVIEW in may,
        "may_comment": MonitoringAction.COMMENT in may,
        "may_urge": report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        and programmes_managed(request.user).filter(pk=report.period.programme_id).exists(),
        "problems": services.submission_problems(view) if MonitoringAction.SUBMIT in may else [],
        "sources": [(v, label) for v, label in ValueSource.choices if v != ValueSource.REGISTRY],
        "breadcrumbs": _crumbs((f"{report.zone.name} · {report.period.label}", None)),
    }


@login_required
@require_POST
def value_save(request: HttpRequest, report_id: int) -> HttpResponse:
    """The form's autosave (HTMX): one field's value, source and comment; answers with the refreshed form body."""
    report = selectors.report_get(request.user, report_id, MonitoringAction.ENTER)
    code = request.POST.get("indicator_code", "")
    category = request.POST.get("category", "")
    change = services.ValueChange(
        code,
        request.POST.get("value"),
        category=category,
        source=request.POST.get("source", ValueSource.ZONE),
        comment=request.POST.get("comment") if "comment" in request.POST else None,
    )
    error = ""
    try:
        services.values_save(
            actor=request.user, report=report, changes=[change], reason=request.POST.get("reason", "")
        )
    except services.ReportRefused as exc:
        error = "；".join(exc.messages)
    report = selectors.report_get(request.user, report_id)
    context = _report_context(request, report)
    context["save_error"] = error
    context["save_code"] = code
    if request.headers.get("HX-Request"):
        return render(request, "monitoring/_report_body.html", context)
    if error:
        messages.error(request, error)
    return redirect("monitoring:report_detail", report_id=report.pk)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(request.user, report_id, MonitoringAction.ENTER)
    upload = request.FILES.get("file")
    code = request.POST.get("indicator_code", "")
    value = ReportValue.objects.filter(report=report, indicator_code=code, category="").first()
    if upload is None:
        messages.error(request, "请选择要上传的文件。")
    elif value is None:
        messages.error(request, "请先填写该指标的数值（或缺报说明），再上传佐证材料。")
    else:
        try:
            services.evidence_attach(actor=request.user, value=value, upload=upload)
            messages.success(request, f"已上传佐证材料“{upload.name}”。")
        except services.ReportRefused as exc:
            _refused(request, exc)
    return redirect(reverse("monitoring:report_detail", kwargs={"report_id": report.pk}) + f"#field-{code}")


@login_required
def evidence_download(request: HttpRequest, file_id: int) -> FileResponse:
    reports = report_policy.instances_for(request.user, MonitoringAction.VIEW)
    evidence = Evidence.objects.filter(pk=file_id, value__report__in=reports).first()
    if evidence is None:
        raise Http404("未找到该对象，或您无权访问。")
    return file_response(evidence.file, filename=evidence.name, content_type=evidence.content_type)


@login_required
@require_POST
def report_submit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(request.user, report_id, MonitoringAction.SUBMIT)
    try:
        services.report_submit(actor=request.user, report=report)
        messages.success(request, "报表已提交，等待审核。")
    except services.ReportRefused as exc:
        _refused(request, exc)
    return redirect("monitoring:report_detail", report_id=report.pk)


@login_required
@require_POST
def report_approve(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(request.user, report_id, MonitoringAction.REVIEW)
    try:
        report = services.report_approve(
            actor=request.user, report=report, comment=request.POST.get("comment", "")
        )
        messages.success(
            request,
            "报表已审定并锁定。" if report.status == ReportStatus.APPROVED else "审核通过，已报送上一级。",
        )
    except services.ReportRefused as exc:
        _refused(request, exc)
    return redirect("monitoring:report_detail", report_id=report.pk)


@login_required
@require_POST
def report_return(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(request.user, report_id, MonitoringAction.REVIEW)
    try:
        services.report_return(actor=request.user, report=report, comment=request.POST.get("comment", ""))
        messages.success(request, "报表已退回先导区修改。")
    except services.ReportRefused as exc:
        _refused(request, exc)
    return redirect("monitoring:report_detail", report_id=report.pk)


@login_required
@require_POST
def report_urge(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(request.user, report_id)
    try:
        sent = services.report_urge(actor=request.user, report=report)
        messages.success(request, f"已向{sent}位填报人员发出催报。")
    except services.ReportRefused as exc:
        _refused(request, exc)
    except PermissionDenied as exc:
        raise Http404("未找到该对象，或您无权访问。") from exc
    back = request.POST.get("next", "")
    if back.startswith("/monitoring/"):
        return redirect(back)
    return redirect("monitoring:report_detail", report_id=report.pk)


@login_required
def report_history(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(request.user, report_id)
    spec = selectors.period_form_spec(report.period)
    names = {f.code: f.name for f in spec.fields}
    versions = selectors.value_history(report)
    for version in versions:
        version.indicator_name = names.get(version.value.indicator_code, version.value.indicator_code)  # type: ignore[attr-defined]
    return render(
        request,
        "monitoring/report_history.html",
        {
            "report": report,
            "versions": versions,
            "steps": report.steps.select_related("actor"),
            "breadcrumbs": _crumbs(
                (
                    f"{report.zone.name} · {report.period.label}",
                    reverse("monitoring:report_detail", kwargs={"report_id": report.pk}),
                ),
                ("修改记录", None),
            ),
        },
    )


@login_required
@require_POST
def flag_comment(request: HttpRequest, flag_id: int) -> HttpResponse:
    flag = selectors.flag_get(request.user, flag_id)
    try:
        services.flag_comment(actor=request.user, flag=flag, text=request.POST.get("text", ""))
    except services.ReportRefused as exc:
        _refused(request, exc)
    if request.headers.get("HX-Request"):
        report = selectors.report_get(request.user, flag.report_id)
        return render(request, "monitoring/_report_body.html", _report_context(request, report))
    return redirect(reverse("monitoring:report_detail", kwargs={"report_id": flag.report_id}) + "#flags")


# --- 统计监测: the administrator's view --------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Every period the user may follow, with completeness and timeliness; the admin opens new ones."""
    periods = list(selectors.period_list_for_user(request.user))
    if not periods and not programmes_managed(request.user).exists():
        raise Http404("未找到该对象，或您无权访问。")
    reports = selectors.report_list_for_user(request.user).filter(period__in=periods)
    by_period: dict[int, list[Any]] = {}
    for report in reports:
        by_period.setdefault(report.period_id, []).append(report)
    cards = [(p, selectors.period_progress(p, by_period.get(p.pk, []))[0]) for p in periods]
    managed = list(programmes_managed(request.user))
    return render(
        request,
        "monitoring/overview.html",
        {
            "cards": cards,
            "managed": managed,
            "this_year": timezone.localdate().year - 1,
            "breadcrumbs": [("统计监测", None)],
        },
    )


@login_required
@require_POST
def period_open(request: HttpRequest) -> HttpResponse:
    programme = programmes_managed(request.user).filter(code=request.POST.get("programme", "")).first()
    if programme is None:
        raise Http404("未找到该对象，或您无权访问。")
    try:
        year = int(request.POST.get("year", ""))
        quarter = int(request.POST.get("quarter") or 0)
        raw = request.POST.get("deadline", "")
        deadline = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, "年度、季度或截止日期格式不正确（日期如 2026-03-31）。")
        return redirect("monitoring:overview")
    try:
        period = services.period_open(
            actor=request.user, programme=programme, year=year, quarter=quarter, deadline=deadline
        )
    except services.ReportRefused as exc:
        _refused(request, exc)
        return redirect("monitoring:overview")
    messages.success(
        request, f"已开启{programme.name}{period.label}填报期，截止{period.deadline.isoformat()}。"
    )
    return redirect("monitoring:period_detail", period_id=period.pk)


@login_required
def period_detail(request: HttpRequest, period_id: int) -> HttpResponse:
    period = selectors.period_get(request.user, period_id)
    settings = programme_settings(period.programme)
    rows = selectors.report_rows_for_period(request.user, period)
    total, cities = selectors.period_progress(period, rows)
    manages = programmes_managed(request.user).filter(pk=period.programme_id).exists()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"{period.programme.name}{period.label}填报进度.xlsx",
            title=f"{period.programme.name}{period.label}填报进度",
            sheet="进度",
            columns=["所在市", "先导区", "状态", "提交时间", "按时", "待核查提示"],
            rows=[
                [
                    r.city.name if r.city else "",
                    r.zone.name,
                    r.state_label,  # type: ignore[attr-defined]
                    timezone.localtime(r.submitted_at).date() if r.submitted_at else "",
                    "是" if r.on_time else ("否" if r.submitted_at else ""),  # type: ignore[attr-defined]
                    r.active_flags,  # type: ignore[attr-defined]
                ]
                for r in rows
            ],
        )
    final_waiting = [r for r in rows if r.status == ReportStatus.PENDING and r.stage == settings.final_stage]
    return render(
        request,
        "monitoring/period_detail.html",
        {
            "period": period,
            "settings": settings,
            "levels": [settings.level_name(level) for level in settings.levels],
            "rows": rows,
            "total": total,
            "cities": cities,
            "manages": manages,
            "final_waiting": final_waiting,
            "today": timezone.localdate(),
            "breadcrumbs": [
                ("统计监测", reverse("monitoring:overview")),
                (f"{period.programme.name} {period.label}", None),
            ],
        },
    )


@login_required
@require_POST
def bulk_approve(request: HttpRequest, period_id: int) -> HttpResponse:
    period = selectors.period_get(request.user, period_id, PeriodAction.MANAGE)
    ids = [i for i in request.POST.getlist("ids") if i.isdigit()]
    reports = list(
        selectors.report_list_for_user(request.user, MonitoringAction.REVIEW).filter(
            period=period, pk__in=ids
        )
    )
    if not reports:
        messages.error(request, "请勾选待审定的报表。")
        return redirect("monitoring:period_detail", period_id=period.pk)
    result = services.reports_bulk_approve(
        actor=request.user, reports=reports, comment=request.POST.get("comment", "")
    )
    if result.approved:
        messages.success(
            request,
            f"已审定{len(result.approved)}份报表：{'、'.join(r.zone.name for r in result.approved)}。",
        )
    for report, reason in result.refused:
        messages.error(request, f"{report.zone.name}：{reason}")
    return redirect("monitoring:period_detail", period_id=period.pk)


# --- figures ---------------------------------------------------------------------------------------------


@login_required
def period_totals(request: HttpRequest, period_id: int) -> HttpResponse:
    period = selectors.period_get(request.user, period_id)
    data = selectors.programme_totals(period, request.user)
    if request.GET.get("format") == "xlsx":
        rows = []
        for item in data["indicators"]:
            for name, value in zip(item["by_city"]["names"], item["by_city"]["values"], strict=True):
                rows.append([item["name"], item["unit"], "按市", name, value])
            for name, value in zip(item["by_field"]["names"], item["by_field"]["values"], strict=True):
                rows.append([item["name"], item["unit"], "按领域", name, value])
        return xlsx_response(
            filename=f"{period.programme.name}{period.label}合计.xlsx",
            title=f"{period.programme.name}{period.label}各指标合计（按市、按领域）",
            sheet="合计",
            columns=["指标", "单位", "分组", "市或领域", "合计"],
            rows=rows,
            subtitle="各市按填报期末的隶属关系统计；含尚未审定的报表",
        )
    return render(
        request,
        "monitoring/period_totals.html",
        {
            "period": period,
            "chart": data,
            "breadcrumbs": [
                ("统计监测", reverse("monitoring:overview")),
                (
                    f"{period.programme.name} {period.label}",
                    reverse("monitoring:period_detail", kwargs={"period_id": period.pk}),
                ),
                ("合计图", None),
            ],
        },
    )


@login_required
def zone_chart(request: HttpRequest, zone_id: int) -> HttpResponse:
    visible = selectors.report_list_for_user(request.user).values("zone_id")
    zone = zone_list().filter(pk=zone_id, pk__in=visible).select_related("programme").first()
    if zone is None:
        raise Http404("未找到该对象，或您无权访问。")
    data = selectors.zone_series(zone, request.user)
    if request.GET.get("format") == "xlsx":
        rows = []
        for item in data["series"]:
            for year, value, target in zip(data["years"], item["values"], item["targets"], strict=True):
                rows.append([item["name"], item["unit"], f"{year}年", value, target])
        return xlsx_response(
            filename=f"{zone.name}历年指标.xlsx",
            title=f"{zone.name}历年指标与年度目标",
            sheet="历年指标",
            columns=["指标", "单位", "年度", "填报值", "年度目标"],
            rows=rows,
        )
    return render(
        request,
        "monitoring/zone_chart.html",
        {"zone": zone, "chart": data, "breadcrumbs": _crumbs((f"{zone.name}历年指标", None))},
    )
