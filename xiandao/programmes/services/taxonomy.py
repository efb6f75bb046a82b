"""动态调整: a new dated taxonomy version made from the latest one by adding, renaming, merging and retiring fields.

The new version is checked by the loader's own rules: it is appended to the programme's
definition and the whole is validated (``ProgrammeDefinition``), so a name colliding with
another field, a date not after the previous version, or an unknown kind is refused with the
sentence a definition file would get. Old versions are never rewritten: a zone keeps the field
of the version it applied under. A field keeping its code is the same field (renamed or not);
a merged field names the codes it takes over in ``replaces``.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from pydantic import ValidationError as PydanticError

from xiandao.core.providers import Providers
from xiandao.programmes.definition import ProgrammeDefinition
from xiandao.programmes.definition.checks import format_path

from ..models import (
    ChangeKind,
    Field,
    FieldDirection,
    FieldKind,
    FieldPlace,
    PolicyDocument,
    Programme,
    ProgrammeChange,
    TaxonomyVersion,
)
from ..permissions import ProgrammeAction, programme_policy
from ..state import programme_definition_data
from .history import ChangeRefused, change_baseline, change_record, reason_required, revert_handler_register

SUBJECT_PREFIX = "taxonomy:"

#: Field proposals accepted from uploaded documents, offered as the start of a new version:
#: ``provider(programme) -> list[FieldProposal]`` (the policies app registers one).
field_proposal_providers: Providers[Any] = Providers("programmes.field_proposals")


@dataclass(frozen=True)
class FieldProposal:
    name: str
    directions: tuple[str, ...] = ()
    source: str = ""  # the document it was accepted from


@dataclass(frozen=True)
class FieldAdd:
    code: str
    name: str
    kind: str
    directions: tuple[str, ...] = ()


@dataclass
class VersionPlan:
    """What changes from the latest version: renames by code, merges (sources → into), retirements, additions."""

    renames: dict[str, str] = field(default_factory=dict)
    merges: dict[str, str] = field(default_factory=dict)  # source code → code it merges into
    retired: set[str] = field(default_factory=set)
    added: list[FieldAdd] = field(default_factory=list)


def _latest(data: dict[str, Any]) -> dict[str, Any]:
    versions: list[dict[str, Any]] = data["taxonomy_versions"]
    return versions[-1]


def version_planned(base: dict[str, Any], plan: VersionPlan) -> list[dict[str, Any]]:
    """The fields of the new version: the base's, with the plan applied, numbered again in order."""
    fields = {f["code"]: copy.deepcopy(f) for f in base["fields"]}
    for source, into in plan.merges.items():
        if source == into or source not in fields or into not in fields:
            raise ChangeRefused(f"不能把“{source}”并入“{into}”：两者须是上一版本中不同的领域。")
        if into in plan.merges or into in plan.retired:
            raise ChangeRefused(f"“{into}”本身被并入或停用，不能作为并入的目标。")
    out: list[dict[str, Any]] = []
    for code, item in fields.items():
        if code in plan.retired or code in plan.merges:
            continue
        if code in plan.renames:
            item["name"] = plan.renames[code].strip()
        sources = [s for s, into in plan.merges.items() if into == code]
        item["replaces"] = sources
        for source in sources:
            item["directions"] += [d for d in fields[source]["directions"] if d not in item["directions"]]
            item["places"] += [p for p in fields[source]["places"] if p not in item["places"]]
        item["notes"] = None
        out.append(item)
    for add in plan.added:
        out.append(
            {
                "code": add.code.strip(),
                "name": add.name.strip(),
                "order": 0,
                "kind": add.kind,
                "directions": list(add.directions),
                "places": [],
                "notes": None,
                "replaces": [],
            }
        )
    for order, item in enumerate(out, start=1):
        item["order"] = order
    return out


def _refusal(exc: PydanticError) -> ValidationError:
    """The schema's findings as Chinese sentences naming the field, as the loader reports them."""
    messages: list[str] = []
    for error in exc.errors():
        issues = (error.get("ctx") or {}).get("issues")
        if error["type"] == "definition_inconsistent" and issues:
            messages += [message for _, message in issues]
        else:
            messages.append(f"{format_path(tuple(error['loc']))}：{error['msg']}")
    return ValidationError(messages)


def taxonomy_version_create(
    *,
    user: Any,
    programme: Programme,
    code: str,
    name: str,
    valid_from: dt.date | None,
    document_code: str,
    plan: VersionPlan,
    reason: str,
) -> ProgrammeChange:
    """Add a new dated version after the latest one; earlier versions (and their zones) stay as they are."""
    reason = reason_required(reason)
    with transaction.atomic():
        programme = programme_policy.get_or_404(user, ProgrammeAction.CHANGE, pk=programme.pk)
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        data = programme_definition_data(programme)
        base = _latest(data)
        new = {
            "code": code.strip(),
            "name": name.strip(),
            "valid_from": valid_from,
            "document": document_code,
            "notes": None,
            "kinds": copy.deepcopy(base["kinds"]),
            "fields": version_planned(base, plan),
        }
        data["taxonomy_versions"].append(new)
        try:
            ProgrammeDefinition.model_validate(data)
        except PydanticError as exc:
            raise _refusal(exc) from exc
        baseline = change_baseline(programme)
        version = _version_write(programme, new, base)
        mapping = [list(row) for row in version_mapping(base["fields"], new["fields"])]
        return change_record(
            actor=user,
            programme=programme,
            kind=ChangeKind.TAXONOMY_VERSION_ADDED,
            subject=f"{SUBJECT_PREFIX}{version.code}",
            subject_label=f"领域分类“{version.name}”",
            before=None,
            after={
                "version": version.code,
                "valid_from": new["valid_from"] and str(new["valid_from"]),
                "mapping": mapping,
            },
            reason=reason,
            baseline=baseline,
            audit_code="programmes.taxonomy_version.created",
        )


