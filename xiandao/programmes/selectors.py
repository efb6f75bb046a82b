"""Reads of programmes for the public pages and the API, each prefetched so its query count stays constant.

Programmes are public policy: every selector here may be called for an anonymous visitor, so
each shows only the published documents, targets and tasks (``RecordQuerySet.public``): what an
upload not yet published added (drafts), or a withdrawn one retired, never appears here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from xiandao.accounts.models import Organisation, OrganisationAlias
from xiandao.accounts.selectors import organisation_resolve
from xiandao.core.providers import Providers
from xiandao.core.queries import distinct_values

from .highlight import Quote
from .models import (
    Dimension,
    Field,
    Indicator,
    IndicatorFramework,
    Lifecycle,
    PolicyDocument,
    Programme,
    RecordStatus,
    RuleParameter,
    Target,
    Task,
    TaskKind,
    TaskUnit,
    TaxonomyVersion,
    ZoneType,
)
from .permissions import ProgrammeAction, programme_policy


def programme_codes() -> list[str]:
    return list(Programme.objects.order_by("code").values_list("code", flat=True))


def programme_codes_and_names() -> list[tuple[str, str]]:
    """Code and name of every programme, for the header's programme switch."""
    return list(Programme.objects.order_by("jurisdiction__code", "code").values_list("code", "name"))


def _count(model: type, **filters: object) -> Coalesce:
    """A correlated COUNT subquery per programme (joins would multiply each other's rows)."""
    rows = (
        model.objects.public()  # type: ignore[attr-defined]
        .filter(programme=OuterRef("pk"), **filters)
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def programme_list_public() -> QuerySet[Programme]:
    """Every programme with the counts the list shows."""
    return (
        Programme.objects.select_related("jurisdiction", "admin_organisation")
        .annotate(
            document_count=_count(PolicyDocument),
            target_count=_count(Target),
            task_count=_count(Task, kind=TaskKind.TASK),
        )
        .order_by("jurisdiction__code", "code")
    )


def programme_get_public(code: str) -> Programme:
    """The programme with this code, or 404."""
    programme = programme_list_public().filter(code=code).first()
    if programme is None:
        raise Http404("未找到该培育计划。")
    return programme


def document_list(programme: Programme) -> list[PolicyDocument]:
    return list(
        programme.documents.public()
        .annotate(
            target_count=Count("targets", filter=Q(targets__status=RecordStatus.ACTIVE), distinct=True),
            task_count=Count(
                "tasks", filter=Q(tasks__kind=TaskKind.TASK, tasks__status=RecordStatus.ACTIVE), distinct=True
            ),
        )
        .order_by("position")
    )


def document_get(programme: Programme, code: str) -> PolicyDocument:
    document = programme.documents.public().filter(code=code).first()
    if document is None:
        raise Http404("未找到该政策文件。")
    return document


def taxonomy_version_list(programme: Programme) -> list[TaxonomyVersion]:
    return list(
        programme.taxonomy_versions.select_related("document")
        .annotate(field_count=Count("fields"))
        .order_by("position")
    )


def taxonomy_fields(version: TaxonomyVersion) -> list[Field]:
    """A version's fields in order, with kind, directions and places (with the division or park they name)."""
    return list(
        version.fields.select_related("kind")
        .prefetch_related("directions", "places__jurisdiction", "places__park")
        .order_by("order")
    )


def target_list(
    programme: Programme, *, document: PolicyDocument | None = None, q: str = "", year: int | None = None
) -> QuerySet[Target]:
    """Targets in document order, filtered; grouped by year by the caller."""
    targets = programme.targets.public().select_related("document").order_by("position")
    if document is not None:
        targets = targets.filter(document=document)
    if year is not None:
        targets = targets.filter(year=year)
    if q:
        targets = targets.filter(Q(metric__icontains=q) | Q(quote__icontains=q))
    return targets


#: What a registry count counts, in words (GLOSSARY.md, "What is counted").
REGISTRY_LABELS = {
    "enterprise": "企业",
    "platform": "平台",
    "talent_team": "高层次人才团队",
    "technology": "技术",
    "standard": "标准",
    "product": "产品",
    "project": "项目",
    "fund": "基金",
    "scenario": "应用场景",
    "scenario_lab": "未来场景实验室",
    "scenario_test_zone": "未来场景试验区",
    "science_park": "未来产业科技园",
    "pilot_zone": "未来产业先导区",
}
REGISTRY_TAGS = {
    "provincial": "省级",
    "national": "国家级",
    "listed": "上市",
    "leading": "头部",
    "high_tech": "高新技术",
    "little_giant": "专精特新“小巨人”",
    "specialised": "专精特新",
    "tech_sme": "科技型中小",
    "new_species": "新物种",
    "benchmark": "标杆",
    "major": "重大",
    "key": "关键",
    "flagship": "标志性",
    "first_of_kind": "“三首”",
    "verification": "概念验证和中试验证",
    "innovation_centre": "创新中心",
    "new_rd_institution": "新型研发机构",
}


def measure_label(measure: str, indicator_names: dict[str, str]) -> str:
    """A measure in words: what a registry count counts, or the framework's indicator by name."""
    if measure.startswith("registry:"):
        _, entity, *tag = measure.split(":")
        qualifier = REGISTRY_TAGS.get(tag[0], "") if tag else ""
        return f"登记库计数：{qualifier}{REGISTRY_LABELS.get(entity, '登记库对象')}"
    return f"指标：{indicator_names.get(measure, '评价指标')}"


def measure_labels(programme: Programme) -> dict[str, str]:
    """Each measure the programme's targets and indicators name, in words (the code only for administrators)."""
    indicators = dict(
        Indicator.objects.filter(dimension__framework__programme=programme).values_list("code", "name")
    )
    measures = distinct_values(programme.targets.public().exclude(measure=""), "measure")
    measures += distinct_values(
        Indicator.objects.filter(dimension__framework__programme=programme).exclude(measure=""), "measure"
    )
    return {measure: measure_label(measure, indicators) for measure in measures}


def target_years(programme: Programme) -> list[int]:
    return [y for y in distinct_values(programme.targets.public(), "year") if y is not None]


@dataclass(frozen=True)
class UnitChoice:
    """One responsible unit to offer in the filter: an organisation once, whatever the documents call it."""

    name: str  # the organisation's full name, or a collective phrase as written (各市人民政府)
    also: tuple[str, ...] = ()  # how the documents write it, when that differs (省科技厅)


@dataclass
class OrganisationFilter:
    """What a visitor typed in the organisation filter, and what it was resolved to."""

    typed: str
    organisation: Organisation | None = None
    written: str = ""  # a unit matched only as written (先导区所在的开发区)
    suggestions: list[UnitChoice] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.organisation or self.written)


