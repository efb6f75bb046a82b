"""Writes of creation lists: draft, consultation, public notice, publication into zones; the acceptance assessment.

Every transition follows one shape (pretix's ``approve_order``): lock the row, compare the status
the caller saw, check the permission, ask ``lifecycle.move_check`` with the programme's switches,
write the new status, a status-change row with its reason and the audit entry, and notify the
people concerned on commit. The list's status is the life-cycle state of its proposed
applications (``LIST_STATE``), so the list moves by the same table as each application: Anhui
(consultation on, no notice) goes 拟定中 → 征求意见中 → 已公布; Zhejiang (notice on) 拟定中 → 公示中
→ 已公布; ``PUBLISH_LIST`` from 拟定中 is refused in both, with the lifecycle's own sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from xiandao.accounts.models import Role as AccountRole
from xiandao.core.audit import audit_record
from xiandao.core.formats import date_zh
from xiandao.geo.selectors import park_jurisdiction_ids
from xiandao.notifications.selectors import programme_users
from xiandao.notifications.services import notification_send

from ..lifecycle import Action, LifecycleSwitches, MoveRefused, Role, State, move_check
from ..models import Application, ApplicationTarget, PilotZone, StatusChange, ZonePlace, ZoneTarget
from .models import (
    STATE_LIST,
    AcceptanceAssessment,
    AssessmentResult,
    CreationList,
    DepartmentOpinion,
    EntryDecision,
    ListEntry,
    ListNotificationKind,
    ListStatus,
    ListStatusChange,
    Objection,
    OpinionStance,
)
from .permissions import ListAction, ZoneAssessmentAction, creation_list_policy, zone_assessment_policy
from .selectors import assessor_name, list_word, programme_switches

__all__ = [
    "ListRefused",
    "acceptance_record",
    "acceptance_start",
    "creation_list_consult",
    "creation_list_create",
    "creation_list_entry_decline",
    "creation_list_entry_propose",
    "creation_list_notice_start",
    "creation_list_publish",
    "department_opinion_give",
    "objection_answer",
    "objection_record",
]


class ListRefused(Exception):
    """A list or assessment action refused; ``message`` is the Chinese sentence shown to the user.

    ``code``: ``stale`` (the status changed since the page was read), ``not_allowed`` /
    ``switched_off`` / ``role`` / ``reason_required`` (from the life cycle), ``invalid`` (the input).
    """

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _today() -> dt.date:
    return timezone.localdate()


def _name(actor: Any) -> str:
    return str(getattr(actor, "display_name", "") or getattr(actor, "username", "") or "平台")


def _may(actor: Any, creation_list: CreationList, action: ListAction) -> None:
    if actor is None:  # the platform itself (demo data, commands)
        return
    if not creation_list_policy.user_may(actor, action, creation_list):
        raise PermissionDenied("您无权办理该名单。")


def _may_programme(actor: Any, programme: Any) -> None:
    from xiandao.programmes.permissions import ProgrammeAction, programme_policy

    if actor is not None and not programme_policy.user_may(actor, ProgrammeAction.CHANGE, programme):
        raise PermissionDenied("只有本计划的管理员可以拟定名单。")


def _check(state: State | str, action: Action, switches: LifecycleSwitches, *, reason: str = "") -> State:
    """The state ``action`` leads to for a programme admin; the lifecycle's refusal as :class:`ListRefused`."""
    try:
        return move_check(state, action, switches, Role.PROGRAMME_ADMIN, reason=reason).target
    except MoveRefused as refused:
        raise ListRefused(refused.message, code=refused.code) from refused


def _locked(creation_list: CreationList, expected: str | None) -> CreationList:
    locked = CreationList.objects.select_for_update().select_related("programme").get(pk=creation_list.pk)
    if expected is not None and locked.status != expected:
        raise ListRefused(
            f"名单状态已变为“{locked.get_status_display()}”，请刷新页面后再办理。", code="stale"
        )
    return locked


def _list_moved(
    creation_list: CreationList, *, actor: Any, action: Action, to_status: str, reason: str = ""
) -> None:
    before = creation_list.status
    creation_list.status = to_status
    creation_list.save()
    ListStatusChange.objects.create(
        creation_list=creation_list,
        from_status=before,
        to_status=to_status,
        action=action.value,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_name(actor),
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="pilot_zones.creation_list.moved",
        target=creation_list,
        before={"status": before},
        after={"status": to_status, "action": action.value},
        reason=reason,
    )


