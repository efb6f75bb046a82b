"""Public read API of the programmes: anyone may read public policy (``auth=None`` on every operation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from . import selectors
from .definition import schema as definition
from .definition.values import plain_data
from .models import PolicyDocument, Programme, TaskUnit, UnitRole
from .records import target_record, task_record
from .state import programme_definition_data

ROUTER_PREFIX = "/programmes"
router = Router(tags=["培育计划（公开）"])


class DocumentOut(Schema):
    code: str
    title: str
    number: str | None
    issuer: str
    date: dt.date | None
    source_file: str


class ProgrammeOut(Schema):
    code: str
    name: str
    level: str
    jurisdiction: str
    jurisdiction_name: str
    admin_organisation: str
    start_year: int
    end_year: int
    documents: list[DocumentOut]


#: A target as the definition file writes it: the same model for the API, the export and the state.
TargetOut = definition.Target


class OrganisationRef(Schema):
    code: str
    name: str


class UnitOut(Schema):
    written: str
    fan_out: str | None
    organisations: list[OrganisationRef]


class TaskOut(definition.Task):
    """A task as the definition file writes it, with the organisations each unit resolved to."""

    lead_units: list[UnitOut]
    cooperating_units: list[UnitOut]


class FieldOut(Schema):
    version: str
    version_name: str
    valid_from: dt.date | None
    code: str
    name: str
    order: int
    kind: str
    kind_name: str
    directions: list[str]
    places: list[str]


def _document(doc: PolicyDocument) -> dict[str, Any]:
    return {
        "code": doc.code,
        "title": doc.title,
        "number": doc.number or None,
        "issuer": doc.issuer,
        "date": doc.date,
        "source_file": doc.source_file,
    }


def _programme(programme: Programme, documents: list[PolicyDocument]) -> dict[str, Any]:
    return {
        "code": programme.code,
        "name": programme.name,
        "level": programme.level,
        "jurisdiction": programme.jurisdiction.code,
        "jurisdiction_name": programme.jurisdiction.name,
        "admin_organisation": programme.admin_organisation.name,
        "start_year": programme.start_year,
        "end_year": programme.end_year,
        "documents": [_document(d) for d in documents],
    }


@router.get("", response=list[ProgrammeOut], auth=None, url_name="programme_list", summary="培育计划列表")
def programme_list(request: HttpRequest) -> list[dict[str, Any]]:
    programmes = list(selectors.programme_list_public())
    documents: dict[int, list[PolicyDocument]] = {}
    for doc in PolicyDocument.objects.public().filter(programme__in=programmes).order_by("position"):
        documents.setdefault(doc.programme_id, []).append(doc)
    return [_programme(p, documents.get(p.pk, [])) for p in programmes]


@router.get(
    "/{programme_code}", response=ProgrammeOut, auth=None, url_name="programme_get", summary="一个培育计划"
)
def programme_get(request: HttpRequest, programme_code: str) -> dict[str, Any]:
    programme = selectors.programme_get_public(programme_code)
    return _programme(programme, list(programme.documents.public().order_by("position")))


@router.get(
    "/{programme_code}/targets",
    response=list[TargetOut],
    auth=None,
    url_name="programme_targets",
    summary="目标（含年份、指标、目标值、单位、限定、范围、口径及所属文件）",
)
def programme_targets(request: HttpRequest, programme_code: str, document: str = "") -> list[dict[str, Any]]:
    programme = selectors.programme_get_public(programme_code)
    doc = selectors.document_get(programme, document) if document else None
    return [
        target_record(t, document_code=t.document.code)
        for t in selectors.target_list(programme, document=doc)
    ]


def _units(units: list[TaskUnit]) -> list[dict[str, Any]]:
    return [
        {
            "written": u.written,
            "fan_out": u.fan_out or None,
            "organisations": [{"code": o.code, "name": o.name} for o in u.organisations.all()],
        }
        for u in units
    ]


@router.get(
    "/{programme_code}/tasks",
    response=list[TaskOut],
    auth=None,
    url_name="programme_tasks",
    summary="任务（单位照录原文，并附对应机构）",
)
def programme_tasks(
    request: HttpRequest, programme_code: str, organisation: str = "", document: str = ""
) -> list[dict[str, Any]]:
    programme = selectors.programme_get_public(programme_code)
    doc = selectors.document_get(programme, document) if document else None
    who = selectors.organisation_filter(programme, organisation)
    if organisation and not who.active:
        return []
    out = []
    for task in selectors.task_list(programme, organisation=who, document=doc):
        units = task.units_by_role()
        out.append(
            {
                **task_record(task, document_code=task.document.code),
                "lead_units": _units(units[UnitRole.LEAD]),
                "cooperating_units": _units(units[UnitRole.COOPERATING]),
            }
        )
    return out


@router.get(
    "/{programme_code}/fields",
    response=list[FieldOut],
    auth=None,
    url_name="programme_fields",
    summary="领域分类（各版本；?version= 只取一个版本）",
)
def programme_fields(request: HttpRequest, programme_code: str, version: str = "") -> list[dict[str, Any]]:
    programme = selectors.programme_get_public(programme_code)
    out = []
    for v in selectors.taxonomy_version_list(programme):
        if version and v.code != version:
            continue
        for f in selectors.taxonomy_fields(v):
            out.append(
                {
                    "version": v.code,
                    "version_name": v.name,
                    "valid_from": v.valid_from,
                    "code": f.code,
                    "name": f.name,
                    "order": f.order,
                    "kind": f.kind.code,
                    "kind_name": f.kind.name,
                    "directions": [d.name for d in f.directions.all()],
                    "places": [p.name for p in f.places.all()],
                }
            )
    return out


@router.get(
    "/{programme_code}/indicators",
    auth=None,
    url_name="programme_indicators",
    summary="指标体系（文件未规定时 specified 为 false）",
)
def programme_indicators(request: HttpRequest, programme_code: str) -> dict[str, Any]:
    programme = selectors.programme_get_public(programme_code)
    framework = programme_definition_data(programme)["indicator_framework"]
    return dict(plain_data(framework))


@router.get(
    "/{programme_code}/rules",
    auth=None,
    url_name="programme_rules",
    summary="生命周期规则及参数（文件未规定时 specified 为 false）",
)
def programme_rules(request: HttpRequest, programme_code: str) -> dict[str, Any]:
    programme = selectors.programme_get_public(programme_code)
    lifecycle = programme_definition_data(programme)["lifecycle"]
    return dict(plain_data(lifecycle))


def _settings_router() -> None:
    """计划设置 and 变更记录 (authenticated; ``settings_api``) under the same prefix."""
    from .settings_api import router as settings_router

    router.add_router("", settings_router)


_settings_router()
