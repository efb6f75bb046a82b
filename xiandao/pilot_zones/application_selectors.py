"""Reads of applications: lists scoped by permission, a detail with its step bar, revisions compared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from .application_rules import application_rules, indicators_for
from .lifecycle import State
from .models import Application, ApplicationRevision, AttestationCheck, StatusChange
from .permissions import ApplicationAction, application_policy


def application_list_for(user: Any) -> QuerySet[Application]:
    """The applications a user may see, newest change first."""
    return (
        application_policy.instances_for(user, ApplicationAction.VIEW)
        .select_related("programme", "city", "field", "zone_type")
        .prefetch_related("host_parks")
        .order_by("-updated_at", "pk")
    )


@dataclass(frozen=True)
class Step:
    label: str
    state: str
    done: bool
    current: bool
    actor: str = ""
    at: Any = None


#: The application's way to the province (the step bar, 流程进度).
STEPS: tuple[tuple[str, str], ...] = (
    (State.DRAFT, "编制申请"),
    (State.SUBMITTED, "提交审核"),
    (State.ATTESTED, "市级审核"),
    (State.RECOMMENDED, "书面推荐"),
    (State.UNDER_REVIEW, "受理论证"),
)


def application_steps(application: Application) -> list[Step]:
    """Each step with who reached it last and when; a returned application shows where it stands."""
    changes = list(StatusChange.objects.filter(application=application).order_by("at", "pk"))
    last: dict[str, StatusChange] = {}
    for change in changes:
        last[change.to_status] = change
    order = [s for s, _ in STEPS]
    status = application.status
    position = order.index(status) if status in order else (0 if status == State.RETURNED else len(order))
    steps = []
    for index, (state, label) in enumerate(STEPS):
        reached = index <= position
        found = last.get(state) if reached else None
        steps.append(
            Step(
                label=label,
                state=state,
                done=index < position or (index == position and status in order and status != State.DRAFT),
                current=index == position,
                actor=found.actor_name if found is not None else "",
                at=found.at if found is not None else None,
            )
        )
    return steps


def application_history(application: Application) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(application=application).order_by("-at", "-pk")


def revision_list(application: Application) -> QuerySet[ApplicationRevision]:
    return ApplicationRevision.objects.filter(application=application).order_by("-number")


def _flat(record: dict[str, Any], names: dict[str, str], conditions: dict[str, str]) -> list[tuple[str, str]]:
    labels = {
        "name": "先导区名称",
        "city": "设区市",
        "field": "领域",
        "zone_type": "先导区类型",
        "hosts": "承载园区",
        "creation_start_year": "创建期起始年",
        "creation_end_year": "创建期结束年",
        "summary": "基本情况",
        "measures": "主要举措",
        "contact_name": "联系人",
        "contact_phone": "联系电话",
        "attachments": "附件",
    }
    rows: list[tuple[str, str]] = []
    for key, label in labels.items():
        value = record.get(key)
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        rows.append((label, "" if value is None else str(value)))
    answers = record.get("eligibility") or {}
    order = [c for c in conditions if c in answers] + sorted(c for c in answers if c not in conditions)
    for code in order:
        text = answers[code]
        rows.append((f"申报条件：{conditions.get(code, code)}", str(text)))
    for code, values in sorted((record.get("targets") or {}).items()):
        for when, value in sorted(values.items(), key=lambda i: (i[0] != "overall", i[0])):
            label = "总体" if when == "overall" else f"{when}年"
            rows.append((f"目标：{names.get(code, code)}（{label}）", str(value)))
    return rows


@dataclass(frozen=True)
class ComparedRow:
    label: str
    left: str
    right: str

    @property
    def changed(self) -> bool:
        return self.left != self.right


def revisions_compare(application: Application, left: int, right: int) -> list[ComparedRow]:
    """Two revisions side by side, row by row (a row missing on one side is blank there)."""
    found = {
        r.number: r
        for r in ApplicationRevision.objects.filter(application=application, number__in=[left, right])
    }
    if left not in found or right not in found:
        raise ApplicationRevision.DoesNotExist("没有该修订版本。")
    names = {i.code: i.name for i in indicators_for(application.programme)}
    conditions = {c.code: c.name for c in application_rules(application.programme).conditions}
    a = dict(_flat(found[left].record, names, conditions))
    b = dict(_flat(found[right].record, names, conditions))
    labels = list(dict.fromkeys([*a, *b]))
    return [ComparedRow(label, a.get(label, ""), b.get(label, "")) for label in labels]


def attestation_labels() -> dict[str, str]:
    return dict(AttestationCheck.choices)


def applications_todo(user: Any) -> list[Any]:
    """The workbench's to-dos: applications returned to me, waiting for my check, or for my decision."""
    from xiandao.core.providers import TodoItem

    items = []
    url = reverse("pilot_zones:application_list")
    lines = (
        (ApplicationAction.EDIT, State.RETURNED, "修改被退回的先导区申请报告"),
        (ApplicationAction.ATTEST, State.SUBMITTED, "审核先导区申请报告（真实性、准确性、完整性、合规性）"),
        (ApplicationAction.RECOMMEND, State.ATTESTED, "上传盖章推荐函并书面推荐先导区申请报告"),
        (ApplicationAction.DECIDE, State.RECOMMENDED, "受理或退回设区市推荐的先导区申请报告"),
    )
    for action, state, label in lines:
        count = application_policy.instances_for(user, action).filter(status=state).count()
        if count:
            items.append(TodoItem(label=label, url=f"{url}?status={state}", count=count))
    return items
