"""Documents of the evaluation: a zone's report card (Word and PDF) and the national recommendation letter.

Laid out by the documents kernel (``xiandao/core/documents.py``: GB/T 9704 page and fonts in
Word, WeasyPrint with a CJK font for PDF); what a card says is built once (``card_facts``).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from xiandao.core.documents import (
    doc_heading,
    doc_paragraph,
    doc_table,
    doc_title,
    docx_bytes,
    gbt9704_document,
    pdf_from_html,
)
from xiandao.core.formats import date_zh, percent

from .models import EvaluationRun, ZoneResult
from .presentation import indicator_rows, labels_of, probabilities_row

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def _document(title: str) -> Any:
    document = gbt9704_document()
    doc_title(document, title)
    return document


def _bytes(document: Any) -> bytes:
    return docx_bytes(document)


def _table(document: Any, header: list[str], rows: list[list[Any]]) -> None:
    doc_table(document, header, rows, size_pt=10.5)


def card_facts(result: ZoneResult) -> dict[str, Any]:
    """What a report card says, for the Word and the PDF alike."""
    run = result.run
    labels = labels_of(run)
    grade = result.final_grade or result.proposed_grade
    chances = "，".join(
        f"{code} {percent(p)}" for code, p in probabilities_row(result, labels.grades) if p is not None
    )
    path = result.path_to_next or {}
    return {
        "title": f"{result.zone_name}{run.year}年度评估报告单",
        "meta": [
            f"培育计划：{run.programme.name}",
            f"评估年度：{run.year}年"
            + (f"（{date_zh(run.published_at)}发布）" if run.published_at else "（未发布）")
            + f"；评价方法版本：{run.method_version}",
            *(["注：本批次仅依据已审核的填报数据评估。"] if run.approved_only else []),
        ],
        "summary": f"绩效指数 {result.index}，综合得分 {result.composite}，排名第 {result.rank} 位；评估等次：{grade}"
        + (f"（评价方法得出 {result.proposed_grade}，已调整）" if result.adjusted else ""),
        "chances": f"等次概率：{chances}；排名区间：第 {result.rank_low}—{result.rank_high} 位"
        if chances
        else "",
        "reasons": [r["detail"] for r in result.reasons],
        "adjustments": [f"{a.from_grade}→{a.to_grade}，理由：{a.reason}" for a in result.adjustments.all()],
        "dimensions": [[name, result.nodes.get(code)] for code, name in labels.dimensions],
        "indicators": [
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
        "strengths": [i.get("note") or labels.indicator_name(i["code"]) for i in result.strengths],
        "weaknesses": [i.get("note") or labels.indicator_name(i["code"]) for i in result.weaknesses],
        "path": path.get("sentence") or path.get("reason") or "",
        "path_steps": [step.get("text", "") for step in path.get("improvements") or []],
    }


def report_card_docx(result: ZoneResult) -> bytes:
    facts = card_facts(result)
    document = _document(facts["title"])
    for line in facts["meta"]:
        doc_paragraph(document, line, indent=False)
    doc_heading(document, "一、评估结果")
    doc_paragraph(document, facts["summary"])
    if facts["chances"]:
        doc_paragraph(document, facts["chances"])
    for line in facts["reasons"]:
        doc_paragraph(document, f"定档依据：{line}")
    for line in facts["adjustments"]:
        doc_paragraph(document, f"等次调整：{line}")
    doc_heading(document, "二、各维度得分")
    _table(document, ["维度", "得分"], facts["dimensions"])
    doc_heading(document, "三、各指标")
    _table(document, ["指标", "单位", "数值", "得分", "年度目标", "达成度"], facts["indicators"])
    doc_heading(document, "四、优势与短板")
    for line in facts["strengths"] + facts["weaknesses"]:
        doc_paragraph(document, line)
    if facts["path"]:
        doc_heading(document, "五、提档路径")
        doc_paragraph(document, facts["path"])
        for line in facts["path_steps"]:
            doc_paragraph(document, line)
    return _bytes(document)


def report_card_pdf(result: ZoneResult) -> bytes:
    return pdf_from_html(render_to_string("evaluation/report_card_pdf.html", {"card": card_facts(result)}))


def national_letter_docx(result: ZoneResult, issuer: str) -> bytes:
    run = result.run
    document = _document(f"关于推荐{result.zone_name}争创国家未来产业先导区的函")
    doc_paragraph(document, "国家有关部门：", indent=False)
    doc_paragraph(
        document,
        f"按照《{run.programme.name}》有关规定，经{run.year}年度综合评估，{result.zone_name}评估等次为"
        f"{result.final_grade}（绩效指数 {result.index}，位列第 {result.rank} 位）。"
        "根据评估结果运用规定，现优先推荐该先导区争创国家未来产业先导区，请予支持。",
    )
    doc_paragraph(document, "特此函告。")
    doc_paragraph(document, issuer, align="right", indent=False)
    doc_paragraph(
        document, date_zh(run.published_at) if run.published_at else "", align="right", indent=False
    )
    return _bytes(document)


def run_title(run: EvaluationRun) -> str:
    return f"{run.programme.name}{run.year}年度评估"
