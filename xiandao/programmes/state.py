"""A programme in the database read back as definition data: for export, and for spotting edits.

``programme_definition_data`` rebuilds the whole definition (every key of the schema, defaults
included) from the rows, in a fixed number of queries. The export command validates it into a
:class:`ProgrammeDefinition` and writes YAML; the loader compares it with a file, and
fingerprints it together with how each task's units were resolved (``programme_state_text``),
so an admin's edit of either is noticed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter, ValidationError

from xiandao.programmes.definition import DefinitionError, Problem, ProgrammeDefinition, canonical_text
from xiandao.programmes.definition.checks import Loc, format_path
from xiandao.programmes.definition.invariants import parameter_label as invariants_parameter_label
from xiandao.programmes.definition.schema import EarlierValues, EarlierWeight
from xiandao.programmes.definition.schema import Lifecycle as LifecycleSchema

from .definition.values import plain_number
from .models import (
    IndicatorFramework,
    Lifecycle,
    Programme,
    RuleParameter,
    Target,
    Task,
    TaskKind,
    TaxonomyVersion,
)
from .records import target_record, task_record

#: Placeholder left in ``Lifecycle.structure`` where a :class:`RuleParameter` row holds the number.
PARAMETER_REF = "$parameter"
PARAMETER_KEYS = frozenset({"value", "unit", "default", "note"})


def _none_if_blank(value: str) -> str | None:
    return value or None


def programme_definition_data(programme: Programme) -> dict[str, Any]:
    """The programme as plain definition data with every key, in the schema's order."""
    # The published programme: an upload's drafts and retired rows are not part of it.
    documents = list(programme.documents.public())
    document_codes = {doc.pk: doc.code for doc in documents}
    versions = list(
        TaxonomyVersion.objects.filter(programme=programme)
        .order_by("position")
        .prefetch_related("kinds", "fields__kind", "fields__directions", "fields__places")
    )
    tasks = list(
        Task.objects.public()
        .filter(programme=programme)
        .order_by("position")
        .select_related("parent")
        .prefetch_related("units")
    )
    return {
        "schema_version": programme.schema_version,
        "code": programme.code,
        "name": programme.name,
        "level": programme.level,
        "jurisdiction": programme.jurisdiction.code,
        "admin_organisation": programme.admin_organisation.code,
        "admin_note": _none_if_blank(programme.admin_note),
        "period": {
            "start_year": programme.start_year,
            "end_year": programme.end_year,
            "note": _none_if_blank(programme.period_note),
        },
        "documents": [
            {
                "code": doc.code,
                "title": doc.title,
                "number": _none_if_blank(doc.number),
                "issuer": doc.issuer,
                "date": doc.date,
                "source_file": doc.source_file,
                "notes": _none_if_blank(doc.notes),
            }
            for doc in documents
        ],
        "taxonomy_versions": [_version_data(version, document_codes) for version in versions],
        "zone_types": [
            {
                "code": zone_type.code,
                "name": zone_type.name,
                "definition": zone_type.definition,
                "industry_stage": _none_if_blank(zone_type.industry_stage),
                "document": document_codes[zone_type.document_id],
            }
            for zone_type in programme.zone_types.order_by("position")
        ],
        "lifecycle": lifecycle_data(programme, document_codes),
        "indicator_framework": _framework_data(programme, document_codes),
        "targets": [
            _target_data(target, document_codes)
            for target in Target.objects.public().filter(programme=programme).order_by("position")
        ],
        "actions": [
            {
                "code": task.code,
                "document": document_codes[task.document_id],
                "name": task.title,
                "article": _none_if_blank(task.article),
            }
            for task in tasks
            if task.kind == TaskKind.HEADING
        ],
        "tasks": [_task_data(task, document_codes) for task in tasks if task.kind == TaskKind.TASK],
        "monitoring": _monitoring_data(programme),
        "supervision": _supervision_data(programme),
    }


def _supervision_data(programme: Programme) -> dict[str, Any] | None:
    """The supervision section as the file wrote it (stored as plain JSON); None when not given."""
    from .definition.schema import Supervision

    if not programme.supervision:
        return None
    return Supervision.model_validate(programme.supervision).model_dump(mode="python")


def _monitoring_data(programme: Programme) -> dict[str, Any] | None:
    """The monitoring section as the file wrote it (stored as plain JSON); None when not given."""
    from .definition.schema import Monitoring

    if not programme.monitoring:
        return None
    return Monitoring.model_validate(programme.monitoring).model_dump(mode="python")


