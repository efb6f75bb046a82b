"""The application pages: list, eligibility, the form with autosave, detail with its step bar, documents.

Views are thin: they read the request, call ``application_services`` (the same the API calls)
and show the Chinese messages the services raise. The form saves as the officer types (HTMX
posts the whole form to ``application_save``, which answers “已保存” and the new version); a
form posted from an older version is refused as stale, so two tabs never overwrite each other.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.excel import xlsx_response
from xiandao.core.files import file_response, max_upload_bytes
from xiandao.core.listing import Listing, Sort
from xiandao.geo.selectors import city_list_within, jurisdiction_with_ancestor_ids

from . import application_services as services
from .application_documents import application_docx, application_pdf
from .application_rules import (
    application_missing,
    application_rules,
    field_choices,
    host_choices,
    host_choices_in_programme,
    indicators_for,
    park_is_eligible,
    period_years,
)
from .application_selectors import (
    application_history,
    application_list_for,
    application_steps,
    revision_list,
    revisions_compare,
)
from .models import (
    Application,
    ApplicationAttachment,
    ApplicationRevision,
    AttachmentKind,
    AttestationCheck,
    ZoneStatus,
)
from .permissions import ATTACHABLE, EDITABLE, ApplicationAction, application_actions_for, application_policy

SORTS = (
    Sort("name", "先导区名称", ("name",)),
    Sort("city", "设区市", ("city__code",)),
    Sort("status", "状态", ("status",)),
    Sort("updated", "最近更新", ("updated_at",)),
)
#: The form's sections, with the prefix their missing items carry (``application_missing``).
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("basic", "基本信息", ("基本信息：", "承载地：")),
    ("period", "创建周期", ("创建周期：",)),
    ("conditions", "申报条件", ("申报条件：",)),
    ("targets", "目标", ("目标：",)),
    ("measures", "主要举措", ("主要举措：",)),
)


def _application(
    request: HttpRequest, application_id: int, action: ApplicationAction = ApplicationAction.VIEW
) -> Application:
    return application_policy.get_or_404(request.user, action, pk=application_id)


def _programmes_for(user: Any) -> list[Any]:
    """The programmes covering the user's cities (or parks): those they may apply to."""
    scope = user_scope(user)
    if not scope.has_role(Role.CITY_OFFICER, Role.ZONE_OPERATOR):
        return []
    from xiandao.programmes.selectors import programme_list_public

    reach = jurisdiction_with_ancestor_ids(scope.jurisdiction_ids) if scope.jurisdiction_ids else set()
    return [p for p in programme_list_public() if scope.is_superuser or p.jurisdiction_id in reach]


def _cities_for(user: Any, programme: Any) -> list[Any]:
    scope = user_scope(user)
    cities = city_list_within([programme.jurisdiction_id]).order_by("code")
    if scope.is_superuser:
        return list(cities)
    return [c for c in cities if c.pk in scope.jurisdiction_ids]


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    """申报管理 / 申报评审: the applications the user may see, filtered in the URL, exported to Excel."""
    rows = application_list_for(request.user)
    status = request.GET.get("status", "")
    programme_code = request.GET.get("programme", "")
    q = request.GET.get("q", "").strip()
    if status in ZoneStatus.values:
        rows = rows.filter(status=status)
    if programme_code:
        rows = rows.filter(programme__code=programme_code)
    if q:
        rows = rows.filter(name__icontains=q)
    listing = Listing(request, rows, sorts=SORTS, default="-updated", per_page=20)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="先导区申请报告.xlsx",
            title="先导区申请报告",
            sheet="申请报告",
            columns=["先导区名称", "培育计划", "设区市", "领域", "承载园区", "创建期", "状态", "最近更新"],
            rows=[
                [
                    a.name,
                    a.programme.name,
                    a.city.name,
                    a.field.name if a.field_id else "",
                    "、".join(p.name for p in a.host_parks.all()),
                    f"{a.creation_start_year}—{a.creation_end_year}" if a.creation_start_year else "",
                    a.get_status_display(),
                    timezone.localtime(a.updated_at).date(),
                ]
                for a in listing.ordered
            ],
        )
    programmes = _programmes_for(request.user)
    scope = user_scope(request.user)
    title = "申报评审" if Role.PROGRAMME_ADMIN in scope.roles and not programmes else "申报管理"
    return render(
        request,
        "pilot_zones/applications/list.html",
        {
            "breadcrumbs": [(title, None)],
            "title": title,
            "listing": listing,
            "page": listing.page,
            "status": status,
            "statuses": ZoneStatus.choices[:6],
            "q": q,
            "may_create": bool(programmes),
        },
    )