def organisation_filter(programme: Programme, typed: str) -> OrganisationFilter:
    """Resolve a typed name (full name or alias) within the programme's jurisdiction, like the loader."""
    typed = typed.strip()
    result = OrganisationFilter(typed)
    if not typed:
        return result
    result.organisation = organisation_resolve(typed, within=programme.jurisdiction)
    if result.organisation is None:
        if _public_units(programme).filter(written=typed).exists():
            result.written = typed
        else:
            result.suggestions = [
                choice
                for choice in unit_choices(programme)
                if any(typed in name or name in typed for name in (choice.name, *choice.also))
            ][:5]
    return result


def _public_units(programme: Programme) -> QuerySet[TaskUnit]:
    return TaskUnit.objects.filter(task__programme=programme, task__status=RecordStatus.ACTIVE)


def unit_choices(programme: Programme) -> list[UnitChoice]:
    """Every unit the programme's tasks name, one entry per organisation.

    A unit that resolves to one organisation is offered under that organisation's full name,
    with the short names the documents use beside it; a collective phrase (fanned out to many
    organisations, or to none) is offered as written. So 省经信厅 and 浙江省经济和信息化厅 are one
    suggestion, not two.
    """
    units = _public_units(programme).prefetch_related("organisations").order_by("written")
    entries: dict[str, list[str]] = {}  # name offered → the other ways the documents write it
    for unit in units:
        organisations = list(unit.organisations.all())
        if len(organisations) == 1 and not unit.fan_out:
            also = entries.setdefault(organisations[0].name, [])
            if unit.written != organisations[0].name and unit.written not in also:
                also.append(unit.written)
        else:
            entries.setdefault(unit.written, [])
    return [UnitChoice(name, tuple(also)) for name, also in sorted(entries.items())]


