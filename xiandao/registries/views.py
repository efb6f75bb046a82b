"""Pages of the registries: thin — parse, call a selector or a service, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import selectors
from .counting import MeasureError, parse_measure
from .exports import display, xlsx_bytes, xlsx_download
from .forms import entry_form, field_choices, tag_form
from .models import Enterprise, EnterpriseTag, EntryStatus, EvidenceFile, KeyTechnology, Project, TagKind
from .permissions import RegistryAction, actions_for, cities_for, policy_for, zones_for
from .registry import BY_KEY, REGISTRIES, Registry, registry_get
from .services import entries as services
from .services.importing import (
    IMPORT_JOB,
    INLINE_BYTES,
    WorkbookRefused,
    columns,
    entries_import,
    import_job_start,
)

PAGE_SIZE = 50
COUNT_PARAMS = ("measure", "basis", "since", "within", "zones_of", "field_code")
CHART_YEARS = range(2023, 2027)


def _crumbs(registry: Registry | None = None, *trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [("登记库", reverse("registries:index"))]
    if registry is not None:
        crumbs.append((registry.label, reverse("registries:entry_list", kwargs={"slug": registry.slug})))
    return crumbs + list(trail)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


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
    window = f"{spec.since or dt.date(on.year, 1, 1)}至{on}" if spec.basis != "stock" else f"截至{on}"
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


@login_required
def entry_detail(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    registry = registry_get(slug)
    entry = selectors.entry_get_for_user(request.user, registry, entry_id)
    policy = policy_for(registry.model)
    details = []
    for name in registry.entry_fields:
        if name == "code_override_reason" and not getattr(entry, name):
            continue
        value = getattr(entry, name)
        if registry.choices(name):
            value = getattr(entry, f"get_{name}_display")()
        details.append((registry.field_label(name), display(value) if value not in (None, "") else "—"))
    context: dict[str, Any] = {
        "registry": registry,
        "entry": entry,
        "details": details,
        "history": selectors.entry_history(entry),
        "evidence": EvidenceFile.objects.filter(registry=registry.key, entry_id=entry.pk).order_by(
            "-uploaded_at"
        ),
        "may_confirm": entry.status in (EntryStatus.DRAFT, EntryStatus.CITY_CONFIRMED)
        and policy.user_may(request.user, RegistryAction.CONFIRM, entry),
        "may_retire": entry.status != EntryStatus.RETIRED
        and policy.user_may(request.user, RegistryAction.RETIRE, entry),
        "may_add": policy.user_may(request.user, RegistryAction.ADD, entry),
        "today": timezone.localdate(),
        "breadcrumbs": _crumbs(registry, (entry.name, None)),
    }
    if isinstance(entry, Enterprise):
        context["tags"] = list(entry.tags.order_by("valid_from", "pk"))
        context["tag_form"] = tag_form()
        context["matches"] = [
            m for m in selectors.enterprise_matches(request.user, entry.name) if m[0] != entry.pk
        ]
    if isinstance(entry, KeyTechnology):
        assessments = list(entry.assessments.order_by("assessed_on", "pk"))
        context["assessments"] = assessments
        context["trl_chart"] = {
            "title": f"{entry.name} 技术就绪度",
            "dates": [a.assessed_on.isoformat() for a in assessments],
            "levels": [a.level for a in assessments],
        }
    if isinstance(entry, Project):
        context["progress"] = list(entry.progress.order_by("year"))
    return render(request, "registries/entry_detail.html", context)


@login_required
def entry_add(request: HttpRequest, slug: str) -> HttpResponse:
    registry = registry_get(slug)
    if RegistryAction.ADD not in actions_for(request.user):
        raise Http404("未找到该对象，或您无权访问。")
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    matches: list[tuple[int, str, float]] = []
    if request.method == "POST":
        data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            result = services.entry_add(actor=request.user, registry=registry, data=data)
        except ValidationError as exc:
            errors = (
                {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
                if hasattr(exc, "error_dict")
                else {"__all__": exc.messages}
            )
        except PermissionDenied as exc:
            errors = {"__all__": [str(exc)]}
        else:
            if result.created:
                messages.success(request, f"已录入“{result.entry.name}”，待市级确认后计入统计。")
            else:
                messages.info(request, f"该统一社会信用代码已登记为“{result.entry.name}”，未重复录入。")
            return redirect("registries:entry_detail", slug=registry.slug, entry_id=result.entry.pk)
        if registry.model is Enterprise and data.get("name"):
            matches = selectors.enterprise_matches(request.user, data["name"])
    return render(
        request,
        "registries/entry_form.html",
        {
            "registry": registry,
            "fields": entry_form(registry, request.user, data, errors),
            "tag_fields": tag_form(data, errors) if registry.model is Enterprise else [],
            "summary": services.errors_text(registry, errors) if errors else [],
            "matches": matches,
            "breadcrumbs": _crumbs(registry, ("录入", None)),
        },
    )


@login_required
def entry_edit(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    """Correct a draft (a confirmed entry is retired and entered again, so its history stays)."""
    registry = registry_get(slug)
    entry = policy_for(registry.model).get_or_404(request.user, RegistryAction.ADD, pk=entry_id)
    if entry.status != EntryStatus.DRAFT:
        messages.error(request, "只有待确认的条目可以修改；已确认的条目请退出后重新录入。")
        return redirect("registries:entry_detail", slug=registry.slug, entry_id=entry.pk)
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    if request.method == "POST":
        data = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            services.entry_change(actor=request.user, entry=entry, data=data)
        except ValidationError as exc:
            errors = (
                {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
                if hasattr(exc, "error_dict")
                else {"__all__": exc.messages}
            )
        else:
            messages.success(request, "已保存修改。")
            return redirect("registries:entry_detail", slug=registry.slug, entry_id=entry.pk)
    else:
        for name in registry.entry_fields:
            value = getattr(entry, name)
            if name == "city":
                value = entry.city.code
            elif name == "zone":
                value = str(entry.zone_id or "")
            elif name == "field":
                value = entry.field.code if entry.field_id else ""  # type: ignore[union-attr]
            data[name] = (
                "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else value)
            )
    return render(
        request,
        "registries/entry_form.html",
        {
            "registry": registry,
            "entry": entry,
            "fields": entry_form(registry, request.user, data, errors),
            "tag_fields": [],
            "summary": services.errors_text(registry, errors) if errors else [],
            "matches": [],
            "breadcrumbs": _crumbs(
                registry,
                (
                    entry.name,
                    reverse("registries:entry_detail", kwargs={"slug": registry.slug, "entry_id": entry.pk}),
                ),
                ("修改", None),
            ),
        },
    )


def _entry_for(request: HttpRequest, slug: str, entry_id: int, action: RegistryAction) -> Any:
    registry = registry_get(slug)
    return registry, policy_for(registry.model).get_or_404(request.user, action, pk=entry_id)


def _back(registry: Registry, entry: Any) -> HttpResponse:
    return redirect("registries:entry_detail", slug=registry.slug, entry_id=entry.pk)


def _refused(request: HttpRequest, registry: Registry, exc: ValidationError) -> None:
    for line in services.refusal_lines(registry, exc):
        messages.error(request, line)


@login_required
@require_POST
def entry_confirm(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    registry, entry = _entry_for(request, slug, entry_id, RegistryAction.CONFIRM)
    try:
        entry = services.entry_confirm(
            actor=request.user, entry=entry, expected_status=request.POST.get("status") or None
        )
        messages.success(request, f"已确认：{entry.get_status_display()}。")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    return _back(registry, entry)


@login_required
@require_POST
def entries_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    registry = registry_get(slug)
    if RegistryAction.CONFIRM not in actions_for(request.user):
        raise Http404("未找到该对象，或您无权访问。")
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    done = services.entries_confirm(actor=request.user, registry=registry, ids=ids)
    messages.success(request, f"已确认 {done} 条。")
    return redirect(
        reverse("registries:entry_list", kwargs={"slug": registry.slug}) + "?" + request.POST.get("query", "")
    )


@login_required
@require_POST
def entry_retire(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    registry, entry = _entry_for(request, slug, entry_id, RegistryAction.RETIRE)
    try:
        services.entry_retire(
            actor=request.user,
            entry=entry,
            on=_date(request.POST.get("on")) or timezone.localdate(),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "已退出，该条目自退出日期起不再计入统计。")
    except ValidationError as exc:
        _refused(request, registry, exc)
    return _back(registry, entry)


@login_required
@require_POST
def evidence_attach(request: HttpRequest, slug: str, entry_id: int) -> HttpResponse:
    registry, entry = _entry_for(request, slug, entry_id, RegistryAction.ADD)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的佐证材料")
        return _back(registry, entry)
    try:
        services.evidence_attach(actor=request.user, entry=entry, upload=upload)
        messages.success(request, "已上传佐证材料。")
    except ValidationError as exc:
        _refused(request, registry, exc)
    return _back(registry, entry)


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    evidence = EvidenceFile.objects.filter(pk=evidence_id).first()
    if evidence is None or evidence.registry not in BY_KEY:
        raise Http404("未找到该对象，或您无权访问。")
    registry = BY_KEY[evidence.registry]
    policy_for(registry.model).get_or_404(request.user, RegistryAction.VIEW, pk=evidence.entry_id)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@login_required
@require_POST
def tag_add(request: HttpRequest, entry_id: int) -> HttpResponse:
    registry, entry = _entry_for(request, "enterprises", entry_id, RegistryAction.ADD)
    try:
        services.enterprise_tag_add(actor=request.user, enterprise=entry, data=request.POST)
        messages.success(request, "已记录标签。")
    except ValidationError as exc:
        _refused(request, registry, exc)
    return _back(registry, entry)


@login_required
@require_POST
def tag_end(request: HttpRequest, tag_id: int) -> HttpResponse:
    registry = registry_get("enterprises")
    visible = policy_for(Enterprise).instances_for(request.user, RegistryAction.RETIRE)
    tag = EnterpriseTag.objects.filter(pk=tag_id, enterprise__in=visible).select_related("enterprise").first()
    if tag is None:
        raise Http404("未找到该对象，或您无权访问。")
    try:
        services.enterprise_tag_end(
            actor=request.user,
            tag=tag,
            on=_date(request.POST.get("on")) or timezone.localdate(),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "已记录失去该标签。")
    except ValidationError as exc:
        _refused(request, registry, exc)
    return _back(registry, tag.enterprise)


@login_required
@require_POST
def technology_assess(request: HttpRequest, entry_id: int) -> HttpResponse:
    registry, entry = _entry_for(request, "technologies", entry_id, RegistryAction.ADD)
    try:
        level = int(request.POST.get("level", "0"))
        on = _date(request.POST.get("assessed_on"))
        if on is None:
            raise ValidationError({"assessed_on": "请填写评价日期"})
        services.technology_assess(
            actor=request.user,
            technology=entry,
            level=level,
            assessed_on=on,
            evaluator=request.POST.get("evaluator", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, "已记录技术就绪度。")
    except ValueError:
        messages.error(request, "技术就绪度应为1至9的整数")
    except ValidationError as exc:
        for line in exc.messages:
            messages.error(request, line)
    return _back(registry, entry)


@login_required
@require_POST
def project_progress(request: HttpRequest, entry_id: int) -> HttpResponse:
    from decimal import Decimal, InvalidOperation

    registry, entry = _entry_for(request, "projects", entry_id, RegistryAction.ADD)
    try:
        services.project_progress_record(
            actor=request.user,
            project=entry,
            year=int(request.POST.get("year", "0")),
            invested=Decimal(request.POST.get("invested", "")),
            workload=request.POST.get("workload", ""),
            overrun_note=request.POST.get("overrun_note", ""),
        )
        messages.success(request, "已记录年度进展。")
    except (ValueError, InvalidOperation):
        messages.error(request, "年度应为整数，当年完成投资应为数字")
    except ValidationError as exc:
        for line in exc.messages:
            messages.error(request, line)
    return _back(registry, entry)


@login_required
def entry_import(request: HttpRequest, slug: str) -> HttpResponse:
    registry = registry_get(slug)
    if RegistryAction.ADD not in actions_for(request.user):
        raise Http404("未找到该对象，或您无权访问。")
    result = None
    refused = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            refused = "请选择要导入的 Excel 文件"
        elif (upload.size or 0) > 50 * 1024 * 1024:
            refused = "文件超过 50 MB，请拆分后分批导入"
        else:
            data = upload.read()
            try:
                if len(data) > INLINE_BYTES:
                    job = import_job_start(
                        actor=request.user, registry=registry, data=data, filename=upload.name or ""
                    )
                    return redirect("registries:import_result", job_id=job.pk)
                result = entries_import(
                    actor=request.user, registry=registry, data=data, filename=upload.name or ""
                )
            except WorkbookRefused as exc:
                refused = str(exc)
            if result is not None and result.ok:
                messages.success(
                    request,
                    f"已导入 {len(result.created)} 条新条目"
                    + (f"，{len(result.existing)} 家企业已登记（未重复录入）" if result.existing else "")
                    + (f"，{result.tags} 个标签" if result.tags else "")
                    + "；待市级确认后计入统计。",
                )
                return redirect(
                    reverse("registries:entry_list", kwargs={"slug": registry.slug}) + "?status=draft"
                )
    return render(
        request,
        "registries/entry_import.html",
        {
            "registry": registry,
            "result": result,
            "refused": refused,
            "columns": columns(registry),
            "breadcrumbs": _crumbs(registry, ("Excel 导入", None)),
        },
    )


@login_required
def import_result(request: HttpRequest, job_id: str) -> HttpResponse:
    """A background import: its progress while it runs, then what was imported or every problem."""
    from xiandao.core.permissions import job_policy

    job = job_policy.get_or_404(request.user, "view", pk=job_id, kind=IMPORT_JOB)
    registry = registry_get(job.params.get("registry", ""))
    return render(
        request,
        "registries/import_result.html",
        {
            "registry": registry,
            "job": job,
            "result": job.result or {},
            "breadcrumbs": _crumbs(registry, ("导入结果", None)),
        },
    )


@login_required
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    registry = registry_get(slug)
    cols = columns(registry)
    notes = []
    for name, label in cols:
        allowed = registry.choices(name) if name in registry.entry_fields else []
        if name == "tag":
            allowed = [(str(k), str(v)) for k, v in TagKind.choices]
        notes.append(
            [
                label,
                "必填" if name in ("name", "city", "valid_from", "credit_code") else "",
                "、".join(v for _, v in allowed),
            ]
        )
    text = {
        registry.label: {
            i for i, (n, _) in enumerate(cols) if n in ("credit_code", "certificate_no", "stock_code")
        }
    }
    content = xlsx_bytes(
        [
            (registry.label, [label for _, label in cols], []),
            ("填写说明", ["列", "是否必填", "可选值"], notes),
        ],
        text_columns=text,
    )
    return xlsx_download(f"{registry.slug}-template.xlsx", content)


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
