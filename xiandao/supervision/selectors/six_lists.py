"""Fuzhou's six lists per industry (六个一)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from xiandao.accounts.models import Role
from xiandao.programmes.models import TaskKind, UnitRole
from xiandao.programmes.selectors import task_unit_prefetch

from ..models import (
    SixList,
    SixListEntry,
)
from ..permissions import SupervisionAction, programme_supervision_policy
from .base import settings_of

if TYPE_CHECKING:
    from xiandao.accounts.models import Organisation
    from xiandao.programmes.models import Programme

# --- 六个一 ----------------------------------------------------------------------------------------------


#: The six lists drawn from the registries (Fuzhou 五(一)): registry key and, for enterprises, the tiers kept.
SIX_FROM_REGISTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    SixList.ENTERPRISES: ("enterprise", ("leading", "hidden_champion")),
    SixList.PROJECTS: ("project", ()),
    SixList.INNOVATION: ("platform", ()),
}


@dataclass(frozen=True)
class Industry:
    """An industry of the programme and the units keeping its six lists (由各牵头部门负责), the first leading."""

    code: str
    name: str
    units: tuple[Organisation, ...]
    #: Where the units come from: the lead units of the industry's tasks, or the definition's override.
    source: str  # "tasks" | "definition" | ""
    #: Units the definition names that match no organisation (shown as written, kept by nobody).
    unresolved: tuple[str, ...] = ()

    @property
    def lead(self) -> Organisation | None:
        return self.units[0] if self.units else None

    @property
    def unit_names(self) -> str:
        return "、".join([u.name for u in self.units] + list(self.unresolved))


def _override_units(programme: Programme) -> dict[str, list[str]]:
    section = programme.supervision or {}
    return {
        str(item.get("field")): [str(u) for u in item.get("units") or []]
        for item in section.get("six_list_units") or []
        if isinstance(item, dict)
    }


def six_list_industries(programme: Programme) -> list[Industry]:
    """Every industry of the programme's latest taxonomy with its responsible units.

    The units are the lead units of the tasks whose fields include the industry, in the order the
    document names them (a task earlier in the document first); collective units the document
    says implement every task (the standing units, a fan-out such as 各县（市）区人民政府) keep no list.
    ``supervision.six_list_units`` in the definition replaces them for an industry.
    """
    from xiandao.accounts.selectors import organisation_resolve
    from xiandao.programmes.selectors import field_list_for_programme

    fields: dict[str, str] = {}
    for f in field_list_for_programme(programme):
        fields.setdefault(f.code, f.name)
    standing = set(settings_of(programme).standing_units)
    derived: dict[str, list[Organisation]] = defaultdict(list)
    tasks = (
        programme.tasks.public()
        .filter(kind=TaskKind.TASK)
        .order_by("position")
        .prefetch_related(task_unit_prefetch())
    )
    for task in tasks:
        leads = [
            org
            for unit in task.units_by_role()[UnitRole.LEAD]
            if not unit.fan_out and unit.written not in standing
            for org in unit.organisations.all()
        ]
        for code in task.field_codes or ():
            for org in leads:
                if org not in derived[code]:
                    derived[code].append(org)
    overrides = _override_units(programme)
    industries = []
    for code, name in fields.items():
        if code in overrides:
            resolved = [(w, organisation_resolve(w, within=programme.jurisdiction)) for w in overrides[code]]
            units = tuple(dict.fromkeys(org for _w, org in resolved if org is not None))
            missing = tuple(w for w, org in resolved if org is None)
            industries.append(Industry(code, name, units, "definition", missing))
        else:
            industries.append(
                Industry(code, name, tuple(derived.get(code, ())), "tasks" if code in derived else "")
            )
    return industries


def six_list_industry(programme: Programme, field_code: str) -> Industry | None:
    return next((i for i in six_list_industries(programme) if i.code == field_code), None)


def six_list_keepers(user: Any, programme: Programme, industry: Industry) -> list[Organisation]:
    """The units this user may keep the industry's lists as: every responsible unit for the programme's
    admin, their own unit for a department officer of one, none for anyone else."""
    from xiandao.accounts.selectors import user_scope

    if not programme_supervision_policy.user_may(user, SupervisionAction.VIEW, programme):
        return []
    if programme_supervision_policy.user_may(user, SupervisionAction.MANAGE, programme):
        return list(industry.units)
    scope = user_scope(user)
    if not scope.has_role(Role.DEPARTMENT_OFFICER):
        return []
    return [u for u in industry.units if u.pk in scope.organisation_ids]


@dataclass(frozen=True)
class SixListRow:
    """A line of one list: a registry's entry (``entry`` None) or one the responsible unit keeps."""

    name: str
    detail: str = ""
    region: str = ""
    document: str = ""
    keeper: str = "登记库"
    entry: SixListEntry | None = None


