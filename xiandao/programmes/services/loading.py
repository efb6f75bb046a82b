"""Load a programme definition into the database: all or nothing, idempotent, and never over an admin's edit.

The order of work:

1. Check what the schema cannot: the jurisdiction and the admin organisation exist, and every
   unit a task names resolves within the programme's jurisdiction. Every finding is collected
   and reported at once, with file, line and field, before anything is written.
2. If the programme is loaded already, compare the database with the file. The same: nothing is
   written. Different, and the database still holds what the loader last wrote (its fingerprint
   matches ``Programme.definition_hash``): the file is applied. Different, and someone edited the
   database since: refuse and show the difference, unless ``force`` is given.
3. Write everything in one transaction, upserting by code so rows other apps point at (a zone's
   field) keep their identity, then store the new fingerprint and one audit entry.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from django.db import models, transaction
from django.utils import timezone

from xiandao.accounts.models import Organisation
from xiandao.core.audit import audit_record
from xiandao.geo.models import Jurisdiction
from xiandao.geo.selectors import jurisdiction_descendant_ids
from xiandao.programmes.definition import LocatedDefinition, Problem, ProgrammeDefinition
from xiandao.programmes.definition.values import plain_data

from ..models import (
    Programme,
    UnitRole,
)
from ..state import (
    programme_definition_data,
    programme_resolution,
    state_hash,
    state_text,
)
from .errors import ProgrammeEdited, ProgrammeLoadRefused
from .resolution import Resolution, UnitResolver, organisations_created
from .writing import Frame, Writer

M = TypeVar("M", bound=models.Model)
Outcome = Literal["created", "updated", "unchanged"]


@dataclass
class ProgrammeLoadResult:
    programme: Programme
    outcome: Outcome
    organisations_created: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def programme_load(
    *, actor: Any, located: LocatedDefinition, force: bool = False, reason: str = ""
) -> ProgrammeLoadResult:
    """Load one checked definition file; see the module docstring for the rules."""
    defn = located.definition
    programme = Programme.objects.filter(code=defn.code).first()
    file_definition = defn.model_dump(mode="python")
    if programme is not None:
        db_definition = programme_definition_data(programme)
        db_resolution = programme_resolution(programme)
        edited = state_hash(db_definition, db_resolution) != programme.definition_hash
        if not edited and state_hash(db_definition, {}) == state_hash(file_definition, {}):
            # The second and later runs end here: no unit is resolved, nothing is written.
            return ProgrammeLoadResult(programme, "unchanged", counts=_counts(defn))
    frame = _frame(located)
    if programme is not None and edited:
        file_resolution = _file_resolution(defn, frame)
        if state_hash(file_definition, file_resolution) == state_hash(db_definition, db_resolution):
            # Someone edited the database into exactly what the file says: adopt it.
            Programme.objects.filter(pk=programme.pk).update(
                definition_hash=state_hash(db_definition, db_resolution)
            )
            return ProgrammeLoadResult(programme, "unchanged", counts=_counts(defn))
        if not force:
            diff = _diff(
                state_text(db_definition, db_resolution),
                state_text(file_definition, file_resolution),
                located.filename,
            )
            raise ProgrammeEdited(programme, diff)
    return _write(actor=actor, located=located, frame=frame, programme=programme, force=force, reason=reason)


def _diff(db_state: str, file_state: str, filename: str) -> str:
    lines = difflib.unified_diff(
        db_state.splitlines(keepends=True),
        file_state.splitlines(keepends=True),
        fromfile="数据库（上次加载后已被修改）",
        tofile=filename,
        n=5,
    )
    return "".join(lines)


def _counts(defn: ProgrammeDefinition) -> dict[str, int]:
    return {
        "documents": len(defn.documents),
        "taxonomy_versions": len(defn.taxonomy_versions),
        "fields": sum(len(v.fields) for v in defn.taxonomy_versions),
        "targets": len(defn.targets),
        "tasks": len(defn.tasks),
    }


# ---------------------------------------------------------------------------------------------
# Checks against the database, all reported at once
# ---------------------------------------------------------------------------------------------


def _frame(located: LocatedDefinition) -> Frame:
    defn = located.definition
    problems: list[Problem] = []
    jurisdiction = Jurisdiction.objects.filter(code=defn.jurisdiction).first()
    if jurisdiction is None:
        problems.append(
            located.problem(
                ("jurisdiction",),
                f"行政区划代码{defn.jurisdiction}不存在（请先运行 python manage.py load_reference）",
            )
        )
        raise ProgrammeLoadRefused(problems)
    admin = Organisation.objects.filter(code=defn.admin_organisation).first()
    if admin is None or admin.jurisdiction_id not in jurisdiction_descendant_ids([jurisdiction.pk]):
        problems.append(
            located.problem(
                ("admin_organisation",),
                f"机构代码“{defn.admin_organisation}”不存在于{jurisdiction.name}的机构中",
            )
        )
    resolver = UnitResolver(jurisdiction)
    units: dict[tuple[int, str, int], Resolution] = {}
    for i, task in enumerate(defn.tasks):
        for role, names in ((UnitRole.LEAD, task.lead), (UnitRole.COOPERATING, task.cooperating)):
            for j, written in enumerate(names):
                resolution = resolver.resolve(written)
                if resolution is None:
                    like = resolver.suggestions(written)
                    hint = (
                        f"；最接近的是：{'、'.join(like)}"
                        if like
                        else "；请先在机构参考数据中登记该单位或其别名"
                    )
                    problems.append(
                        located.problem(
                            ("tasks", i, str(role), j),
                            f"未知单位“{written}”（在{jurisdiction.name}的机构及别名中找不到）{hint}",
                        )
                    )
                else:
                    units[(i, str(role), j)] = resolution
    if problems:
        raise ProgrammeLoadRefused(problems)
    assert admin is not None
    return Frame(jurisdiction, admin, units)


def _file_resolution(defn: ProgrammeDefinition, frame: Frame) -> dict[str, dict[str, list[list[Any]]]]:
    """What the file's units would resolve to, in the shape of ``programme_resolution``."""
    resolution: dict[str, dict[str, list[list[Any]]]] = {}
    for i, task in enumerate(defn.tasks):
        roles: dict[str, list[list[Any]]] = {}
        for role, names in ((UnitRole.LEAD, task.lead), (UnitRole.COOPERATING, task.cooperating)):
            for j, written in enumerate(names):
                roles.setdefault(str(role), []).append([written, frame.units[(i, str(role), j)].names])
        resolution[task.code] = roles
    return resolution


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def _write(
    *,
    actor: Any,
    located: LocatedDefinition,
    frame: Frame,
    programme: Programme | None,
    force: bool,
    reason: str,
) -> ProgrammeLoadResult:
    defn = located.definition
    specs = [spec for resolution in frame.units.values() for spec in resolution.to_create]
    created = organisations_created(actor=actor, specs=specs)
    values = {
        "name": defn.name,
        "level": defn.level,
        "jurisdiction": frame.jurisdiction,
        "admin_organisation": frame.admin_organisation,
        "admin_note": defn.admin_note or "",
        "start_year": defn.period.start_year,
        "end_year": defn.period.end_year,
        "period_note": defn.period.note or "",
        "schema_version": defn.schema_version,
        "source_file": located.filename,
        "loaded_at": timezone.now(),
        "monitoring": plain_data(defn.monitoring.model_dump(mode="python")) if defn.monitoring else {},
        "supervision": plain_data(defn.supervision.model_dump(mode="python")) if defn.supervision else {},
    }
    outcome: Outcome = "updated"
    if programme is None:
        programme = Programme.objects.create(code=defn.code, **values)
        outcome = "created"
    else:
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        for name, value in values.items():
            setattr(programme, name, value)
        programme.save()
    Writer(programme, located, frame).run(created)
    programme.definition_hash = state_hash(
        programme_definition_data(programme), programme_resolution(programme)
    )
    programme.save(update_fields=["definition_hash"])
    counts = _counts(defn)
    audit_record(
        actor=actor,
        action=f"programmes.programme.{'loaded' if outcome == 'created' else 'reloaded'}",
        target=programme,
        after={
            "file": located.filename,
            **counts,
            "organisations_created": sorted(o.name for o in created.values()),
            "overwrote_edits": force,
        },
        reason=reason,
    )
    return ProgrammeLoadResult(
        programme, outcome, organisations_created=sorted(o.name for o in created.values()), counts=counts
    )
