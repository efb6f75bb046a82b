"""Pages of the committee's review: thin — parse, call the service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiandao.accounts.models import ExpertKind, Role
from xiandao.accounts.permissions import organisation_policy
from xiandao.accounts.selectors import role_assignment_list_within
from xiandao.core.excel import Column, xlsx_response
from xiandao.core.formats import date_zh
from xiandao.core.listing import Listing, Sort
from xiandao.geo.selectors import city_list, jurisdiction_descendant_ids, park_list_in
from xiandao.pilot_zones.models import ZoneStatus
from xiandao.programmes.selectors import field_list_for_programme
from xiandao.registries.selectors import enterprise_matches

from . import selectors, services
from .draw import KIND_LABELS
from .forms import (
    ConflictForm,
    DrawForm,
    ExpertForm,
    OpinionForm,
    ReasonForm,
    RelationshipForm,
    RoundForm,
    score_form_class,
)
from .models import AssignmentStatus, Expert, MemberStatus, PanelEvent, RoundStatus
from .permissions import ReviewAction, assignment_policy, expert_policy, round_policy
from .scoring import CRITERION_LABELS, RECOMMENDATION_LABELS


def _errors_to_form(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _flash(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _programmes(request: HttpRequest) -> QuerySet[Any]:
    programmes = selectors.programmes_for_review(request.user)
    if not programmes.exists():
        raise Http404("未找到该页面，或您无权访问。")
    return programmes


# ---------------------------------------------------------------------------------------------
# The expert pool
# ---------------------------------------------------------------------------------------------

EXPERT_SORTS = (
    Sort("name", "姓名", ("name",)),
    Sort("kind", "类别", ("kind", "name")),
    Sort("city", "所在城市", ("city__code", "name")),
    Sort("updated", "更新时间", ("updated_at",)),
)


@login_required
@require_GET
def expert_list(request: HttpRequest) -> HttpResponse:
    """专家库: the pool of the programmes the admin runs, filtered in the URL, exported as shown."""
    _programmes(request)
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    experts = selectors.expert_list_for_admin(request.user)
    if kind in ExpertKind.values:
        experts = experts.filter(kind=kind)
    if q:
        experts = experts.filter(name__icontains=q) | experts.filter(organisation__name__icontains=q)
    listing = Listing(request, experts, sorts=EXPERT_SORTS, default="kind")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="专家库.xlsx",
            title="咨询委员会专家库",
            sheet="专家库",
            columns=[
                "姓名",
                "类别",
                "职务职称",
                "工作单位",
                "所在城市",
                "专业领域",
                "在库",
                "申报回避（项）",
                "回避关系（项）",
            ],
            rows=[
                [
                    e.name,
                    e.get_kind_display(),
                    e.title,
                    str(e.organisation or ""),
                    str(e.city or ""),
                    "、".join(e.field_codes or []),
                    "是" if e.active else "否",
                    e.conflict_count,
                    e.tie_count,
                ]
                for e in listing.ordered
            ],
        )
    return render(
        request,
        "review/expert_list.html",
        {
            "breadcrumbs": [("申报评审", None), ("专家库", None)],
            "listing": listing,
            "page": listing.page,
            "kind": kind,
            "kinds": ExpertKind.choices,
            "q": q,
        },
    )


def _expert_form(request: HttpRequest, programme: Any, data: Any = None, initial: Any = None) -> ExpertForm:
    subtree = jurisdiction_descendant_ids([programme.jurisdiction_id])
    experts = role_assignment_list_within(subtree, on=timezone.localdate()).filter(role=Role.EXPERT)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=experts.values("user_id")).order_by("display_name")
    fields = list(dict.fromkeys((f.code, f.name) for f in field_list_for_programme(programme)))
    return ExpertForm(
        data,
        initial=initial,
        organisations=organisation_policy.instances_for(request.user, "view").order_by("name"),
        cities=city_list().order_by("code"),
        fields=fields,
        users=users,
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_create(request: HttpRequest) -> HttpResponse:
    programmes = _programmes(request)
    programme = (
        programmes.filter(code=request.GET.get("programme")).first() or programmes.order_by("pk").first()
    )
    form = _expert_form(request, programme, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert = services.expert_create(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"已将{expert.name}加入专家库。")
            return redirect("review:expert_detail", expert_id=expert.pk)
    return render(
        request,
        "review/expert_form.html",
        {
            "breadcrumbs": [("专家库", "/review/experts/"), ("新增专家", None)],
            "form": form,
            "programme": programme,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def expert_detail(request: HttpRequest, expert_id: int) -> HttpResponse:
    """An expert's record: data (editable), declared conflicts and recorded ties."""
    expert = expert_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=expert_id)
    initial = {
        "name": expert.name,
        "kind": expert.kind,
        "title": expert.title,
        "organisation": expert.organisation_id,
        "city": expert.city_id,
        "field_codes": expert.field_codes,
        "expertise": expert.expertise,
        "user": expert.user_id,
        "active": expert.active,
    }
    form = _expert_form(request, expert.programme, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_update(actor=request.user, expert=expert, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, "已保存专家信息。")
            return redirect("review:expert_detail", expert_id=expert.pk)
    subtree = jurisdiction_descendant_ids([expert.programme.jurisdiction_id])
    organisations = organisation_policy.instances_for(request.user, "view").order_by("name")
    return render(
        request,
        "review/expert_detail.html",
        {
            "breadcrumbs": [("专家库", "/review/experts/"), (expert.name, None)],
            "expert": expert,
            "form": form,
            "conflict_form": ConflictForm(
                cities=city_list().order_by("code"),
                parks=park_list_in(subtree).order_by("name"),
                organisations=organisations,
            ),
            "relationship_form": RelationshipForm(organisations=organisations),
            "conflicts": expert.declared_conflicts.select_related(
                "jurisdiction", "park", "enterprise", "organisation"
            ),
            "relationships": expert.relationships.select_related("organisation", "enterprise"),
        },
    )


@login_required
@require_POST
def expert_conflict_add(request: HttpRequest, expert_id: int) -> HttpResponse:
    expert = expert_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=expert_id)
    subtree = jurisdiction_descendant_ids([expert.programme.jurisdiction_id])
    form = ConflictForm(
        request.POST,
        cities=city_list(),
        parks=park_list_in(subtree),
        organisations=organisation_policy.instances_for(request.user, "view"),
    )
    if not form.is_valid():
        messages.error(request, "请检查回避对象。")
        return redirect("review:expert_detail", expert_id=expert.pk)
    data = form.cleaned_data
    target: Any = {
        "city": data["jurisdiction"],
        "park": data["park"],
        "organisation": data["organisation"],
    }.get(data["kind"])
    if data["kind"] == "enterprise":
        found = (
            enterprise_matches(request.user, data.get("enterprise") or "", limit=1)
            if data.get("enterprise")
            else []
        )
        target = found[0][0] if found else None
        if target is None:
            messages.error(request, "登记库中未找到该企业，请核对企业名称。")
            return redirect("review:expert_detail", expert_id=expert.pk)
    try:
        services.conflict_declare(
            actor=request.user, expert=expert, kind=data["kind"], target=target, note=data["note"]
        )
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, "已登记申报回避。")
    return redirect("review:expert_detail", expert_id=expert.pk)


