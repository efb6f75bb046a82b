"""Pages of supervision (目标任务, 督查, 驾驶舱): thin, reads from selectors, writes through services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xiandao.accounts.selectors import organisation_find
from xiandao.core.excel import export_filename, xlsx_response

from . import documents, presentation, rules, selectors, services
from .models import ProgressReport, SixList, SupervisionNotice
from .permissions import (
    SupervisionAction,
    programme_supervision_policy,
    task_supervision_policy,
    work_item_policy,
)


def _errors(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


def _crumbs(programme: Any = None, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [("目标任务", reverse("supervision:overview"))]
    if programme is not None:
        crumbs.append(
            (programme.name, reverse("supervision:targets", kwargs={"programme_code": programme.code}))
        )
    return [*crumbs, *items]


def _date(raw: str, default: dt.date | None = None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except (TypeError, ValueError):
        if default is not None:
            return default
        raise ValidationError("请填写日期（年-月-日）。") from None


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    programmes = list(selectors.programme_list_for_user(request.user))
    if not programmes:
        raise Http404("未找到该对象，或您无权访问。")
    if len(programmes) == 1:
        return redirect("supervision:targets", programme_code=programmes[0].code)
    return render(
        request,
        "supervision/overview.html",
        {
            "programmes": programmes,
            "breadcrumbs": [("目标任务", None)],
            "may_compare": programme_supervision_policy.instances_for(
                request.user, SupervisionAction.COMPARE
            ).count()
            > 1,
        },
    )


def _tabs(programme: Any, active: str, user: Any) -> dict[str, Any]:
    return {
        "programme": programme,
        "active": active,
        "may_manage": programme_supervision_policy.user_may(user, SupervisionAction.MANAGE, programme),
    }


@login_required
def targets(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, programme_code)
    rows = selectors.target_progress(programme)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"{programme.name}目标进度.xlsx",
            title=f"{programme.name}目标进度",
            sheet="目标进度",
            columns=["年份", "指标", "目标值", "单位", "当前值", "预期值", "状态", "计量方式", "截至"],
            rows=[
                [
                    r.target.year,
                    r.target.metric,
                    r.target.value,
                    r.target.unit,
                    r.current,
                    r.expected,
                    r.status_label,
                    r.measure_label,
                    r.as_of,
                ]
                for r in rows
            ],
        )
    years, groups = selectors.progress_grouped(rows)
    return render(
        request,
        "supervision/targets.html",
        {
            **_tabs(programme, "targets", request.user),
            "groups": groups,
            "years": years,
            "conf": selectors.settings_of(programme),
            "breadcrumbs": _crumbs(programme, ("目标进度", None)),
        },
    )


@login_required
def target_detail(request: HttpRequest, programme_code: str, target_id: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, programme_code)
    target = selectors.target_get(programme, target_id)
    if request.method == "POST":
        try:
            services.target_value_report(
                actor=request.user,
                target=target,
                as_of=_date(request.POST.get("as_of", "")),
                value=request.POST.get("value", ""),
                evidence=request.POST.get("evidence", ""),
            )
            messages.success(request, "已报送。")
            return redirect(request.path)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
    row = next(r for r in selectors.target_progress(programme) if r.target.pk == target.pk)
    return render(
        request,
        "supervision/target_detail.html",
        {
            **_tabs(programme, "targets", request.user),
            "row": row,
            "chart": presentation.trend_chart(row),
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs(programme, (f"{target.year}年 {target.metric}", None)),
        },
    )


@login_required
def tasks(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, programme_code)
    rows = selectors.task_rows(programme)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"{programme.name}任务进展.xlsx",
            title=f"{programme.name}任务进展",
            sheet="任务",
            columns=["任务", "牵头单位", "配合单位", "工作事项", "已办结", "逾期", "最近进展（%）"],
            rows=[
                [
                    r.task.title,
                    "、".join(u.written for u in r.lead),
                    "、".join(u.written for u in r.cooperating),
                    len(r.items),
                    sum(1 for i in r.items if i.done_on),
                    len(r.overdue),
                    r.latest_completion,
                ]
                for r in rows
            ],
        )
    return render(
        request,
        "supervision/tasks.html",
        {
            **_tabs(programme, "tasks", request.user),
            "rows": rows,
            "city_items": selectors.city_items(programme),
            "conf": selectors.settings_of(programme),
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs(programme, ("任务与年度工作清单", None)),
        },
    )


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = selectors.task_get(request.user, task_id)
    programme = task.programme
    row = selectors.task_rows(programme, programme.tasks.filter(pk=task.pk))[0]
    today = timezone.localdate()
    may_report = task_supervision_policy.user_may(request.user, SupervisionAction.REPORT, task)
    may_lead = task_supervision_policy.user_may(request.user, SupervisionAction.LEAD, task)
    return render(
        request,
        "supervision/task_detail.html",
        {
            **_tabs(programme, "tasks", request.user),
            "row": row,
            "task": task,
            "may_report": may_report,
            "may_lead": may_lead,
            "today": today,
            "years": [
                y
                for y in range(programme.start_year, today.year + 1)
                if selectors.period_open(programme, y, today)
            ],
            "breadcrumbs": _crumbs(
                programme,
                ("任务", reverse("supervision:tasks", kwargs={"programme_code": programme.code})),
                (task.title[:30], None),
            ),
        },
    )


@login_required
@require_POST
def task_report(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_supervision_policy.get_or_404(request.user, SupervisionAction.REPORT, pk=task_id)
    try:
        services.progress_report_submit(
            actor=request.user,
            task=task,
            year=int(request.POST.get("year") or 0),
            summary=request.POST.get("summary", ""),
            completion=int(request.POST.get("completion") or 0),
            problems=request.POST.get("problems", ""),
        )
        messages.success(request, "任务进展已报送。")
    except (ValidationError, PermissionDenied, ValueError) as exc:
        _errors(
            request, exc if not isinstance(exc, ValueError) else ValidationError("完成进度应为0至100的整数。")
        )
    return redirect("supervision:task_detail", task_id=task.pk)


@login_required
@require_POST
def report_part(request: HttpRequest, progress_id: int) -> HttpResponse:
    report = ProgressReport.objects.filter(
        task__in=task_supervision_policy.instances_for(request.user, SupervisionAction.REPORT), pk=progress_id
    ).first()
    if report is None:
        raise Http404("未找到该对象，或您无权访问。")
    try:
        services.progress_part_submit(actor=request.user, report=report, text=request.POST.get("text", ""))
        messages.success(request, "配合工作情况已补充。")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("supervision:task_detail", task_id=report.task_id)


@login_required
@require_POST
def item_create(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, programme_code, SupervisionAction.MANAGE)
    task = programme.tasks.filter(pk=request.POST.get("task") or 0).first()
    from xiandao.geo.selectors import city_find

    city = city_find(request.POST.get("city", "")) if request.POST.get("city") else None
    try:
        services.work_item_create(
            actor=request.user,
            programme=programme,
            year=int(request.POST.get("year") or 0),
            title=request.POST.get("title", ""),
            due=_date(request.POST.get("due", "")),
            task=task,
            city=city,
        )
        messages.success(request, "已加入年度工作清单。")
    except (ValidationError, ValueError) as exc:
        _errors(request, exc if isinstance(exc, ValidationError) else ValidationError("年度应为整数。"))
    if task is not None:
        return redirect("supervision:task_detail", task_id=task.pk)
    return redirect("supervision:tasks", programme_code=programme.code)


@login_required
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.item_get(request.user, item_id)
    programme = item.programme
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "notice":
                services.notice_issue(actor=request.user, item=item, text=request.POST.get("text", ""))
                messages.success(request, "已下达督办。")
            elif action == "answer":
                notice = item.notices.filter(pk=request.POST.get("notice") or 0).first()
                if notice is None:
                    raise Http404("未找到该对象，或您无权访问。")
                services.notice_answer(
                    actor=request.user, notice=notice, answer=request.POST.get("answer", "")
                )
                messages.success(request, "督办已反馈。")
            elif action == "complete":
                services.work_item_complete(
                    actor=request.user,
                    item=item,
                    done_on=_date(request.POST.get("done_on", ""), timezone.localdate()),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, "事项已办结。")
            return redirect(request.path)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
    return render(
        request,
        "supervision/item_detail.html",
        {
            **_tabs(programme, "tasks", request.user),
            "item": item,
            "notices": list(item.notices.select_related("issued_by", "answered_by")),
            "today": timezone.localdate(),
            "may_answer": work_item_policy.user_may(request.user, SupervisionAction.ANSWER, item),
            "breadcrumbs": _crumbs(
                programme,
                ("任务", reverse("supervision:tasks", kwargs={"programme_code": programme.code})),
                (item.title[:30], None),
            ),
        },
    )


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """督查: the tasks the department leads or joins, with what is due and the 督办 to answer."""
    mine = selectors.tasks_of_user(request.user)
    rows = []
    for programme in selectors.programme_list_for_user(request.user):
        rows += selectors.task_rows(programme, mine.filter(programme=programme))
    notices = SupervisionNotice.objects.filter(
        item__in=work_item_policy.instances_for(request.user, SupervisionAction.ANSWER),
        answered_at__isnull=True,
    ).select_related("item")
    return render(
        request,
        "supervision/my_tasks.html",
        {
            "rows": rows,
            "notices": list(notices),
            "today": timezone.localdate(),
            "breadcrumbs": [("督查", None)],
        },
    )


@login_required
def warnings(request: HttpRequest) -> HttpResponse:
    programmes = list(selectors.programme_list_for_user(request.user))
    if not programmes:
        raise Http404("未找到该对象，或您无权访问。")
    return redirect("supervision:warnings_programme", programme_code=programmes[0].code)


@login_required
def warnings_programme(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, programme_code)
    if request.method == "POST":
        try:
            services.warning_explain(
                actor=request.user,
                programme=programme,
                key=request.POST.get("key", ""),
                text=request.POST.get("text", ""),
            )
            messages.success(request, "情况说明已记录，该预警已关闭。")
            return redirect(request.path)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
    every = selectors.warnings_all(programme)
    explained = selectors.explained_keys(programme)
    open_ = rules.open_warnings(every, explained)
    kind = request.GET.get("kind", "")
    if kind:
        open_ = [w for w in open_ if w.kind == kind]
    closed = [(w, explained[w.key]) for w in every if w.key in explained]
    return render(
        request,
        "supervision/warnings.html",
        {
            **_tabs(programme, "warnings", request.user),
            "warnings": open_,
            "closed": closed,
            "kinds": rules.KIND_LABELS,
            "kind": kind,
            "breadcrumbs": _crumbs(programme, ("提示预警", None)),
        },
    )


@login_required
def cockpit(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, programme_code)
    data = selectors.cockpit(programme)
    charts = presentation.cockpit_charts(programme, data)
    chart = request.GET.get("chart", "")
    if request.GET.get("format") == "xlsx" and chart in charts:
        spec = charts[chart]
        return xlsx_response(
            filename=f"{programme.name}{spec['title']}.xlsx",
            title=f"{programme.name}{spec['title']}",
            sheet="数据",
            columns=spec["columns"],
            rows=spec["rows"],
            subtitle=f"截至{data['as_of']:%Y年%m月%d日}",
        )
    drill = request.GET.get("drill", "")
    drill_rows = presentation.drill_rows(data, chart, drill) if chart and drill else None
    return render(
        request,
        "supervision/cockpit.html",
        {
            **_tabs(programme, "cockpit", request.user),
            "data": data,
            "charts": charts,
            "screen": request.GET.get("screen") == "1",
            "drill": drill,
            "drill_chart": charts.get(chart),
            "drill_rows": drill_rows,
            "breadcrumbs": _crumbs(programme, ("领导驾驶舱", None)),
        },
    )


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    allowed = list(
        programme_supervision_policy.instances_for(request.user, SupervisionAction.COMPARE).order_by("code")
    )
    if not allowed:
        raise Http404("未找到该对象，或您无权访问。")
    codes = [c for c in request.GET.getlist("p") if c] or [p.code for p in allowed][:2]
    chosen = [p for code in codes for p in allowed if p.code == code][:4]
    columns = [presentation.comparison_column(p) for p in chosen]
    return render(
        request,
        "supervision/compare.html",
        {
            "allowed": allowed,
            "columns": columns,
            "slots": list(enumerate(([*codes, "", ""])[:2], start=1)),
            "breadcrumbs": [("目标任务", reverse("supervision:overview")), ("计划对比", None)],
        },
    )


@login_required
def bulletin(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, programme_code)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return documents.bulletin_response(programme, year)


# --- 六个一 ----------------------------------------------------------------------------------------------


def _six_programme(request: HttpRequest, programme_code: str) -> Any:
    programme = selectors.programme_get(request.user, programme_code)
    if not selectors.six_lists_apply(programme):
        raise Http404("未找到该对象，或您无权访问。")
    return programme


def _six_crumbs(programme: Any, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return _crumbs(
        programme,
        ("六个一", reverse("supervision:six_lists", kwargs={"programme_code": programme.code})),
        *items,
    )


@login_required
def six_lists(request: HttpRequest, programme_code: str) -> HttpResponse:
    """Every industry with its responsible units and the size of each of its six lists."""
    programme = _six_programme(request, programme_code)
    rows = selectors.six_list_overview(programme, request.user)
    labels = [str(kind.label) for kind in SixList]
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=export_filename(programme.name, "六个一清单总览"),
            title=f"{programme.name}“六个一”清单总览",
            sheet="总览",
            columns=["产业", "责任单位（牵头部门）", *labels, "合计"],
            rows=[[r.industry.name, r.industry.unit_names, *r.counts, r.total] for r in rows],
        )
    return render(
        request,
        "supervision/six_lists.html",
        {
            **_tabs(programme, "six", request.user),
            "rows": rows,
            "labels": labels,
            "breadcrumbs": _crumbs(programme, ("六个一", None)),
        },
    )


def _six_industry(programme: Any, field_code: str) -> Any:
    industry = selectors.six_list_industry(programme, field_code)
    if industry is None:
        raise Http404("未找到该对象，或您无权访问。")
    return industry


def _six_columns(column: Any) -> list[str]:
    headers = ["序号", column.name_label]
    if column.kind == SixList.INVESTMENT:
        headers.append("目标地区")
    if column.kind == SixList.POLICIES:
        headers.append("政策文件")
    return [*headers, "说明（所在地）", "来源或维护单位"]


def _six_cells(column: Any, index: int, row: Any) -> list[Any]:
    cells: list[Any] = [index, row.name]
    if column.kind == SixList.INVESTMENT:
        cells.append(row.region)
    if column.kind == SixList.POLICIES:
        cells.append(row.document)
    return [*cells, row.detail, row.keeper]


@login_required
def six_list_industry(request: HttpRequest, programme_code: str, field_code: str) -> HttpResponse:
    """An industry's six lists side by side; ``?format=xlsx&list=<list>`` downloads one of them."""
    programme = _six_programme(request, programme_code)
    industry = _six_industry(programme, field_code)
    lists = selectors.six_lists(programme, field_code, request.user)
    if request.GET.get("format") == "xlsx":
        column = next((c for c in lists if c.kind == request.GET.get("list")), None)
        if column is None:
            raise Http404("未找到该清单。")
        return xlsx_response(
            filename=export_filename(programme.name, industry.name, column.label),
            title=f"{industry.name}{column.label}",
            subtitle=f"责任单位：{industry.unit_names}",
            sheet=column.label[:31],
            columns=_six_columns(column),
            rows=[_six_cells(column, i, row) for i, row in enumerate(column.rows, start=1)],
        )
    keepers = selectors.six_list_keepers(request.user, programme, industry)
    may_manage = programme_supervision_policy.user_may(request.user, SupervisionAction.MANAGE, programme)
    return render(
        request,
        "supervision/six_list_industry.html",
        {
            **_tabs(programme, "six", request.user),
            "industry": industry,
            "industries": selectors.six_list_industries(programme),
            "lists": lists,
            "keepers": keepers,
            "editable": {
                row.entry.pk
                for column in lists
                for row in column.kept
                if row.entry is not None and (may_manage or row.entry.keeper in keepers)
            },
            "breadcrumbs": _six_crumbs(programme, (industry.name, None)),
        },
    )


