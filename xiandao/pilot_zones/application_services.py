"""Writes of applications (申请报告): eligibility, drafting, attachments and every move of the life cycle.

Every write is a keyword-only service, atomic and audited, that checks the permission first
(``permissions.application_policy``; an application out of scope is 404) and refuses bad input
with a :class:`~django.core.exceptions.ValidationError` whose messages are Chinese — nothing is
half-saved. A save names the ``version`` the form was built from; another save in between makes
it stale. A move locks the row (``select_for_update``), takes the status the user saw
(``expected``), asks ``lifecycle.move_check`` (the one table of allowed moves), writes the new
status, a :class:`StatusChange` row and the audit entry, and notifies on commit (the province's
admins when recommended, the city when returned or accepted).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_scope
from xiandao.core.audit import audit_record
from xiandao.core.files import FileRefused, file_check, file_store
from xiandao.geo.selectors import jurisdiction_descendant_ids
from xiandao.notifications.services import notification_send

from .application_rules import (
    application_missing,
    application_record,
    application_rules,
    field_choices,
    host_choices,
    host_choices_in_programme,
    indicators_for,
    park_is_eligible,
    period_problems,
)
from .lifecycle import Action, MoveRefused, State, move_check
from .models import (
    Application,
    ApplicationAttachment,
    ApplicationRevision,
    ApplicationTarget,
    AttachmentKind,
    Attestation,
    AttestationCheck,
    EligibilityAnswer,
    StatusChange,
)
from .notification_kinds import PilotZonesNotificationKind as Kind
from .permissions import EDITABLE, ApplicationAction, application_policy, role_for

if TYPE_CHECKING:
    from xiandao.geo.models import Jurisdiction
    from xiandao.programmes.models import Programme, ZoneType

MAX_TEXT = 20_000
MAX_STATEMENT = 2_000
TEXT_FIELDS = {
    "name": ("先导区名称", 200),
    "summary": ("基本情况", MAX_TEXT),
    "measures": ("主要举措", MAX_TEXT),
    "contact_name": ("联系人", 50),
    "contact_phone": ("联系电话", 30),
}


def _name(user: Any) -> str:
    return (getattr(user, "display_name", "") or getattr(user, "username", "") or "平台").strip()


def _locked(actor: Any, application: Application | int, action: ApplicationAction) -> Application:
    """The application, locked, if ``actor`` may do ``action`` to it; 404 otherwise."""
    pk = application.pk if isinstance(application, Application) else application
    application_policy.get_or_404(actor, action, pk=pk)
    return Application.objects.select_for_update().select_related("programme", "city").get(pk=pk)


def _revision_save(application: Application, actor: Any, note: str) -> ApplicationRevision:
    return ApplicationRevision.objects.create(
        application=application,
        number=application.version,
        record=application_record(application),
        status=application.status,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=_name(actor),
        note=note,
    )


# ---------------------------------------------------------------------------------------------
# Eligibility and the draft
# ---------------------------------------------------------------------------------------------


def programme_covers_city(programme: Programme, city: Jurisdiction) -> bool:
    return city.pk in jurisdiction_descendant_ids([programme.jurisdiction_id])


def _may_write_in(actor: Any, city: Jurisdiction, park_ids: Iterable[int]) -> None:
    scope = user_scope(actor)
    if scope.is_superuser:
        return
    if Role.CITY_OFFICER in scope.roles and city.pk in scope.jurisdiction_ids:
        return
    ids = set(park_ids)
    if Role.ZONE_OPERATOR in scope.roles and ids and ids <= set(scope.park_ids):
        return
    raise PermissionDenied("只有本市的市级管理员（或承载园区的工作人员）可以为该市申报先导区。")


def _zone_type_of(programme: Programme, code: str | None, errors: dict[str, list[str]]) -> ZoneType | None:
    types = {z.code: z for z in programme.zone_types.all()}
    if not code:
        if types:
            errors.setdefault("zone_type", []).append(
                f"请选择先导区类型（{'、'.join(z.name for z in types.values())}）。"
            )
        return None
    if code not in types:
        errors.setdefault("zone_type", []).append("所选先导区类型不属于本培育计划。")
        return None
    return types[code]


def _hosts_check(
    programme: Programme,
    city: Jurisdiction,
    park_ids: list[int],
    zone_type: ZoneType | None,
    errors: dict[str, list[str]],
) -> list[Any]:
    rules = application_rules(programme)
    multi = zone_type is not None and zone_type.code in rules.multi_host_zone_types
    in_city = {p.pk: p for p in host_choices(city)}
    # A network zone (网络协同型) spans places: one in the city, the others anywhere in the programme.
    available = {p.pk: p for p in host_choices_in_programme(programme)} if multi else in_city
    parks = []
    for pk in dict.fromkeys(park_ids):
        park = available.get(pk)
        if park is None:
            where = "本培育计划范围内" if multi else city.name
            errors.setdefault("hosts", []).append(f"所选园区不在{where}，只能选择{where}的开发区或园区。")
            continue
        if not park_is_eligible(park):
            errors.setdefault("hosts", []).append(
                f"“{park.name}”不是省级以上开发区或特色园区，不能承载先导区。"
            )
            continue
        parks.append(park)
    if len(parks) > 1 and not multi:
        errors.setdefault("hosts", []).append(
            "只有网络协同型先导区可以跨多个承载园区；请只选择一个园区，或选择网络协同型。"
        )
    if multi and parks and not any(p.pk in in_city for p in parks):
        errors.setdefault("hosts", []).append(f"网络协同型先导区须有一个承载园区（创新中心）在{city.name}。")
    return parks


def _statement(text: Any, label: str, errors: dict[str, list[str]], key: str) -> str:
    value = str(text or "").strip()
    if len(value) > MAX_STATEMENT:
        errors.setdefault(key, []).append(f"“{label}”的说明超过{MAX_STATEMENT}字，请精简。")
    return value


def _evidence_checked(
    evidence: Mapping[str, tuple[bytes, str]], errors: dict[str, list[str]]
) -> dict[str, Any]:
    checked = {}
    for code, (data, filename) in evidence.items():
        if not data:
            continue
        try:
            checked[code] = file_check(data, filename)
        except FileRefused as refused:
            errors.setdefault(f"evidence_{code}", []).append(f"{filename}：{refused.message}")
    return checked


def _attachment_create(
    application: Application, actor: Any, checked: Any, kind: str
) -> ApplicationAttachment:
    name = file_store(checked, f"applications/{application.pk}")
    return ApplicationAttachment.objects.create(
        application=application,
        kind=kind,
        file=name,
        original_name=checked.original_name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        round=application.round,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def application_create(
    *,
    actor: Any,
    programme: Programme,
    city: Jurisdiction,
    host_park_ids: Iterable[int],
    answers: Mapping[str, str],
    zone_type_code: str | None = None,
    name: str = "",
    evidence: Mapping[str, tuple[bytes, str]] | None = None,
    is_demo: bool = False,
) -> Application:
    """A draft application after the eligibility check: host(s) of the city, each condition answered.

    Refused (nothing saved) when the host is not an eligible park of the city, a zone type is
    missing or foreign, several hosts are given for a type that takes one, or a condition has
    no statement; ``evidence`` maps condition codes to (bytes, file name).
    """
    park_ids = [int(pk) for pk in host_park_ids]
    _may_write_in(actor, city, park_ids)
    errors: dict[str, list[str]] = {}
    if not programme_covers_city(programme, city):
        errors.setdefault("city", []).append(f"{city.name}不在本培育计划的范围内。")
    zone_type = _zone_type_of(programme, zone_type_code, errors)
    parks = _hosts_check(programme, city, park_ids, zone_type, errors)
    if not park_ids:
        errors.setdefault("hosts", []).append("请选择承载先导区的开发区或园区。")
    rules = application_rules(programme)
    statements = {}
    for condition in rules.conditions_for(zone_type.code if zone_type else None):
        text = _statement(answers.get(condition.code), condition.name, errors, f"answer_{condition.code}")
        if not text:
            errors.setdefault(f"answer_{condition.code}", []).append(f"请说明是否具备“{condition.name}”。")
        statements[condition.code] = text
    checked = _evidence_checked(evidence or {}, errors)
    name = name.strip()[:200]
    if errors:
        raise ValidationError(errors)
    application = Application.objects.create(
        programme=programme,
        city=city,
        zone_type=zone_type,
        name=name or f"{parks[0].short_name or parks[0].name}未来产业先导区",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_demo=is_demo,
    )
    application.host_parks.set(parks)
    for code, text in statements.items():
        proof = checked.get(code)
        attachment = _attachment_create(application, actor, proof, AttachmentKind.EVIDENCE) if proof else None
        EligibilityAnswer.objects.create(
            application=application, condition_code=code, statement=text, evidence=attachment
        )
    StatusChange.objects.create(
        application=application,
        from_status="",
        to_status=application.status,
        action="create",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_name(actor),
    )
    _revision_save(application, actor, "资格核对后新建")
    audit_record(
        actor=actor,
        action="pilot_zones.application.created",
        target=application,
        after=application_record(application),
    )
    return application


def _decimal(raw: Any) -> Decimal | None:
    text = str(raw).strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= Decimal("1e15"):
        raise ValueError(text)
    return value


def _year(raw: Any, label: str, errors: dict[str, list[str]], key: str) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        errors.setdefault(key, []).append(f"{label}应为四位年份（填写的是“{text}”）。")
        return None


@transaction.atomic
def application_update(
    *, actor: Any, application: Application | int, version: int, data: Mapping[str, Any]
) -> Application:
    """Save what the form sends (any subset of the sections); a new revision is kept.

    ``data`` keys: name, summary, measures, contact_name, contact_phone, field (code), zone_type
    (code), hosts (park ids), creation_start_year, creation_end_year, eligibility ({code:
    statement}), targets ({(indicator code, year or None): value text, "" to clear}). A field the
    programme lacks, a host outside the city, a period outside the limits, a value that is not a
    number, or a ``version`` older than the saved one is refused and nothing is saved.
    """
    app = _locked(actor, application, ApplicationAction.EDIT)
    if app.status not in EDITABLE:
        raise ValidationError(
            f"申请报告当前为“{app.get_status_display()}”，不能修改；退回修改后方可编辑。", code="not_editable"
        )
    if int(version) != app.version:
        raise ValidationError(
            f"申请报告已在别处更新（当前为第{app.version}版，您的表单基于第{version}版）。"
            "请刷新页面，核对后再保存。",
            code="stale",
        )
    programme = app.programme
    rules = application_rules(programme)
    errors: dict[str, list[str]] = {}
    before = application_record(app)
    changes: dict[str, Any] = {}
    for key, (label, limit) in TEXT_FIELDS.items():
        if key in data:
            value = str(data[key] or "").strip()
            if len(value) > limit:
                errors.setdefault(key, []).append(f"{label}超过{limit}字。")
            changes[key] = value
    if "name" in changes and not changes["name"]:
        errors.setdefault("name", []).append("先导区名称不能为空。")
    if "field" in data:
        code = str(data["field"] or "").strip()
        fields = {f.code: f for f in field_choices(programme)}
        if code and code not in fields:
            errors.setdefault("field", []).append(f"本培育计划没有领域“{code}”，请从列表中选择。")
        changes["field"] = fields.get(code)
    zone_type = app.zone_type if app.zone_type_id else None
    if "zone_type" in data:
        zone_type = _zone_type_of(programme, str(data["zone_type"] or "").strip() or None, errors)
        changes["zone_type"] = zone_type
    parks = None
    if "hosts" in data:
        ids = [int(pk) for pk in data["hosts"] if str(pk).strip().isdigit()]
        if not ids:
            errors.setdefault("hosts", []).append("请至少选择一个承载园区。")
        parks = _hosts_check(programme, app.city, ids, zone_type, errors)
    elif "zone_type" in data:
        _hosts_check(
            programme, app.city, list(app.host_parks.values_list("pk", flat=True)), zone_type, errors
        )
    start, end = app.creation_start_year, app.creation_end_year
    if "creation_start_year" in data:
        start = _year(data["creation_start_year"], "创建期起始年", errors, "creation_start_year")
        changes["creation_start_year"] = start
    if "creation_end_year" in data:
        end = _year(data["creation_end_year"], "创建期结束年", errors, "creation_end_year")
        changes["creation_end_year"] = end
    for problem in period_problems(rules, start, end):
        errors.setdefault("creation_period", []).append(problem)
    eligibility = {}
    if "eligibility" in data:
        conditions = {c.code: c for c in rules.conditions_for(zone_type.code if zone_type else None)}
        for code, text in dict(data["eligibility"]).items():
            if code not in conditions:
                errors.setdefault("eligibility", []).append(f"本计划没有申报条件“{code}”。")
                continue
            eligibility[code] = _statement(text, conditions[code].name, errors, f"answer_{code}")
    targets: dict[tuple[str, int | None], Decimal | None] = {}
    if "targets" in data:
        indicators = {i.code: i for i in indicators_for(programme)}
        for (code, year), raw in dict(data["targets"]).items():
            indicator = indicators.get(code)
            if indicator is None:
                errors.setdefault("targets", []).append(f"指标体系中没有指标“{code}”。")
                continue
            when = "总体" if year is None else f"{year}年"
            if year is not None and start is not None and end is not None and not start <= int(year) <= end:
                errors.setdefault("targets", []).append(
                    f"“{indicator.name}”的{when}目标不在创建期{start}—{end}年内。"
                )
                continue
            try:
                targets[(code, None if year is None else int(year))] = _decimal(raw)
            except ValueError as bad:
                errors.setdefault(f"target_{code}_{year or 'overall'}", []).append(
                    f"“{indicator.name}”{when}目标应为数字（填写的是“{bad}”）。"
                )
    if errors:
        raise ValidationError(errors)
    for key, value in changes.items():
        setattr(app, key, value)
    app.full_clean(exclude=["created_by", "city", "programme"])
    app.version += 1
    app.save()
    if parks is not None:
        app.host_parks.set(parks)
    for code, text in eligibility.items():
        EligibilityAnswer.objects.update_or_create(
            application=app, condition_code=code, defaults={"statement": text}
        )
    for (code, year), amount in targets.items():
        if amount is None:
            ApplicationTarget.objects.filter(application=app, indicator_code=code, year=year).delete()
        else:
            ApplicationTarget.objects.update_or_create(
                application=app, indicator_code=code, year=year, defaults={"value": amount}
            )
    if "creation_start_year" in data or "creation_end_year" in data:
        years = set(range(start, end + 1)) if start is not None and end is not None else set()
        ApplicationTarget.objects.filter(application=app, year__isnull=False).exclude(year__in=years).delete()
    _revision_save(app, actor, "保存")
    audit_record(
        actor=actor,
        action="pilot_zones.application.updated",
        target=app,
        before=before,
        after=application_record(app),
    )
    return app


@transaction.atomic
def application_attachment_add(
    *,
    actor: Any,
    application: Application | int,
    data: bytes,
    filename: str,
    kind: str = AttachmentKind.OTHER,
) -> ApplicationAttachment:
    """Attach a file (type read from its content, size limited, stored outside the web root)."""
    from .permissions import ATTACHABLE

    app = _locked(actor, application, ApplicationAction.EDIT)
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": ["附件类别不正确。"]})
    if app.status not in ATTACHABLE:
        raise ValidationError(f"申请报告当前为“{app.get_status_display()}”，不能再上传附件。")
    if kind == AttachmentKind.RECOMMENDATION_LETTER and not application_policy.user_may(
        actor, ApplicationAction.RECOMMEND, app
    ):
        raise PermissionDenied("盖章推荐函须由设区市管理员上传。")
    try:
        checked = file_check(data, filename)
    except FileRefused as refused:
        raise ValidationError({"file": [refused.message]}) from None
    attachment = _attachment_create(app, actor, checked, kind)
    app.version += 1
    app.save(update_fields=["version", "updated_at"])
    _revision_save(app, actor, f"上传{attachment.get_kind_display()}")
    audit_record(
        actor=actor,
        action="pilot_zones.application.attachment_added",
        target=app,
        after={
            "kind": kind,
            "name": attachment.original_name,
            "size": attachment.size,
            "sha256": checked.sha256,
        },
    )
    return attachment


# ---------------------------------------------------------------------------------------------
# Moves of the life cycle
# ---------------------------------------------------------------------------------------------


def _move(
    *,
    actor: Any,
    application: Application | int,
    permission: ApplicationAction,
    action: Action,
    expected: str,
    reason: str = "",
) -> tuple[Application, str]:
    """Lock, check the permission and the status the user saw, check the move; the new status."""
    app = _locked(actor, application, permission)
    if app.status != expected:
        raise ValidationError(
            f"申请报告的状态已变为“{app.get_status_display()}”（您看到的是“{_label(expected)}”），"
            "可能已有他人办理。请刷新页面后再操作。",
            code="stale_status",
        )
    rules = application_rules(app.programme)
    try:
        target = move_check(
            app.status, action, rules.switches, role_for(actor, permission), reason=reason
        ).target
    except MoveRefused as refused:
        raise ValidationError(refused.message, code=refused.code) from None
    return app, str(target)


def _label(status: str) -> str:
    from .models import ZoneStatus

    return str(dict(ZoneStatus.choices).get(status, status))


def _moved(
    app: Application, actor: Any, action: Action, target: str, *, reason: str = "", audit: str
) -> StatusChange:
    before = app.status
    app.status = target
    app.save(update_fields=["status", "round", "updated_at"])
    change = StatusChange.objects.create(
        application=app,
        from_status=before,
        to_status=target,
        action=str(action),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=_name(actor),
        reason=reason.strip(),
    )
    audit_record(
        actor=actor,
        action=audit,
        target=app,
        before={"status": before},
        after={"status": target, "round": app.round},
        reason=reason.strip(),
    )
    return change


def _url(app: Application) -> str:
    return reverse("pilot_zones:application_detail", kwargs={"application_id": app.pk})


def _missing_refusal(missing: list[str], what: str) -> ValidationError:
    return ValidationError(
        {"__all__": [f"申请报告还不完整，不能{what}。请补齐以下{len(missing)}项：", *missing]},
        code="incomplete",
    )


@transaction.atomic
def application_submit(*, actor: Any, application: Application | int, expected: str) -> Application:
    """The drafter submits the complete application to the city's check (a new round begins)."""
    app, target = _move(
        actor=actor,
        application=application,
        permission=ApplicationAction.SUBMIT,
        action=Action.SUBMIT,
        expected=expected,
    )
    missing = application_missing(app)
    if missing:
        raise _missing_refusal(missing, "提交")
    app.round += 1
    _moved(app, actor, Action.SUBMIT, target, audit="pilot_zones.application.submitted")
    app.version += 1
    app.save(update_fields=["version"])
    _revision_save(app, actor, f"第{app.round}次提交")
    officers = application_policy.users_with(app, ApplicationAction.ATTEST)
    notification_send(
        recipients=officers,
        kind=Kind.APPLICATION_SUBMITTED,
        title=f"{app.name}已提交，待设区市审核",
        url=_url(app),
        exclude=actor,
    )
    return app