@login_required
@require_POST
def expert_relationship_add(request: HttpRequest, expert_id: int) -> HttpResponse:
    expert = expert_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=expert_id)
    form = RelationshipForm(
        request.POST, organisations=organisation_policy.instances_for(request.user, "view")
    )
    if not form.is_valid():
        messages.error(request, "请检查回避关系的填写。")
        return redirect("review:expert_detail", expert_id=expert.pk)
    try:
        services.relationship_record(actor=request.user, expert=expert, **form.cleaned_data)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, "已登记回避关系。")
    return redirect("review:expert_detail", expert_id=expert.pk)


# ---------------------------------------------------------------------------------------------
# Rounds, the draw, the panel
# ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = selectors.round_list_for_user(request.user)
    may_create = selectors.programmes_for_review(request.user).exists()
    if not may_create and not rounds.exists():
        raise Http404("未找到该页面，或您无权访问。")
    return render(
        request,
        "review/round_list.html",
        {"breadcrumbs": [("申报评审", None), ("评审批次", None)], "rounds": rounds, "may_create": may_create},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    programmes = _programmes(request)
    programme = (
        programmes.filter(pk=request.POST.get("programme") or 0).first() or programmes.order_by("pk").first()
    )
    under_review = list(selectors.applications_under_review(programme))
    form = RoundForm(
        request.POST or None,
        programmes=programmes,
        applications=[(a.pk, f"{a.name}（{a.city}）") for a in under_review],
        initial={"programme": programme},
    )
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["applications"]}
        try:
            round_ = services.round_create(
                actor=request.user,
                programme=form.cleaned_data["programme"],
                name=form.cleaned_data["name"],
                deadline=form.cleaned_data["deadline"],
                applications=[a for a in under_review if a.pk in chosen],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, f"已新建评审批次“{round_.name}”。")
            return redirect("review:round_detail", round_id=round_.pk)
    return render(
        request,
        "review/round_form.html",
        {
            "breadcrumbs": [("评审批次", "/review/rounds/"), ("新建批次", None)],
            "form": form,
            "none_under_review": not under_review,
            "under_review_label": ZoneStatus.UNDER_REVIEW.label,
        },
    )