def _application_moved(
    application: Application, *, actor: Any, action: Action, switches: LifecycleSwitches, reason: str = ""
) -> State:
    """Move one application (locked) by ``action``; its status-change row and audit entry."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    target = _check(locked.status, action, switches, reason=reason)
    before = locked.status
    Application.objects.filter(pk=locked.pk).update(status=target, updated_at=timezone.now())
    application.status = target
    StatusChange.objects.create(
        application=locked,
        from_status=before,
        to_status=target,
        action=action.value,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_name(actor),
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="pilot_zones.list_application.moved",
        target=locked,
        before={"status": before},
        after={"status": str(target), "action": action.value},
        reason=reason,
    )
    return target


def _proposed(creation_list: CreationList) -> list[ListEntry]:
    return list(
        creation_list.entries.filter(decision=EntryDecision.PROPOSED)
        .select_related("application__city", "application__field", "application__zone_type")
        .order_by("position", "pk")
    )


def _move_list(
    creation_list: CreationList, *, actor: Any, action: Action, reason: str = ""
) -> tuple[LifecycleSwitches, list[ListEntry]]:
    """The list and each of its proposed applications moved by ``action``, by the same table."""
    switches = programme_switches(creation_list.programme)
    target = _check(creation_list.state, action, switches, reason=reason)
    entries = _proposed(creation_list)
    if not entries:
        raise ListRefused("名单中还没有拟列入的申请，不能办理。")
    for entry in entries:
        _application_moved(entry.application, actor=actor, action=action, switches=switches, reason=reason)
    _list_moved(creation_list, actor=actor, action=action, to_status=STATE_LIST[target], reason=reason)
    return switches, entries


def _city_officers(programme: Any, entries: Iterable[ListEntry]) -> list[Any]:
    cities = {e.application.city_id for e in entries}
    return programme_users(programme, roles=[AccountRole.CITY_OFFICER], city_ids=cities) if cities else []


def _department_officers(creation_list: CreationList) -> list[Any]:
    from xiandao.accounts.selectors import users_of_organisations

    return list(
        users_of_organisations(
            creation_list.consulted_departments.values_list("pk", flat=True),
            role=AccountRole.DEPARTMENT_OFFICER,
        )
    )


def _list_url(creation_list: CreationList) -> str:
    from django.urls import reverse

    return reverse("pilot_zone_lists:detail", args=[creation_list.pk])


# --- Draft -----------------------------------------------------------------------------------------


@transaction.atomic
def creation_list_create(
    *, actor: Any, programme: Any, title: str = "", is_demo: bool = False
) -> CreationList:
    """A new draft list (第N批) for the programme; one list at a time may be open."""
    _may_programme(actor, programme)
    switches = programme_switches(programme)
    if lifecycle_missing(programme):
        raise ListRefused("本计划的文件未规定先导区生命周期，不能拟定名单。")
    open_list = (
        CreationList.objects.select_for_update()
        .filter(programme=programme)
        .exclude(status=ListStatus.PUBLISHED)
        .first()
    )
    if open_list is not None:
        raise ListRefused(f"“{open_list.title}”尚未公布，请先办结该名单再拟定新的一批。")
    batch = (CreationList.objects.filter(programme=programme).aggregate(m=Max("batch"))["m"] or 0) + 1
    title = (
        title.strip() or f"{programme.jurisdiction.name}未来产业先导区{list_word(switches)}（第{batch}批）"
    )
    creation_list = CreationList.objects.create(
        programme=programme,
        batch=batch,
        title=title[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_demo=is_demo,
    )
    ListStatusChange.objects.create(
        creation_list=creation_list,
        to_status=ListStatus.DRAFT,
        action="create",
        actor=creation_list.created_by,
        actor_name=_name(actor),
    )
    audit_record(
        actor=actor, action="pilot_zones.creation_list.created", target=creation_list, after={"title": title}
    )
    return creation_list


def lifecycle_missing(programme: Any) -> bool:
    """Whether the programme's documents set no life cycle (Yangzhou, Fuzhou): no list to draft."""
    from xiandao.programmes.selectors import lifecycle_definition

    return not bool(getattr(lifecycle_definition(programme), "specified", False))