@transaction.atomic
def application_attest(
    *, actor: Any, application: Application | int, expected: str, statements: Mapping[str, str]
) -> Application:
    """The city's four checks (真实性、准确性、完整性、合规性), each a statement by ``actor`` now."""
    app, target = _move(
        actor=actor,
        application=application,
        permission=ApplicationAction.ATTEST,
        action=Action.ATTEST,
        expected=expected,
    )
    rules = application_rules(app.programme)
    errors: dict[str, list[str]] = {}
    texts = {}
    for code in rules.attestations:
        label = AttestationCheck(code).label
        text = str(statements.get(code) or "").strip()
        if not text:
            errors.setdefault(f"attest_{code}", []).append(f"请填写{label}审核意见。")
        elif len(text) > MAX_STATEMENT:
            errors.setdefault(f"attest_{code}", []).append(f"{label}审核意见超过{MAX_STATEMENT}字。")
        texts[code] = text
    missing = application_missing(app)
    if missing:
        raise _missing_refusal(missing, "确认审核")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for code, text in texts.items():
        Attestation.objects.update_or_create(
            application=app,
            round=app.round,
            item=code,
            defaults={"statement": text, "officer": actor, "officer_name": _name(actor), "attested_at": now},
        )
    _moved(app, actor, Action.ATTEST, target, audit="pilot_zones.application.attested")
    return app


