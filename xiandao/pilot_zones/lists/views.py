"""Pages of the creation lists (logged in) and the acceptance assessment: thin, every write a service call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from xiandao.core.formats import date_zh
from xiandao.programmes.permissions import ProgrammeAction, programme_policy

from ..lifecycle import Action, State
from ..models import Application
from . import selectors, services
from .forms import (
    AcceptanceResultForm,
    AcceptanceStartForm,
    AnswerForm,
    ConsultForm,
    DeclineForm,
    ListCreateForm,
    NoticeForm,
    ObjectionForm,
    OpinionForm,
    ProposeForm,
    PublishForm,
)
from .models import AcceptanceAssessment, AssessmentResult, CreationList, EntryDecision, ListStatus, Objection
from .permissions import (
    ListAction,
    ZoneAssessmentAction,
    creation_list_policy,
    zone_assessment_policy,
)

INDEX = ("创建名单", "pilot_zone_lists:index")


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("申报评审", None), (INDEX[0], reverse(INDEX[1])), *trail]


def _form_errors(form: Any) -> str:
    return "；".join(
        f"{form.fields[k].label if k in form.fields else ''}：{'、'.join(v)}".lstrip("：")
        for k, v in form.errors.items()
    )


@login_required
@require_GET
def list_index(request: HttpRequest) -> HttpResponse:
    """创建名单: the lists of the programmes a user administers, or the lists their department is asked about."""
    lists = (
        creation_list_policy.instances_for(request.user, ListAction.VIEW)
        .select_related("programme")
        .order_by("programme__code", "-batch")
    )
    administered = [
        p
        for p in programme_policy.instances_for(request.user, ProgrammeAction.CHANGE).order_by("code")
        if not services.lifecycle_missing(p)
    ]
    openable = [
        (p, selectors.list_word(selectors.programme_switches(p)))
        for p in administered
        if selectors.open_list_for(p) is None
    ]
    from xiandao.accounts.models import Role
    from xiandao.accounts.selectors import user_scope

    if (
        not lists.exists()
        and not administered
        and not user_scope(request.user).has_role(Role.DEPARTMENT_OFFICER)
    ):
        raise Http404("未找到该对象，或您无权访问。")
    return render(
        request,
        "pilot_zones/lists/index.html",
        {
            "lists": lists,
            "openable": openable,
            "administered": administered,
            "breadcrumbs": [("申报评审", None), (INDEX[0], None)],
        },
    )


@login_required
@require_POST
def list_create(request: HttpRequest) -> HttpResponse:
    form = ListCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(INDEX[1])
    programme = programme_policy.get_or_404(
        request.user, ProgrammeAction.CHANGE, code=form.cleaned_data["programme"]
    )
    try:
        creation_list = services.creation_list_create(
            actor=request.user, programme=programme, title=form.cleaned_data["title"]
        )
    except services.ListRefused as refused:
        messages.error(request, refused.message)
        return redirect(INDEX[1])
    messages.success(request, f"已新建“{creation_list.title}”，请从论证中的申请中提出拟列入名单。")
    return redirect("pilot_zone_lists:detail", creation_list.pk)


def _departments(creation_list: CreationList) -> list[tuple[int, str]]:
    return [(d.pk, d.name) for d in selectors.department_candidates(creation_list.programme)]


def _steps(creation_list: CreationList, switches: Any) -> list[dict[str, Any]]:
    """The 流程进度 bar: the stations the programme's switches keep, each with who moved it there and when."""
    stations = [(ListStatus.DRAFT, "拟定名单")]
    if switches.department_consultation:
        stations.append((ListStatus.CONSULTATION, "征求省有关单位意见"))
    if switches.public_notice:
        stations.append(
            (
                ListStatus.PUBLIC_NOTICE,
                f"公示{switches.public_notice_days or ''}{'天' if switches.public_notice_days else ''}",
            )
        )
    stations.append((ListStatus.PUBLISHED, "公布名单"))
    reached = {c.to_status: c for c in creation_list.status_changes.all()}
    order: list[str] = [s for s, _ in stations]
    current = order.index(creation_list.status) if creation_list.status in order else 0
    return [
        {
            "label": label,
            "done": i < current or creation_list.status == ListStatus.PUBLISHED,
            "current": i == current and creation_list.status != ListStatus.PUBLISHED,
            "change": reached.get(status),
        }
        for i, (status, label) in enumerate(stations)
    ]


