"""The application as documents: Word after GB/T 9704 and PDF, both from the same outline.

The outline (:func:`application_outline`) is the order a 申请报告 is read in: the particulars,
基本情况, 申报条件, 目标任务 (overall and per year of the creation period), 主要举措, the city's
审核意见 and the list of attachments. ``core.documents`` lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpResponse
from django.template.loader import render_to_string

from xiandao.core.documents import (
    DOCX_TYPE,
    PDF_TYPE,
    doc_heading,
    doc_paragraph,
    doc_table,
    doc_title,
    docx_bytes,
    download_response,
    gbt9704_document,
    pdf_from_html,
)
from xiandao.core.formats import date_zh

from .application_rules import application_rules, indicators_for, period_years
from .models import Application, AttestationCheck

CHINESE_NUMBERS = "一二三四五六七八九十"


@dataclass
class Outline:
    title: str
    particulars: list[tuple[str, str]]
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    target_headers: list[str] = field(default_factory=list)
    target_rows: list[list[str]] = field(default_factory=list)
    attestations: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


def application_outline(application: Application) -> Outline:
    rules = application_rules(application.programme)
    zone_type = application.zone_type if application.zone_type_id else None
    field_ = application.field if application.field_id else None
    period = (
        f"{application.creation_start_year}年至{application.creation_end_year}年"
        if application.creation_start_year and application.creation_end_year
        else "未填写"
    )
    particulars = [
        ("申报单位", f"{application.city.name}人民政府"),
        ("培育计划", application.programme.name),
        ("领域", field_.name if field_ else "未选择"),
    ]
    if zone_type is not None:
        particulars.append(("先导区类型", zone_type.name))
    particulars += [
        ("承载园区", "、".join(p.name for p in application.host_parks.all()) or "未选择"),
        ("创建周期", period),
        ("联系人", " ".join(x for x in (application.contact_name, application.contact_phone) if x) or "—"),
        ("状态", application.get_status_display()),
    ]
    outline = Outline(title=f"{application.name}创建申请报告", particulars=particulars)
    outline.sections.append(("基本情况", (application.summary or "（未填写）").splitlines()))
    answers = {a.condition_code: a.statement for a in application.eligibility.all()}
    conditions = rules.conditions_for(zone_type.code if zone_type else None)
    outline.sections.append(
        (
            "申报条件",
            [f"{c.name}：{answers.get(c.code) or '（未说明）'}" for c in conditions]
            or ["（本计划未列申报条件）"],
        )
    )
    years = period_years(application)
    values = {(t.indicator_code, t.year): t.value for t in application.targets.all()}
    outline.target_headers = ["指标", "单位", "总体目标", *[f"{y}年" for y in years]]
    for indicator in indicators_for(application.programme):
        cells = [values.get((indicator.code, None)), *[values.get((indicator.code, y)) for y in years]]
        if all(c is None for c in cells) and not indicator.target_required:
            continue
        outline.target_rows.append(
            [
                indicator.name,
                indicator.unit,
                *["—" if c is None else format(c.normalize(), "f") for c in cells],
            ]
        )
    outline.sections.append(("主要举措", (application.measures or "（未填写）").splitlines()))
    for attestation in application.attestations.filter(round=application.round).order_by("pk"):
        label = AttestationCheck(attestation.item).label
        outline.attestations.append(
            f"{label}：{attestation.statement}（{attestation.officer_name}，{date_zh(attestation.attested_at)}）"
        )
    outline.attachments = [
        f"{a.get_kind_display()}：{a.original_name}"
        for a in application.attachments.order_by("uploaded_at", "pk")
    ]
    return outline


def _file_name(application: Application, suffix: str) -> str:
    return f"{application.name}创建申请报告{suffix}"


def application_docx_bytes(application: Application) -> bytes:
    outline = application_outline(application)
    document = gbt9704_document()
    doc_title(document, outline.title)
    doc_table(document, ["项目", "内容"], outline.particulars)
    number = 0

    def heading(text: str) -> None:
        nonlocal number
        doc_heading(document, f"{CHINESE_NUMBERS[number]}、{text}", 1)
        number += 1

    for title, lines in outline.sections[:2]:
        heading(title)
        for line in lines:
            doc_paragraph(document, line)
    heading("目标任务")
    if outline.target_rows:
        doc_table(document, outline.target_headers, outline.target_rows, size_pt=10.5)
    else:
        doc_paragraph(document, "（未填写目标）")
    title, lines = outline.sections[2]
    heading(title)
    for line in lines:
        doc_paragraph(document, line)
    if outline.attestations:
        heading("设区市审核意见")
        for line in outline.attestations:
            doc_paragraph(document, line)
    if outline.attachments:
        doc_paragraph(document, "")
        doc_paragraph(document, "附件：" + outline.attachments[0])
        for index, line in enumerate(outline.attachments[1:], start=2):
            doc_paragraph(document, f"{index}. {line}")
    return docx_bytes(document)


def application_docx(application: Application) -> HttpResponse:
    return download_response(
        application_docx_bytes(application), filename=_file_name(application, ".docx"), content_type=DOCX_TYPE
    )


def application_pdf_bytes(application: Application) -> bytes:
    html = render_to_string(
        "pilot_zones/applications/document.html", {"outline": application_outline(application)}
    )
    return pdf_from_html(html)


def application_pdf(application: Application) -> HttpResponse:
    return download_response(
        application_pdf_bytes(application), filename=_file_name(application, ".pdf"), content_type=PDF_TYPE
    )
