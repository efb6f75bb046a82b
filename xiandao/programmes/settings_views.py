"""计划设置 and 变更记录: the programme's admins change parameters and undo changes; viewers read.

Thin: parse the form, call the service (``services.parameters``, ``services.history``), render.
Anyone who may not read the settings gets 404, as for any object outside their scope.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Dimension, IndicatorDirection, IndicatorSource, Programme
from .permissions import ProgrammeAction, programme_policy
from .services.history import ChangeRefused, change_list, change_revert, programme_state_on, programme_yaml_on
from .services.parameters import Seen, StaleParameter, parameter_change, parameter_confirm, value_parsed
from .settings_selectors import parameter_groups, parameter_rows, state_view


def _programme(request: HttpRequest, code: str, action: ProgrammeAction) -> Programme:
    programme: Programme = programme_policy.get_or_404(request.user, action, code=code)
    return programme


def _context(request: HttpRequest, programme: Programme, tab: str, **extra: Any) -> dict[str, Any]:
    names = {
        "settings": "计划设置",
        "framework_settings": "指标体系",
        "taxonomy_settings": "领域分类",
        "records_settings": "目标任务",
        "changes": "变更记录",
    }
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
            state=state_view(state, day) if state is not None and day is not None else None,
        ),
    )


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


# ---------------------------------------------------------------------------------------------
# 指标体系 (the framework editor)
# ---------------------------------------------------------------------------------------------


def _year(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return int(text) if text.isdigit() else None


def _direction(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        return 0  # the rules refuse it with the choices named


@login_required
def framework_settings(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = _programme(request, programme_code, ProgrammeAction.SETTINGS_VIEW)
    return _framework_page(request, programme)


def _framework_page(
    request: HttpRequest,
    programme: Programme,
    *,
    errors: dict[str, list[str]] | None = None,
    where: str = "",
    submitted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    from .services.framework import framework_for_year

    this_year = timezone.localdate().year
    year = _year(request.GET.get("year")) or min(max(this_year, programme.start_year), programme.end_year)
    current = framework_for_year(programme, year)
    # The editing forms show the values as they stand now (every indicator, retired ones too).
    every = [
        (dimension, list(dimension.indicators.all()))
        for dimension in Dimension.objects.filter(framework__programme=programme)
        .prefetch_related("indicators")
        .order_by("position")
    ]
    total = sum((dimension.weight for dimension, _ in current), start=Decimal(0))
    return render(
        request,
        "programmes/settings/framework.html",
        _context(
            request,
            programme,
            "framework_settings",
            year=year,
            years=list(range(programme.start_year, programme.end_year + 1)),
            dimensions=current,
            all_indicators=every,
            total=total,
            errors=errors or {},
            where=where,
            submitted=submitted or {},
            directions=IndicatorDirection.choices,
            sources=IndicatorSource.choices,
        ),
        status=status,
    )


def _framework_refused(
    request: HttpRequest, programme: Programme, exc: Exception, where: str
) -> HttpResponse:
    if isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    else:
        errors = {"": [getattr(exc, "message", str(exc))]}
    return _framework_page(
        request, programme, errors=errors, where=where, submitted=request.POST.dict(), status=400
    )


def _framework_done(request: HttpRequest, programme: Programme, text: str) -> HttpResponse:
    messages.success(request, f"已保存：{text}，已记入变更记录。")
    return redirect("programmes:framework_settings", programme.code)


@login_required
@require_POST
def framework_weights(request: HttpRequest, programme_code: str) -> HttpResponse:
    from .services.framework import dimension_weights_change

    programme = _programme(request, programme_code, ProgrammeAction.CHANGE)
    weights = {k.removeprefix("w-"): v for k, v in request.POST.items() if k.startswith("w-")}
    try:
        dimension_weights_change(
            user=request.user,
            programme=programme,
            weights=weights,
            reason=request.POST.get("reason", ""),
            effective_year=_year(request.POST.get("effective_year")),
        )
    except (ValidationError, ChangeRefused) as exc:
        return _framework_refused(request, programme, exc, "weights")
    return _framework_done(request, programme, "评价维度权重")


@login_required
@require_POST
def indicator_create(request: HttpRequest, programme_code: str) -> HttpResponse:
    from .services.framework import IndicatorValues, indicator_add

    programme = _programme(request, programme_code, ProgrammeAction.CHANGE)
    post = request.POST
    values = IndicatorValues(
        code=post.get("code", ""),
        name=post.get("name", ""),
        unit=post.get("unit", ""),
        direction=_direction(post.get("direction", "")),
        definition=post.get("definition", ""),
        formula=post.get("formula", ""),
        source=post.get("source", ""),
        measure=post.get("measure", ""),
        weight=post.get("weight", ""),
        from_year=_year(post.get("from_year")),
    )
    try:
        change = indicator_add(
            user=request.user,
            programme=programme,
            dimension_code=post.get("dimension", ""),
            values=values,
            reason=post.get("reason", ""),
        )
    except (ValidationError, ChangeRefused) as exc:
        return _framework_refused(request, programme, exc, "add")
    return _framework_done(request, programme, change.subject_label)


@login_required
@require_POST
def indicator_update(request: HttpRequest, programme_code: str, indicator_code: str) -> HttpResponse:
    from .services.framework import indicator_change

    programme = _programme(request, programme_code, ProgrammeAction.CHANGE)
    fields = ("name", "unit", "definition", "formula", "weight")
    changes = {name: request.POST[name] for name in fields if name in request.POST}
    try:
        change = indicator_change(
            user=request.user,
            programme=programme,
            code=indicator_code,
            changes=changes,
            reason=request.POST.get("reason", ""),
            effective_year=_year(request.POST.get("effective_year")),
        )
    except (ValidationError, ChangeRefused) as exc:
        return _framework_refused(request, programme, exc, indicator_code)
    return _framework_done(request, programme, change.subject_label)


@login_required
@require_POST
def indicator_retire_view(request: HttpRequest, programme_code: str, indicator_code: str) -> HttpResponse:
    from .services.framework import indicator_retire

    programme = _programme(request, programme_code, ProgrammeAction.CHANGE)
    year = _year(request.POST.get("from_year"))
    try:
        if year is None:
            raise ChangeRefused("请填写停用年度，如 2027。")
        change = indicator_retire(
            user=request.user,
            programme=programme,
            code=indicator_code,
            from_year=year,
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, ChangeRefused) as exc:
        return _framework_refused(request, programme, exc, indicator_code)
    return _framework_done(request, programme, change.subject_label)


# ---------------------------------------------------------------------------------------------
# 领域分类 (动态调整)
# ---------------------------------------------------------------------------------------------

ADD_ROWS = 3


@login_required
def taxonomy_settings(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = _programme(request, programme_code, ProgrammeAction.SETTINGS_VIEW)
    return _taxonomy_page(request, programme)


def _taxonomy_page(
    request: HttpRequest,
    programme: Programme,
    *,
    errors: list[str] | None = None,
    submitted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    from .services.taxonomy import field_proposals, taxonomy_mappings

    latest = programme.taxonomy_versions.order_by("-position").prefetch_related("fields", "kinds").first()
    names = {f.name for f in latest.fields.all()} if latest else set()
    proposals = [p for p in field_proposals(programme) if p.name not in names]
    slots = [
        {"n": i, "name": p.name, "directions": "、".join(p.directions), "source": p.source}
        for i, p in enumerate(proposals)
    ]
    slots += [{"n": len(slots) + i, "name": "", "directions": "", "source": ""} for i in range(ADD_ROWS)]
    return render(
        request,
        "programmes/settings/taxonomy.html",
        _context(
            request,
            programme,
            "taxonomy_settings",
            mappings=taxonomy_mappings(programme),
            latest=latest,
            add_slots=slots,
            proposals=proposals,
            documents=programme.documents.order_by("position"),
            errors=errors or [],
            submitted=submitted or {},
        ),
        status=status,
    )


@login_required
@require_POST
def taxonomy_version_new(request: HttpRequest, programme_code: str) -> HttpResponse:
    from .services.taxonomy import FieldAdd, VersionPlan, taxonomy_version_create

    programme = _programme(request, programme_code, ProgrammeAction.CHANGE)
    post = request.POST
    plan = VersionPlan()
    for key, action in post.items():
        if not key.startswith("op-"):
            continue
        code = key.removeprefix("op-")
        if action == "rename":
            plan.renames[code] = post.get(f"rename-{code}", "")
        elif action == "merge":
            plan.merges[code] = post.get(f"into-{code}", "")
        elif action == "retire":
            plan.retired.add(code)
    for n in range(int(post.get("add_count", "0") or 0)):
        name = post.get(f"add-name-{n}", "").strip()
        if name:
            plan.added.append(
                FieldAdd(
                    code=post.get(f"add-code-{n}", ""),
                    name=name,
                    kind=post.get(f"add-kind-{n}", ""),
                    directions=tuple(
                        d
                        for d in re.split(r"[、，,；;\n]+", post.get(f"add-directions-{n}", ""))
                        if d.strip()
                    ),
                )
            )
    try:
        valid_from = dt.date.fromisoformat(post.get("valid_from", "").strip())
    except ValueError:
        return _taxonomy_page(
            request, programme, errors=["请填写生效日期，如 2026-01-15。"], submitted=post.dict(), status=400
        )
    try:
        change = taxonomy_version_create(
            user=request.user,
            programme=programme,
            code=post.get("code", ""),
            name=post.get("name", ""),
            valid_from=valid_from,
            document_code=post.get("document", ""),
            plan=plan,
            reason=post.get("reason", ""),
        )
    except ChangeRefused as exc:
        return _taxonomy_page(request, programme, errors=[exc.message], submitted=post.dict(), status=400)
    except ValidationError as exc:
        return _taxonomy_page(request, programme, errors=exc.messages, submitted=post.dict(), status=400)
    messages.success(request, f"已保存：{change.subject_label}，已记入变更记录；此前的版本和先导区不受影响。")
    return redirect("programmes:taxonomy_settings", programme.code)


# ---------------------------------------------------------------------------------------------
# 目标任务 (targets and tasks)
# ---------------------------------------------------------------------------------------------


@login_required
def records_settings(request: HttpRequest, programme_code: str) -> HttpResponse:
    programme = _programme(request, programme_code, ProgrammeAction.SETTINGS_VIEW)
    return _records_page(request, programme)


def _records_page(
    request: HttpRequest,
    programme: Programme,
    *,
    errors: list[str] | None = None,
    where: str = "",
    submitted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    from .models import Basis, Qualifier, Target, TargetScope, Task, TaskKind

    return render(
        request,
        "programmes/settings/records.html",
        _context(
            request,
            programme,
            "records_settings",
            targets=Target.objects.filter(programme=programme)
            .select_related("document")
            .order_by("year", "position"),
            tasks=Task.objects.filter(programme=programme, kind=TaskKind.TASK)
            .select_related("document")
            .prefetch_related("units__organisations")
            .order_by("position"),
            documents=programme.documents.order_by("position"),
            qualifiers=Qualifier.choices,
            scopes=TargetScope.choices,
            bases=Basis.choices,
            errors=errors or [],
            where=where,
            submitted=submitted or {},
        ),
        status=status,
    )


def _target_values(post: Any) -> Any:
    from .services.confirmation import TargetValues, decimal_parse

    value = decimal_parse(post.get("value", ""))
    return TargetValues(
        year=_year(post.get("year")),
        metric=post.get("metric", ""),
        value=value if value is not None else Decimal(-1),
        unit=post.get("unit", ""),
        qualifier=post.get("qualifier", ""),
        strive=bool(post.get("strive")),
        cumulative=bool(post.get("cumulative")),
        scope=post.get("scope", ""),
        basis=post.get("basis", ""),
        quote=post.get("quote", ""),
    )


def _task_values(post: Any) -> Any:
    from .services.confirmation import TaskValues, units_split

    return TaskValues(
        title=post.get("title", ""),
        quote=post.get("quote", ""),
        lead=units_split(post.get("lead", "")),
        cooperating=units_split(post.get("cooperating", "")),
    )


def _records_done(request: HttpRequest, programme: Programme, label: str) -> HttpResponse:
    messages.success(request, f"已保存：{label}，已记入变更记录。")
    return redirect("programmes:records_settings", programme.code)


def _records_refused(request: HttpRequest, programme: Programme, exc: Exception, where: str) -> HttpResponse:
    from .services.confirmation import ConfirmationInvalid

    if isinstance(exc, ConfirmationInvalid):
        errors = [m for messages_ in exc.errors.values() for m in messages_]
    elif isinstance(exc, ChangeRefused):
        errors = [exc.message]
    else:
        errors = [str(exc)]
    return _records_page(
        request, programme, errors=errors, where=where, submitted=request.POST.dict(), status=400
    )


@login_required
@require_POST
def record_save(request: HttpRequest, programme_code: str) -> HttpResponse:
    """Add or change a target or a task (``entity``: target / task; ``code`` empty for a new one)."""
    from .services.confirmation import ConfirmationInvalid
    from .services.records import target_add, target_edit, task_add, task_edit

    programme = _programme(request, programme_code, ProgrammeAction.CHANGE)
    post = request.POST
    code, reason = post.get("code", ""), post.get("reason", "")
    try:
        if post.get("entity") == "task":
            values = _task_values(post)
            article = post.get("article", "")
            if code:
                change = task_edit(
                    user=request.user,
                    programme=programme,
                    code=code,
                    values=values,
                    article=article,
                    reason=reason,
                )
            else:
                change = task_add(
                    user=request.user,
                    programme=programme,
                    document_code=post.get("document", ""),
                    values=values,
                    article=article,
                    reason=reason,
                )
        elif code:
            change = target_edit(
                user=request.user, programme=programme, code=code, values=_target_values(post), reason=reason
            )
        else:
            change = target_add(
                user=request.user,
                programme=programme,
                document_code=post.get("document", ""),
                values=_target_values(post),
                reason=reason,
            )
    except (ConfirmationInvalid, ChangeRefused) as exc:
        return _records_refused(request, programme, exc, code or f"new-{post.get('entity', 'target')}")
    return _records_done(request, programme, change.subject_label)


@login_required
@require_POST
def record_retire_view(request: HttpRequest, programme_code: str) -> HttpResponse:
    """Retire a target or task from a year on, with a reason (``entity``: target / task)."""
    from .services.records import record_retire

    programme = _programme(request, programme_code, ProgrammeAction.CHANGE)
    post = request.POST
    code = post.get("code", "")
    year = _year(post.get("from_year"))
    try:
        if year is None:
            raise ChangeRefused("请填写停用年度，如 2027。")
        change = record_retire(
            user=request.user,
            programme=programme,
            entity="task" if post.get("entity") == "task" else "target",
            code=code,
            from_year=year,
            reason=post.get("reason", ""),
        )
    except ChangeRefused as exc:
        return _records_refused(request, programme, exc, code)
    except ValidationError as exc:
        return _records_page(
            request, programme, errors=exc.messages, where=code, submitted=post.dict(), status=400
        )
    return _records_done(request, programme, f"{change.subject_label}自{year}年起停用")
