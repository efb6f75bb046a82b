"""Registry lists, exports, counts and charts: thin — parse, call a selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xiandao.core.formats import date_zh

from .. import selectors
from ..counting import MeasureError, parse_measure
from ..exports import display, xlsx_bytes, xlsx_download
from ..forms import field_choices
from ..models import Enterprise, EntryStatus, TagKind
from ..permissions import RegistryAction, actions_for, cities_for, zones_for
from ..registry import BY_KEY, REGISTRIES, Registry, registry_get
from .common import CHART_YEARS, COUNT_PARAMS, PAGE_SIZE, _crumbs, _date


def index(request: HttpRequest) -> HttpResponse:
    """登记库: each registry's confirmed count today (public: counts only), and what waits for me."""
    today = timezone.localdate()
    may = actions_for(request.user)
    rows = []
    for registry in REGISTRIES:
        standing = registry.model._default_manager.filter(selectors._span_q("stock", today, None)).count()
        rows.append(
            {
                "registry": registry,
                "count": standing,
                "pending": selectors.pending_count(request.user, registry)
                if RegistryAction.CONFIRM in may
                else 0,
            }
        )
    return render(
        request,
        "registries/index.html",
        {
            "rows": rows,
            "may_view": RegistryAction.VIEW in may,
            "today": today,
            "breadcrumbs": [("登记库", None)],
        },
    )


def _filters(request: HttpRequest) -> selectors.ListFilters:
    get = request.GET
    return selectors.ListFilters(
        city=get.get("city", ""),
        zone=get.get("zone", ""),
        field=get.get("field", ""),
        kind=get.get("kind", ""),
        level=get.get("level", ""),
        tier=get.get("tier", ""),
        status=get.get("status", ""),
        on=_date(get.get("on")),
        q=get.get("q", "").strip(),
        sort=get.get("sort", "-valid_from"),
    )


def _counted(request: HttpRequest, registry: Registry, entries: Any) -> tuple[Any, str]:
    """Narrow a list to the entries a count counted (the link from a target's count)."""
    key = request.GET.get("measure")
    if not key:
        return entries, ""
    try:
        measure = parse_measure(key)
    except MeasureError as exc:
        raise Http404(str(exc)) from exc
    if BY_KEY.get(measure.registry) != registry:
        raise Http404("计数口径与登记库不符")
    on = _date(request.GET.get("on")) or timezone.localdate()
    spec = selectors.CountSpec(
        measure,
        request.GET.get("basis", "stock"),
        on,
        _date(request.GET.get("since")),
        int(request.GET["within"]) if request.GET.get("within", "").isdigit() else None,
        int(request.GET["zones_of"]) if request.GET.get("zones_of", "").isdigit() else None,
        request.GET.get("field_code", ""),
    )
    basis = {"stock": "存量", "increment": "新增", "cumulative": "累计"}.get(spec.basis, spec.basis)
    window = (
        f"{date_zh(spec.since or dt.date(on.year, 1, 1))}至{date_zh(on)}"
        if spec.basis != "stock"
        else f"截至{date_zh(on)}"
    )
    return selectors.counted_entries(
        spec, entries
    ), f"计入“{selectors.measure_label(measure)}”（{basis}，{window}）的条目"


@login_required
def entry_list(request: HttpRequest, slug: str) -> HttpResponse:
    registry = registry_get(slug)
    may = actions_for(request.user)
    if RegistryAction.VIEW not in may:
        raise Http404("未找到该对象，或您无权访问。")
    filters = _filters(request)
    entries = selectors.entry_list_for_user(request.user, registry, filters)
    entries, counted = _counted(request, registry, entries)
    if request.GET.get("format") == "xlsx":
        return _export(registry, entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # one query for the rows, however often they are read
    today = filters.on or timezone.localdate()
    tags = selectors.tags_current(page.object_list, today) if registry.model is Enterprise else {}
    for entry in page.object_list:
        entry.tag_labels = tags.get(entry.pk, [])
        entry.extra = [
            display(getattr(entry, f"get_{n}_display")() if registry.choices(n) else getattr(entry, n))
            for n in registry.columns
        ]
    query = request.GET.copy()
    query.pop("page", None)
    export = request.GET.copy()
    export["format"] = "xlsx"
    return render(
        request,
        "registries/entry_list.html",
        {
            "registry": registry,
            "page": page,
            "filters": filters,
            "counted": counted,
            "counted_params": [(k, request.GET[k]) for k in COUNT_PARAMS if counted and k in request.GET],
            "extra_labels": [registry.field_label(n) for n in registry.columns],
            "cities": cities_for(request.user, RegistryAction.VIEW).order_by("code"),
            "zones": zones_for(request.user).order_by("name") if RegistryAction.ADD in may else [],
            "fields": field_choices(request.user),
            "kinds": registry.choices(registry.kind_field),
            "kind_label": registry.field_label(registry.kind_field) if registry.kind_field else "",
            "levels": registry.choices(registry.level_field),
            "tiers": TagKind.choices if registry.model is Enterprise else [],
            "statuses": EntryStatus.choices,
            "query": query.urlencode(),
            "export_query": export.urlencode(),
            "may_add": RegistryAction.ADD in may,
            "may_confirm": RegistryAction.CONFIRM in may,
            "sorts": [
                ("-valid_from", "起始日期（新→旧）"),
                ("valid_from", "起始日期（旧→新）"),
                ("name", "名称"),
                ("city", "所在市"),
                ("status", "状态"),
            ],
            "breadcrumbs": _crumbs(registry),
        },
    )


def _export(registry: Registry, entries: Any) -> HttpResponse:
    names = [*registry.entry_fields, "status", "retired_on"]
    headers = [registry.field_label(n) for n in names]
    rows = []
    for entry in entries.iterator(chunk_size=2000):
        row = []
        for name in names:
            value = getattr(entry, name)
            if name in ("city", "zone", "field"):
                value = str(value) if value is not None else ""
            elif registry.choices(name) or name == "status":
                value = getattr(entry, f"get_{name}_display")()
            row.append(display(value))
        rows.append(row)
    content = xlsx_bytes([(registry.label, headers, rows)])
    return xlsx_download(f"{registry.slug}-{timezone.localdate().isoformat()}.xlsx", content)


def chart(request: HttpRequest, slug: str) -> HttpResponse:
    """Counts by year, city and field (public: aggregated counts only)."""
    registry = registry_get(slug)
    data = selectors.chart_data(registry, years=CHART_YEARS)
    return render(
        request,
        "registries/chart.html",
        {
            "registry": registry,
            "chart": data,
            "rows": list(zip(data["years"], data["by_year"], strict=True)),
            "breadcrumbs": _crumbs(registry, ("统计图", None)),
        },
    )
