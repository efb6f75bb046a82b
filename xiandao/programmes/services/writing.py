"""Write a checked programme definition into its rows, upserting by code (used by the loader).

Split from ``loading``: that module decides whether and what to load; this one writes a
definition already checked and resolved, inside the loader's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from django.db import models
from django.db.models import ProtectedError

from xiandao.accounts.models import Organisation
from xiandao.geo.models import Jurisdiction, Park
from xiandao.geo.selectors import jurisdiction_descendant_ids
from xiandao.programmes.definition import LocatedDefinition, Problem
from xiandao.programmes.definition.schema import (
    AcceptanceLifecycle,
    GradedLifecycle,
)
from xiandao.programmes.definition.schema import (
    IndicatorFramework as FrameworkSchema,
)

from ..models import (
    Dimension,
    Field,
    FieldDirection,
    FieldKind,
    FieldPlace,
    Indicator,
    IndicatorFramework,
    Lifecycle,
    PolicyDocument,
    Programme,
    RuleParameter,
    Target,
    Task,
    TaskKind,
    TaskUnit,
    TaxonomyVersion,
    UnitRole,
    ZoneType,
)
from ..state import (
    parameter_label,
    parameters_extracted,
)
from .errors import ProgrammeLoadRefused
from .resolution import Resolution

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Frame:
    jurisdiction: Jurisdiction
    admin_organisation: Organisation
    units: dict[tuple[int, str, int], Resolution]  # (task index, role, position) → resolution


def _upsert(model: type[M], existing: dict[str, M], key: str, values: dict[str, Any]) -> M:
    """Update the row ``existing[key]`` where it differs from ``values``, or create it."""
    obj = existing.pop(key, None)
    if obj is None:
        created: M = model._default_manager.create(**values)
        return created
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj


def _replace_rows(
    current: list[Any], wanted: list[Any], key: Callable[[Any], Any], create: Callable[[], object]
) -> None:
    """Replace a parent's child rows when their content differs (directions, places, units)."""
    if [key(row) for row in current] == wanted:
        return
    for row in current:
        row.delete()
    create()


def _directions_create(field: Field, names: list[str]) -> None:
    FieldDirection.objects.bulk_create(
        [FieldDirection(field=field, name=name, position=k) for k, name in enumerate(names)]
    )


def _places_create(field: Field, names: list[str], lookup: dict[str, dict[str, Any]]) -> None:
    FieldPlace.objects.bulk_create(
        [
            FieldPlace(field=field, name=name, position=k, **lookup.get(name, {}))
            for k, name in enumerate(names)
        ]
    )


