"""Public pages of the programmes: public policy, readable by anyone without logging in."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import groupby
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from pydantic import TypeAdapter, ValidationError

from xiandao.core.formats import date_zh, percent
from xiandao.core.listing import Listing, Sort
from xiandao.programmes.definition.schema import GradedLifecycle
from xiandao.programmes.definition.schema import Lifecycle as LifecycleSchema

from . import selectors
from .exports import Column, export_filename, xlsx_response
from .highlight import highlight
from .models import Programme, TaskUnit, UnitRole
from .state import parameters_inserted

TABS = (
    ("overview", "概览"),
    ("documents", "政策文件"),
    ("taxonomy", "领域分类"),
    ("targets", "目标"),
    ("tasks", "任务"),
    ("rules", "生命周期规则"),
    ("framework", "指标体系"),
)

LABELS = {
    "authenticity": "真实性",
    "accuracy": "准确性",
    "completeness": "完整性",
    "compliance": "合规性",
    "scientist": "科学家",
    "entrepreneur": "企业家",
    "investor": "风险投资家",
    "direction": "发展方向",
    "attainability": "目标可及性",
    "soundness": "任务合理性",
    "feasibility": "措施可行性",
    "all_targets_met": "完成全部目标任务",
    "annual": "每年",
}


def _context(
    programme: Programme, tab: str, trail: Iterable[tuple[str, str | None]] = (), **extra: Any
) -> dict[str, Any]:
    """What every programme page has: the programme, its tabs and the breadcrumbs."""
    label = dict(TABS)[tab]
    crumbs: list[tuple[str, str | None]] = [("培育计划", reverse("programmes:list"))]
    if tab == "overview":
        crumbs.append((programme.name, None))
    else:
        crumbs.append((programme.name, reverse("programmes:overview", args=[programme.code])))
        trail = list(trail)
        crumbs += trail or [(label, None)]
    return {
        "programme": programme,
        "tab": tab,
        "tabs": [(code, name, reverse(f"programmes:{code}", args=[programme.code])) for code, name in TABS],
        "breadcrumbs": crumbs,
        "programme_switch": selectors.programme_codes_and_names(),
        **extra,
    }


def programme_list(request: HttpRequest) -> HttpResponse:
    """培育计划: the programmes of every jurisdiction."""
    return render(
        request,
        "programmes/programme_list.html",
        {"programmes": selectors.programme_list_public(), "breadcrumbs": [("培育计划", None)]},
    )


def overview(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = selectors.programme_get_public(programme_code)
    versions = selectors.taxonomy_version_list(programme)
    return render(
        request,
        "programmes/overview.html",
        _context(
            programme,
            "overview",
            documents=selectors.document_list(programme),
            versions=versions,
            zone_types=list(programme.zone_types.select_related("document").order_by("position")),
            zones=selectors.programme_zones(programme),
            zone_status_labels=selectors.zone_status_labels(programme),
            lifecycle=selectors.lifecycle_get(programme),
            framework=selectors.framework_get(programme),
        ),
    )


def documents(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = selectors.programme_get_public(programme_code)
    return render(
        request,
        "programmes/documents.html",
        _context(programme, "documents", documents=selectors.document_list(programme)),
    )


def document(request: HttpRequest, programme_code: str, document_code: str) -> HttpResponse:
    """A document's text with every target's and task's quote marked in place."""
    programme = selectors.programme_get_public(programme_code)
    doc = selectors.document_get(programme, document_code)
    text = selectors.document_text(doc)
    quotes = selectors.document_quotes(doc)
    marked = highlight(text, quotes) if text is not None else None
    trail = [("政策文件", reverse("programmes:documents", args=[programme.code])), (doc.title, None)]
    return render(
        request,
        "programmes/document.html",
        _context(
            programme,
            "documents",
            trail,
            document=doc,
            text_available=text is not None,
            marked=marked,
            quotes=quotes,
        ),
    )


