"""Cross-reference checks of a programme definition, each finding with its own field path.

Pydantic checks one value at a time; these rules look across the file (a target's year against
the period, a field code against the taxonomy, unique codes). They are run by
``ProgrammeDefinition``'s validator, so a definition that exists is a consistent one, and they
return every finding at once, like Django's password validators, so an author fixes a file in
one pass.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from xiandao.programmes.definition.invariants import (
    IndicatorFacts,
    ProgrammeFrame,
    TargetFacts,
    TaskFacts,
    dated_dimension_weights_issues,
    dimension_weights_issue,
    earlier_values_issues,
    field_kind_issue,
    indicator_issues,
    measure_issue,
    parameter_issues,
    retirement_fields_issues,
    retirement_issue,
    target_issues,
    task_issues,
)

if TYPE_CHECKING:
    from xiandao.programmes.definition.schema import ProgrammeDefinition

Loc = tuple[str | int, ...]
Issue = tuple[Loc, str]


def consistency_issues(defn: ProgrammeDefinition) -> list[Issue]:
    """Every cross-reference problem of ``defn``; empty when the file is consistent."""
    issues: list[Issue] = []
    issues += _duplicates(defn)
    issues += _documents(defn)
    issues += _taxonomy(defn)
    issues += _targets(defn)
    issues += _tasks(defn)
    issues += _framework(defn)
    issues += _lifecycle(defn)
    issues += _monitoring(defn)
    issues += _supervision(defn)
    return issues


def _unique(items: Iterable[tuple[Loc, str]], what: str) -> list[Issue]:
    """Report each repeated code at its second and later places."""
    seen: dict[str, Loc] = {}
    issues: list[Issue] = []
    for loc, code in items:
        if code in seen:
            issues.append((loc, f"{what}“{code}”重复（已在 {format_path(seen[code])} 使用）"))
        else:
            seen[code] = loc
    return issues


def _duplicates(defn: ProgrammeDefinition) -> list[Issue]:
    issues = _unique(((("documents", i, "code"), d.code) for i, d in enumerate(defn.documents)), "文件编码")
    issues += _unique(
        ((("taxonomy_versions", i, "code"), v.code) for i, v in enumerate(defn.taxonomy_versions)),
        "分类版本编码",
    )
    for i, version in enumerate(defn.taxonomy_versions):
        base: Loc = ("taxonomy_versions", i)
        issues += _unique(
            (((*base, "fields", j, "code"), f.code) for j, f in enumerate(version.fields)), "领域编码"
        )
        issues += _unique(
            (((*base, "kinds", j, "code"), k.code) for j, k in enumerate(version.kinds)), "领域类别编码"
        )
    issues += _unique(
        ((("zone_types", i, "code"), z.code) for i, z in enumerate(defn.zone_types)), "先导区类型编码"
    )
    issues += _unique(((("targets", i, "code"), t.code) for i, t in enumerate(defn.targets)), "目标编码")
    # Actions and tasks share one name space: a task's parent may be either.
    issues += _unique(
        [(("actions", i, "code"), a.code) for i, a in enumerate(defn.actions)]
        + [(("tasks", i, "code"), t.code) for i, t in enumerate(defn.tasks)],
        "任务编码",
    )
    return issues


def _documents(defn: ProgrammeDefinition) -> list[Issue]:
    codes = {doc.code for doc in defn.documents}
    issues: list[Issue] = []
    for i, doc in enumerate(defn.documents):
        # The code is the text file's stem, so the text and the gold labels can be found by it.
        if PurePosixPath(doc.source_file).stem != doc.code:
            issues.append(
                (
                    ("documents", i, "source_file"),
                    f"文件名“{doc.source_file}”应为“{doc.code}.txt”（与编码一致）",
                )
            )

    def need(loc: Loc, code: str) -> None:
        if code not in codes:
            issues.append((loc, f"未知文件编码“{code}”（可用：{'、'.join(sorted(codes))}）"))

    for i, version in enumerate(defn.taxonomy_versions):
        need(("taxonomy_versions", i, "document"), version.document)
    for i, zone_type in enumerate(defn.zone_types):
        need(("zone_types", i, "document"), zone_type.document)
    for key, block in (("lifecycle", defn.lifecycle), ("indicator_framework", defn.indicator_framework)):
        document = getattr(block, "document", None)
        if document is not None:
            need((key, "document"), document)
    for i, target in enumerate(defn.targets):
        need(("targets", i, "document"), target.document)
    for i, action in enumerate(defn.actions):
        need(("actions", i, "document"), action.document)
    for i, task in enumerate(defn.tasks):
        need(("tasks", i, "document"), task.document)
    return issues


def _taxonomy(defn: ProgrammeDefinition) -> list[Issue]:
    issues: list[Issue] = []
    versions = defn.taxonomy_versions
    for i, version in enumerate(versions):
        kinds = {kind.code for kind in version.kinds}
        for j, field in enumerate(version.fields):
            message = field_kind_issue(field.kind, kinds)
            if message:
                issues.append((("taxonomy_versions", i, "fields", j, "kind"), message))
        names: dict[str, int] = {}
        for j, field in enumerate(version.fields):
            if field.name in names:
                issues.append(
                    (
                        ("taxonomy_versions", i, "fields", j, "name"),
                        f"领域名称“{field.name}”与本版本的另一领域重名，请换一个名称",
                    )
                )
            names.setdefault(field.name, j)
        previous = {f.code for f in versions[i - 1].fields} if i else set()
        for j, field in enumerate(version.fields):
            for code in field.replaces:
                if code not in previous:
                    issues.append(
                        (
                            ("taxonomy_versions", i, "fields", j, "replaces"),
                            f"并入的领域“{code}”不在上一版本中",
                        )
                    )
    # Versions follow each other in time; an undated version is allowed only when it is alone
    # (Zhejiang's and Yangzhou's texts carry no date).
    if len(versions) > 1:
        for i, version in enumerate(versions):
            if version.valid_from is None:
                issues.append(
                    (("taxonomy_versions", i, "valid_from"), "有多个分类版本时，每个版本须注明生效日期")
                )
        dated = [(i, v.valid_from) for i, v in enumerate(versions) if v.valid_from is not None]
        for (_, earlier), (i, later) in itertools.pairwise(dated):
            if later <= earlier:
                issues.append(
                    (("taxonomy_versions", i, "valid_from"), f"生效日期{later}应晚于上一版本的{earlier}")
                )
    return issues


def frame_of(defn: ProgrammeDefinition) -> ProgrammeFrame:
    """What the entity rules need of this definition: its period, field codes and indicator codes."""
    from xiandao.programmes.definition.schema import IndicatorFramework

    framework = defn.indicator_framework
    indicators = (
        frozenset(ind.code for dim in framework.dimensions for ind in dim.indicators)
        if isinstance(framework, IndicatorFramework)
        else None
    )
    return ProgrammeFrame(
        start_year=defn.period.start_year,
        end_year=defn.period.end_year,
        field_codes=frozenset(defn.field_codes()),
        indicator_codes=indicators,
    )


def _located(
    base: Loc, issues: dict[str, list[str]], *, index_of: dict[str, list[str]] | None = None
) -> list[Issue]:
    """Entity issues by field as located findings (a list field's message at the item it names)."""
    found: list[Issue] = []
    for name, messages in issues.items():
        for message in messages:
            items = (index_of or {}).get(name)
            where = next((j for j, code in enumerate(items or []) if f"“{code}”" in message), None)
            # ``earlier.0.weight`` names a place inside a list field.
            path: Loc = tuple(int(part) if part.isdigit() else part for part in name.split("."))
            found.append(((*base, *path) if where is None else (*base, *path, where), message))
    return found


def _targets(defn: ProgrammeDefinition) -> list[Issue]:
    frame = frame_of(defn)
    issues: list[Issue] = []
    for i, target in enumerate(defn.targets):
        facts = TargetFacts.of(
            target, unit=target.unit or "", measure=target.measure or "", field=target.field or ""
        )
        issues += _located(("targets", i), target_issues(facts, frame))
        issues += _located(
            ("targets", i), retirement_fields_issues(target.retired_from, target.retired_reason or "", frame)
        )
    return issues


def _tasks(defn: ProgrammeDefinition) -> list[Issue]:
    frame = frame_of(defn)
    issues: list[Issue] = []
    action_codes = {action.code for action in defn.actions}
    parents = {task.code: task.parent for task in defn.tasks}
    for i, task in enumerate(defn.tasks):
        base: Loc = ("tasks", i)
        facts = TaskFacts(
            title=task.task,
            quote=task.quote,
            lead=tuple(task.lead),
            cooperating=tuple(task.cooperating),
            fields=tuple(task.fields),
        )
        issues += _located(base, task_issues(facts, frame), index_of={"fields": list(task.fields)})
        issues += _located(
            base, retirement_fields_issues(task.retired_from, task.retired_reason or "", frame)
        )
        if task.parent is None:
            continue
        if task.parent not in action_codes and task.parent not in parents:
            issues.append(((*base, "parent"), f"未知上级任务“{task.parent}”"))
            continue
        # Walk up the chain: a task may not be its own ancestor.
        seen = {task.code}
        parent: str | None = task.parent
        while parent is not None and parent in parents:
            if parent in seen:
                issues.append(((*base, "parent"), f"上级任务形成循环（{task.code} → {task.parent}）"))
                break
            seen.add(parent)
            parent = parents[parent]
    return issues


def _framework(defn: ProgrammeDefinition) -> list[Issue]:
    from xiandao.programmes.definition.schema import IndicatorFramework

    framework = defn.indicator_framework
    if not isinstance(framework, IndicatorFramework):
        return []
    base: Loc = ("indicator_framework",)
    dims = framework.dimensions
    issues = _unique((((*base, "dimensions", i, "code"), d.code) for i, d in enumerate(dims)), "维度编码")
    issues += _unique(
        (
            ((*base, "dimensions", i, "indicators", j, "code"), ind.code)
            for i, dim in enumerate(dims)
            for j, ind in enumerate(dim.indicators)
        ),
        "指标编码",
    )
    message = dimension_weights_issue({dim.name: dim.weight for dim in dims})
    if message:
        issues.append(((*base, "dimensions"), message))
    frame = frame_of(defn)
    dumped = [dim.model_dump(exclude={"indicators"}) for dim in dims]
    for _year, message in dated_dimension_weights_issues(dumped):
        issues.append(((*base, "dimensions"), message))
    for i, dim in enumerate(dims):
        earlier = [entry.model_dump() for entry in dim.earlier]
        issues += _located(
            (*base, "dimensions", i), earlier_values_issues(earlier, frame, fields=("weight",))
        )
    for i, dim in enumerate(dims):
        for j, ind in enumerate(dim.indicators):
            loc = (*base, "dimensions", i, "indicators", j)
            facts = IndicatorFacts(
                code=ind.code,
                name=ind.name,
                unit=ind.unit,
                direction=ind.direction,
                definition=ind.definition,
                formula=ind.formula,
                source=ind.source,
                measure=ind.measure or "",
                weight=ind.weight,
                from_year=ind.from_year,
                retired_from=ind.retired_from,
                earlier=tuple(entry.model_dump() for entry in ind.earlier),
            )
            issues += _located(loc, indicator_issues(facts, frame))
            if ind.measure is not None and not ind.measure.startswith("registry:"):
                message = measure_issue(ind.measure, frame)
                if message:
                    issues.append(((*loc, "measure"), message))
            if ind.retired_from is not None:
                # A retired target no longer counts, so it does not hold the indicator in use.
                referencing = [
                    (t.code, t.year) for t in defn.targets if t.measure == ind.code and t.retired_from is None
                ]
                message = retirement_issue(ind.code, ind.name, ind.retired_from, referencing)
                if message:
                    issues.append(((*loc, "retired_from"), message))
    return issues


def _parameters(defn: ProgrammeDefinition) -> list[Issue]:
    """The life cycle's numbers by the same rules 计划设置 applies (``invariants.parameter_issues``)."""
    from xiandao.programmes.definition.schema import AcceptanceLifecycle, GradedLifecycle, Parameter

    lifecycle = defn.lifecycle
    base: Loc = ("lifecycle",)
    found: dict[str, tuple[Loc, Parameter]] = {}
    ranks: dict[str, int] = {}
    removal_grade = ""
    if isinstance(lifecycle, GradedLifecycle):
        for i, grade in enumerate(lifecycle.grades):
            ranks[grade.code] = grade.rank
            if grade.threshold is not None:
                found[f"grades.{grade.code}.threshold"] = ((*base, "grades", i, "threshold"), grade.threshold)
        cons = lifecycle.consequences
        cbase = (*base, "consequences")
        removal_grade = cons.removal.grade
        found["consequences.observation_period"] = ((*cbase, "observation_period"), cons.observation_period)
        found["consequences.tolerance_period"] = ((*cbase, "tolerance_period"), cons.tolerance_period)
        found["consequences.removal.consecutive_years"] = (
            (*cbase, "removal", "consecutive_years"),
            cons.removal.consecutive_years,
        )
        for i, bonus in enumerate(cons.host_city_bonus):
            found[f"consequences.host_city_bonus.{bonus.grade}.points"] = (
                (*cbase, "host_city_bonus", i, "points"),
                bonus.points,
            )
    elif isinstance(lifecycle, AcceptanceLifecycle):
        found["publication.public_notice_days"] = (
            (*base, "publication", "public_notice_days"),
            lifecycle.publication.public_notice_days,
        )
    application = getattr(lifecycle, "application", None)
    if application is not None and application.creation_period is not None:
        pbase = (*base, "application", "creation_period")
        for name in ("min_years", "max_years"):
            found[f"application.creation_period.{name}"] = (
                (*pbase, name),
                getattr(application.creation_period, name),
            )
    issues = parameter_issues(
        {key: parameter.value for key, (_, parameter) in found.items()},
        grade_ranks=ranks,
        frame=frame_of(defn),
        removal_grade=removal_grade,
    )
    return [((*found[key][0], "value"), message) for key, messages in issues.items() for message in messages]


def _application(defn: ProgrammeDefinition) -> list[Issue]:
    """The application's conditions and multi-host types name zone types the programme has."""
    application = getattr(defn.lifecycle, "application", None)
    if application is None:
        return []
    base: Loc = ("lifecycle", "application")
    types = [z.code for z in defn.zone_types]
    issues = _unique(
        (((*base, "conditions", i, "code"), c.code) for i, c in enumerate(application.conditions)), "申报条件"
    )
    for i, condition in enumerate(application.conditions):
        if condition.zone_type is not None and condition.zone_type not in types:
            issues.append(((*base, "conditions", i, "zone_type"), f"未知先导区类型“{condition.zone_type}”"))
    for i, code in enumerate(application.multi_host_zone_types):
        if code not in types:
            issues.append(((*base, "multi_host_zone_types", i), f"未知先导区类型“{code}”"))
    period = application.creation_period
    low, high = (period.min_years.value, period.max_years.value) if period is not None else (None, None)
    if low is not None and high is not None and low > high:
        issues.append(((*base, "creation_period"), "创建周期最短年数不能大于最长年数"))
    return issues


def _lifecycle(defn: ProgrammeDefinition) -> list[Issue]:
    from xiandao.programmes.definition.schema import GradedLifecycle

    lifecycle = defn.lifecycle
    if not isinstance(lifecycle, GradedLifecycle):
        return _application(defn) + _parameters(defn)
    base: Loc = ("lifecycle",)
    grades = [grade.code for grade in lifecycle.grades]
    issues = _unique((((*base, "grades", i, "code"), g) for i, g in enumerate(grades)), "等次")
    ranks = [grade.rank for grade in lifecycle.grades]
    if ranks != sorted(set(ranks)):
        issues.append(((*base, "grades"), "等次须按 rank 由低到高排列且不重复"))
    cons = lifecycle.consequences
    cbase = (*base, "consequences")
    for key, grade in (
        ("improvement_opinion_grade", cons.improvement_opinion_grade),
        ("support_from_grade", cons.support_from_grade),
        ("national_recommendation_grade", cons.national_recommendation_grade),
    ):
        if grade not in grades:
            issues.append(((*cbase, key), f"未知等次“{grade}”（等次：{'、'.join(grades)}）"))
    if cons.removal.grade not in grades:
        issues.append(((*cbase, "removal", "grade"), f"未知等次“{cons.removal.grade}”"))
    bonus = [b.grade for b in cons.host_city_bonus]
    for i, grade in enumerate(bonus):
        if grade not in grades:
            issues.append(((*cbase, "host_city_bonus", i, "grade"), f"未知等次“{grade}”"))
    issues += _unique((((*cbase, "host_city_bonus", i, "grade"), g) for i, g in enumerate(bonus)), "加分等次")
    missing = [g for g in grades if g not in bonus]
    if missing:
        issues.append(((*cbase, "host_city_bonus"), f"缺少等次{'、'.join(missing)}的加分"))
    return issues + _application(defn) + _parameters(defn)


def format_path(loc: Loc) -> str:
    """``("targets", 3, "year")`` → ``targets[3].year``, the way messages name a field."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


#: The level that has the last word on a programme's reports: its own.
FINAL_LEVEL = {"province": "province", "city": "city"}


def _monitoring(defn: ProgrammeDefinition) -> list[Issue]:
    """The monitoring section: its document, a chain from the reporter up to the programme's level,
    rules whose sides read and name indicators of the framework, disaggregated indicators that exist."""
    from xiandao.programmes.definition.expressions import SideError, parse_side

    monitoring = defn.monitoring
    if monitoring is None:
        return []
    base: Loc = ("monitoring",)
    issues: list[Issue] = []
    codes = {doc.code for doc in defn.documents}
    if monitoring.document is not None and monitoring.document not in codes:
        issues.append(((*base, "document"), f"未知文件编码“{monitoring.document}”"))
    levels = monitoring.approval_chain.levels
    loc: Loc = (*base, "approval_chain", "levels")
    if levels[0] not in ("zone", "park"):
        issues.append((loc, "审核链的第一级应为填报的先导区（zone）或园区（park）"))
    if len(set(levels)) != len(levels):
        issues.append((loc, "审核链中的层级不能重复"))
    if levels[-1] != FINAL_LEVEL[defn.level]:
        issues.append((loc, f"审核链的最后一级应为本计划的层级（{FINAL_LEVEL[defn.level]}）"))
    indicators = frame_of(defn).indicator_codes or frozenset()
    issues += _unique(
        (((*base, "rules", i, "code"), rule.code) for i, rule in enumerate(monitoring.rules)), "校验规则编码"
    )
    for i, rule in enumerate(monitoring.rules):
        for side in ("left", "right"):
            try:
                parsed = parse_side(getattr(rule, side))
            except SideError as exc:
                issues.append(((*base, "rules", i, side), str(exc)))
                continue
            for code in sorted(parsed.codes() - indicators):
                issues.append(((*base, "rules", i, side), f"“{code}”不是本计划指标体系中的指标"))
    for i, item in enumerate(monitoring.disaggregations):
        if item.indicator not in indicators:
            issues.append(((*base, "disaggregations", i, "indicator"), f"“{item.indicator}”不是本计划的指标"))
        issues += _unique(
            (
                ((*base, "disaggregations", i, "categories", j, "code"), c.code)
                for j, c in enumerate(item.categories)
            ),
            "分类编码",
        )
    return issues


def _supervision(defn: ProgrammeDefinition) -> list[Issue]:
    """The supervision section: each industry given its six lists' units is a field of the taxonomy, once."""
    supervision = defn.supervision
    if supervision is None:
        return []
    issues: list[Issue] = []
    fields = defn.field_codes()
    seen: set[str] = set()
    for i, item in enumerate(supervision.six_list_units):
        loc: Loc = ("supervision", "six_list_units", i, "field")
        if item.field not in fields:
            issues.append((loc, f"未知领域编码“{item.field}”"))
        elif item.field in seen:
            issues.append((loc, f"领域“{item.field}”的清单责任单位重复设置"))
        seen.add(item.field)
    return issues