@transaction.atomic
def application_recommend(*, actor: Any, application: Application | int, expected: str) -> Application:
    """The city's written recommendation to the province, with the stamped letter of this round."""
    app, target = _move(
        actor=actor,
        application=application,
        permission=ApplicationAction.RECOMMEND,
        action=Action.RECOMMEND,
        expected=expected,
    )
    missing = application_missing(app, stage="recommend")
    if missing:
        raise _missing_refusal(missing, "推荐")
    _moved(app, actor, Action.RECOMMEND, target, audit="pilot_zones.application.recommended")
    admins = application_policy.users_with(app, ApplicationAction.DECIDE)
    notification_send(
        recipients=admins,
        kind=Kind.APPLICATION_RECOMMENDED,
        title=f"{app.city.name}推荐了{app.name}",
        body="请受理论证或退回修改。",
        url=_url(app),
        exclude=actor,
    )
    return app


def _city_people(app: Application) -> Any:
    return application_policy.users_with(app, ApplicationAction.EDIT)


@transaction.atomic
def application_accept(*, actor: Any, application: Application | int, expected: str) -> Application:
    """The province accepts the recommended application for the committee's review."""
    app, target = _move(
        actor=actor,
        application=application,
        permission=ApplicationAction.DECIDE,
        action=Action.ACCEPT,
        expected=expected,
    )
    _moved(app, actor, Action.ACCEPT, target, audit="pilot_zones.application.accepted")
    notification_send(
        recipients=_city_people(app),
        kind=Kind.APPLICATION_ACCEPTED,
        title=f"{app.name}已受理，进入论证",
        url=_url(app),
        exclude=actor,
    )
    return app