def _eligibility_context(
    request: HttpRequest, programme: Any, city: Any, zone_type_code: str
) -> dict[str, Any]:
    rules = application_rules(programme)
    zone_types = list(programme.zone_types.all())
    multi = zone_type_code in rules.multi_host_zone_types
    parks = list(host_choices_in_programme(programme) if multi else host_choices(city)) if city else []
    return {
        "programme": programme,
        "city": city,
        "rules": rules,
        "zone_types": zone_types,
        "zone_type_code": zone_type_code,
        "multi": multi,
        "parks": [(p, park_is_eligible(p)) for p in parks],
        "conditions": rules.conditions_for(zone_type_code or None),
        "max_mb": max_upload_bytes() // (1024 * 1024),
    }


@login_required
@require_http_methods(["GET", "POST"])
def application_eligibility(request: HttpRequest) -> HttpResponse:
    """资格核对: pick the programme, (zone type,) host park(s), answer each condition; then the draft exists."""
    programmes = _programmes_for(request.user)
    if not programmes:
        raise PermissionDenied("只有设区市管理员或承载园区工作人员可以申报先导区。")
    data = request.POST if request.method == "POST" else request.GET
    programme = next((p for p in programmes if p.code == data.get("programme")), programmes[0])
    cities = _cities_for(request.user, programme)
    if not cities and user_scope(request.user).park_ids:
        cities = list(city_list_within([programme.jurisdiction_id]).filter(pk__in=_park_cities(request.user)))
    city = next((c for c in cities if str(c.pk) == data.get("city")), cities[0] if cities else None)
    zone_type_code = data.get("zone_type", "")
    context = _eligibility_context(request, programme, city, zone_type_code)
    context.update(
        {
            "breadcrumbs": [("申报管理", reverse("pilot_zones:application_list")), ("资格核对", None)],
            "programmes": programmes,
            "cities": cities,
            "answers": {c.code: data.get(f"answer_{c.code}", "") for c in context["conditions"]},
            "chosen": {int(x) for x in data.getlist("hosts") if x.isdigit()},
            "name": data.get("name", ""),
            "errors": {},
        }
    )
    if request.method == "POST" and data.get("step") == "create" and city is not None:
        evidence: dict[str, tuple[bytes, str]] = {}
        for c in context["conditions"]:
            upload = request.FILES.get(f"evidence_{c.code}")
            if upload is not None:
                evidence[c.code] = (upload.read(), upload.name or "")
        try:
            application = services.application_create(
                actor=request.user,
                programme=programme,
                city=city,
                host_park_ids=sorted(context["chosen"]),
                answers=context["answers"],
                zone_type_code=zone_type_code or None,
                name=context["name"],
                evidence=evidence,
            )
        except ValidationError as error:
            context["errors"] = error.message_dict
            messages.error(request, "未通过资格核对，请按提示修改：" + "；".join(error.messages))
        else:
            messages.success(request, "已通过资格核对，请继续编写申请报告。")
            return redirect("pilot_zones:application_edit", application_id=application.pk)
    errors = context["errors"]
    context["condition_rows"] = [
        (
            c,
            context["answers"][c.code],
            errors.get(f"answer_{c.code}", []) + errors.get(f"evidence_{c.code}", []),
        )
        for c in context["conditions"]
    ]
    return render(request, "pilot_zones/applications/eligibility.html", context)


def _park_cities(user: Any) -> set[int]:
    from xiandao.geo.selectors import jurisdiction_ids_hosting_parks

    return jurisdiction_with_ancestor_ids(jurisdiction_ids_hosting_parks(user_scope(user).park_ids))


