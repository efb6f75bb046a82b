"""The registries over the API: the same services and selectors as the pages, scoped the same way.

One path per registry (``/registries/enterprises``, ``/registries/platforms``…) so every URL names
only objects; and ``/programmes/{programme_code}/counts``: what each target and indicator counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Body, Router, Status
from ninja.errors import HttpError

from xiandao.api.errors import error_body
from xiandao.programmes.selectors import programme_get_public

from . import selectors
from .models import Enterprise, RegistryEntry
from .permissions import RegistryAction, actions_for
from .registry import REGISTRIES, Registry
from .services.building import TAG_LABELS
from .services.entries import EntryRefused, entry_add

ROUTER_PREFIX = ""
router = Router(tags=["登记库"])
MAX_PAGE_SIZE = 200


def entry_out(registry: Registry, entry: RegistryEntry) -> dict[str, Any]:
    """An entry as JSON: common fields, the registry's own fields (choices with their labels), tags."""
    out: dict[str, Any] = {
        "id": entry.pk,
        "registry": registry.slug,
        "name": entry.name,
        "city": {"code": entry.city.code, "name": entry.city.name},
        "zone": {"id": entry.zone_id, "name": entry.zone.name} if entry.zone_id else None,  # type: ignore[union-attr]
        "field": {"code": entry.field.code, "name": entry.field.name} if entry.field_id else None,  # type: ignore[union-attr]
        "valid_from": entry.valid_from,
        "valid_to": entry.valid_to,
        "counted_until": entry.ends_on,
        "source": entry.source,
        "source_note": entry.source_note,
        "status": entry.status,
        "status_label": entry.get_status_display(),
        "retired_on": entry.retired_on,
        "retire_reason": entry.retire_reason,
    }
    for name in registry.fields:
        value = getattr(entry, name)
        out[name] = str(value) if hasattr(value, "quantize") else value
        if registry.choices(name):
            out[f"{name}_label"] = getattr(entry, f"get_{name}_display")()
    if isinstance(entry, Enterprise):
        out["code_flagged"] = entry.code_flagged
        out["tags"] = [
            {
                "tag": t.tag,
                "label": t.get_tag_display(),
                "certificate_no": t.certificate_no,
                "list_name": t.list_name,
                "list_year": t.list_year,
                "valid_from": t.valid_from,
                "valid_to": t.valid_to,
                "confirmed": t.confirmed,
            }
            for t in entry.tags.order_by("valid_from", "pk")
        ]
    return out


def _refusal(request: HttpRequest, registry: Registry, exc: EntryRefused) -> HttpResponse:
    details = []
    for name, errors in exc.message_dict.items():
        label = TAG_LABELS.get(name) or (registry.field_label(name) if name != "__all__" else "")
        for message in errors:
            details.append({"field": name, "field_label": label, "message": message})
    summary = "；".join(
        f"{d['field_label']}：{d['message']}" if d["field_label"] else d["message"] for d in details
    )
    return JsonResponse(error_body("invalid_entry", summary, details), status=422)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _register(registry: Registry) -> None:
    base = f"/registries/{registry.slug}"
    name = registry.key

    @router.get(
        base, url_name=f"registry_{name}_list", summary=f"{registry.label}：列表（按范围、可筛选、分页）"
    )
    def entry_list(
        request: HttpRequest,
        city: str = "",
        zone: str = "",
        field: str = "",
        kind: str = "",
        level: str = "",
        tier: str = "",
        status: str = "",
        on: str = "",
        q: str = "",
        sort: str = "-valid_from",
        page: int = 1,
        page_size: int = 50,
    ) -> dict[str, Any]:
        if RegistryAction.VIEW not in actions_for(request.user):
            raise PermissionDenied("您无权查看登记库条目；公开范围仅提供汇总数量。")
        filters = selectors.ListFilters(
            city, zone, field, kind, level, tier, status, _date(on), q.strip(), sort
        )
        entries = selectors.entry_list_for_user(request.user, registry, filters)
        paginator = Paginator(entries, max(1, min(page_size, MAX_PAGE_SIZE)))
        current = paginator.get_page(page)
        return {
            "count": paginator.count,
            "page": current.number,
            "pages": paginator.num_pages,
            "results": [entry_out(registry, e) for e in current.object_list],
        }

    @router.post(
        base,
        url_name=f"registry_{name}_add",
        summary=f"{registry.label}：录入（待确认）",
        response={200: dict, 201: dict, 422: dict},
    )
    def entry_create(request: HttpRequest, payload: dict[str, Any] = Body(...)) -> Any:  # noqa: B008
        if RegistryAction.ADD not in actions_for(request.user):
            raise PermissionDenied("您无权录入登记库条目")
        try:
            result = entry_add(actor=request.user, registry=registry, data=payload)
        except EntryRefused as exc:
            return _refusal(request, registry, exc)
        return Status(201 if result.created else 200, entry_out(registry, result.entry))

    @router.get(f"{base}/{{entry_id}}", url_name=f"registry_{name}_get", summary=f"{registry.label}：一条")
    def entry_get(request: HttpRequest, entry_id: int) -> dict[str, Any]:
        return entry_out(registry, selectors.entry_get_for_user(request.user, registry, entry_id))


for _registry in REGISTRIES:
    _register(_registry)


@router.get(
    "/programmes/{programme_code}/counts",
    auth=None,
    url_name="programme_counts",
    summary="培育计划各目标、指标所计登记库数量（按日期）",
    tags=["培育计划（公开）"],
)
def programme_counts(request: HttpRequest, programme_code: str, date: str = "") -> Any:
    programme = programme_get_public(programme_code)
    on = _date(date) if date else timezone.localdate()
    if on is None:
        raise HttpError(422, "查询参数 date：应为日期（如 2026-11-22）")
    counts = selectors.measure_counts(programme, on=on)
    return {
        "programme": programme.code,
        "date": on,
        "measures": [
            {
                "kind": m.kind,
                "code": m.key,
                "measure": m.measure,
                "label": m.label,
                "basis": m.basis,
                "since": m.since,
                "count": m.count,
                "entries": m.count,
                "entries_url": m.url,
                "note": m.note,
            }
            for m in counts
        ],
    }