def _entry_application(creation_list: CreationList, application: Application) -> Application:
    if application.programme_id != creation_list.programme_id:
        raise ListRefused("该申请不属于本名单所在的培育计划。")
    return application


@transaction.atomic
def creation_list_entry_propose(
    *,
    actor: Any,
    creation_list: CreationList,
    application: Application,
    opinion: str,
    expected: str | None = None,
) -> ListEntry:
    """Put a reviewed application (论证中) on the draft list (拟列入名单), with the opinion it rests on."""
    creation_list = _locked(creation_list, expected)
    _may(actor, creation_list, ListAction.MANAGE)
    _entry_application(creation_list, application)
    if creation_list.status != ListStatus.DRAFT:
        raise ListRefused(f"名单已{creation_list.get_status_display()}，不能再增加申请。", code="not_allowed")
    if not opinion.strip():
        raise ListRefused("请写明拟列入的意见（可摘自论证意见）。")
    if ListEntry.objects.filter(application=application).exists():
        raise ListRefused(f"“{application.name}”已在名单中。", code="stale")
    switches = programme_switches(creation_list.programme)
    _application_moved(application, actor=actor, action=Action.PROPOSE, switches=switches, reason=opinion)
    position = (creation_list.entries.aggregate(m=Max("position"))["m"] or 0) + 1
    entry = ListEntry.objects.create(
        creation_list=creation_list,
        application=application,
        decision=EntryDecision.PROPOSED,
        opinion=opinion.strip(),
        position=position,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="pilot_zones.list_entry.proposed",
        target=creation_list,
        after={"application": application.name, "opinion": opinion.strip()},
    )
    return entry


@transaction.atomic
def creation_list_entry_decline(
    *,
    actor: Any,
    creation_list: CreationList,
    application: Application,
    reason: str,
    expected: str | None = None,
) -> ListEntry:
    """Leave an application off the list (未列入名单) with the reason: from 论证中, or proposed before publication."""
    creation_list = _locked(creation_list, expected)
    _may(actor, creation_list, ListAction.MANAGE)
    _entry_application(creation_list, application)
    if creation_list.status == ListStatus.PUBLISHED:
        raise ListRefused("名单已公布，不能再调整。", code="not_allowed")
    if not reason.strip():
        raise ListRefused("决定不列入名单须写明理由。", code="reason_required")
    entry = ListEntry.objects.filter(application=application).first()
    if entry is not None and entry.creation_list_id != creation_list.pk:
        raise ListRefused(f"“{application.name}”在另一份名单中。", code="stale")
    if entry is not None and entry.decision == EntryDecision.DECLINED:
        raise ListRefused(f"“{application.name}”已决定不列入名单。", code="stale")
    switches = programme_switches(creation_list.programme)
    _application_moved(application, actor=actor, action=Action.DECLINE, switches=switches, reason=reason)
    decided_by = actor if getattr(actor, "is_authenticated", False) else None
    if entry is None:
        position = (creation_list.entries.aggregate(m=Max("position"))["m"] or 0) + 1
        entry = ListEntry.objects.create(
            creation_list=creation_list,
            application=application,
            decision=EntryDecision.DECLINED,
            opinion=reason.strip(),
            position=position,
            decided_by=decided_by,
        )
    else:
        entry.decision = EntryDecision.DECLINED
        entry.opinion = reason.strip()
        entry.decided_by = decided_by
        entry.save()
    audit_record(
        actor=actor,
        action="pilot_zones.list_entry.declined",
        target=creation_list,
        after={"application": application.name},
        reason=reason.strip(),
    )
    return entry


# --- Consultation of the provincial departments (皖四(三)) ---------------------------------------


