"""Plain facts for the pure rules, read from the database: experts, applications, the programme's scoring rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from xiandao.programmes.selectors import lifecycle_get, rule_parameters

from .conflicts import ApplicantFacts, ExpertFacts, Relationship, conflict_reasons
from .draw import Candidate
from .models import ConflictKind, DeclaredConflict, Expert
from .models import Relationship as RelationshipRow
from .scoring import CRITERIA, Item, Rules


def experts_loaded(experts: Iterable[Expert]) -> list[Expert]:
    ids = [e.pk for e in experts]
    return list(
        Expert.objects.filter(pk__in=ids)
        .select_related("organisation", "city")
        .prefetch_related("declared_conflicts", "relationships")
        .order_by("pk")
    )


def expert_facts(expert: Expert) -> ExpertFacts:
    """The pool's facts on one expert (``declared_conflicts`` and ``relationships`` prefetched)."""
    declared: dict[str, set[int]] = {kind: set() for kind in ConflictKind.values}
    for row in expert.declared_conflicts.all():
        target = row.jurisdiction_id or row.park_id or row.enterprise_id or row.organisation_id
        if target:
            declared[row.kind].add(target)
    return ExpertFacts(
        expert_id=expert.pk,
        organisation_id=expert.organisation_id,
        city_id=expert.city_id,
        employer_park_id=expert.organisation.park_id
        if expert.organisation_id and expert.organisation
        else None,
        declared_city_ids=frozenset(declared[ConflictKind.CITY]),
        declared_park_ids=frozenset(declared[ConflictKind.PARK]),
        declared_enterprise_ids=frozenset(declared[ConflictKind.ENTERPRISE]),
        declared_organisation_ids=frozenset(declared[ConflictKind.ORGANISATION]),
        relationships=tuple(
            Relationship(
                kind=r.kind,
                organisation_id=r.organisation_id,
                enterprise_id=r.enterprise_id,
                person=r.person,
                ended_on=r.ended_on,
                label=r.other_name,
            )
            for r in expert.relationships.all()
        ),
    )


def _enterprise_cities(experts: Iterable[Expert]) -> dict[int, tuple[int, str]]:
    """The enterprises the pool names (declared or related) with their city and name."""
    ids = [e.pk for e in experts]
    found: dict[int, tuple[int, str]] = {}
    for model in (DeclaredConflict, RelationshipRow):
        rows = model.objects.filter(expert_id__in=ids, enterprise__isnull=False).values_list(
            "enterprise_id", "enterprise__city_id", "enterprise__name"
        )
        for enterprise_id, city_id, name in rows:
            found[enterprise_id] = (city_id, name)
    return found


def applicant_facts(application: Any, enterprises: dict[int, tuple[int, str]]) -> ApplicantFacts:
    """Who applies and where: the city, the host parks, their committees, the named people.

    Enterprises have no park in the registries, only a city: an enterprise the pool names counts
    as the applicant's when it lies in the applying city (the cautious reading of 回避).
    """
    parks = list(application.host_parks.all())
    organisations = {o.pk: o.name for park in parks for o in park.organisations.all()}
    creator = application.created_by
    if creator is not None and creator.organisation_id:
        organisations[creator.organisation_id] = str(creator.organisation)
    people = {p for p in (application.contact_name, getattr(creator, "display_name", "")) if p}
    names = {f"city:{application.city_id}": application.city.name}
    names.update({f"park:{p.pk}": p.name for p in parks})
    names.update({f"organisation:{k}": v for k, v in organisations.items()})
    local = {e: name for e, (city, name) in enterprises.items() if city == application.city_id}
    names.update({f"enterprise:{k}": v for k, v in local.items()})
    return ApplicantFacts(
        application_id=application.pk,
        city_id=application.city_id,
        park_ids=frozenset(p.pk for p in parks),
        organisation_ids=frozenset(organisations),
        enterprise_ids=frozenset(local),
        people=frozenset(people),
        names=names,
    )


def conflicts_of(
    experts: Iterable[Expert], applications: Iterable[Any], *, today: dt.date
) -> dict[int, list[str]]:
    """Each expert's conflict reasons with any of the applications (only experts who have some)."""
    experts = experts_loaded(experts)
    applications = list(applications)
    enterprises = _enterprise_cities(experts)
    applicants = [applicant_facts(a, enterprises) for a in applications]
    names = {a.pk: a.name for a in applications}
    out: dict[int, list[str]] = {}
    for expert in experts:
        reasons = conflict_reasons(expert_facts(expert), applicants, today=today, application_names=names)
        if reasons:
            out[expert.pk] = reasons
    return out


def candidate_of(expert: Expert) -> Candidate:
    return Candidate(
        id=expert.pk, kind=expert.kind, fields=frozenset(expert.field_codes or []), active=expert.active
    )


def review_definition(programme: Any) -> dict[str, Any]:
    """The programme's review rules (the definition's ``review``), or {} when its documents set none."""
    lifecycle = lifecycle_get(programme)
    if lifecycle is None or not lifecycle.specified:
        return {}
    review = (lifecycle.structure or {}).get("review")
    return dict(review) if isinstance(review, dict) else {}


def scoring_rules(programme: Any) -> Rules | None:
    """Scale, weights and items as the programme's parameters hold them today; None when undefined."""
    review = review_definition(programme)
    if not review or "scale" not in review:
        return None
    parameters = rule_parameters(programme)

    def value(key: str) -> int | None:
        row = parameters.get(key)
        return row.value if row is not None else None

    low, high = value("review.scale.min"), value("review.scale.max")
    if low is None or high is None:
        return None
    weights = {c: value(f"review.weights.{c}") or 0 for c in CRITERIA}
    items = tuple(
        Item(
            code=item["code"],
            criterion=item["criterion"],
            name=item["name"],
            max_points=value(f"review.scoring_rules.{item['code']}.max_points") or 0,
        )
        for item in review.get("scoring_rules") or []
    )
    criteria = tuple(c for c in review.get("criteria") or CRITERIA if c in CRITERIA)
    return Rules(scale_min=low, scale_max=high, weights=weights, items=items, criteria=criteria)


def rules_record(rules: Rules) -> dict[str, Any]:
    return {
        "scale": [rules.scale_min, rules.scale_max],
        "weights": dict(rules.weights),
        "items": [
            {"code": i.code, "criterion": i.criterion, "name": i.name, "max_points": i.max_points}
            for i in rules.items
        ],
    }


def member_kinds(programme: Any) -> tuple[str, ...]:
    kinds = review_definition(programme).get("member_kinds") or ["scientist", "entrepreneur", "investor"]
    return tuple(str(k) for k in kinds)