def _version_data(version: TaxonomyVersion, document_codes: dict[int, str]) -> dict[str, Any]:
    return {
        "code": version.code,
        "name": version.name,
        "valid_from": version.valid_from,
        "document": document_codes[version.document_id],
        "notes": _none_if_blank(version.notes),
        "kinds": [{"code": kind.code, "name": kind.name} for kind in version.kinds.all()],
        "fields": [
            {
                "code": field.code,
                "name": field.name,
                "order": field.order,
                "kind": field.kind.code,
                "directions": [direction.name for direction in field.directions.all()],
                "places": [place.name for place in field.places.all()],
                "notes": _none_if_blank(field.notes),
                "replaces": list(field.replaces),
            }
            for field in version.fields.all()
        ],
    }


def _target_data(target: Target, document_codes: dict[int, str]) -> dict[str, Any]:
    return target_record(target, document_code=document_codes[target.document_id])


def _task_data(task: Task, document_codes: dict[int, str]) -> dict[str, Any]:
    return task_record(task, document_code=document_codes[task.document_id])


def lifecycle_data(programme: Programme, document_codes: dict[int, str]) -> dict[str, Any]:
    lifecycle = Lifecycle.objects.filter(programme=programme).first()
    if lifecycle is None or not lifecycle.specified:
        return {"specified": False, "note": lifecycle.note if lifecycle else ""}
    parameters = {p.key: p for p in RuleParameter.objects.filter(programme=programme)}
    data: dict[str, Any] = {
        "specified": True,
        "kind": lifecycle.kind,
        "document": document_codes.get(lifecycle.document_id or 0),
        "article": lifecycle.article,
    }
    data.update(parameters_inserted(lifecycle.structure, parameters))
    # The schema's own key order, whatever order the JSON column returned the keys in.
    try:
        return dict(TypeAdapter(LifecycleSchema).validate_python(data).model_dump(mode="python"))
    except ValidationError:
        return data


def _framework_data(programme: Programme, document_codes: dict[int, str]) -> dict[str, Any]:
    framework = (
        IndicatorFramework.objects.filter(programme=programme)
        .prefetch_related("dimensions__indicators")
        .first()
    )
    if framework is None or not framework.specified:
        return {"specified": False, "note": framework.note if framework else ""}
    return {
        "specified": True,
        "document": document_codes.get(framework.document_id or 0),
        "article": framework.article,
        "note": _none_if_blank(framework.note),
        "dimensions": [
            {
                "code": dimension.code,
                "name": dimension.name,
                "weight": dimension.weight.normalize(),
                "default": dimension.is_default,
                "earlier": _earlier(dimension.earlier, EarlierWeight),
                "indicators": [
                    {
                        "code": indicator.code,
                        "name": indicator.name,
                        "unit": indicator.unit,
                        "direction": indicator.direction,
                        "definition": indicator.definition,
                        "formula": indicator.formula,
                        "source": indicator.source,
                        "measure": _none_if_blank(indicator.measure),
                        "weight": indicator.weight.normalize(),
                        "default": indicator.is_default,
                        "target_required": indicator.target_required,
                        "anchor": _none_if_blank(indicator.anchor),
                        "from_year": indicator.from_year,
                        "retired_from": indicator.retired_from,
                        "earlier": _earlier(indicator.earlier, EarlierValues),
                    }
                    for indicator in dimension.indicators.all()
                ],
            }
            for dimension in framework.dimensions.all()
        ],
    }


def _earlier(
    entries: list[dict[str, Any]], model: type[EarlierValues] | type[EarlierWeight]
) -> list[dict[str, Any]]:
    """Stored ``earlier`` values in the schema's keys and types, by year (as a file's would be read)."""
    out = []
    for entry in sorted(entries or [], key=lambda e: int(e["before_year"])):
        try:
            item = model.model_validate(entry, strict=False).model_dump(mode="python")
        except ValidationError:
            item = dict(entry)  # left as stored: the export's validation names the problem
        if item.get("weight") is not None:
            item["weight"] = Decimal(str(item["weight"])).normalize()
        out.append(item)
    return out


# ---------------------------------------------------------------------------------------------
# Rule parameters: numbers lifted out of the life-cycle structure into rows, and put back
# ---------------------------------------------------------------------------------------------


def parameter_key(path: tuple[str, ...]) -> str:
    return ".".join(path)