def unit_most_named(programme: Programme) -> str:
    """The unit the programme's tasks name most often, as an example for the filter."""
    row = (
        _public_units(programme)
        .filter(fan_out="")
        .values("written")
        .annotate(n=Count("pk"))
        .order_by("-n", "written")
        .first()
    )
    return str(row["written"]) if row else ""


def task_list(
    programme: Programme,
    *,
    organisation: OrganisationFilter | None = None,
    role: str = "",
    document: PolicyDocument | None = None,
    q: str = "",
) -> QuerySet[Task]:
    """Tasks (not headings) with their units and organisations, filtered by who is responsible."""
    tasks = (
        programme.tasks.public()
        .filter(kind=TaskKind.TASK)
        .select_related("document", "parent", "parent__parent")
        .prefetch_related(task_unit_prefetch())
        .order_by("position")
    )
    if document is not None:
        tasks = tasks.filter(document=document)
    if q:
        tasks = tasks.filter(Q(title__icontains=q) | Q(quote__icontains=q))
    if organisation is not None and organisation.active:
        units = TaskUnit.objects.all()
        if organisation.organisation is not None:
            units = units.filter(organisations=organisation.organisation)
        else:
            units = units.filter(written=organisation.written)
        if role:
            units = units.filter(role=role)
        tasks = tasks.filter(pk__in=units.values("task_id"))
    return tasks


def organisation_aliases(organisation: Organisation) -> list[str]:
    return list(OrganisationAlias.objects.filter(organisation=organisation).values_list("alias", flat=True))


def lifecycle_get(programme: Programme) -> Lifecycle | None:
    return Lifecycle.objects.select_related("document").filter(programme=programme).first()


def lifecycle_definition(programme: Programme) -> Any:
    """The programme's life cycle as definition data (``schema.Lifecycle``), parameters filled in; None if absent.

    The pilot-zone services read the application's conditions and limits, and the life-cycle
    switches, from it (``lifecycle.switches_from_lifecycle``).
    """
    from pydantic import TypeAdapter, ValidationError

    from .definition.schema import Lifecycle as LifecycleSchema
    from .state import lifecycle_data

    if not Lifecycle.objects.filter(programme=programme).exists():
        return None
    codes = dict(PolicyDocument.objects.filter(programme=programme).values_list("pk", "code"))
    try:
        return TypeAdapter(LifecycleSchema).validate_python(lifecycle_data(programme, codes))
    except ValidationError:
        return None


def rule_parameters(programme: Programme) -> dict[str, RuleParameter]:
    return {p.key: p for p in programme.rule_parameters.order_by("position")}


def framework_get(programme: Programme) -> IndicatorFramework | None:
    return (
        IndicatorFramework.objects.select_related("document")
        .prefetch_related("dimensions__indicators")
        .filter(programme=programme)
        .first()
    )


DocumentTextSource = Callable[[PolicyDocument], "str | None"]
#: Other apps' sources of documents' texts (the policies app: confirmed uploads). They are asked
#: first, so the text an admin confirmed targets from is the one their quotes are highlighted in.
document_text_sources: Providers[DocumentTextSource] = Providers("programmes.document_text")
document_text_source_register = document_text_sources.register

#: Other apps' lists of a programme's zones for its overview page (the pilot_zones app), so
#: programmes never imports the apps built on it.
programme_zone_listers: Providers[Callable[[Programme], Iterable[Any]]] = Providers(
    "programmes.overview.zones"
)


def programme_zones(programme: Programme) -> list[Any]:
    """The zones of a programme, as the apps that keep zones list them."""
    return [zone for lister in programme_zone_listers for zone in lister(programme)]


