"""Pages of the Excel round trip: download a period's template, upload it filled (thin: imports does the work).

The upload page lists every problem of a refused file at once (sheet, row, column, in Chinese) and
says that nothing was saved; the person corrects the same file and uploads it again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from xiandao.core.excel import XLSX_CONTENT_TYPE, content_disposition

from . import imports
from .models import ReportStatus

#: Problems shown on the page; the rest are counted (a file of 100,000 wrong rows stays readable).
SHOWN_PROBLEMS = 500


@login_required
def workbook_download(request: HttpRequest, period_id: int) -> HttpResponse:
    period = imports.workbook_period(request.user, period_id)
    filename, data = imports.workbook_template(user=request.user, period=period)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


@login_required
def workbook_upload(request: HttpRequest, period_id: int) -> HttpResponse:
    period = imports.workbook_period(request.user, period_id)
    reports = list(imports.workbook_reports(request.user, period))
    if not reports:
        raise PermissionDenied("您在本填报期没有可填报的报表。")
    context = {
        "period": period,
        "reports": reports,
        "approved": [r for r in reports if r.status == ReportStatus.APPROVED],
        "breadcrumbs": [
            ("数据填报", reverse("monitoring:report_list")),
            (f"{period.label} Excel 填报", None),
        ],
        "max_mb": imports.workbook_limits().max_bytes // imports.MIB,
    }
    if request.method != "POST":
        return render(request, "monitoring/workbook_upload.html", context)
    upload = request.FILES.get("file")
    reason = request.POST.get("reason", "").strip()
    if upload is None:
        context.update(problems=["请选择填好的 Excel 文件（.xlsx）。"], total=1)
        return render(request, "monitoring/workbook_upload.html", context, status=422)
    limits = imports.workbook_limits()
    if upload.size and upload.size > limits.max_bytes:
        context.update(
            problems=[f"文件超过{context['max_mb']}MB，已拒绝读取。请删除多余的工作表或分批上传。"],
            total=1,
            filename=upload.name,
        )
        return render(request, "monitoring/workbook_upload.html", context, status=422)
    outcome = imports.report_workbook_import(
        actor=request.user, period=period, data=upload.read(), reason=reason
    )
    if not outcome.ok:
        context.update(
            problems=[str(p) for p in outcome.problems[:SHOWN_PROBLEMS]],
            more=max(len(outcome.problems) - SHOWN_PROBLEMS, 0),
            total=len(outcome.problems),
            filename=upload.name,
            reason=reason,
        )
        return render(request, "monitoring/workbook_upload.html", context, status=422)
    summary = f"已导入“{upload.name}”：新填 {outcome.created} 项，修改 {outcome.changed} 项，未变 {outcome.unchanged} 项。"
    messages.success(request, summary)
    for warning in outcome.warnings[:20]:
        messages.warning(request, f"{warning}（警告：提交前请在核查提示中说明）")
    if len(reports) == 1:
        return redirect("monitoring:report_detail", report_id=reports[0].pk)
    return redirect(f"{reverse('monitoring:report_list')}?year={period.year}")


urlpatterns = [
    path("periods/<int:period_id>/workbook/", workbook_download, name="workbook_download"),
    path("periods/<int:period_id>/workbook/upload/", workbook_upload, name="workbook_upload"),
]