@login_required
@require_GET
def list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    creation_list = creation_list_policy.get_or_404(request.user, ListAction.VIEW, pk=list_id)
    creation_list = selectors.creation_list_detail(creation_list)
    switches = selectors.programme_switches(creation_list.programme)
    actions = creation_list_policy.actions_for(request.user, creation_list)
    may_manage = ListAction.MANAGE in actions
    entries = list(creation_list.entries.all())
    proposed = [e for e in entries if e.decision == EntryDecision.PROPOSED]
    for e in proposed:
        # A listed zone's status in the programme's own words (浙: 培育建设), else the application's.
        shown = e.zone.status if e.zone is not None else e.application.status
        e.status_code, e.status_text = shown, selectors.status_word(shown, switches)  # type: ignore[attr-defined]
    declined = [e for e in entries if e.decision == EntryDecision.DECLINED]
    candidates = (
        list(selectors.applications_to_decide(creation_list.programme))
        if may_manage and creation_list.status == ListStatus.DRAFT
        else []
    )
    summaries = (
        selectors.review_summaries([e.application for e in entries] + candidates) if may_manage else {}
    )
    moves = selectors.list_moves_available(creation_list, switches) if may_manage else []
    opinions = {o.organisation_id: o for o in creation_list.opinions.all()}
    own_opinion = opinions.get(getattr(request.user, "organisation_id", None) or 0)
    word = selectors.list_word(switches)
    return render(
        request,
        "pilot_zones/lists/detail.html",
        {
            "creation_list": creation_list,
            "programme": creation_list.programme,
            "switches": switches,
            "word": word,
            "steps": _steps(creation_list, switches),
            "may_manage": may_manage,
            "may_opine": ListAction.OPINE in actions and creation_list.status == ListStatus.CONSULTATION,
            "proposed": proposed,
            "declined": declined,
            "candidates": candidates,
            "summaries": summaries,
            "may_consult": Action.CONSULT in moves,
            "may_notice": Action.PUBLISH_NOTICE in moves,
            "may_publish": Action.PUBLISH_LIST in moves,
            "consulted": [(d, opinions.get(d.pk)) for d in creation_list.consulted_departments.all()],
            "department_choices": _departments(creation_list) if may_manage else [],
            "own_opinion": own_opinion,
            "opinion_form": OpinionForm(
                initial={"stance": own_opinion.stance, "text": own_opinion.text} if own_opinion else None
            ),
            "objections": list(creation_list.objections.all()),
            "notice_days": switches.public_notice_days,
            "breadcrumbs": _crumbs((creation_list.title, None)),
        },
    )


def _list_action(
    request: HttpRequest,
    list_id: int,
    action: ListAction,
    form_class: type[Any],
    run: Callable[..., str],
    **form_kwargs: Any,
) -> HttpResponse:
    """Parse the form, run the service, say what happened; a refusal keeps the page as it was."""
    creation_list = creation_list_policy.get_or_404(request.user, ListAction.VIEW, pk=list_id)
    if not creation_list_policy.user_may(request.user, action, creation_list):
        raise PermissionDenied("您无权办理该名单。")
    kwargs = {key: value(creation_list) if callable(value) else value for key, value in form_kwargs.items()}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            done = run(creation_list, form.cleaned_data)
        except services.ListRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, done)
    return redirect("pilot_zone_lists:detail", creation_list.pk)


def _application(creation_list: CreationList, application_id: int) -> Application:
    application = Application.objects.filter(pk=application_id, programme=creation_list.programme).first()
    if application is None:
        raise services.ListRefused("未找到该申请，或它不属于本培育计划。")
    return application


def _expected(data: dict[str, Any]) -> str | None:
    return data.get("expected") or None


@login_required
@require_POST
def entry_propose(request: HttpRequest, list_id: int) -> HttpResponse:
    def run(cl: CreationList, data: dict[str, Any]) -> str:
        application = _application(cl, data["application"])
        services.creation_list_entry_propose(
            actor=request.user,
            creation_list=cl,
            application=application,
            opinion=data["opinion"],
            expected=_expected(data),
        )
        return f"已将“{application.name}”列入拟列入名单。"

    return _list_action(request, list_id, ListAction.MANAGE, ProposeForm, run)


@login_required
@require_POST
def entry_decline(request: HttpRequest, list_id: int) -> HttpResponse:
    def run(cl: CreationList, data: dict[str, Any]) -> str:
        application = _application(cl, data["application"])
        services.creation_list_entry_decline(
            actor=request.user,
            creation_list=cl,
            application=application,
            reason=data["reason"],
            expected=_expected(data),
        )
        return f"已决定“{application.name}”不列入名单。"

    return _list_action(request, list_id, ListAction.MANAGE, DeclineForm, run)


@login_required
@require_POST
def list_consult(request: HttpRequest, list_id: int) -> HttpResponse:
    def run(cl: CreationList, data: dict[str, Any]) -> str:
        departments = list(selectors.department_candidates(cl.programme).filter(pk__in=data["departments"]))
        services.creation_list_consult(
            actor=request.user,
            creation_list=cl,
            departments=departments,
            deadline=data["deadline"],
            note=data["note"],
            expected=_expected(data),
        )
        return f"已向{len(departments)}个单位征求意见。"

    return _list_action(request, list_id, ListAction.MANAGE, ConsultForm, run, departments=_departments)


@login_required
@require_POST
def opinion_give(request: HttpRequest, list_id: int) -> HttpResponse:
    def run(cl: CreationList, data: dict[str, Any]) -> str:
        services.department_opinion_give(
            actor=request.user, creation_list=cl, stance=data["stance"], text=data["text"]
        )
        return "意见已提交。截止日期前可以修改。"

    return _list_action(request, list_id, ListAction.OPINE, OpinionForm, run)


