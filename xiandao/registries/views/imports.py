"""Excel import of registry entries: the template, the upload, a background job's result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ..exports import xlsx_bytes, xlsx_download
from ..models import TagKind
from ..permissions import RegistryAction, actions_for
from ..registry import registry_get
from ..services.importing import (
    IMPORT_JOB,
    INLINE_BYTES,
    WorkbookRefused,
    columns,
    entries_import,
    import_job_start,
)
from .common import _crumbs


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