def _supervisors(round_: Any, actor: Any) -> QuerySet[Any]:
    from django.contrib.auth import get_user_model

    subtree = jurisdiction_descendant_ids([round_.programme.jurisdiction_id])
    ids = [
        a.user_id
        for a in role_assignment_list_within(subtree, on=timezone.localdate()).filter(
            role__in=[Role.PROGRAMME_ADMIN, Role.DEPARTMENT_OFFICER]
        )
        if a.user_id != actor.pk
    ]
    return get_user_model().objects.filter(pk__in=ids).order_by("display_name")


@login_required
@require_GET
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round: its applications, the draw form or the draw's record, the panel and its log."""
    round_ = round_policy.get_or_404(request.user, ReviewAction.VIEW, pk=round_id)
    may_manage = round_policy.user_may(request.user, ReviewAction.MANAGE, round_)
    may_see_panel = round_policy.user_may(request.user, ReviewAction.PANEL_VIEW, round_)
    draw = getattr(round_, "draw", None) if hasattr(round_, "draw") else None
    panel = selectors.round_panel(round_) if may_see_panel else []
    experts = {m.expert_id: m.expert for m in panel}
    if draw is not None and may_see_panel:
        names = dict(
            Expert.objects.filter(pk__in=[e["id"] for e in draw.exclusions]).values_list("pk", "name")
        )
        exclusions = [(names.get(e["id"], e["id"]), e["reason"]) for e in draw.exclusions]
    else:
        exclusions = []
    return render(
        request,
        "review/round_detail.html",
        {
            "breadcrumbs": [("评审批次", "/review/rounds/"), (round_.name, None)],
            "round": round_,
            "applications": [
                e.application
                for e in round_.entries.select_related("application__city", "application__field")
            ],
            "may_manage": may_manage,
            "may_see_panel": may_see_panel,
            "draw": draw,
            "draw_form": DrawForm(supervisors=_supervisors(round_, request.user))
            if may_manage and round_.status == RoundStatus.PREPARING
            else None,
            "panel": panel,
            "members": [m for m in panel if m.status != MemberStatus.RESERVE],
            "reserves": [m for m in panel if m.status == MemberStatus.RESERVE],
            "experts": experts,
            "exclusions": exclusions,
            "events": PanelEvent.objects.filter(round=round_).select_related("member__expert", "actor")
            if may_see_panel
            else [],
            "checks": draw.checks.select_related("checked_by") if draw is not None and may_see_panel else [],
            "kind_labels": KIND_LABELS,
            "statuses": RoundStatus,
            "member_statuses": MemberStatus,
            "draw_conditions": _conditions(draw.filters) if draw is not None else "",
        },
    )


