"""Word documents of the evaluation: a zone's report card and the national recommendation letter.

Written with python-docx directly, in one small ``_document`` helper (fonts, title), so that it
moves to ``xiandao/core/documents.py`` (the documents kernel, GB/T 9704 layout) when that is
merged: only ``_document`` and ``_bytes`` change. PDF waits for WeasyPrint in the locks.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from xiandao.core.formats import date_zh, percent

from .models import EvaluationRun, ZoneResult
from .presentation import indicator_rows, labels_of, probabilities_row

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _east_asian(element: Any, font: str) -> None:
    """Set the East Asian font of a style's or a run's properties (python-docx sets only the Latin one)."""
    properties = element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _document(title: str) -> Any:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(14)
    _east_asian(style.element, "仿宋")
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.font.size = Pt(20)
    run.font.name = "方正小标宋简体"
    _east_asian(run.element, "方正小标宋简体")
    return document


def _bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def report_card_docx(result: ZoneResult) -> bytes:
    run = result.run
    labels = labels_of(run)
    document = _document(f"{result.zone_name}{run.year}年度评估报告单")
    document.add_paragraph(f"培育计划：{run.programme.name}")
    published = f"（{date_zh(run.published_at)}发布）" if run.published_at else "（未发布）"
    document.add_paragraph(f"评估年度：{run.year}年{published}；评价方法版本：{run.method_version}")
    if run.approved_only:
        document.add_paragraph("注：本批次仅依据已审核的填报数据评估。")
    grade = result.final_grade or result.proposed_grade
    document.add_paragraph(
        f"绩效指数 {result.index}，综合得分 {result.composite}，排名第 {result.rank} 位；评估等次：{grade}"
        + (f"（引擎建议 {result.proposed_grade}，已调整）" if result.adjusted else "")
    )
    chances = "，".join(
        f"{code} {percent(p)}" for code, p in probabilities_row(result, labels.grades) if p is not None
    )
    if chances:
        document.add_paragraph(f"等次概率：{chances}；排名区间：第 {result.rank_low}—{result.rank_high} 位")
    for reason in result.reasons:
        document.add_paragraph(f"定档依据：{reason['detail']}")
    for adjustment in result.adjustments.all():
        document.add_paragraph(
            f"等次调整：{adjustment.from_grade}→{adjustment.to_grade}，理由：{adjustment.reason}"
        )
    document.add_paragraph("各维度得分")
    _table(document, ["维度", "得分"], [[name, result.nodes.get(code)] for code, name in labels.dimensions])
    document.add_paragraph("各指标")
    _table(
        document,
        ["指标", "单位", "数值", "得分", "目标", "达成度"],
        [
            [
                r["name"],
                r["unit"],
                r["value"],
                r["score"],
                r["target"],
                percent(r["attainment"]) if r["attainment"] else "",
            ]
            for r in indicator_rows(result, labels, run)
        ],
    )
    for item in result.strengths:
        document.add_paragraph(item.get("note") or labels.indicator_name(item["code"]))
    for item in result.weaknesses:
        document.add_paragraph(item.get("note") or labels.indicator_name(item["code"]))
    path = result.path_to_next or {}
    steps = path.get("steps") or path.get("improvements") or []
    if steps:
        document.add_paragraph("提档路径")
        for step in steps:
            document.add_paragraph(str(step.get("text") or step.get("note") or step))
    return _bytes(document)


def national_letter_docx(result: ZoneResult, issuer: str) -> bytes:
    run = result.run
    document = _document(f"关于推荐{result.zone_name}争创国家未来产业先导区的函")
    document.add_paragraph("国家有关部门：")
    document.add_paragraph(
        f"按照《{run.programme.name}》有关规定，经{run.year}年度综合评估，{result.zone_name}评估等次为"
        f"{result.final_grade}（绩效指数 {result.index}，位列第 {result.rank} 位）。"
        "根据评估结果运用规定，现优先推荐该先导区争创国家未来产业先导区，请予支持。"
    )
    document.add_paragraph("特此函告。")
    closing = document.add_paragraph(issuer)
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    day = document.add_paragraph(date_zh(run.published_at) if run.published_at else "")
    day.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return _bytes(document)


def run_title(run: EvaluationRun) -> str:
    return f"{run.programme.name}{run.year}年度评估"