def parameters_extracted(structure: Any, path: tuple[str, ...] = ()) -> tuple[Any, dict[str, dict[str, Any]]]:
    """Split a life-cycle dump into its structure (parameters replaced by references) and its parameters.

    A list item is named by its ``code`` or ``grade`` (``grades.AA.threshold``), so a key reads
    as what it means and stays stable when items are reordered.
    """
    found: dict[str, dict[str, Any]] = {}
    if isinstance(structure, dict):
        if set(structure) == PARAMETER_KEYS:
            key = parameter_key(path)
            found[key] = dict(structure)
            return {PARAMETER_REF: key}, found
        out: dict[str, Any] = {}
        for name, value in structure.items():
            out[name], inner = parameters_extracted(value, (*path, str(name)))
            found.update(inner)
        return out, found
    if isinstance(structure, list):
        items = []
        for index, item in enumerate(structure):
            label = str(index)
            if isinstance(item, dict):
                label = str(item.get("code") or item.get("grade") or index)
            value, inner = parameters_extracted(item, (*path, label))
            items.append(value)
            found.update(inner)
        return items, found
    return structure, found


def parameters_inserted(structure: Any, parameters: dict[str, RuleParameter]) -> Any:
    """The structure with each reference replaced by its parameter row's values."""
    if isinstance(structure, dict):
        if set(structure) == {PARAMETER_REF}:
            row = parameters.get(structure[PARAMETER_REF])
            if row is None:
                return {"value": None, "unit": None, "default": True, "note": "参数缺失"}
            return {
                "value": row.value,
                "unit": _none_if_blank(row.unit),
                "default": row.is_default,
                "note": _none_if_blank(row.note),
            }
        return {name: parameters_inserted(value, parameters) for name, value in structure.items()}
    if isinstance(structure, list):
        return [parameters_inserted(item, parameters) for item in structure]
    return structure


def parameter_label(key: str, structure: dict[str, Any]) -> str:
    """A Chinese name for a parameter key, as the rules page and the admin show it (``invariants``)."""
    removal_grade = (structure.get("consequences") or {}).get("removal", {}).get("grade", "")
    return invariants_parameter_label(key, removal_grade)


# ---------------------------------------------------------------------------------------------
# Resolution, state and export
# ---------------------------------------------------------------------------------------------


def programme_resolution(programme: Programme) -> dict[str, dict[str, list[list[Any]]]]:
    """For each task, each unit as written with the names of the organisations it resolved to."""
    tasks = (
        Task.objects.public()
        .filter(programme=programme, kind=TaskKind.TASK)
        .prefetch_related("units__organisations")
    )
    resolution: dict[str, dict[str, list[list[Any]]]] = {}
    for task in tasks:
        roles: dict[str, list[list[Any]]] = {}
        for role, units in task.units_by_role().items():  # the file's order: lead, cooperating
            for unit in units:
                names = sorted(organisation.name for organisation in unit.organisations.all())
                roles.setdefault(str(role), []).append([unit.written, names])
        resolution[task.code] = roles
    return resolution


def state_text(definition: dict[str, Any], resolution: dict[str, Any]) -> str:
    """A programme state as YAML in the schema's order, to show differences: definition, then resolution."""
    return canonical_text({"definition": definition, "resolution": resolution}, sort_keys=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # 0.25 and 0.2500 are one weight: the same number, the same text.
        return plain_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"不能序列化的值：{value!r}")


def state_hash(definition: dict[str, Any], resolution: dict[str, Any]) -> str:
    """A fingerprint of a programme state (JSON, for speed; the YAML text is only for showing differences)."""
    text = json.dumps(
        {"definition": definition, "resolution": resolution},
        sort_keys=True,
        ensure_ascii=False,
        default=_json_default,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def programme_state_hash(programme: Programme) -> str:
    return state_hash(programme_definition_data(programme), programme_resolution(programme))


def programme_definition_export(programme: Programme) -> ProgrammeDefinition:
    """The programme as a valid definition; :class:`DefinitionError` if edits made it inconsistent."""
    data = programme_definition_data(programme)
    try:
        return ProgrammeDefinition.model_validate(data)
    except ValidationError as exc:
        where = f"数据库中的培育计划“{programme.code}”"
        problems = []
        for error in exc.errors():
            issues = (error.get("ctx") or {}).get("issues")
            if error["type"] == "definition_inconsistent" and issues:
                problems += [
                    Problem(where, None, format_path(tuple(loc)), message) for loc, message in issues
                ]
            else:
                loc: Loc = tuple(error["loc"])
                problems.append(Problem(where, None, format_path(loc), error["msg"]))
        raise DefinitionError(problems) from exc