def _keeper_of(request: HttpRequest) -> Any:
    """The unit chosen in the form, by id (the service checks it is one the user may keep as)."""
    raw = request.POST.get("keeper") or ""
    if not raw:
        return None
    keeper = organisation_find(int(raw)) if raw.isdigit() else None
    if keeper is None:
        raise ValidationError({"keeper": "请选择维护单位。"})
    return keeper


def _version_of(request: HttpRequest) -> int | None:
    raw = request.POST.get("version") or ""
    return int(raw) if raw.isdigit() else None


def _industry_url(programme_code: str, field_code: str) -> str:
    return reverse(
        "supervision:six_list_industry", kwargs={"programme_code": programme_code, "field_code": field_code}
    )


@login_required
@require_POST
def six_list_entry_add(request: HttpRequest, programme_code: str, field_code: str) -> HttpResponse:
    programme = _six_programme(request, programme_code)
    industry = _six_industry(programme, field_code)
    list_kind = request.POST.get("list_kind", "")
    try:
        entry = services.six_list_entry_add(
            actor=request.user,
            programme=programme,
            field_code=industry.code,
            list_kind=list_kind,
            name=request.POST.get("name", ""),
            region=request.POST.get("region", ""),
            document=request.POST.get("document", ""),
            detail=request.POST.get("detail", ""),
            keeper=_keeper_of(request),
        )
        messages.success(request, f"已加入{entry.get_list_kind_display()}：{entry.name}。")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect(f"{_industry_url(programme.code, industry.code)}#list-{list_kind}")


@login_required
@require_POST
def six_list_entry_edit(request: HttpRequest, six_list_entry_id: int) -> HttpResponse:
    entry = selectors.six_list_entry_get(request.user, six_list_entry_id)
    try:
        entry = services.six_list_entry_change(
            actor=request.user,
            entry=entry,
            name=request.POST.get("name", ""),
            region=request.POST.get("region", ""),
            document=request.POST.get("document", ""),
            detail=request.POST.get("detail", ""),
            keeper=_keeper_of(request),
            expected_version=_version_of(request),
        )
        messages.success(request, f"已修改：{entry.name}。")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect(f"{_industry_url(entry.programme.code, entry.field_code)}#list-{entry.list_kind}")


@login_required
@require_POST
def six_list_entry_remove(request: HttpRequest, six_list_entry_id: int) -> HttpResponse:
    entry = selectors.six_list_entry_get(request.user, six_list_entry_id)
    try:
        services.six_list_entry_remove(actor=request.user, entry=entry, expected_version=_version_of(request))
        messages.success(request, f"已从{entry.get_list_kind_display()}删除：{entry.name}。")
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect(f"{_industry_url(entry.programme.code, entry.field_code)}#list-{entry.list_kind}")
