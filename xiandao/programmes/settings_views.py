"""计划设置 and 变更记录: the programme's admins change parameters and undo changes; viewers read.

Thin: parse the form, call the service (``services.parameters``, ``services.history``), render.
Anyone who may not read the settings gets 404, as for any object outside their scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Programme
from .permissions import ProgrammeAction, programme_policy
from .services.history import ChangeRefused, change_list, change_revert, programme_state_on, programme_yaml_on
from .services.parameters import Seen, StaleParameter, parameter_change, parameter_confirm, value_parsed
from .settings_selectors import parameter_groups, parameter_rows


def _programme(request: HttpRequest, code: str, action: ProgrammeAction) -> Programme:
    programme: Programme = programme_policy.get_or_404(request.user, action, code=code)
    return programme


def _context(request: HttpRequest, programme: Programme, tab: str, **extra: Any) -> dict[str, Any]:
    names = {"settings": "计划设置", "changes": "变更记录"}
    return {
        "programme": programme,
        "tab": tab,
        "tabs": [
            (code, name, reverse(f"programmes:{code}", args=[programme.code])) for code, name in names.items()
        ],
        "may_change": programme_policy.user_may(request.user, ProgrammeAction.CHANGE, programme),
        "breadcrumbs": [
            ("培育计划", reverse("programmes:list")),
            (programme.name, reverse("programmes:overview", args=[programme.code])),
            (names[tab], None),
        ],
        **extra,
    }


@login_required
def settings_home(request: HttpRequest) -> HttpResponse:
    """计划设置 in the menu: the first programme whose settings the user may read."""
    programme = (
        programme_policy.instances_for(request.user, ProgrammeAction.SETTINGS_VIEW).order_by("code").first()
    )
    if programme is None:
        raise Http404("您没有可查看设置的培育计划。")
    return redirect("programmes:settings", programme.code)


@login_required
def settings(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = _programme(request, programme_code, ProgrammeAction.SETTINGS_VIEW)
    return _settings_page(request, programme)


def _settings_page(
    request: HttpRequest,
    programme: Programme,
    *,
    errors: dict[str, list[str]] | None = None,
    stale: dict[str, str] | None = None,
    submitted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = parameter_rows(programme)
    return render(
        request,
        "programmes/settings/parameters.html",
        _context(
            request,
            programme,
            "settings",
            groups=parameter_groups(rows),
            defaults=sum(1 for row in rows if row.default),
            errors=errors or {},
            stale=stale or {},
            submitted=submitted or {},
        ),
        status=status,
    )


def _seen(request: HttpRequest) -> Seen | None:
    raw = request.POST.get("seen_value")
    if raw is None:
        return None
    value = value_parsed(raw)
    return Seen(
        value=value if isinstance(value, int) else None, default=request.POST.get("seen_default") == "1"
    )


@login_required
@require_POST
def parameter_update(request: HttpRequest, programme_code: str, parameter_key: str) -> HttpResponse:
    """Change a parameter (``value``) or confirm its default (``confirm``), with a reason."""
    programme = _programme(request, programme_code, ProgrammeAction.CHANGE)
    reason = request.POST.get("reason", "")
    submitted = {"key": parameter_key, "value": request.POST.get("value", ""), "reason": reason}
    try:
        if request.POST.get("confirm"):
            change = parameter_confirm(
                user=request.user, programme=programme, key=parameter_key, reason=reason, seen=_seen(request)
            )
        else:
            change = parameter_change(
                user=request.user,
                programme=programme,
                key=parameter_key,
                value=request.POST.get("value", ""),
                reason=reason,
                seen=_seen(request),
            )
    except StaleParameter as exc:
        return _settings_page(
            request, programme, stale={parameter_key: exc.message}, submitted=submitted, status=409
        )
    except ChangeRefused as exc:
        return _settings_page(
            request, programme, errors={parameter_key: [exc.message]}, submitted=submitted, status=400
        )
    except ValidationError as exc:
        return _settings_page(
            request, programme, errors={parameter_key: exc.messages}, submitted=submitted, status=400
        )
    messages.success(
        request, f"已保存：{change.subject_label}（{change.get_kind_display()}），已记入变更记录。"
    )
    return redirect(f"{reverse('programmes:settings', args=[programme.code])}#p-{parameter_key}")


def _day(request: HttpRequest) -> dt.date | None:
    raw = request.GET.get("on", "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


@login_required
def changes(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = _programme(request, programme_code, ProgrammeAction.SETTINGS_VIEW)
    day = _day(request)
    state = programme_state_on(programme, day) if day else None
    return render(
        request,
        "programmes/settings/changes.html",
        _context(
            request,
            programme,
            "changes",
            changes=change_list(programme),
            day=day,
            day_invalid=bool(request.GET.get("on")) and day is None,
            today=timezone.localdate(),
            state_parameters=_state_parameters(state) if state else [],
        ),
    )


def _state_parameters(state: dict[str, Any]) -> list[tuple[str, Any, str, bool]]:
    """(key, value, unit, default) of every parameter in a stored state, for the as-of view."""
    from .state import parameters_extracted

    lifecycle = dict(state.get("lifecycle") or {})
    if not lifecycle.get("specified"):
        return []
    _, found = parameters_extracted({k: v for k, v in lifecycle.items() if k not in ("specified", "kind")})
    structure = lifecycle
    from xiandao.programmes.definition.invariants import parameter_label

    removal = (structure.get("consequences") or {}).get("removal", {}).get("grade", "")
    rows = [
        (parameter_label(key, removal), p.get("value"), p.get("unit") or "", bool(p.get("default")))
        for key, p in found.items()
    ]
    framework = state.get("indicator_framework") or {}
    for dimension in framework.get("dimensions", []):
        rows.append((f"{dimension['name']}维度权重", dimension["weight"], "", bool(dimension.get("default"))))
    return rows


@login_required
def changes_export(request: HttpRequest, programme_code: str) -> HttpResponse:
    """The programme as it stood on ``?on=`` (default today) as a definition file."""
    programme = _programme(request, programme_code, ProgrammeAction.SETTINGS_VIEW)
    day = _day(request) or timezone.localdate()
    response = HttpResponse(
        programme_yaml_on(programme, day), content_type="application/x-yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{programme.code}-{day.isoformat()}.yaml"'
    return response


@login_required
@require_POST
def change_revert_view(request: HttpRequest, programme_code: str, change_id: int) -> HttpResponse:
    programme = _programme(request, programme_code, ProgrammeAction.CHANGE)
    try:
        change = change_revert(
            user=request.user, programme=programme, change_id=change_id, reason=request.POST.get("reason", "")
        )
    except (ChangeRefused, ValidationError) as exc:
        text = exc.message if isinstance(exc, ChangeRefused) else "；".join(exc.messages)
        messages.error(request, f"未撤销：{text}")
    else:
        messages.success(request, f"已撤销：{change.subject_label}，撤销本身已记入变更记录。")
    return redirect("programmes:changes", programme.code)