#: What a line of each list names (the column heading of its name).
SIX_LIST_NAME_LABELS: dict[str, str] = {
    SixList.ENTERPRISES: "企业名称",
    SixList.INVESTMENT: "目标企业",
    SixList.PROJECTS: "项目名称",
    SixList.INNOVATION: "平台或机构",
    SixList.POLICIES: "政策措施",
    SixList.ADVISORS: "咨询机构",
}


@dataclass(frozen=True)
class SixListColumn:
    kind: str
    label: str
    rows: list[SixListRow]
    #: The registry feeding the list ("" for the lists only the unit keeps).
    registry: str = ""

    @property
    def name_label(self) -> str:
        return SIX_LIST_NAME_LABELS[self.kind]

    @property
    def kept(self) -> list[SixListRow]:
        return [r for r in self.rows if r.entry is not None]


def six_list_entries(programme: Programme, field_code: str = "") -> QuerySet[SixListEntry]:
    entries = SixListEntry.objects.filter(programme=programme).select_related("keeper")
    return entries.filter(field_code=field_code) if field_code else entries


def six_list_entry_get(user: Any, entry_id: int | str) -> SixListEntry:
    """A kept entry of a programme the user follows (404 otherwise)."""
    from django.http import Http404

    entry = (
        SixListEntry.objects.filter(
            pk=entry_id,
            programme__in=programme_supervision_policy.instances_for(user, SupervisionAction.VIEW),
        )
        .select_related("programme", "keeper")
        .first()
    )
    if entry is None or not six_lists_apply(entry.programme):
        raise Http404("未找到该对象，或您无权访问。")
    return entry


def six_lists(programme: Programme, field_code: str, user: Any = None) -> list[SixListColumn]:
    """A Fuzhou industry's six lists side by side: enterprises (头部企业, 隐形冠军), projects and platforms from
    the registries, each list also holding what the responsible unit keeps.

    The registries' lines are the programme's confirmed entries valid today in the industry, shown to
    whoever follows the programme's supervision: the lists are the industry's shared working lists
    (a department keeping them sees the enterprises it works with), and names and cities only.
    """
    from xiandao.registries.selectors import entry_names_in_field, registry_get

    kept: dict[str, list[SixListEntry]] = defaultdict(list)
    for entry in six_list_entries(programme, field_code):
        kept[entry.list_kind].append(entry)
    lists = []
    for kind in SixList:
        rows: list[SixListRow] = []
        registry = ""
        if kind in SIX_FROM_REGISTRIES:
            key, tiers = SIX_FROM_REGISTRIES[kind]
            registry = registry_get(key).label
            if user is not None and programme_supervision_policy.user_may(
                user, SupervisionAction.VIEW, programme
            ):
                rows += [
                    SixListRow(name=name, detail=city)
                    for name, city in entry_names_in_field(
                        None, key, field_code, tiers=tiers, programme_id=programme.pk, limit=200
                    )
                ]
        rows += [
            SixListRow(
                name=e.name,
                detail=e.detail,
                region=e.region,
                document=e.document,
                keeper=e.keeper.name,
                entry=e,
            )
            for e in kept.get(kind, [])
        ]
        lists.append(SixListColumn(str(kind.value), str(kind.label), rows, registry))
    return lists


@dataclass(frozen=True)
class IndustryCounts:
    industry: Industry
    counts: list[int]  # per list, in SixList order

    @property
    def total(self) -> int:
        return sum(self.counts)


def six_list_overview(programme: Programme, user: Any) -> list[IndustryCounts]:
    """Every industry with its responsible units and how many lines each of its six lists holds
    (the registries' confirmed entries, as :func:`six_lists`, plus kept entries): a query per registry and one for the kept."""
    from django.db.models import Count

    from xiandao.registries.selectors import entry_counts_by_field

    follows = programme_supervision_policy.user_may(user, SupervisionAction.VIEW, programme)
    from_registries = {
        kind: entry_counts_by_field(None, key, programme_id=programme.pk, tiers=tiers) if follows else {}
        for kind, (key, tiers) in SIX_FROM_REGISTRIES.items()
    }
    kept: dict[tuple[str, str], int] = {
        (row["field_code"], row["list_kind"]): row["n"]
        for row in SixListEntry.objects.filter(programme=programme)
        .values("field_code", "list_kind")
        .annotate(n=Count("pk"))
    }
    return [
        IndustryCounts(
            industry,
            [
                from_registries.get(kind, {}).get(industry.code, 0) + kept.get((industry.code, kind), 0)
                for kind in SixList
            ],
        )
        for industry in six_list_industries(programme)
    ]


def six_lists_apply(programme: Programme) -> bool:
    """Does the programme run the 六个一 mechanism (Fuzhou: its tasks' industries kept in six lists)?"""
    return programme.code == "fuzhou" or bool(_override_units(programme))