def taxonomy(request: HttpRequest, programme_code: str) -> HttpResponse:
    """The field taxonomy of one version (the latest unless ``?version=`` chooses), with changes from the one before."""
    programme = selectors.programme_get_public(programme_code)
    versions = selectors.taxonomy_version_list(programme)
    chosen = next(
        (v for v in versions if v.code == request.GET.get("version")), versions[-1] if versions else None
    )
    fields = selectors.taxonomy_fields(chosen) if chosen else []
    changes: dict[str, str] = {}
    previous = None
    if chosen is not None and versions.index(chosen) > 0:
        previous = versions[versions.index(chosen) - 1]
        before = {f.code: f for f in selectors.taxonomy_fields(previous)}
        for f in fields:
            old = before.get(f.code)
            if old is None:
                changes[f.code] = "新增"
            elif old.name != f.name:
                changes[f.code] = f"更名（原为“{old.name}”）"
            elif old.order != f.order:
                changes[f.code] = f"序号由{old.order}调为{f.order}"
        removed = [f.name for code, f in before.items() if code not in {x.code for x in fields}]
    else:
        removed = []
    for f in fields:
        f.change = changes.get(f.code, "")  # type: ignore[attr-defined]
    groups = [(kind, list(items)) for kind, items in groupby(fields, key=lambda f: f.kind)]
    return render(
        request,
        "programmes/taxonomy.html",
        _context(
            programme,
            "taxonomy",
            versions=versions,
            version=chosen,
            previous=previous,
            groups=groups,
            changes=changes,
            removed=removed,
            has_places=any(f.places.all() for f in fields),
        ),
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


TARGET_SORTS = (
    Sort("year", "年份", ("year", "position")),
    Sort("metric", "指标", ("metric", "position")),
    Sort("value", "目标值", ("value", "position")),
    Sort("scope", "范围", ("scope", "position")),
    Sort("document", "文件", ("document__position", "position")),
)


def _file_stem(programme: Programme) -> str:
    """The programme's name for a file: without a closing bracketed qualifier (安徽省未来产业培育-目标.xlsx)."""
    return re.sub(r"[（(][^（）()]*[）)]$", "", programme.name).strip() or programme.name


def _filters_text(*parts: str, count: int) -> str:
    """The export's second row: what was filtered, how many rows, when."""
    shown = "；".join(p for p in parts if p) or "全部"
    return f"筛选条件：{shown}。共 {count} 条。导出时间：{date_zh(timezone.now())}"


def targets(request: HttpRequest, programme_code: str) -> HttpResponse:
    """Targets filtered by document, year and text, sorted and paged; ``?format=xlsx`` exports what is filtered."""
    programme = selectors.programme_get_public(programme_code)
    docs = selectors.document_list(programme)
    document = next((d for d in docs if d.code == request.GET.get("document")), None)
    year = _int(request.GET.get("year"))
    q = request.GET.get("q", "").strip()
    rows = selectors.target_list(programme, document=document, q=q, year=year)
    listing = Listing(request, rows, sorts=TARGET_SORTS, default="year")
    if request.GET.get("format") == "xlsx":
        ordered = list(listing.ordered)
        return xlsx_response(
            export_filename(_file_stem(programme), "目标"),
            "目标",
            [
                Column("年份", 8),
                Column("指标", 28),
                Column("目标值", 10),
                "单位",
                "限定",
                "力争",
                "累计",
                "范围",
                "计数口径",
                Column("原文", 60),
                Column("文件", 30),
            ],
            [
                [
                    t.year,
                    t.metric,
                    t.value,
                    t.unit,
                    ""
                    if t.qualifier == "exactly"
                    else t.get_qualifier_display(),  # a bare number: no qualifier
                    "是" if t.strive else "",
                    "是" if t.cumulative else "",
                    t.get_scope_display(),
                    t.get_basis_display(),
                    t.quote,
                    t.document.title,
                ]
                for t in ordered
            ],
            heading=f"{programme.name} · 目标",
            subtitle=_filters_text(
                f"《{document.title}》" if document else "",
                f"{year}年" if year else "",
                f"搜索“{q}”" if q else "",
                count=len(ordered),
            ),
        )
    labels = selectors.measure_labels(programme)
    counts = selectors.target_counts(programme)
    shown = list(listing.page.object_list)
    for t in shown:
        t.measure_label = labels.get(t.measure, "")
        t.measure_count = counts.get(t.code)
    per_year = Counter(rows.values_list("year", flat=True))
    return render(
        request,
        "programmes/targets.html",
        _context(
            programme,
            "targets",
            documents=docs,
            document=document,
            years=selectors.target_years(programme),
            year=year,
            q=q,
            listing=listing,
            rows=shown,
            # Year headings inside the table while it is sorted by year (the documents' own grouping).
            by_year=listing.sort == "year",
            per_year=per_year,
            count=listing.page.paginator.count,
            show_document=document is None and len(docs) > 1,
            export_query=listing.export_url.removeprefix("?"),
        ),
    )


def _unit_views(units: Iterable[TaskUnit], highlighted: set[int]) -> list[dict[str, Any]]:
    out = []
    for unit in units:
        organisations = list(unit.organisations.all())
        out.append(
            {
                "unit": unit,
                "organisations": organisations,
                "matched": unit.pk in highlighted,
                "same_name": len(organisations) == 1 and organisations[0].name == unit.written,
            }
        )
    return out


TASK_SORTS = (
    Sort("position", "文件顺序", ("document__position", "position")),
    Sort("title", "任务", ("title", "position")),
    Sort("document", "文件", ("document__position", "position")),
)


def tasks(request: HttpRequest, programme_code: str) -> HttpResponse:
    """Tasks by responsible organisation: "what is 省科技厅 responsible for?" (aliases resolved)."""
    programme = selectors.programme_get_public(programme_code)
    docs = selectors.document_list(programme)
    document = next((d for d in docs if d.code == request.GET.get("document")), None)
    role = request.GET.get("role", "")
    role = role if role in UnitRole.values else ""
    q = request.GET.get("q", "").strip()
    who = selectors.organisation_filter(programme, request.GET.get("organisation", ""))
    listing = Listing(
        request,
        selectors.task_list(programme, organisation=who, role=role, document=document, q=q),
        sorts=TASK_SORTS,
        default="position",
    )
    rows = list(listing.ordered)
    matched: set[int] = set()
    for task in rows:
        for unit in task.units.all():
            if (who.organisation and who.organisation in unit.organisations.all()) or (
                who.written and unit.written == who.written
            ):
                matched.add(unit.pk)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            export_filename(_file_stem(programme), "任务"),
            "任务",
            [
                Column("任务", 36),
                Column("上级", 24),
                Column("牵头（责任）单位", 30),
                Column("配合单位", 30),
                Column("原文", 60),
                Column("文件", 30),
                "条款",
            ],
            [
                [
                    t.title,
                    t.parent.title if t.parent else "",
                    "、".join(u.written for u in t.units_by_role()[UnitRole.LEAD]),
                    "、".join(u.written for u in t.units_by_role()[UnitRole.COOPERATING]),
                    t.quote,
                    t.document.title,
                    t.article,
                ]
                for t in rows
            ],
            heading=f"{programme.name} · 任务",
            subtitle=_filters_text(
                f"责任单位“{who.typed}”" if who.typed else "",
                str(UnitRole(role).label) if role else "",
                f"《{document.title}》" if document else "",
                f"搜索“{q}”" if q else "",
                count=len(rows),
            ),
        )
    lead_count = sum(
        1 for t in rows if any(u.pk in matched and u.role == UnitRole.LEAD for u in t.units.all())
    )
    cooperating_count = sum(
        1 for t in rows if any(u.pk in matched and u.role == UnitRole.COOPERATING for u in t.units.all())
    )
    items: list[dict[str, Any]] = [
        {
            "task": t,
            "lead": _unit_views(t.units_by_role()[UnitRole.LEAD], matched),
            "cooperating": _unit_views(t.units_by_role()[UnitRole.COOPERATING], matched),
            "role_here": sorted({str(UnitRole(u.role).label) for u in t.units.all() if u.pk in matched}),
        }
        for t in listing.page.object_list
    ]
    return render(
        request,
        "programmes/tasks.html",
        _context(
            programme,
            "tasks",
            documents=docs,
            document=document,
            who=who,
            aliases=[a for a in selectors.organisation_aliases(who.organisation) if a != who.typed]
            if who.organisation
            else [],
            role=role,
            roles=UnitRole.choices,
            q=q,
            items=items,
            lead_count=lead_count,
            cooperating_count=cooperating_count,
            unit_choices=selectors.unit_choices(programme),
            example_unit=selectors.unit_most_named(programme),
            show_document=document is None and len(docs) > 1,
            listing=listing,
            count=len(rows),
            export_query=listing.export_url.removeprefix("?"),
        ),
    )