def _conditions(filters: dict[str, Any]) -> str:
    per_kind = filters.get("per_kind", {})
    kinds = "、".join(f"{label}{per_kind[k]}名" for k, label in KIND_LABELS.items() if per_kind.get(k))
    text = f"{kinds}；每类备选{filters.get('reserves_per_kind', 0)}名"
    if filters.get("fields"):
        text += "；限与申报领域相符的专家"
    return text + "；回避：与任一申报存在回避情形者不参加抽取"


def _round_for_manage(request: HttpRequest, round_id: int) -> Any:
    return round_policy.get_or_404(request.user, ReviewAction.MANAGE, pk=round_id)


@login_required
@require_POST
def round_draw(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round_for_manage(request, round_id)
    form = DrawForm(request.POST, supervisors=_supervisors(round_, request.user))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}：{message}" if label else str(message))
        return redirect("review:round_detail", round_id=round_.pk)
    data = form.cleaned_data
    try:
        services.draw_run(
            actor=request.user,
            round=round_,
            per_kind={k: data[k] for k in ("scientist", "entrepreneur", "investor")},
            reserves_per_kind=data["reserves_per_kind"],
            supervisor=data["supervisor"],
            match_fields=data["match_fields"],
        )
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, "已完成随机抽取，请逐一联系抽中的专家并登记结果。")
    return redirect("review:round_detail", round_id=round_.pk)