def _sections(application: Application, missing: list[str]) -> list[dict[str, Any]]:
    out = []
    for key, label, prefixes in SECTIONS:
        items = [m for m in missing if m.startswith(prefixes)]
        out.append({"key": key, "label": label, "missing": items, "complete": not items})
    return out


def _target_rows(application: Application) -> tuple[list[int], list[dict[str, Any]]]:
    years = period_years(application)
    values = {(t.indicator_code, t.year): t.value for t in application.targets.all()}
    rows = []
    for indicator in indicators_for(application.programme):
        cells = [("overall", "总体", values.get((indicator.code, None)))]
        cells += [(str(y), f"{y}年", values.get((indicator.code, y))) for y in years]
        rows.append(
            {
                "indicator": indicator,
                "cells": [
                    {"key": key, "label": label, "value": "" if v is None else format(v.normalize(), "f")}
                    for key, label, v in cells
                ],
            }
        )
    return years, rows


def _form_context(request: HttpRequest, application: Application) -> dict[str, Any]:
    rules = application_rules(application.programme)
    zone_type_code = application.zone_type.code if application.zone_type_id else None  # type: ignore[union-attr]
    multi = zone_type_code in rules.multi_host_zone_types
    parks = host_choices_in_programme(application.programme) if multi else host_choices(application.city)
    years, target_rows = _target_rows(application)
    missing = application_missing(application)
    answers = {a.condition_code: a for a in application.eligibility.all()}
    return {
        "application": application,
        "rules": rules,
        "fields": field_choices(application.programme),
        "zone_types": list(application.programme.zone_types.all()),
        "parks": [(p, park_is_eligible(p)) for p in parks],
        "chosen": set(application.host_parks.values_list("pk", flat=True)),
        "conditions": [(c, answers.get(c.code)) for c in rules.conditions_for(zone_type_code)],
        "years": years,
        "target_rows": target_rows,
        "sections": _sections(application, missing),
        "missing": missing,
    }


@login_required
@require_GET
def application_edit(request: HttpRequest, application_id: int) -> HttpResponse:
    """编写申请报告: sections with completion marks, saved as the officer types."""
    application = _application(request, application_id, ApplicationAction.EDIT)
    if application.status not in EDITABLE:
        messages.info(request, f"申请报告当前为“{application.get_status_display()}”，不能修改。")
        return redirect("pilot_zones:application_detail", application_id=application.pk)
    context = _form_context(request, application)
    context["breadcrumbs"] = [
        ("申报管理", reverse("pilot_zones:application_list")),
        (application.name, reverse("pilot_zones:application_detail", args=[application.pk])),
        ("编写", None),
    ]
    return render(request, "pilot_zones/applications/edit.html", context)


def form_data(post: QueryDict) -> dict[str, Any]:
    """The service's ``data`` from a posted form: only the keys the form sent."""
    data: dict[str, Any] = {}
    for key in (
        "name",
        "summary",
        "measures",
        "contact_name",
        "contact_phone",
        "field",
        "zone_type",
        "creation_start_year",
        "creation_end_year",
    ):
        if key in post:
            data[key] = str(post.get(key, ""))
    if "hosts_present" in post:
        data["hosts"] = post.getlist("hosts")
    eligibility = {k.removeprefix("answer_"): str(v) for k, v in post.items() if k.startswith("answer_")}
    if eligibility:
        data["eligibility"] = eligibility
    targets: dict[tuple[str, int | None], str] = {}
    for key, raw in post.items():
        value = str(raw)
        if key.startswith("target__"):
            parts = key.split("__")
            if len(parts) != 3:
                continue
            code, when = parts[1], parts[2]
            if when == "overall":
                targets[(code, None)] = value
            elif when.isdigit():
                targets[(code, int(when))] = value
    if targets:
        data["targets"] = targets
    return data