class Writer:
    """Writes one definition over one programme row, remembering rows the file no longer has."""

    def __init__(self, programme: Programme, located: LocatedDefinition, frame: Frame) -> None:
        self.programme = programme
        self.located = located
        self.defn = located.definition
        self.filename = located.filename
        self.frame = frame
        self.documents: dict[str, PolicyDocument] = {}
        self.leftovers: list[Iterable[models.Model]] = []

    def run(self, created_organisations: dict[str, Organisation]) -> None:
        self.documents_write()
        self.taxonomy_write()
        self.zone_types_write()
        self.lifecycle_write()
        self.framework_write()
        self.targets_write()
        self.tasks_write(created_organisations)
        # Leftovers go last and dependants first, so nothing still points at what is deleted.
        for rows in reversed(self.leftovers):
            for row in rows:
                try:
                    row.delete()
                except ProtectedError as exc:
                    message = (
                        f"文件中已删去的“{row}”仍被其他数据引用（如先导区），不能删除；请先调整引用它的数据"
                    )
                    raise ProgrammeLoadRefused([Problem(self.filename, None, "", message)]) from exc

    def documents_write(self) -> None:
        # Drafts and retired rows of uploads are not the file's to overwrite or delete.
        existing = {doc.code: doc for doc in self.programme.documents.public()}
        for position, doc in enumerate(self.defn.documents):
            self.documents[doc.code] = _upsert(
                PolicyDocument,
                existing,
                doc.code,
                {
                    "programme_id": self.programme.pk,
                    "code": doc.code,
                    "title": doc.title,
                    "number": doc.number or "",
                    "issuer": doc.issuer,
                    "date": doc.date,
                    "source_file": doc.source_file,
                    "notes": doc.notes or "",
                    "position": position,
                },
            )
        self.leftovers.append(list(existing.values()))

    def taxonomy_write(self) -> None:
        versions = {v.code: v for v in self.programme.taxonomy_versions.all()}
        old_kinds: list[FieldKind] = []
        old_fields: list[Field] = []
        places = _place_lookup(self.frame.jurisdiction)
        for position, spec in enumerate(self.defn.taxonomy_versions):
            self._keep_used_version(versions.get(spec.code), spec, position)
            version = _upsert(
                TaxonomyVersion,
                versions,
                spec.code,
                {
                    "programme_id": self.programme.pk,
                    "code": spec.code,
                    "name": spec.name,
                    "valid_from": spec.valid_from,
                    "document_id": self.documents[spec.document].pk,
                    "notes": spec.notes or "",
                    "position": position,
                },
            )
            kinds_existing = {k.code: k for k in version.kinds.all()}
            kinds = {
                kind.code: _upsert(
                    FieldKind,
                    kinds_existing,
                    kind.code,
                    {"version_id": version.pk, "code": kind.code, "name": kind.name, "position": index},
                )
                for index, kind in enumerate(spec.kinds)
            }
            old_kinds += kinds_existing.values()
            fields_existing = {f.code: f for f in version.fields.prefetch_related("directions", "places")}
            for item in spec.fields:
                current = fields_existing.get(item.code)
                current_directions = list(current.directions.all()) if current else []
                current_places = list(current.places.all()) if current else []
                row = _upsert(
                    Field,
                    fields_existing,
                    item.code,
                    {
                        "version_id": version.pk,
                        "code": item.code,
                        "name": item.name,
                        "order": item.order,
                        "kind_id": kinds[item.kind].pk,
                        "notes": item.notes or "",
                        "replaces": list(item.replaces),
                    },
                )
                _replace_rows(
                    current_directions,
                    list(item.directions),
                    lambda r: r.name,
                    partial(_directions_create, row, item.directions),
                )
                _replace_rows(
                    current_places,
                    list(item.places),
                    lambda r: r.name,
                    partial(_places_create, row, item.places, places),
                )
            old_fields += fields_existing.values()
        self.leftovers.append(list(versions.values()))
        self.leftovers.append(old_kinds)
        self.leftovers.append(old_fields)

    def _keep_used_version(self, version: TaxonomyVersion | None, spec: Any, index: int) -> None:
        """A version zones were created under is never rewritten: fields change by a new version.

        Directions, places and notes may still be corrected; codes, names, kinds and order may not.
        """
        if version is None or not Field.objects.filter(version=version, pilot_zones__isnull=False).exists():
            return
        current = [
            (f.code, f.name, f.kind.code, f.order)
            for f in version.fields.select_related("kind").order_by("order")
        ]
        wanted = sorted(((f.code, f.name, f.kind, f.order) for f in spec.fields), key=lambda f: f[3])
        if current != wanted:
            raise ProgrammeLoadRefused(
                [
                    self.located.problem(
                        ("taxonomy_versions", index, "fields"),
                        f"分类版本“{version.name}”已有先导区按其领域申报，不能改写其领域；"
                        "领域调整请新增一个分类版本（新版本不改写旧版本）",
                    )
                ]
            )

    def zone_types_write(self) -> None:
        existing = {z.code: z for z in self.programme.zone_types.all()}
        for position, spec in enumerate(self.defn.zone_types):
            _upsert(
                ZoneType,
                existing,
                spec.code,
                {
                    "programme_id": self.programme.pk,
                    "code": spec.code,
                    "name": spec.name,
                    "definition": spec.definition,
                    "industry_stage": spec.industry_stage or "",
                    "document_id": self.documents[spec.document].pk,
                    "position": position,
                },
            )
        self.leftovers.append(list(existing.values()))

    def lifecycle_write(self) -> None:
        spec = self.defn.lifecycle
        values: dict[str, Any] = {
            "specified": False,
            "kind": "",
            "document": None,
            "article": "",
            "note": "",
            "structure": {},
        }
        parameters: dict[str, dict[str, Any]] = {}
        if isinstance(spec, GradedLifecycle | AcceptanceLifecycle):
            dumped = spec.model_dump(mode="json", exclude={"specified", "kind", "document", "article"})
            structure, parameters = parameters_extracted(dumped)
            values.update(
                specified=True,
                kind=spec.kind,
                document=self.documents[spec.document],
                article=spec.article,
                structure=structure,
            )
        else:
            values["note"] = spec.note
        Lifecycle.objects.update_or_create(programme=self.programme, defaults=values)
        existing = {p.key: p for p in self.programme.rule_parameters.all()}
        for position, (key, parameter) in enumerate(parameters.items()):
            _upsert(
                RuleParameter,
                existing,
                key,
                {
                    "programme_id": self.programme.pk,
                    "key": key,
                    "label": parameter_label(key, values["structure"]),
                    "value": parameter["value"],
                    "unit": parameter["unit"] or "",
                    "is_default": parameter["default"],
                    "note": parameter["note"] or "",
                    "position": position,
                },
            )
        self.leftovers.append(list(existing.values()))

    def framework_write(self) -> None:
        spec = self.defn.indicator_framework
        if not isinstance(spec, FrameworkSchema):
            framework, _ = IndicatorFramework.objects.update_or_create(
                programme=self.programme,
                defaults={"specified": False, "document": None, "article": "", "note": spec.note},
            )
            self.leftovers.append(list(framework.dimensions.all()))
            return
        framework, _ = IndicatorFramework.objects.update_or_create(
            programme=self.programme,
            defaults={
                "specified": True,
                "document": self.documents[spec.document],
                "article": spec.article,
                "note": spec.note or "",
            },
        )
        dimensions = {d.code: d for d in framework.dimensions.all()}
        old_indicators: list[Indicator] = []
        for position, dim in enumerate(spec.dimensions):
            dimension = _upsert(
                Dimension,
                dimensions,
                dim.code,
                {
                    "framework_id": framework.pk,
                    "code": dim.code,
                    "name": dim.name,
                    "weight": Decimal(dim.weight),
                    "is_default": dim.default,
                    "position": position,
                    "earlier": [entry.model_dump(mode="json") for entry in dim.earlier],
                },
            )
            indicators = {i.code: i for i in dimension.indicators.all()}
            for index, ind in enumerate(dim.indicators):
                _upsert(
                    Indicator,
                    indicators,
                    ind.code,
                    {
                        "dimension_id": dimension.pk,
                        "code": ind.code,
                        "name": ind.name,
                        "unit": ind.unit,
                        "direction": ind.direction,
                        "definition": ind.definition,
                        "formula": ind.formula,
                        "source": ind.source,
                        "measure": ind.measure or "",
                        "weight": Decimal(ind.weight),
                        "is_default": ind.default,
                        "target_required": ind.target_required,
                        "anchor": ind.anchor or "",
                        "position": index,
                        "from_year": ind.from_year,
                        "retired_from": ind.retired_from,
                        "earlier": [
                            entry.model_dump(mode="json", exclude_none=True) for entry in ind.earlier
                        ],
                    },
                )
            old_indicators += indicators.values()
        self.leftovers.append(list(dimensions.values()))
        self.leftovers.append(old_indicators)

    def targets_write(self) -> None:
        existing = {t.code: t for t in self.programme.targets.public()}
        for position, spec in enumerate(self.defn.targets):
            _upsert(
                Target,
                existing,
                spec.code,
                {
                    "programme_id": self.programme.pk,
                    "code": spec.code,
                    "document_id": self.documents[spec.document].pk,
                    "year": spec.year,
                    "metric": spec.metric,
                    "value": Decimal(str(spec.value)),
                    "unit": spec.unit or "",
                    "qualifier": spec.qualifier,
                    "strive": spec.strive,
                    "cumulative": spec.cumulative,
                    "scope": spec.scope,
                    "quote": spec.quote,
                    "basis": spec.basis,
                    "measure": spec.measure or "",
                    "field_code": spec.field or "",
                    "note": spec.note or "",
                    "retired_from": spec.retired_from,
                    "retired_reason": spec.retired_reason or "",
                    "position": position,
                },
            )
        self.leftovers.append(list(existing.values()))

    def tasks_write(self, created: dict[str, Organisation]) -> None:
        existing = {t.code: t for t in self.programme.tasks.public().prefetch_related("units")}
        current_units = {code: list(task.units.all()) for code, task in existing.items()}
        rows: dict[str, Task] = {}
        position = 0
        for action in self.defn.actions:
            rows[action.code] = _upsert(
                Task,
                existing,
                action.code,
                {
                    "programme_id": self.programme.pk,
                    "code": action.code,
                    "kind": TaskKind.HEADING,
                    "document_id": self.documents[action.document].pk,
                    "title": action.name,
                    "quote": "",
                    "article": action.article or "",
                    "field_codes": [],
                    "position": position,
                },
            )
            position += 1
        for i, spec in enumerate(self.defn.tasks):
            task = _upsert(
                Task,
                existing,
                spec.code,
                {
                    "programme_id": self.programme.pk,
                    "code": spec.code,
                    "kind": TaskKind.TASK,
                    "document_id": self.documents[spec.document].pk,
                    "title": spec.task,
                    "quote": spec.quote,
                    "article": spec.article or "",
                    "field_codes": list(spec.fields),
                    "retired_from": spec.retired_from,
                    "retired_reason": spec.retired_reason or "",
                    "position": position,
                },
            )
            rows[spec.code] = task
            position += 1
            wanted = [(str(UnitRole.LEAD), n) for n in spec.lead] + [
                (str(UnitRole.COOPERATING), n) for n in spec.cooperating
            ]
            _replace_rows(
                current_units.get(spec.code, []),
                wanted,
                lambda u: (u.role, u.written),
                partial(self._units_create, task, i, spec.lead, spec.cooperating, created),
            )
        # Parents second: a task may name a parent written after it.
        parents = {a.code: None for a in self.defn.actions} | {t.code: t.parent for t in self.defn.tasks}
        for code, parent in parents.items():
            parent_id = rows[parent].pk if parent else None
            if rows[code].parent_id != parent_id:
                rows[code].parent_id = parent_id
                rows[code].save(update_fields=["parent"])
        # A removed heading may still be the parent of a removed task: unhook before deleting.
        leftover = list(existing.values())
        Task.objects.filter(pk__in=[t.pk for t in leftover]).update(parent=None)
        self.leftovers.append(leftover)

    def _units_create(
        self,
        task: Task,
        index: int,
        lead: list[str],
        cooperating: list[str],
        created: dict[str, Organisation],
    ) -> None:
        for role, names in ((UnitRole.LEAD, lead), (UnitRole.COOPERATING, cooperating)):
            for position, written in enumerate(names):
                resolution = self.frame.units[(index, str(role), position)]
                unit = TaskUnit.objects.create(
                    task=task, role=role, written=written, position=position, fan_out=resolution.fan_out
                )
                organisations = [o.pk for o in resolution.organisations]
                organisations += [created[spec.code].pk for spec in resolution.to_create]
                if organisations:
                    unit.organisations.set(organisations)


def _place_lookup(jurisdiction: Jurisdiction) -> dict[str, dict[str, Any]]:
    """Place names (重点布局) that name a division or a park of the jurisdiction, to link them."""
    ids = jurisdiction_descendant_ids([jurisdiction.pk])
    lookup: dict[str, dict[str, Any]] = {}
    for division in Jurisdiction.objects.filter(pk__in=ids):
        lookup[division.name] = {"jurisdiction": division}
    parks = Park.objects.filter(locations__jurisdiction_id__in=ids).distinct()
    for park in parks:
        for name in (park.name, park.short_name):
            if name:
                lookup[name] = {"park": park}
    return lookup