@login_required
@require_POST
def round_verify(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = round_policy.get_or_404(request.user, ReviewAction.PANEL_VIEW, pk=round_id)
    try:
        check = services.draw_verify(actor=request.user, round=round_)
    except ValidationError as error:
        _flash(request, error)
    else:
        if check.same:
            messages.success(request, "复核抽取：按记录的种子和专家库重新抽取，结果与记录一致。")
        else:
            messages.error(request, "复核抽取：结果与记录不一致：" + "；".join(check.differences))
    return redirect("review:round_detail", round_id=round_.pk)


def _member(request: HttpRequest, member_id: int) -> Any:
    member = selectors.member_for_manage(request.user, member_id)
    if member is None:
        raise Http404("未找到该对象，或您无权访问。")
    return member


@login_required
@require_POST
def member_contact(request: HttpRequest, member_id: int) -> HttpResponse:
    member = _member(request, member_id)
    accepted = request.POST.get("answer") == "accepted"
    try:
        services.member_contact(
            actor=request.user, member=member, accepted=accepted, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        _flash(request, error)
    return redirect("review:round_detail", round_id=member.round_id)


@login_required
@require_POST
def member_replace(request: HttpRequest, member_id: int) -> HttpResponse:
    member = _member(request, member_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        reserve = services.member_replace(
            actor=request.user, member=member, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, f"已由备选专家{reserve.expert.name}替换。")
    return redirect("review:round_detail", round_id=member.round_id)


@login_required
@require_POST
def round_confirm(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round_for_manage(request, round_id)
    try:
        services.panel_confirm(actor=request.user, round=round_)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, "已确认评审专家组，评审任务已通知各位专家。")
    return redirect("review:round_detail", round_id=round_.pk)


@login_required
@require_POST
def round_close(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round_for_manage(request, round_id)
    try:
        services.round_close(actor=request.user, round=round_, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, "已结束评分，可撰写论证意见。")
    return redirect("review:round_results", round_id=round_.pk)


@login_required
@require_POST
def round_publish(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _round_for_manage(request, round_id)
    try:
        services.round_publish(actor=request.user, round=round_)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, "已公布评审结果。")
    return redirect("review:round_results", round_id=round_.pk)


# ---------------------------------------------------------------------------------------------
# Results, opinions, the summary
# ---------------------------------------------------------------------------------------------


def _chart(round_: Any, results: list[Any]) -> dict[str, Any]:
    """Bars of each application's weighted mean, with its lowest and highest expert score as points."""

    def figures(attribute: str) -> list[float | None]:
        values = [getattr(r.result, attribute) for r in results]
        return [float(v) if v is not None else None for v in values]

    return {
        "title": {
            "text": f"各申报加权得分（{round_.name}）",
            "left": "center",
            "textStyle": {"fontSize": 14},
        },
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "data": ["加权平均分", "最低分", "最高分"]},
        "grid": {"left": 60, "right": 20, "top": 40, "bottom": 60},
        "xAxis": {
            "type": "category",
            "data": [r.application.name for r in results],
            "axisLabel": {"interval": 0},
        },
        "yAxis": {"type": "value", "name": "得分（分）", "min": 0},
        "series": [
            {
                "name": "加权平均分",
                "type": "bar",
                "barMaxWidth": 48,
                "data": figures("mean"),
                "label": {"show": True, "position": "inside", "color": "#fff"},
            },
            {"name": "最低分", "type": "scatter", "symbolSize": 12, "data": figures("minimum")},
            {
                "name": "最高分",
                "type": "scatter",
                "symbolSize": 12,
                "symbol": "diamond",
                "data": figures("maximum"),
            },
        ],
    }


@login_required
@require_GET
def round_results(request: HttpRequest, round_id: int) -> HttpResponse:
    """评审结果: per application the weighted result, spread, dissent, the sheets, and the opinion form."""
    round_ = _round_for_manage(request, round_id)
    results = selectors.round_results(round_, named=True)
    opinion_forms = {
        r.application.pk: OpinionForm(
            initial={
                "text": r.opinion.text if r.opinion else "",
                "conclusion": r.opinion.conclusion if r.opinion else "",
                "version": r.opinion.version if r.opinion else 0,
            },
            prefix=f"a{r.application.pk}",
        )
        for r in results
    }
    return render(
        request,
        "review/round_results.html",
        {
            "breadcrumbs": [
                ("评审批次", "/review/rounds/"),
                (round_.name, f"/review/rounds/{round_.pk}/"),
                ("评审结果", None),
            ],
            "round": round_,
            "results": [(r, opinion_forms[r.application.pk]) for r in results],
            "chart": _chart(round_, results),
            "criteria": CRITERION_LABELS,
            "recommendations": RECOMMENDATION_LABELS,
            "statuses": RoundStatus,
            "rules": selectors.round_rules(round_),
        },
    )


@login_required
@require_POST
def opinion_write(request: HttpRequest, round_id: int, application_id: int) -> HttpResponse:
    round_ = _round_for_manage(request, round_id)
    application = selectors.round_application(round_, application_id)
    if application is None:
        raise Http404("未找到该对象，或您无权访问。")
    form = OpinionForm(request.POST, prefix=f"a{application.pk}")
    form.is_valid()
    data = form.cleaned_data
    try:
        services.review_opinion_write(
            actor=request.user,
            application=application,
            round=round_,
            text=data.get("text", ""),
            conclusion=data.get("conclusion", ""),
            expected_version=data.get("version"),
        )
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, f"已保存“{application.name}”的论证意见。")
    return redirect("review:round_results", round_id=round_.pk)


@login_required
@require_GET
def round_summary(request: HttpRequest, round_id: int) -> HttpResponse:
    """The round's review summary (评审汇总表) as Excel: one row per application."""
    round_ = _round_for_manage(request, round_id)
    results = selectors.round_results(round_, named=True)
    return xlsx_response(
        filename=f"{round_.name}评审汇总表.xlsx",
        title=f"{round_.name}评审汇总表",
        subtitle=f"评分截止：{date_zh(round_.deadline)}；状态：{round_.get_status_display()}",
        sheet="评审汇总",
        columns=[
            "申报",
            "设区市",
            Column("有效评分（份）"),
            Column("加权平均分", number_format="0.00"),
            Column("标准差", number_format="0.00"),
            Column("最低分", number_format="0.00"),
            Column("最高分", number_format="0.00"),
            *[Column(f"{label}平均分", number_format="0.00") for label in CRITERION_LABELS.values()],
            "结论建议分布",
            "意见分歧",
            "论证结论",
            "论证意见",
        ],
        rows=[
            [
                r.application.name,
                str(r.application.city),
                r.result.count,
                r.result.mean,
                r.result.std_dev,
                r.result.minimum,
                r.result.maximum,
                *[r.result.criteria_means.get(c) for c in CRITERION_LABELS],
                "；".join(f"{label}{n}份" for label, n in r.recommendation_labels),
                "有" if r.result.dissent else "无",
                r.opinion.get_conclusion_display() if r.opinion else "",
                r.opinion.text if r.opinion else "",
            ]
            for r in results
        ],
    )


# ---------------------------------------------------------------------------------------------
# The expert's side
# ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_reviews(request: HttpRequest) -> HttpResponse:
    """我的评审: the expert's assignments, by deadline."""
    assignments = selectors.assignment_list_for_expert(request.user)
    return render(
        request,
        "review/my_reviews.html",
        {"breadcrumbs": [("我的评审", None)], "assignments": assignments, "statuses": AssignmentStatus},
    )


@login_required
@require_GET
def assignment_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """An assignment: the declaration on opening, then the score sheet; others' scores after one's own."""
    assignment = assignment_policy.get_or_404(request.user, ReviewAction.OPEN, pk=assignment_id)
    round_ = assignment.member.round
    rules = selectors.round_rules(round_)
    form = (
        score_form_class(rules)()
        if rules is not None and assignment.status == AssignmentStatus.DECLARED
        else None
    )
    return _assignment_page(request, assignment, form)


def _assignment_page(request: HttpRequest, assignment: Any, form: Any) -> HttpResponse:
    round_ = assignment.member.round
    others = None
    own = None
    own_lines: list[tuple[str, Any]] = []
    if selectors.others_sheets_visible(assignment):
        results = selectors.application_results_in_round(round_, assignment.application)
        others = results
        own = getattr(assignment, "sheet", None)
        if own is not None:
            items = {i["code"]: i["name"] for i in (own.rules or {}).get("items", [])}
            own_lines = [
                (items.get(line.code) or CRITERION_LABELS.get(line.code, line.code), line.points)
                for line in own.lines.all()
            ]
    return render(
        request,
        "review/assignment_detail.html",
        {
            "breadcrumbs": [("我的评审", "/review/mine/"), (assignment.application.name, None)],
            "assignment": assignment,
            "round": round_,
            "application": selectors.application_summary(assignment.application),
            "form": form,
            "reason_form": ReasonForm(),
            "others": others,
            "own": own,
            "own_lines": own_lines,
            "statuses": AssignmentStatus,
            "criteria": CRITERION_LABELS,
            "recommendations": RECOMMENDATION_LABELS,
        },
    )


@login_required
@require_POST
def assignment_declare(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = assignment_policy.get_or_404(request.user, ReviewAction.OPEN, pk=assignment_id)
    if request.POST.get("no_conflict") != "yes":
        messages.error(request, "请勾选“本人与该申报不存在需回避的情形”后再继续，或申请回避。")
        return redirect("review:assignment_detail", assignment_id=assignment.pk)
    try:
        services.assignment_declare(actor=request.user, assignment=assignment)
    except ValidationError as error:
        _flash(request, error)
    return redirect("review:assignment_detail", assignment_id=assignment.pk)


@login_required
@require_POST
def assignment_recuse(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = assignment_policy.get_or_404(request.user, ReviewAction.OPEN, pk=assignment_id)
    try:
        services.assignment_recuse(
            actor=request.user, assignment=assignment, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        _flash(request, error)
        return redirect("review:assignment_detail", assignment_id=assignment.pk)
    messages.success(request, "已申请回避，管理员将另行安排。")
    return redirect("review:my_reviews")


@login_required
@require_POST
def assignment_score(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = assignment_policy.get_or_404(request.user, ReviewAction.SCORE, pk=assignment_id)
    rules = selectors.round_rules(assignment.member.round)
    if rules is None:
        raise PermissionDenied("该培育计划未规定论证评分规则。")
    form = score_form_class(rules)(request.POST)
    form.is_valid()
    data = form.cleaned_data
    codes = [i.code for i in rules.items] if rules.itemised else list(rules.criteria)
    try:
        services.score_submit(
            actor=request.user,
            assignment=assignment,
            points={c: data.get(c, "") for c in codes},
            comments=data.get("comments", ""),
            recommendation=data.get("recommendation", ""),
        )
    except ValidationError as error:
        _errors_to_form(form, error)
        return _assignment_page(request, assignment, form)
    messages.success(request, "已提交评分。")
    return redirect("review:assignment_detail", assignment_id=assignment.pk)
