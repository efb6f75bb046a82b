"""Programmes for the authorization matrix: public policy, so every page and API read is public."""

from __future__ import annotations

from tests.authz import ForeignObject, ForeignWorld, provider
from xiandao.programmes.models import PolicyDocument, Programme

PUBLIC_URL_NAMES = {
    "programmes:list",
    "programmes:overview",
    "programmes:documents",
    "programmes:document",
    "programmes:taxonomy",
    "programmes:targets",
    "programmes:tasks",
    "programmes:rules",
    "programmes:framework",
    "api:programme_list",
    "api:programme_get",
    "api:programme_targets",
    "api:programme_tasks",
    "api:programme_fields",
    "api:programme_indicators",
    "api:programme_rules",
}


def foreign_programme(world: ForeignWorld) -> Programme:
    """A programme of the world's province (created once, reused by every URL of the run)."""
    programme, _ = Programme.objects.get_or_create(
        code=f"probe-{world.province.code}",
        defaults={
            "name": f"{world.marker}培育计划",
            "level": "province",
            "jurisdiction": world.province,
            "admin_organisation": world.organisation,
            "start_year": 2024,
            "end_year": 2030,
        },
    )
    return programme


@provider("programme_code")
def programme_code(world: ForeignWorld) -> ForeignObject:
    programme = foreign_programme(world)
    return ForeignObject(programme.code, (programme.name,))


@provider("document_code")
def document_code(world: ForeignWorld) -> ForeignObject:
    document, _ = PolicyDocument.objects.get_or_create(
        programme=foreign_programme(world),
        code="probe-document",
        defaults={
            "title": f"{world.marker}文件",
            "issuer": f"{world.marker}机构",
            "source_file": "probe-document.txt",
        },
    )
    return ForeignObject(document.code, (document.title,))


@provider("parameter_key")
def parameter_key(world: ForeignWorld) -> ForeignObject:
    """A parameter of the foreign programme (计划设置); its label carries the marker."""
    from xiandao.programmes.models import RuleParameter

    parameter, _ = RuleParameter.objects.get_or_create(
        programme=foreign_programme(world),
        key="grades.AA.threshold",
        defaults={"label": f"{world.marker}分档线", "value": 100, "unit": "分", "is_default": True},
    )
    return ForeignObject(parameter.key, (parameter.label,))


@provider("change_id")
def change_id(world: ForeignWorld) -> ForeignObject:
    """A change in the foreign programme's history (变更记录)."""
    from xiandao.programmes.models import ChangeKind, ProgrammeChange

    change = ProgrammeChange.objects.create(
        programme=foreign_programme(world),
        actor_label=f"{world.marker}管理员",
        kind=ChangeKind.PARAMETER_CHANGED,
        subject="parameter:grades.AA.threshold",
        subject_label=f"{world.marker}分档线",
        before={"value": 100, "default": True},
        after={"value": 105, "default": False},
        reason=f"{world.marker}理由",
        state_after={},
    )
    return ForeignObject(str(change.pk), (change.subject_label, change.reason))


@provider("indicator_code")
def indicator_code(world: ForeignWorld) -> ForeignObject:
    """An indicator of the foreign programme's framework (指标体系 editor)."""
    from decimal import Decimal

    from xiandao.programmes.models import Dimension, Indicator, IndicatorFramework

    framework, _ = IndicatorFramework.objects.get_or_create(programme=foreign_programme(world))
    dimension, _ = Dimension.objects.get_or_create(
        framework=framework, code="probe", defaults={"name": f"{world.marker}维度", "weight": Decimal(1)}
    )
    indicator, _ = Indicator.objects.get_or_create(
        dimension=dimension,
        code="probe-indicator",
        defaults={
            "name": f"{world.marker}指标",
            "unit": "家",
            "direction": 1,
            "definition": f"{world.marker}解释",
            "formula": "计数",
            "source": "reported",
            "weight": Decimal(1),
        },
    )
    return ForeignObject(indicator.code, (indicator.name, dimension.name))