@login_required
@require_POST
def application_save(request: HttpRequest, application_id: int) -> HttpResponse:
    """Autosave (HTMX) or 暂存: the whole form; answers “已保存” with the new version, or what is wrong."""
    application = _application(request, application_id, ApplicationAction.EDIT)
    version = request.POST.get("version", "")
    before = (application.zone_type_id, application.creation_start_year, application.creation_end_year)
    try:
        saved = services.application_update(
            actor=request.user,
            application=application,
            version=int(version) if version.isdigit() else -1,
            data=form_data(request.POST),
        )
    except ValidationError as error:
        if not request.htmx:  # type: ignore[attr-defined]
            _refused(request, error)
            return redirect("pilot_zones:application_edit", application_id=application.pk)
        return render(
            request,
            "pilot_zones/applications/_saved.html",
            {
                "errors": error.messages,
                "stale": getattr(error, "code", "") == "stale",
                "application": application,
            },
        )
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, f"已暂存（第{saved.version}版）。")
        return redirect("pilot_zones:application_edit", application_id=saved.pk)
    missing = application_missing(saved)
    response = render(
        request,
        "pilot_zones/applications/_saved.html",
        {
            "application": saved,
            "sections": _sections(saved, missing),
            "missing": missing,
            "saved_at": timezone.now(),
        },
    )
    after = (saved.zone_type_id, saved.creation_start_year, saved.creation_end_year)
    if after != before:
        response["HX-Refresh"] = "true"  # the conditions or the years' columns change with these
    return response


@login_required
@require_GET
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """The application: step bar, what can be done now, tabs (基本信息、目标、申报条件、附件、修订记录、操作记录)."""
    application = _application(request, application_id)
    allowed = application_actions_for(request.user, application)
    rules = application_rules(application.programme)
    status = application.status
    years, target_rows = _target_rows(application)
    missing = application_missing(application, stage="recommend" if status == "attested" else "submit")
    answers = {a.condition_code: a for a in application.eligibility.select_related("evidence")}
    zone_type_code = application.zone_type.code if application.zone_type_id else None  # type: ignore[union-attr]
    history = list(application_history(application))
    last_return = next((h for h in history if h.action == "return"), None)
    letters = application.attachments.filter(
        kind=AttachmentKind.RECOMMENDATION_LETTER, round=application.round
    )
    attestations = list(application.attestations.filter(round=application.round))
    revisions = list(revision_list(application))
    return render(
        request,
        "pilot_zones/applications/detail.html",
        {
            "breadcrumbs": [("申报管理", reverse("pilot_zones:application_list")), (application.name, None)],
            "application": application,
            "rules": rules,
            "steps": application_steps(application),
            "may_edit": "edit" in allowed and status in EDITABLE,
            "may_attach": "edit" in allowed and status in ATTACHABLE,
            "may_submit": "submit" in allowed and status in EDITABLE,
            "may_attest": "attest" in allowed and status == "submitted",
            "may_city_return": "attest" in allowed and status in ("submitted", "attested"),
            "may_recommend": "recommend" in allowed and status == "attested",
            "may_decide": "decide" in allowed and status == "recommended",
            "missing": missing,
            "years": years,
            "target_rows": target_rows,
            "conditions": [(c, answers.get(c.code)) for c in rules.conditions_for(zone_type_code)],
            "attachments": application.attachments.select_related("uploaded_by"),
            "letters": letters,
            "attestations": attestations,
            "attestation_checks": [(c, AttestationCheck(c).label) for c in rules.attestations],
            "history": history,
            "last_return": last_return if status == "returned" else None,
            "revisions": revisions,
            "max_mb": max_upload_bytes() // (1024 * 1024),
            "kinds": AttachmentKind.choices,
        },
    )


MOVES = {
    "submit": services.application_submit,
    "recommend": services.application_recommend,
    "accept": services.application_accept,
}
DONE = {
    "submit": "已提交设区市审核。",
    "attest": "已确认材料审核（真实性、准确性、完整性、合规性）。",
    "recommend": "已书面推荐至省级主管部门。",
    "accept": "已受理，进入论证。",
    "return": "已退回修改，并通知设区市。",
}