def _version_write(programme: Programme, new: dict[str, Any], base: dict[str, Any]) -> TaxonomyVersion:
    document = PolicyDocument.objects.get(programme=programme, code=new["document"])
    position = programme.taxonomy_versions.count()
    version = TaxonomyVersion.objects.create(
        programme=programme,
        code=new["code"],
        name=new["name"],
        valid_from=new["valid_from"],
        document=document,
        position=position,
    )
    kinds = {
        kind["code"]: FieldKind.objects.create(
            version=version, code=kind["code"], name=kind["name"], position=i
        )
        for i, kind in enumerate(new["kinds"])
    }
    # Places keep the division or park they were matched to in the version they come from.
    old_places = {
        (p.field.code, p.name): p
        for p in FieldPlace.objects.filter(
            field__version__programme=programme, field__version__code=base["code"]
        ).select_related("field")
    }
    for item in new["fields"]:
        row = Field.objects.create(
            version=version,
            code=item["code"],
            name=item["name"],
            order=item["order"],
            kind=kinds[item["kind"]],
            replaces=item["replaces"],
        )
        FieldDirection.objects.bulk_create(
            [FieldDirection(field=row, name=d, position=k) for k, d in enumerate(item["directions"])]
        )
        places = []
        for k, place in enumerate(item["places"]):
            source = next((p for (c, n), p in old_places.items() if n == place), None)
            places.append(
                FieldPlace(
                    field=row,
                    name=place,
                    position=k,
                    jurisdiction_id=source.jurisdiction_id if source else None,
                    park_id=source.park_id if source else None,
                )
            )
        FieldPlace.objects.bulk_create(places)
    return version


def version_mapping(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """How each old field maps to the new version: (old name, how, new name); new fields last."""
    by_code = {f["code"]: f for f in new}
    merged = {source: f for f in new for source in f.get("replaces", [])}
    rows: list[tuple[str, str, str]] = []
    for item in old:
        if item["code"] in by_code:
            now = by_code[item["code"]]["name"]
            rows.append((item["name"], "更名" if now != item["name"] else "沿用", now))
        elif item["code"] in merged:
            rows.append((item["name"], "并入", merged[item["code"]]["name"]))
        else:
            rows.append((item["name"], "停用", ""))
    kept = {f["code"] for f in old}
    rows += [("", "新增", f["name"]) for f in new if f["code"] not in kept]
    return rows


def taxonomy_mappings(
    programme: Programme,
) -> list[tuple[TaxonomyVersion, TaxonomyVersion, list[tuple[str, str, str]]]]:
    """Each version with the one before it and how the older fields map to the newer (生命与健康 → 生命科学)."""
    versions = list(programme.taxonomy_versions.order_by("position").prefetch_related("fields"))
    out = []
    for before, after in itertools.pairwise(versions):
        old = [{"code": f.code, "name": f.name} for f in before.fields.all()]
        new = [{"code": f.code, "name": f.name, "replaces": f.replaces} for f in after.fields.all()]
        out.append((before, after, version_mapping(old, new)))
    return out


def field_proposals(programme: Programme) -> list[FieldProposal]:
    """Accepted field proposals from uploaded documents, as the starting point of a new version."""
    return [proposal for provider in field_proposal_providers for proposal in provider(programme)]


def _revert(*, user: Any, programme: Programme, change: ProgrammeChange, reason: str) -> ProgrammeChange:
    code = change.subject.removeprefix(SUBJECT_PREFIX)
    version = TaxonomyVersion.objects.filter(programme=programme, code=code).first()
    if version is None:
        raise ChangeRefused(f"领域分类版本“{code}”已不存在。")
    if programme.taxonomy_versions.filter(position__gt=version.position).exists():
        raise ChangeRefused("此后已有更新的分类版本，请先撤销较新的版本。")
    baseline = change_baseline(programme)
    try:
        with transaction.atomic():
            Field.objects.filter(version=version).delete()  # a zone's field protects it (and the version)
            version.delete()
    except ProtectedError as exc:
        raise ChangeRefused(f"已有先导区按“{version.name}”的领域申报或创建，不能撤销该版本。") from exc
    return change_record(
        actor=user,
        programme=programme,
        kind=ChangeKind.REVERTED,
        subject=change.subject,
        subject_label=change.subject_label,
        before=change.after,
        after=None,
        reason=reason,
        baseline=baseline,
        reverts=change,
        audit_code="programmes.change.reverted",
    )


revert_handler_register(SUBJECT_PREFIX, _revert)