@transaction.atomic
def application_return(
    *, actor: Any, application: Application | int, expected: str, reason: str
) -> Application:
    """Send the application back for changes, with the reasons: the province, or the city before recommending."""
    pk = application.pk if isinstance(application, Application) else application
    # Before the recommendation the city sends it back to the drafter; after it, the province.
    city_stage = expected in (State.SUBMITTED, State.ATTESTED)
    permission = ApplicationAction.ATTEST if city_stage else ApplicationAction.DECIDE
    reason = str(reason or "").strip()
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": [f"退回理由超过{MAX_TEXT}字。"]})
    app, target = _move(
        actor=actor,
        application=pk,
        permission=permission,
        action=Action.RETURN,
        expected=expected,
        reason=reason,
    )
    _moved(app, actor, Action.RETURN, target, reason=reason, audit="pilot_zones.application.returned")
    notification_send(
        recipients=_city_people(app),
        kind=Kind.APPLICATION_RETURNED,
        title=f"{app.name}被退回修改",
        body=f"退回理由：{reason}",
        url=_url(app),
        exclude=actor,
    )
    return app


@transaction.atomic
def demo_applications_delete(*, actor: Any) -> int:
    """Delete every demonstration application that no zone was made from (with its rows and files)."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied("只有平台可以移除示例申请报告。")
    applications = Application.objects.filter(is_demo=True, zone__isnull=True)
    names = sorted(applications.values_list("name", flat=True))
    deleted, _ = applications.delete()
    if names:
        audit_record(
            actor=actor, action="pilot_zones.application.demo_removed", after={"applications": names}
        )
    return deleted


@transaction.atomic
def application_transition(
    *,
    actor: Any,
    application: Application | int,
    action: Action | str,
    expected: str,
    reason: str = "",
    permission: ApplicationAction = ApplicationAction.DECIDE,
) -> Application:
    """Any other move of the table (propose, decline, consult, publish_notice, publish_list…), the same way.

    For the review and the creation list: the row locked, the permission and the expected status
    checked, ``lifecycle.move_check`` asked, a :class:`StatusChange` row and an audit entry
    written. Side effects (notifications, zones) are the caller's, in the same transaction.
    """
    act = Action._value2member_map_.get(str(action))
    if not isinstance(act, Action):
        raise ValidationError(f"没有“{action}”这项操作。")
    app, target = _move(
        actor=actor,
        application=application,
        permission=permission,
        action=act,
        expected=expected,
        reason=reason,
    )
    _moved(app, actor, act, target, reason=reason, audit="pilot_zones.application.moved")
    return app