@login_required
@require_POST
def application_move(request: HttpRequest, application_id: int) -> HttpResponse:
    """One move of the life cycle: submit, attest, recommend, accept or return (with reasons)."""
    application = _application(request, application_id)
    action = request.POST.get("action", "")
    expected = request.POST.get("expected", "")
    try:
        if action in MOVES:
            MOVES[action](actor=request.user, application=application, expected=expected)
        elif action == "attest":
            statements = {c: request.POST.get(f"attest_{c}", "") for c in AttestationCheck.values}
            services.application_attest(
                actor=request.user, application=application, expected=expected, statements=statements
            )
        elif action == "return":
            services.application_return(
                actor=request.user,
                application=application,
                expected=expected,
                reason=request.POST.get("reason", ""),
            )
        else:
            raise ValidationError(f"没有“{action}”这项操作。")
    except ValidationError as error:
        _refused(request, error)
    except PermissionDenied as denied:
        messages.error(request, str(denied) or "您无权办理此事项。")
    else:
        messages.success(request, DONE.get(action, "已办理。"))
    return redirect("pilot_zones:application_detail", application_id=application.pk)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, application_id: int) -> HttpResponse:
    """上传附件 (the stamped recommendation letter among them): type by content, size limited."""
    application = _application(request, application_id, ApplicationAction.EDIT)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件。")
    elif upload.size and upload.size > max_upload_bytes():
        messages.error(request, f"文件超过{max_upload_bytes() // (1024 * 1024)}MB，请压缩或拆分后再上传。")
    else:
        try:
            attachment = services.application_attachment_add(
                actor=request.user,
                application=application,
                data=upload.read(),
                filename=upload.name or "",
                kind=request.POST.get("kind", AttachmentKind.OTHER),
            )
        except ValidationError as error:
            _refused(request, error)
        except PermissionDenied as denied:
            messages.error(request, str(denied))
        else:
            messages.success(request, f"已上传{attachment.get_kind_display()}“{attachment.original_name}”。")
    back = request.POST.get("back", "")
    if back == "edit" and application.status in EDITABLE:
        return redirect("pilot_zones:application_edit", application_id=application.pk)
    return redirect(reverse("pilot_zones:application_detail", args=[application.pk]) + "#t-files")


@login_required
@require_GET
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """An attachment, only to those who may see its application (others: 404); PDFs and images inline."""
    attachment = ApplicationAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("未找到该对象，或您无权访问。")
    application_policy.get_or_404(request.user, ApplicationAction.VIEW, pk=attachment.application_id)
    inline = attachment.content_type in ("application/pdf", "image/png", "image/jpeg")
    return file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        inline=inline,
    )


@login_required
@require_GET
def revision_compare(request: HttpRequest, application_id: int) -> HttpResponse:
    """Any two revisions side by side; the rows that differ are marked."""
    application = _application(request, application_id)
    numbers = list(revision_list(application).values_list("number", flat=True))
    if not numbers:
        raise Http404("该申请报告还没有修订记录。")

    def number(key: str, default: int) -> int:
        raw = request.GET.get(key, "")
        return int(raw) if raw.isdigit() and int(raw) in numbers else default

    right = number("b", numbers[0])
    left = number("a", numbers[1] if len(numbers) > 1 else numbers[0])
    try:
        rows = revisions_compare(application, left, right)
    except ApplicationRevision.DoesNotExist as missing:
        raise Http404("没有该修订版本。") from missing
    only_changes = request.GET.get("changed") == "1"
    revisions = {r.number: r for r in revision_list(application)}
    return render(
        request,
        "pilot_zones/applications/compare.html",
        {
            "breadcrumbs": [
                ("申报管理", reverse("pilot_zones:application_list")),
                (application.name, reverse("pilot_zones:application_detail", args=[application.pk])),
                ("修订比较", None),
            ],
            "application": application,
            "numbers": numbers,
            "left": revisions[left],
            "right": revisions[right],
            "rows": [r for r in rows if r.changed] if only_changes else rows,
            "changed_count": sum(1 for r in rows if r.changed),
            "only_changes": only_changes,
        },
    )


@login_required
@require_GET
def application_word(request: HttpRequest, application_id: int) -> HttpResponse:
    """The application as Word (GB/T 9704 layout)."""
    return application_docx(_application(request, application_id))


@login_required
@require_GET
def application_pdf_view(request: HttpRequest, application_id: int) -> HttpResponse:
    """The application as PDF (WeasyPrint, Noto Sans CJK)."""
    return application_pdf(_application(request, application_id))