def rules(request: HttpRequest, programme_code: str) -> HttpResponse:
    """The life-cycle rules with their parameters, or 文件未作规定."""
    programme = selectors.programme_get_public(programme_code)
    lifecycle = selectors.lifecycle_get(programme)
    parameters = selectors.rule_parameters(programme)
    model = None
    if lifecycle is not None and lifecycle.specified:
        data = {
            "specified": True,
            "kind": lifecycle.kind,
            "document": lifecycle.document.code if lifecycle.document else "",
            "article": lifecycle.article,
            **parameters_inserted(lifecycle.structure, parameters),
        }
        try:
            model = TypeAdapter(LifecycleSchema).validate_python(data)
        except ValidationError:
            model = None
    extra: dict[str, Any] = {}
    if isinstance(model, GradedLifecycle):
        extra = {
            "attestations": "、".join(LABELS[a] for a in model.application.attestations),
            "review_members": "＋".join(LABELS[m] for m in model.review.member_kinds),
            "review_criteria": "、".join(LABELS[c] for c in model.review.criteria),
            "review_weights": [(LABELS[c], getattr(model.review.weights, c)) for c in model.review.criteria],
            "grade_rows": _grade_rows(model),
        }
    return render(
        request,
        "programmes/rules.html",
        _context(
            programme,
            "rules",
            lifecycle=lifecycle,
            rules=model,
            parameters=list(parameters.values()),
            **extra,
        ),
    )


