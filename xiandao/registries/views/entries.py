"""An entry's page and its actions: thin — parse, call a service, render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import selectors
from ..exports import display
from ..forms import entry_form, tag_form
from ..models import Enterprise, EnterpriseTag, EntryStatus, EvidenceFile, KeyTechnology, Project
from ..permissions import RegistryAction, actions_for, policy_for
from ..registry import BY_KEY, Registry, registry_get
from ..services import entries as services
from .common import _crumbs, _date


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
