"""Resolve the units a task names, as written, to organisation records within the programme's jurisdiction.

A named unit (省科技厅, 市工信局) resolves through the organisation's name or alias, within the
programme's jurisdiction, so 市科技局 means Yangzhou's bureau in Yangzhou's programme and
Fuzhou's in Fuzhou's. A collective phrase listed under ``collective_units`` in
``accounts/reference/organisations.yaml`` fans out: 各市人民政府 to the government of each city
of the province (created from the geo reference where missing), 功能区管委会 to the committee of
each park. Phrases whose members the document does not list (先导区所在的开发区, a task force's
member units) are kept as written with no organisation yet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml
from django.utils import timezone

from xiandao.accounts.models import Organisation, OrganisationKind
from xiandao.accounts.selectors import organisation_names_like, organisation_resolve
from xiandao.accounts.services import REFERENCE_FILE, organisation_create
from xiandao.geo.models import Jurisdiction, JurisdictionLevel, Park, ParkLocation, active_on
from xiandao.geo.selectors import jurisdiction_descendant_ids

from ..models import FanOut

#: Departments a collective phrase may name, with the name and short name a city gives them.
DEPARTMENTS: dict[str, tuple[str, str, str]] = {
    # department key: (full-name suffix, alias suffix, code prefix)
    "development_and_reform": ("发展和改革委员会", "发展改革委", "drc"),
}


@dataclass(frozen=True)
class CollectiveRule:
    """How a collective phrase fans out (``collective_units`` of the organisations reference)."""

    phrase: str
    fans_out_to: str
    kind: str
    department: str = ""
    note: str = ""


@cache
def collective_rules() -> dict[str, CollectiveRule]:
    """The collective phrases of the organisations reference, by phrase."""
    data = yaml.safe_load(REFERENCE_FILE.read_text(encoding="utf-8")) or {}
    rules = data.get("collective_units", {}) if isinstance(data, dict) else {}
    return {
        phrase: CollectiveRule(
            phrase=phrase,
            fans_out_to=str(rule["fans_out_to"]),
            kind=str(rule["kind"]),
            department=str(rule.get("department", "")),
            note=str(rule.get("note", "")),
        )
        for phrase, rule in rules.items()
    }


@dataclass(frozen=True)
class OrganisationSpec:
    """An organisation a collective phrase needs that is not in the database yet."""

    code: str
    name: str
    kind: str
    jurisdiction: Jurisdiction
    park: Park | None = None
    aliases: tuple[str, ...] = ()


@dataclass
class Resolution:
    """What one written unit means: existing organisations, ones to create, and the fan-out rule."""

    written: str
    fan_out: str = ""
    organisations: list[Organisation] = field(default_factory=list)
    to_create: list[OrganisationSpec] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return sorted([o.name for o in self.organisations] + [s.name for s in self.to_create])


class UnitResolver:
    """Resolves written units within one jurisdiction, each distinct phrase once."""

    def __init__(self, jurisdiction: Jurisdiction) -> None:
        self.jurisdiction = jurisdiction
        self._cache: dict[str, Resolution | None] = {}
        self._descendants: set[int] | None = None

    def resolve(self, written: str) -> Resolution | None:
        """The resolution of ``written``, or None when no organisation of the jurisdiction bears that name."""
        if written not in self._cache:
            self._cache[written] = self._resolve(written)
        return self._cache[written]

    def suggestions(self, written: str) -> list[str]:
        """The closest known names and aliases, to say "did you mean"."""
        return organisation_names_like(written, within=self.jurisdiction)

    def _resolve(self, written: str) -> Resolution | None:
        rule = collective_rules().get(written)
        if rule is not None:
            return self._fan_out(written, rule)
        organisation = organisation_resolve(written, within=self.jurisdiction)
        if organisation is None:
            return None
        return Resolution(written, organisations=[organisation])

    # -- collective phrases ------------------------------------------------------------------

    def _descendant_ids(self) -> set[int]:
        if self._descendants is None:
            self._descendants = jurisdiction_descendant_ids([self.jurisdiction.pk])
        return self._descendants

    def _divisions(self, level: str) -> list[Jurisdiction]:
        return list(Jurisdiction.objects.filter(pk__in=self._descendant_ids(), level=level).order_by("code"))

    def _fan_out(self, written: str, rule: CollectiveRule) -> Resolution:
        resolution = Resolution(written, fan_out=rule.fans_out_to)
        if rule.fans_out_to in (FanOut.CITY, FanOut.COUNTY):
            level = JurisdictionLevel.CITY if rule.fans_out_to == FanOut.CITY else JurisdictionLevel.COUNTY
            for division in self._divisions(level):
                self._add_division_body(resolution, division, rule)
        elif rule.fans_out_to == FanOut.PARK:
            for park, location in self._parks():
                self._add_park_committee(resolution, park, location)
        # host_park and task_force_members: the document names no members; kept as written.
        return resolution

    def _add_division_body(
        self, resolution: Resolution, division: Jurisdiction, rule: CollectiveRule
    ) -> None:
        aliases: tuple[str, ...]
        if rule.department:
            suffix, alias_suffix, prefix = DEPARTMENTS[rule.department]
            name, aliases, code = (
                f"{division.name}{suffix}",
                (f"{division.name}{alias_suffix}",),
                f"{prefix}-{division.code}",
            )
        else:
            name, aliases, code = f"{division.name}人民政府", (), f"gov-{division.code}"
        existing = Organisation.objects.filter(name=name, jurisdiction=division).first()
        if existing is not None:
            resolution.organisations.append(existing)
        else:
            resolution.to_create.append(
                OrganisationSpec(code=code, name=name, kind=rule.kind, jurisdiction=division, aliases=aliases)
            )

    def _parks(self) -> list[tuple[Park, Jurisdiction]]:
        today = timezone.localdate()
        locations = (
            ParkLocation.objects.filter(active_on(today), jurisdiction_id__in=self._descendant_ids())
            .select_related("park", "jurisdiction")
            .order_by("park__name")
        )
        return [(location.park, location.jurisdiction) for location in locations]

    def _add_park_committee(self, resolution: Resolution, park: Park, location: Jurisdiction) -> None:
        name = f"{park.name}管理委员会"
        existing = (
            Organisation.objects.filter(park=park, kind=OrganisationKind.PARK_COMMITTEE).first()
            or Organisation.objects.filter(name=name).first()
        )
        if existing is not None:
            resolution.organisations.append(existing)
            return
        digest = hashlib.sha1(park.name.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
        aliases = (f"{park.short_name}管委会",) if park.short_name else ()
        resolution.to_create.append(
            OrganisationSpec(
                code=f"pc-{digest}",
                name=name,
                kind=OrganisationKind.PARK_COMMITTEE,
                jurisdiction=location,
                park=park,
                aliases=aliases,
            )
        )


def organisations_created(*, actor: Any, specs: list[OrganisationSpec]) -> dict[str, Organisation]:
    """Create the organisations collective phrases need, each once; returns them by code."""
    created: dict[str, Organisation] = {}
    for spec in specs:
        if spec.code in created:
            continue
        existing = Organisation.objects.filter(code=spec.code).first()
        created[spec.code] = existing or organisation_create(
            actor=actor,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            jurisdiction=spec.jurisdiction,
            park=spec.park,
            aliases=list(spec.aliases),
        )
    return created