def _grade_rows(rules: GradedLifecycle) -> list[dict[str, Any]]:
    """Each grade with its threshold, what it brings (Anhui plan §四(四)) and the host city's bonus."""
    cons = rules.consequences
    ranks = {g.code: g.rank for g in rules.grades}
    bonus = {b.grade: b.points for b in cons.host_city_bonus}
    rows = []
    for grade in rules.grades:
        consequences = []
        if grade.code == cons.improvement_opinion_grade:
            consequences.append(
                f"下达改进意见，设置观察期（{_parameter_text(cons.observation_period)}）"
                f"和包容期（{_parameter_text(cons.tolerance_period)}）"
            )
        if grade.code == cons.removal.grade:
            consequences.append(
                f"连续{_parameter_text(cons.removal.consecutive_years)}为{grade.code}等次的，移出创建名单"
            )
        if grade.rank >= ranks.get(cons.support_from_grade, 99):
            consequences.append("在要素保障、政策投入等方面协同支持")
        if grade.code == cons.national_recommendation_grade:
            consequences.append("优先推荐争创国家级未来产业先导区")
        rows.append({"grade": grade, "bonus": bonus.get(grade.code), "consequences": consequences})
    return rows


def _parameter_text(parameter: Any) -> str:
    text = f"{parameter.value}{parameter.unit or ''}" if parameter.value is not None else "未定"
    return f"{text}，默认值" if parameter.default else text


def framework(request: HttpRequest, programme_code: str) -> HttpResponse:
    """The indicator framework: dimensions, indicators with 指标解释, 计算公式, source and weight."""
    programme = selectors.programme_get_public(programme_code)
    framework = selectors.framework_get(programme)
    labels = selectors.measure_labels(programme)
    if framework is not None:
        for dimension in framework.dimensions.all():
            for indicator in dimension.indicators.all():
                # Under 数据来源 "登记库计数" already: only what is counted.
                label = labels.get(indicator.measure, "")
                indicator.measure_label = label.split("：", 1)[-1]  # type: ignore[attr-defined]
    return render(
        request,
        "programmes/framework.html",
        _context(programme, "framework", framework=framework, weights_chart=_weights_chart(framework)),
    )


def _weights_chart(framework: Any) -> dict[str, Any] | None:
    """ECharts options of the dimensions' shares of the score (the table below holds the numbers)."""
    if framework is None or not framework.specified:
        return None
    dimensions = list(framework.dimensions.all())
    if not dimensions:
        return None
    return {
        "title": {"text": "各维度权重（占总分）", "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 48, "right": 16, "top": 48, "bottom": 32},
        "xAxis": {"type": "category", "data": [d.name for d in dimensions]},
        "yAxis": {"type": "value", "name": "权重（%）", "max": 100},
        "series": [
            {
                "type": "bar",
                "name": "权重（%）",
                "data": [float(percent(d.weight).rstrip("%")) for d in dimensions],
                "label": {"show": True, "position": "top", "formatter": "{c}%"},
                "itemStyle": {"color": "#0b3a6f"},
                "barMaxWidth": 48,
            }
        ],
    }