@transaction.atomic
def creation_list_consult(
    *,
    actor: Any,
    creation_list: CreationList,
    departments: Sequence[Any],
    deadline: dt.date,
    note: str = "",
    expected: str | None = None,
) -> CreationList:
    """Send the draft to provincial departments (征求省有关单位意见) with a deadline for their opinions."""
    creation_list = _locked(creation_list, expected)
    _may(actor, creation_list, ListAction.MANAGE)
    if not departments:
        raise ListRefused("请选择征求意见的省有关单位。")
    foreign = [d for d in departments if d.jurisdiction_id != creation_list.programme.jurisdiction_id]
    if foreign:
        raise ListRefused(f"“{foreign[0].name}”不是本省的有关单位。")
    if deadline < _today():
        raise ListRefused(f"意见反馈截止日期（{date_zh(deadline)}）不能早于今天。")
    _move_list(creation_list, actor=actor, action=Action.CONSULT, reason=note)
    creation_list.consulted_departments.set(departments)
    creation_list.consultation_deadline = deadline
    creation_list.save()
    notification_send(
        recipients=_department_officers(creation_list),
        kind=ListNotificationKind.CONSULTATION_OPENED,
        title=f"请于{date_zh(deadline)}前对“{creation_list.title}”提出意见",
        body=note,
        url=_list_url(creation_list),
        exclude=actor,
    )
    return creation_list


