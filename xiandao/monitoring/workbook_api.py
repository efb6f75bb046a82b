"""The Excel round trip over the API, through the same functions as the pages (mounted by ``api.py``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import File, Form, Router
from ninja.files import UploadedFile

from xiandao.api.errors import error_body
from xiandao.core.excel import XLSX_CONTENT_TYPE, content_disposition

from . import imports

router = Router(tags=["统计监测"])


@router.get(
    "/periods/{period_id}/workbook",
    url_name="monitoring_workbook_download",
    summary="下载填报期的 Excel 填报模板（本人可填报的报表）",
)
def workbook_download(request: HttpRequest, period_id: int) -> HttpResponse:
    period = imports.workbook_period(request.user, period_id)
    filename, data = imports.workbook_template(user=request.user, period=period)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


@router.post(
    "/periods/{period_id}/workbook",
    url_name="monitoring_workbook_upload",
    summary="上传填好的 Excel 模板：全部检查通过才保存；否则列出全部问题（工作表、行、列）",
    response={200: dict, 422: dict},
)
def workbook_upload(
    request: HttpRequest,
    period_id: int,
    file: File[UploadedFile | None] = None,
    reason: Form[str] = "",
) -> Any:
    period = imports.workbook_period(request.user, period_id)
    if file is None:
        return JsonResponse(error_body("refused", "请选择填好的 Excel 文件（.xlsx）。"), status=422)
    limits = imports.workbook_limits()
    if file.size and file.size > limits.max_bytes:
        return JsonResponse(
            error_body("refused", f"文件超过{limits.max_bytes // imports.MIB}MB，已拒绝读取。"), status=422
        )
    outcome = imports.report_workbook_import(
        actor=request.user, period=period, data=file.read(), reason=reason
    )
    if not outcome.ok:
        details = [
            {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message, "text": str(p)}
            for p in outcome.problems
        ]
        return JsonResponse(
            error_body("refused", f"发现{len(details)}处问题，未保存任何数值", details), status=422
        )
    return {
        "created": outcome.created,
        "changed": outcome.changed,
        "unchanged": outcome.unchanged,
        "reports": [r.pk for r in outcome.reports],
        "warnings": outcome.warnings,
    }
