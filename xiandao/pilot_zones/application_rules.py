"""What a programme asks of an application, read from its definition, and what is still missing.

The conditions (申报条件), the creation-period limits, the zone types with several host places,
the four attestations and the stamped letter all come from the programme's life-cycle section
(``lifecycle.application``), the indicators that need a target from the framework's
``target_required`` flags — never from a branch per province. ``application_missing`` lists
every missing item at once, in Chinese, for the form's summary and for the services that refuse
to submit or recommend an incomplete application.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from xiandao.geo.models import ParkKind
from xiandao.geo.selectors import jurisdiction_descendant_ids, park_list_in
from xiandao.programmes.selectors import field_list_for_programme, framework_get, lifecycle_definition

from .lifecycle import LifecycleSwitches, switches_from_lifecycle
from .models import Application, AttachmentKind, AttestationCheck

if TYPE_CHECKING:
    from xiandao.geo.models import Jurisdiction, Park
    from xiandao.programmes.models import Field, Indicator, Programme

#: Park kinds that may host a zone: 省级以上开发区或特色园区 (a city-level development zone may not).
DEVELOPMENT_ZONE_KINDS = frozenset(
    {ParkKind.HIGH_TECH_ZONE, ParkKind.ECONOMIC_ZONE, ParkKind.PROVINCIAL_ZONE}
)
SPECIALISED_PARK = ParkKind.SPECIALISED_PARK


@dataclass(frozen=True)
class ConditionRule:
    code: str
    name: str
    quote: str
    zone_type: str | None = None


@dataclass(frozen=True)
class ApplicationRules:
    """One programme's requirements of an application."""

    attestations: tuple[str, ...]
    conditions: tuple[ConditionRule, ...]
    min_years: int | None
    max_years: int | None
    earliest_start: int
    latest_start: int
    multi_host_zone_types: frozenset[str]
    recommendation_letter: bool
    recipient: str
    eligible_hosts: str
    switches: LifecycleSwitches

    def conditions_for(self, zone_type_code: str | None) -> tuple[ConditionRule, ...]:
        """The general conditions and those of the zone type (浙 区域集聚型: 集中连片……)."""
        return tuple(c for c in self.conditions if c.zone_type is None or c.zone_type == zone_type_code)

    def period_text(self) -> str:
        if self.min_years and self.max_years:
            return f"{self.min_years}至{self.max_years}年"
        if self.min_years:
            return f"不少于{self.min_years}年"
        if self.max_years:
            return f"不超过{self.max_years}年"
        return "不限"


def application_rules(programme: Programme) -> ApplicationRules:
    """The programme's requirements; a programme whose documents set none asks the four checks only."""
    lifecycle = lifecycle_definition(programme)
    section = getattr(lifecycle, "application", None)
    switches = (switches_from_lifecycle(lifecycle) if lifecycle is not None else None) or LifecycleSwitches()
    if section is None:
        return ApplicationRules(
            attestations=tuple(AttestationCheck.values),
            conditions=(),
            min_years=None,
            max_years=None,
            earliest_start=programme.start_year,
            latest_start=programme.end_year,
            multi_host_zone_types=frozenset(),
            recommendation_letter=True,
            recipient="",
            eligible_hosts="省级以上开发区或特色园区",
            switches=switches,
        )
    period = section.creation_period
    return ApplicationRules(
        attestations=tuple(section.attestations),
        conditions=tuple(ConditionRule(c.code, c.name, c.quote, c.zone_type) for c in section.conditions),
        min_years=period.min_years.value if period else None,
        max_years=period.max_years.value if period else None,
        earliest_start=programme.start_year,
        latest_start=programme.end_year,
        multi_host_zone_types=frozenset(section.multi_host_zone_types),
        recommendation_letter=section.recommendation_letter,
        recipient=section.recipient,
        eligible_hosts=section.eligible_hosts,
        switches=switches,
    )


def field_choices(programme: Programme) -> list[Field]:
    """The fields of the programme's latest taxonomy version, in order."""
    fields = list(field_list_for_programme(programme).select_related("version"))
    if not fields:
        return []
    latest = fields[0].version_id
    return [f for f in fields if f.version_id == latest]


def park_is_eligible(park: Park) -> bool:
    """省级以上开发区或特色园区: a provincial or national development zone, or a specialised park."""
    if park.kind == SPECIALISED_PARK:
        return True
    return park.kind in DEVELOPMENT_ZONE_KINDS and park.level != "市级"


def host_choices(city: Jurisdiction) -> QuerySet[Park]:
    """The parks lying in the city (or its districts and counties) today, eligible or not."""
    return park_list_in(jurisdiction_descendant_ids([city.pk]))


def host_choices_in_programme(programme: Programme) -> QuerySet[Park]:
    """The parks anywhere in the programme's jurisdiction (a network zone's other places)."""
    return park_list_in(jurisdiction_descendant_ids([programme.jurisdiction_id]))


def indicators_for(programme: Programme) -> list[Indicator]:
    """The framework's indicators in use (not retired), in framework order."""
    framework = framework_get(programme)
    if framework is None:
        return []
    return [
        indicator
        for dimension in framework.dimensions.all()
        for indicator in dimension.indicators.all()
        if indicator.retired_from is None
    ]