@transaction.atomic
def department_opinion_give(
    *, actor: Any, creation_list: CreationList, stance: str, text: str = ""
) -> DepartmentOpinion:
    """A consulted department's opinion on the draft, before the deadline; given again, it replaces the first."""
    creation_list = _locked(creation_list, None)
    _may(actor, creation_list, ListAction.OPINE)
    if creation_list.status != ListStatus.CONSULTATION:
        raise ListRefused(
            f"名单当前为“{creation_list.get_status_display()}”，不在征求意见阶段，不能提交意见。",
            code="not_allowed",
        )
    deadline = creation_list.consultation_deadline
    if deadline is not None and _today() > deadline:
        raise ListRefused(f"意见反馈已于{date_zh(deadline)}截止，不能再提交意见。", code="late")
    if stance not in OpinionStance.values:
        raise ListRefused("请选择同意、原则同意或不同意。")
    if stance != OpinionStance.AGREE and not text.strip():
        raise ListRefused("有修改意见或不同意时，请写明具体意见。")
    organisation = getattr(actor, "organisation", None)
    consulted = set(creation_list.consulted_departments.values_list("pk", flat=True))
    if organisation is None or organisation.pk not in consulted:
        raise PermissionDenied("本单位不在征求意见范围内。")
    opinion, created = DepartmentOpinion.objects.update_or_create(
        creation_list=creation_list,
        organisation=organisation,
        defaults={
            "stance": stance,
            "text": text.strip(),
            "author": actor,
            "author_name": _name(actor),
            "submitted_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="pilot_zones.department_opinion.given",
        target=creation_list,
        after={
            "organisation": organisation.name,
            "stance": stance,
            "text": text.strip(),
            "revised": not created,
        },
    )
    admins = programme_users(creation_list.programme, roles=[AccountRole.PROGRAMME_ADMIN])
    notification_send(
        recipients=admins,
        kind=ListNotificationKind.CONSULTATION_OPENED,
        title=f"{organisation.name}对“{creation_list.title}”提出意见：{opinion.get_stance_display()}",
        url=_list_url(creation_list),
        exclude=actor,
    )
    return opinion


# --- Public notice (公示) -------------------------------------------------------------------------


@transaction.atomic
def creation_list_notice_start(
    *, actor: Any, creation_list: CreationList, starts_on: dt.date | None = None, expected: str | None = None
) -> CreationList:
    """Publish the list for public notice for the programme's number of days, from ``starts_on`` (today)."""
    creation_list = _locked(creation_list, expected)
    _may(actor, creation_list, ListAction.MANAGE)
    starts_on = starts_on or _today()
    if starts_on > _today():
        raise ListRefused("公示开始日期不能晚于今天。")
    switches, entries = _move_list(creation_list, actor=actor, action=Action.PUBLISH_NOTICE)
    days = switches.public_notice_days or 7
    creation_list.notice_starts_on = starts_on
    creation_list.notice_ends_on = starts_on + dt.timedelta(days=days - 1)
    creation_list.save()
    notification_send(
        recipients=_city_officers(creation_list.programme, entries),
        kind=ListNotificationKind.NOTICE_STARTED,
        title=f"“{creation_list.title}”公示至{date_zh(creation_list.notice_ends_on)}",
        url=_list_url(creation_list),
        exclude=actor,
    )
    return creation_list


@transaction.atomic
def objection_record(
    *,
    actor: Any,
    creation_list: CreationList,
    objector: str,
    content: str,
    received_on: dt.date | None = None,
    entry: ListEntry | None = None,
) -> Objection:
    """An objection received during the public notice: who raised it and what it says."""
    creation_list = _locked(creation_list, None)
    _may(actor, creation_list, ListAction.MANAGE)
    if creation_list.status != ListStatus.PUBLIC_NOTICE:
        raise ListRefused("只有公示期间的名单才能登记异议。", code="not_allowed")
    if not objector.strip() or not content.strip():
        raise ListRefused("请填写异议人和异议内容。")
    received_on = received_on or _today()
    if received_on > _today() or (
        creation_list.notice_starts_on and received_on < creation_list.notice_starts_on
    ):
        raise ListRefused("收到日期应在公示期内且不晚于今天。")
    if entry is not None and entry.creation_list_id != creation_list.pk:
        raise ListRefused("所涉先导区不在本名单中。")
    objection = Objection.objects.create(
        creation_list=creation_list,
        entry=entry,
        objector=objector.strip()[:200],
        content=content.strip(),
        received_on=received_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="pilot_zones.objection.recorded",
        target=creation_list,
        after={"objector": objection.objector, "content": objection.content},
    )
    return objection


@transaction.atomic
def objection_answer(*, actor: Any, objection: Objection, answer: str, upheld: bool) -> Objection:
    """Answer an objection; one upheld is followed by declining the zone it concerns (异议成立)."""
    creation_list = _locked(objection.creation_list, None)
    _may(actor, creation_list, ListAction.MANAGE)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if creation_list.status != ListStatus.PUBLIC_NOTICE:
        raise ListRefused("名单已不在公示期，不能再答复异议。", code="not_allowed")
    if objection.answered_at is not None:
        raise ListRefused("该异议已答复。", code="stale")
    if not answer.strip():
        raise ListRefused("请写明处理意见。")
    objection.answer = answer.strip()
    objection.upheld = upheld
    objection.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    objection.answered_at = timezone.now()
    objection.save()
    audit_record(
        actor=actor,
        action="pilot_zones.objection.answered",
        target=creation_list,
        after={"objector": objection.objector, "answer": objection.answer, "upheld": upheld},
    )
    return objection


# --- Publication: the list becomes final, each zone is created or updated with its plan ----------


def _publish_ready(creation_list: CreationList) -> None:
    """What must be done before the list is final: the departments heard, the notice over and answered."""
    today = _today()
    if creation_list.status == ListStatus.CONSULTATION:
        answered = set(creation_list.opinions.values_list("organisation_id", flat=True))
        pending = [d.name for d in creation_list.consulted_departments.all() if d.pk not in answered]
        deadline = creation_list.consultation_deadline
        if pending and deadline is not None and today <= deadline:
            raise ListRefused(
                f"征求意见截止日期为{date_zh(deadline)}，{'、'.join(pending)}尚未反馈意见；"
                "请待各单位反馈或截止后再公布。",
                code="not_allowed",
            )
    if creation_list.status == ListStatus.PUBLIC_NOTICE:
        ends = creation_list.notice_ends_on
        if ends is not None and today <= ends:
            raise ListRefused(f"公示期至{date_zh(ends)}，期满后方可公布名单。", code="not_allowed")
        open_objections = creation_list.objections.filter(answered_at__isnull=True).count()
        if open_objections:
            raise ListRefused(
                f"尚有{open_objections}条公示异议未答复，答复后方可公布名单。", code="not_allowed"
            )


def _zone_from(application: Application, *, actor: Any, status: State, on: dt.date) -> tuple[PilotZone, str]:
    """The zone ``application`` becomes: created, or updated where one exists; its plan copied over."""
    zone = (
        PilotZone.objects.select_for_update().filter(application=application).first()
        or PilotZone.objects.select_for_update()
        .filter(programme=application.programme, name=application.name)
        .first()
    )
    before = zone.status if zone is not None else ""
    values = {
        "programme": application.programme,
        "field": application.field,
        "zone_type": application.zone_type,
        "name": application.name,
        "status": status,
        "application": application,
        "creation_start_year": application.creation_start_year,
        "creation_end_year": application.creation_end_year,
    }
    if zone is None:
        zone = PilotZone(is_demo=application.is_demo, **values)
    else:
        for key, value in values.items():
            setattr(zone, key, value)
    zone.full_clean()
    zone.save()
    # Host places: the application's parks from the publication date; parks no longer named end there.
    parks = list(application.host_parks.all())
    open_places = {p.park_id: p for p in zone.places.filter(valid_to__isnull=True)}
    for park_id, place in open_places.items():
        if park_id not in {p.pk for p in parks}:
            if place.valid_from < on:
                place.valid_to = on
                place.save()
            else:
                place.delete()
    located = park_jurisdiction_ids([p.pk for p in parks], on=on)
    for park in parks:
        if park.pk in open_places:
            continue
        jurisdictions = sorted(located.get(park.pk, ()))
        ZonePlace.objects.create(
            zone=zone,
            park=park,
            jurisdiction_id=jurisdictions[0] if len(jurisdictions) == 1 else None,
            valid_from=on,
        )
    # Targets: the application's, overall (year null) and per year of the creation period.
    ZoneTarget.objects.filter(zone=zone).delete()
    ZoneTarget.objects.bulk_create(
        [
            ZoneTarget(zone=zone, indicator_code=t.indicator_code, year=t.year, value=t.value)
            for t in ApplicationTarget.objects.filter(application=application)
        ]
    )
    StatusChange.objects.create(
        zone=zone,
        from_status=before,
        to_status=status,
        action=Action.PUBLISH_LIST.value,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_name(actor),
        reason="公布名单",
    )
    audit_record(
        actor=actor,
        action="pilot_zones.zone.listed",
        target=zone,
        before={"status": before} if before else None,
        after={
            "status": str(status),
            "application": application.pk,
            "period": [zone.creation_start_year, zone.creation_end_year],
            "parks": [p.name for p in parks],
        },
    )
    return zone, before


@transaction.atomic
def creation_list_publish(
    *,
    actor: Any,
    creation_list: CreationList,
    published_on: dt.date | None = None,
    note: str = "",
    expected: str | None = None,
) -> list[PilotZone]:
    """Publish the list: each proposed application becomes a zone under creation (Zhejiang: 培育建设).

    The zone is created, or updated when one exists for the application, with its plan: creation
    period, host parks (places from the publication date) and targets per indicator and year.
    Publishing twice is refused.
    """
    creation_list = _locked(creation_list, expected)
    _may(actor, creation_list, ListAction.MANAGE)
    if creation_list.status == ListStatus.PUBLISHED:
        raise ListRefused(
            f"“{creation_list.title}”已于{date_zh(creation_list.published_on)}公布，不能重复公布。",
            code="stale",
        )
    published_on = published_on or _today()
    if published_on > _today():
        raise ListRefused("公布日期不能晚于今天。")
    _publish_ready(creation_list)
    _, entries = _move_list(creation_list, actor=actor, action=Action.PUBLISH_LIST, reason=note)
    creation_list.published_on = published_on
    creation_list.save()
    zones = []
    for entry in entries:
        zone, _ = _zone_from(entry.application, actor=actor, status=State.CREATING, on=published_on)
        entry.zone = zone
        entry.save()
        zones.append(zone)
    url = _list_url(creation_list)
    recipients = _city_officers(creation_list.programme, entries) + _department_officers(creation_list)
    notification_send(
        recipients=recipients,
        kind=ListNotificationKind.LIST_PUBLISHED,
        title=f"“{creation_list.title}”已公布，列入{len(zones)}个先导区",
        body="、".join(z.name for z in zones),
        url=url,
        exclude=actor,
    )
    return zones


# --- Zhejiang's acceptance assessment (浙五(二) 培育验收考核) ------------------------------------


def _zone_locked(zone: PilotZone, expected: str | None) -> PilotZone:
    locked = PilotZone.objects.select_for_update().select_related("programme").get(pk=zone.pk)
    if expected is not None and locked.status != expected:
        raise ListRefused("先导区状态已变化，请刷新页面后再办理。", code="stale")
    return locked


def _zone_moved(
    zone: PilotZone, *, actor: Any, action: Action, switches: LifecycleSwitches, reason: str = ""
) -> State:
    target = _check(zone.status, action, switches, reason=reason)
    before = zone.status
    zone.status = target
    zone.save()
    StatusChange.objects.create(
        zone=zone,
        from_status=before,
        to_status=target,
        action=action.value,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_name(actor),
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="pilot_zones.zone.moved",
        target=zone,
        before={"status": before},
        after={"status": str(target), "action": action.value},
        reason=reason,
    )
    return target


def _zone_city_officers(zone: PilotZone) -> list[Any]:
    application = zone.application if zone.application_id else None
    if application is None:
        return []
    return programme_users(zone.programme, roles=[AccountRole.CITY_OFFICER], city_ids=[application.city_id])


@transaction.atomic
def acceptance_start(
    *,
    actor: Any,
    zone: PilotZone,
    departments: Sequence[Any] = (),
    started_on: dt.date | None = None,
    note: str = "",
    expected: str | None = None,
) -> AcceptanceAssessment:
    """Start a zone's acceptance assessment, organised by the programme's assessor with the departments."""
    zone = _zone_locked(zone, expected)
    if actor is not None and not zone_assessment_policy.user_may(actor, ZoneAssessmentAction.ASSESS, zone):
        raise PermissionDenied("只有本计划的管理员可以组织验收考核。")
    started_on = started_on or _today()
    if started_on > _today():
        raise ListRefused("考核开始日期不能晚于今天。")
    foreign = [d for d in departments if d.jurisdiction_id != zone.programme.jurisdiction_id]
    if foreign:
        raise ListRefused(f"“{foreign[0].name}”不是本省的有关部门。")
    switches = programme_switches(zone.programme)
    _zone_moved(zone, actor=actor, action=Action.START_ACCEPTANCE, switches=switches, reason=note)
    assessment = AcceptanceAssessment.objects.create(
        zone=zone,
        assessor=assessor_name(zone.programme),
        started_on=started_on,
        started_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    assessment.departments.set(departments)
    notification_send(
        recipients=_zone_city_officers(zone),
        kind=ListNotificationKind.ACCEPTANCE,
        title=f"“{zone.name}”进入培育验收考核",
        body=note,
        exclude=actor,
    )
    return assessment


@transaction.atomic
def acceptance_record(
    *,
    actor: Any,
    assessment: AcceptanceAssessment,
    passed: bool,
    opinion: str,
    decided_on: dt.date | None = None,
) -> AcceptanceAssessment:
    """Record the assessment's result: passed → listed (列入省级名单); failed, with the reason → back to cultivation."""
    zone = _zone_locked(assessment.zone, None)
    if actor is not None and not zone_assessment_policy.user_may(actor, ZoneAssessmentAction.ASSESS, zone):
        raise PermissionDenied("只有本计划的管理员可以确认验收考核结果。")
    assessment = AcceptanceAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.result != AssessmentResult.PENDING:
        raise ListRefused("该次验收考核已有结果。", code="stale")
    decided_on = decided_on or _today()
    if decided_on > _today() or decided_on < assessment.started_on:
        raise ListRefused("结果日期应在考核开始之后且不晚于今天。")
    switches = programme_switches(zone.programme)
    action = Action.PASS_ACCEPTANCE if passed else Action.FAIL_ACCEPTANCE
    if not passed and not opinion.strip():
        raise ListRefused("未通过验收考核须写明理由。", code="reason_required")
    _zone_moved(zone, actor=actor, action=action, switches=switches, reason=opinion.strip())
    assessment.result = AssessmentResult.PASSED if passed else AssessmentResult.FAILED
    assessment.opinion = opinion.strip()
    assessment.decided_on = decided_on
    assessment.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    assessment.save()
    notification_send(
        recipients=_zone_city_officers(zone),
        kind=ListNotificationKind.ACCEPTANCE,
        title=f"“{zone.name}”{'通过' if passed else '未通过'}培育验收考核",
        body=opinion.strip(),
        exclude=actor,
    )
    return assessment