def document_text(document: PolicyDocument) -> str | None:
    """The document's full text: a registered source (an upload), else the policy folder, else None.

    The folder's texts are the government's and never stored in the repository; ``source_file``
    must stay inside the folder.
    """
    for source in document_text_sources:
        text = source(document)
        if text is not None:
            return text
    return _document_text_from_folder(document)


def _document_text_from_folder(document: PolicyDocument) -> str | None:
    folder = Path(settings.POLICY_DOCUMENTS_DIR)
    try:
        root = folder.resolve(strict=True)
        path = (root / document.source_file).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not path.is_relative_to(root) or not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def document_quotes(document: PolicyDocument) -> list[Quote]:
    """The quotes of a document's targets and tasks, in that order, each with its anchor."""
    quotes = [
        Quote(
            f"target-{t.code}", t.quote, f"目标：{t.year or '未注明'}年 {t.metric} {t.value_display}{t.unit}"
        )
        for t in document.targets.public().order_by("position")
    ]
    quotes += [
        Quote(f"task-{t.code}", t.quote, f"任务：{t.title}")
        for t in document.tasks.public().filter(kind=TaskKind.TASK).order_by("position")
    ]
    return quotes


def programme_list() -> QuerySet[Programme]:
    """Every programme, by code (the caller narrows it)."""
    return Programme.objects.order_by("code")


def programme_list_by_codes(codes: Iterable[str]) -> QuerySet[Programme]:
    """The programmes with these codes (those loaded; a missing code is simply absent)."""
    return Programme.objects.filter(code__in=list(codes))


def programme_find(code: str) -> Programme | None:
    """The programme with this code, if it is loaded."""
    return Programme.objects.filter(code=code).first()


def programme_list_administered_by(user: Any) -> QuerySet[Programme]:
    """The programmes a user administers (may change), with their jurisdiction, by code."""
    return (
        programme_policy.instances_for(user, ProgrammeAction.CHANGE)
        .select_related("jurisdiction")
        .order_by("code")
    )


def programme_content_type_id() -> int:
    """The content type a programme-scoped role assignment names (Django caches it after the first read)."""
    return ContentType.objects.get_for_model(Programme).pk


def programme_jurisdiction_ids(programme_ids: Iterable[int]) -> dict[int, int]:
    """Each of these programmes' jurisdiction, programme id → jurisdiction id (one query; unknown ids absent)."""
    return dict(Programme.objects.filter(pk__in=list(programme_ids)).values_list("pk", "jurisdiction_id"))


def field_latest(programme: Programme, code: str) -> Field | None:
    """The field ``code`` as the programme's latest taxonomy version defines it, if any."""
    return (
        Field.objects.filter(version__programme=programme, code=code)
        .order_by("-version__position")
        .select_related("version")
        .first()
    )


def field_list_for_programme(programme: Programme) -> QuerySet[Field]:
    """Every field of every taxonomy version of the programme, latest version first, in taxonomy order."""
    return Field.objects.filter(version__programme=programme).order_by("-version__position", "order")


def field_list_in_jurisdictions(jurisdiction_ids: Iterable[int]) -> QuerySet[Field]:
    """The fields of the programmes of these jurisdictions: by programme code, latest version first."""
    return Field.objects.filter(version__programme__jurisdiction_id__in=list(jurisdiction_ids)).order_by(
        "version__programme__code", "-version__position", "order"
    )


def field_find(jurisdiction_ids: Iterable[int], text: str) -> Field | None:
    """The field coded or named ``text`` in a programme of these jurisdictions, the latest version's first."""
    return (
        Field.objects.filter(version__programme__jurisdiction_id__in=list(jurisdiction_ids))
        .filter(Q(code=text) | Q(name=text))
        .order_by("-version__position")
        .first()
    )


def target_list_measured(programme: Programme) -> QuerySet[Target]:
    """The programme's targets that name a measure (a registry count or an indicator), in order."""
    return programme.targets.exclude(measure="").order_by("position")


def indicator_list_measured(programme: Programme) -> QuerySet[Indicator]:
    """The indicators of the programme's framework that name a measure."""
    return Indicator.objects.filter(dimension__framework__programme=programme).exclude(measure="")