def period_years(application: Application) -> list[int]:
    start, end = application.creation_start_year, application.creation_end_year
    if start is None or end is None or end < start:
        return []
    return list(range(start, end + 1))


def period_problems(rules: ApplicationRules, start: int | None, end: int | None) -> list[str]:
    """Why a creation period is outside the programme's limits (empty when it is within)."""
    if start is None or end is None:
        return []
    problems = []
    if end < start:
        return ["创建期结束年不能早于起始年。"]
    if not rules.earliest_start <= start <= rules.latest_start:
        problems.append(
            f"创建期起始年须在本计划期{rules.earliest_start}年至{rules.latest_start}年之间（填写的是{start}年）。"
        )
    years = end - start + 1
    if (rules.min_years and years < rules.min_years) or (rules.max_years and years > rules.max_years):
        problems.append(f"创建周期须为{rules.period_text()}（填写的是{years}年）。")
    return problems


def _target_map(application: Application) -> dict[tuple[str, int | None], Decimal]:
    return {(t.indicator_code, t.year): t.value for t in application.targets.all()}


def application_missing(application: Application, *, stage: str = "submit") -> list[str]:
    """Every item still missing, in Chinese; ``stage`` "recommend" adds the attestations and the letter."""
    programme = application.programme
    rules = application_rules(programme)
    missing: list[str] = []
    if not application.name.strip():
        missing.append("基本信息：未填写先导区名称。")
    if application.field_id is None:
        missing.append("基本信息：未选择领域。")
    has_types = programme.zone_types.exists()
    zone_type = application.zone_type if application.zone_type_id else None
    zone_type_code = zone_type.code if zone_type is not None else None
    if has_types and zone_type_code is None:
        missing.append("基本信息：未选择先导区类型。")
    hosts = list(application.host_parks.all())
    if not hosts:
        missing.append("承载地：未选择承载园区。")
    elif len(hosts) > 1 and zone_type_code not in rules.multi_host_zone_types:
        missing.append("承载地：只有网络协同型先导区可以有多个承载园区，请只保留一个。")
    elif zone_type_code in rules.multi_host_zone_types and len(hosts) < 2:
        missing.append("承载地：网络协同型先导区须有至少两个承载园区（一中心多平台）。")
    if application.creation_start_year is None or application.creation_end_year is None:
        missing.append("创建周期：未填写起止年份。")
    else:
        missing += [
            f"创建周期：{p}"
            for p in period_problems(rules, application.creation_start_year, application.creation_end_year)
        ]
    answers = {a.condition_code: a for a in application.eligibility.all()}
    for condition in rules.conditions_for(zone_type_code):
        answer = answers.get(condition.code)
        if answer is None or not answer.statement.strip():
            missing.append(f"申报条件：未说明“{condition.name}”。")
    targets = _target_map(application)
    years = period_years(application)
    for indicator in indicators_for(programme):
        if not indicator.target_required:
            continue
        lacking = []
        if (indicator.code, None) not in targets:
            lacking.append("总体目标")
        lacking += [f"{y}年" for y in years if (indicator.code, y) not in targets]
        if lacking:
            missing.append(f"目标：“{indicator.name}”缺少{'、'.join(lacking)}目标值。")
    if not application.measures.strip():
        missing.append("主要举措：未填写推进举措（一区一策）。")
    if stage == "recommend":
        attested = set(
            application.attestations.filter(round=application.round).values_list("item", flat=True)
        )
        for code in rules.attestations:
            if code not in attested:
                missing.append(f"市级审核：未确认{AttestationCheck(code).label}。")
        if (
            rules.recommendation_letter
            and not application.attachments.filter(
                kind=AttachmentKind.RECOMMENDATION_LETTER, round=application.round
            ).exists()
        ):
            missing.append("推荐函：未上传本次推荐的盖章推荐函。")
    return missing


def application_record(application: Application) -> dict[str, Any]:
    """The application as plain JSON: what a revision keeps and two revisions are compared by."""
    targets: dict[str, dict[str, str]] = {}
    for target in application.targets.all().order_by("indicator_code", "year"):
        key = "overall" if target.year is None else str(target.year)
        targets.setdefault(target.indicator_code, {})[key] = format(target.value.normalize(), "f")
    field = application.field if application.field_id else None
    zone_type = application.zone_type if application.zone_type_id else None
    return {
        "name": application.name,
        "city": application.city.name,
        "field": field.name if field is not None else "",
        "zone_type": zone_type.name if zone_type is not None else "",
        "hosts": sorted(p.name for p in application.host_parks.all()),
        "creation_start_year": application.creation_start_year,
        "creation_end_year": application.creation_end_year,
        "summary": application.summary,
        "measures": application.measures,
        "contact_name": application.contact_name,
        "contact_phone": application.contact_phone,
        "eligibility": {a.condition_code: a.statement for a in application.eligibility.all()},
        "targets": targets,
        "attachments": [
            f"{a.get_kind_display()}（第{a.round}次提交）：{a.original_name}"
            if a.kind == AttachmentKind.RECOMMENDATION_LETTER
            else f"{a.get_kind_display()}：{a.original_name}"
            for a in application.attachments.all()
        ],
    }
