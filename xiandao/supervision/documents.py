"""督查通报: a programme's progress report for a period, as Word (GB/T 9704 layout from core.documents)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils import timezone

from xiandao.core.documents import (
    doc_heading,
    doc_paragraph,
    doc_table,
    doc_title,
    docx_bytes,
    download_response,
    gbt9704_document,
)

from . import selectors

if TYPE_CHECKING:
    from xiandao.programmes.models import Programme

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def bulletin_bytes(programme: Programme, year: int) -> bytes:
    """Targets with status, tasks with progress, warnings, and the zones' grades."""
    data = selectors.cockpit(programme)
    today = timezone.localdate()
    document = gbt9704_document()
    doc_title(document, f"{programme.name}{year}年度督查通报")
    doc_paragraph(
        document,
        f"截至{today.year}年{today.month}月{today.day}日，现将{programme.name}目标任务推进情况通报如下。",
    )
    doc_heading(document, "一、目标进度")
    doc_table(
        document,
        ["年份", "指标", "目标值", "当前值", "预期值", "状态"],
        [
            [
                str(r.target.year),
                r.target.metric,
                f"{r.target.value_display}{r.target.unit}",
                r.current_display,
                str(r.expected),
                r.status_label,
            ]
            for r in data["progress"]
        ],
    )
    doc_heading(document, "二、任务进展")
    task_rows = []
    for row in data["tasks"]:
        report = row.reports.get(year)
        task_rows.append(
            [
                row.task.title[:40],
                "、".join(u.written for u in row.lead),
                f"{report.completion}%" if report else "未报送",
                f"{sum(1 for i in row.items if i.done_on)}/{len(row.items)}",
            ]
        )
    doc_table(document, ["任务", "牵头单位", f"{year}年进展", "工作事项（办结/总数）"], task_rows)
    doc_heading(document, "三、提示预警")
    if data["warnings"]:
        doc_table(
            document,
            ["等级", "类型", "对象", "责任单位"],
            [[w.level_label, w.kind_label, w.subject, w.responsible] for w in data["warnings"]],
        )
    else:
        doc_paragraph(document, "本期无未关闭的提示预警。")
    doc_heading(document, "四、先导区评估等次")
    doc_table(
        document,
        ["先导区", "所在市", "领域", "等次"],
        [[z["name"], z["city"], z["field"], z["grade"]] for z in data["zones"]],
    )
    return docx_bytes(document)


def bulletin_response(programme: Programme, year: int) -> HttpResponse:
    return download_response(
        bulletin_bytes(programme, year),
        filename=f"{programme.name}{year}年度督查通报.docx",
        content_type=DOCX,
    )