def zone_type_get(programme: Programme, code: str) -> ZoneType | None:
    """The programme's zone type ``code``, if it defines one."""
    return ZoneType.objects.filter(programme=programme, code=code).first()


def draft_record_ids(*, target_ids: Any, task_ids: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Of these targets and tasks (ids or a subquery of ids), those still drafts, by primary key.

    A draft is what an upload's accepted proposals wrote before the version was published.
    """
    targets = (
        Target.objects.filter(pk__in=target_ids, status=RecordStatus.DRAFT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    tasks = (
        Task.objects.filter(pk__in=task_ids, status=RecordStatus.DRAFT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return tuple(targets), tuple(tasks)


MeasureCountProvider = Callable[[Programme], "dict[str, dict[str, object]]"]
#: Another app (the registries) counts what targets measure; programmes never imports it.
measure_count_providers: Providers[MeasureCountProvider] = Providers("programmes.measure_counts")
measure_count_provider_register = measure_count_providers.register


def target_counts(programme: Programme) -> dict[str, dict[str, object]]:
    """Target code → what its measure counts today (label, count, url), from the registered providers."""
    found: dict[str, dict[str, object]] = {}
    for provider in measure_count_providers:
        found.update(provider(programme))
    return found


def zone_status_labels(programme: Programme) -> dict[str, str]:
    """A zone status in the programme's own words: the name of the life-cycle step that is that status."""
    lifecycle = Lifecycle.objects.filter(programme=programme).only("structure").first()
    stages = (lifecycle.structure or {}).get("stages", []) if lifecycle else []
    return {str(s["zone_status"]): str(s["name"]) for s in stages if s.get("zone_status")}


def framework_for_year(programme: Programme, year: int) -> list[tuple[Dimension, list[Indicator]]]:
    """The indicator framework evaluated in ``year``, as the evaluation runs read it.

    Each dimension with its indicators in use that year (added by then, not yet retired), every
    weight, definition and formula as that year had it: a change that took effect from a later
    year is undone on these unsaved copies from the definition's own ``earlier`` values, so
    2025 keeps the framework it had when a weight changes from 2026. Two queries.
    """
    from .definition.dated import values_for_year

    framework = (
        IndicatorFramework.objects.filter(programme=programme, specified=True)
        .prefetch_related(
            Prefetch("dimensions", queryset=Dimension.objects.order_by("position")),
            Prefetch("dimensions__indicators", queryset=Indicator.objects.order_by("position")),
        )
        .first()
    )
    if framework is None:
        return []
    result = []
    for dimension in framework.dimensions.all():
        dimension.weight = Decimal(
            str(values_for_year({"weight": dimension.weight, "earlier": dimension.earlier}, year)["weight"])
        )
        indicators = []
        for indicator in dimension.indicators.all():
            if not indicator.in_use(year):
                continue
            values = values_for_year(
                {
                    "weight": indicator.weight,
                    "definition": indicator.definition,
                    "formula": indicator.formula,
                    "earlier": indicator.earlier,
                },
                year,
            )
            indicator.weight = Decimal(str(values["weight"]))
            indicator.definition = values["definition"]
            indicator.formula = values["formula"]
            indicators.append(indicator)
        result.append((dimension, indicators))
    return result


def task_unit_prefetch() -> Prefetch:
    """A task's units, leads first in the document's order, with their organisations (``prefetch_related``)."""
    return Prefetch(
        "units", queryset=TaskUnit.objects.order_by("role", "position").prefetch_related("organisations")
    )


def task_list_all() -> QuerySet[Task]:
    """The tasks (not headings) of every programme; the caller narrows them."""
    return Task.objects.filter(kind=TaskKind.TASK)


def programme_ids_with_units_of(organisation_ids: Iterable[int]) -> QuerySet[Any]:
    """The ids of the programmes one of whose tasks these organisations lead or join (a subquery)."""
    return Task.objects.filter(units__organisations__in=list(organisation_ids)).values("programme_id")


def task_lock(task_id: int) -> Task:
    """The task, its row locked until the caller's transaction ends (writes about one task wait in turn)."""
    return Task.objects.select_for_update().select_related("programme").get(pk=task_id)