@login_required
@require_POST
def list_notice(request: HttpRequest, list_id: int) -> HttpResponse:
    def run(cl: CreationList, data: dict[str, Any]) -> str:
        services.creation_list_notice_start(
            actor=request.user, creation_list=cl, starts_on=data["starts_on"], expected=_expected(data)
        )
        cl.refresh_from_db()
        return f"名单已公示，公示期至{date_zh(cl.notice_ends_on)}。"

    return _list_action(request, list_id, ListAction.MANAGE, NoticeForm, run)


@login_required
@require_POST
def objection_add(request: HttpRequest, list_id: int) -> HttpResponse:
    def run(cl: CreationList, data: dict[str, Any]) -> str:
        entry = cl.entries.filter(pk=data["entry"]).first() if data.get("entry") else None
        services.objection_record(
            actor=request.user,
            creation_list=cl,
            objector=data["objector"],
            content=data["content"],
            received_on=data["received_on"],
            entry=entry,
        )
        return "异议已登记，请在公布前答复。"

    return _list_action(request, list_id, ListAction.MANAGE, ObjectionForm, run)


@login_required
@require_POST
def objection_reply(request: HttpRequest, list_id: int, objection_id: int) -> HttpResponse:
    def run(cl: CreationList, data: dict[str, Any]) -> str:
        objection = Objection.objects.filter(pk=objection_id, creation_list=cl).first()
        if objection is None:
            raise services.ListRefused("未找到该异议。")
        services.objection_answer(
            actor=request.user, objection=objection, answer=data["answer"], upheld=data["upheld"]
        )
        return "异议已答复。" + ("异议成立的，请决定相关申请不列入名单。" if data["upheld"] else "")

    return _list_action(request, list_id, ListAction.MANAGE, AnswerForm, run)


@login_required
@require_POST
def list_publish(request: HttpRequest, list_id: int) -> HttpResponse:
    def run(cl: CreationList, data: dict[str, Any]) -> str:
        zones = services.creation_list_publish(
            actor=request.user,
            creation_list=cl,
            published_on=data["published_on"],
            note=data["note"],
            expected=_expected(data),
        )
        return f"名单已公布，{len(zones)}个先导区进入{selectors.status_word(State.CREATING, selectors.programme_switches(cl.programme))}。"

    return _list_action(request, list_id, ListAction.MANAGE, PublishForm, run)


# --- Acceptance assessment ----------------------------------------------------------------------


@login_required
@require_GET
def acceptance_index(request: HttpRequest) -> HttpResponse:
    """培育验收考核: the zones of the programmes with an acceptance assessment that the user administers."""
    programmes = []
    administered = list(programme_policy.instances_for(request.user, ProgrammeAction.CHANGE).order_by("code"))
    if not administered:
        raise Http404("未找到该对象，或您无权访问。")
    for programme in administered:
        switches = selectors.programme_switches(programme)
        if not switches.acceptance_assessment:
            continue
        zones = list(selectors.zones_for_acceptance(programme))
        programmes.append(
            {
                "programme": programme,
                "zones": zones,
                "assessor": selectors.assessor_name(programme),
                "departments": [(d.pk, d.name) for d in selectors.department_candidates(programme)],
                "status_word": {s.value: selectors.status_word(s, switches) for s in State},
            }
        )
    return render(
        request,
        "pilot_zones/lists/acceptance.html",
        {
            "programmes": programmes,
            "pending": AssessmentResult.PENDING,
            "breadcrumbs": [("申报评审", None), ("培育验收考核", None)],
        },
    )


@login_required
@require_POST
def acceptance_begin(request: HttpRequest, zone_id: int) -> HttpResponse:
    zone = zone_assessment_policy.get_or_404(request.user, ZoneAssessmentAction.ASSESS, pk=zone_id)
    choices = [(d.pk, d.name) for d in selectors.department_candidates(zone.programme)]
    form = AcceptanceStartForm(request.POST, departments=choices)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.acceptance_start(
                actor=request.user,
                zone=zone,
                departments=list(
                    selectors.department_candidates(zone.programme).filter(
                        pk__in=form.cleaned_data["departments"]
                    )
                ),
                started_on=form.cleaned_data["started_on"],
                note=form.cleaned_data["note"],
                expected=State.CREATING,
            )
        except services.ListRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"“{zone.name}”已进入培育验收考核。")
    return redirect("pilot_zone_lists:acceptance")


@login_required
@require_POST
def acceptance_result(request: HttpRequest, assessment_id: int) -> HttpResponse:
    zones = zone_assessment_policy.instances_for(request.user, ZoneAssessmentAction.ASSESS)
    assessment = (
        AcceptanceAssessment.objects.filter(pk=assessment_id, zone__in=zones).select_related("zone").first()
    )
    if assessment is None:
        raise Http404("未找到该对象，或您无权访问。")
    form = AcceptanceResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.acceptance_record(
                actor=request.user,
                assessment=assessment,
                passed=form.cleaned_data["passed"],
                opinion=form.cleaned_data["opinion"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except services.ListRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"已记录“{assessment.zone.name}”的验收考核结果。")
    return redirect("pilot_zone_lists:acceptance")
