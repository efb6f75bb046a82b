"""Conflicts of interest between an expert and an application (回避), from plain facts: no Django.

The rules are those of Chinese expert review as gathered in ``research/review-and-registries.md``:

- computed: the same organisation as the applicant (申报单位), the same city as the applicant, an
  employer located in the host park (承载园区);
- declared by the expert (本人申报的回避): cities, parks, enterprises and organisations;
- recorded relationships, the recusal rules of 财库〔2016〕198号 Art. 16 and 沪科规〔2025〕5号:
  employment, a board seat or control, a family tie with the applicant's people **within three
  years**; joint projects, awards, papers or patents **within three years**; teacher–student
  ties (master's or doctoral supervision), which never expire (as in the NeurIPS policy of
  OpenReview, where advisor ties have no window).

Each conflict comes with its Chinese reason, so an exclusion from a draw and a refused
assignment say why. Method version :data:`METHOD`; the window is a parameter (default 3 years).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

METHOD = "conflicts-1"
#: The recusal window of the rules cited above, in years (a parameter of every function).
WINDOW_YEARS = 3

#: Relationship kinds and their Chinese names.
RELATIONSHIP_LABELS: dict[str, str] = {
    "employment": "任职或受聘",
    "board": "担任董事、监事或控股",
    "family": "亲属关系",
    "joint_project": "共同承担项目",
    "award": "共同获奖",
    "paper": "合作发表论文",
    "patent": "共同申请专利",
    "teacher_student": "师生关系",
}
#: Ties that count however long ago they ended.
NO_WINDOW = frozenset({"teacher_student"})


@dataclass(frozen=True)
class Relationship:
    """A recorded tie of the expert with an organisation, an enterprise or a named person."""

    kind: str
    organisation_id: int | None = None
    enterprise_id: int | None = None
    person: str = ""
    ended_on: dt.date | None = None  # None: still holds
    label: str = ""  # the other side's name, for the reason

    def __post_init__(self) -> None:
        if self.kind not in RELATIONSHIP_LABELS:
            raise ValueError(f"未知的关系类型：{self.kind}")


@dataclass(frozen=True)
class ExpertFacts:
    """What the pool knows of one expert."""

    expert_id: int
    organisation_id: int | None = None
    city_id: int | None = None
    employer_park_id: int | None = None
    declared_city_ids: frozenset[int] = frozenset()
    declared_park_ids: frozenset[int] = frozenset()
    declared_enterprise_ids: frozenset[int] = frozenset()
    declared_organisation_ids: frozenset[int] = frozenset()
    relationships: tuple[Relationship, ...] = ()


@dataclass(frozen=True)
class ApplicantFacts:
    """What an application says about who applies and where."""

    application_id: int
    city_id: int | None = None
    park_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    enterprise_ids: frozenset[int] = frozenset()
    people: frozenset[str] = frozenset()
    names: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # "city:1" → 合肥市


@dataclass(frozen=True)
class Conflict:
    code: str
    reason: str


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def relationship_current(
    relationship: Relationship, *, today: dt.date, window_years: int = WINDOW_YEARS
) -> bool:
    """Does the tie still count: it holds, it ended within the window, or it has no window?"""
    if relationship.kind in NO_WINDOW or relationship.ended_on is None:
        return True
    return relationship.ended_on >= years_before(today, window_years)


def _day(day: dt.date) -> str:
    """A date as the pages write it (2024年6月30日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _name(applicant: ApplicantFacts, key: str, fallback: str) -> str:
    return applicant.names.get(key, fallback)


def conflicts_between(
    expert: ExpertFacts,
    applicant: ApplicantFacts,
    *,
    today: dt.date,
    window_years: int = WINDOW_YEARS,
) -> list[Conflict]:
    """Every conflict of ``expert`` with ``applicant``, each with its reason; empty when none."""
    found: list[Conflict] = []
    if expert.organisation_id is not None and expert.organisation_id in applicant.organisation_ids:
        name = _name(applicant, f"organisation:{expert.organisation_id}", "申报单位")
        found.append(Conflict("same_organisation", f"与申报单位同属一个单位（{name}）"))
    if expert.city_id is not None and expert.city_id == applicant.city_id:
        name = _name(applicant, f"city:{expert.city_id}", "申报城市")
        found.append(Conflict("same_city", f"与申报城市为同一城市（{name}）"))
    if expert.employer_park_id is not None and expert.employer_park_id in applicant.park_ids:
        name = _name(applicant, f"park:{expert.employer_park_id}", "承载园区")
        found.append(Conflict("host_park_employer", f"所在单位位于承载园区（{name}）"))
    if applicant.city_id is not None and applicant.city_id in expert.declared_city_ids:
        name = _name(applicant, f"city:{applicant.city_id}", "申报城市")
        found.append(Conflict("declared_city", f"本人申报回避该城市（{name}）"))
    for park_id in sorted(expert.declared_park_ids & applicant.park_ids):
        name = _name(applicant, f"park:{park_id}", "承载园区")
        found.append(Conflict("declared_park", f"本人申报回避该园区（{name}）"))
    for enterprise_id in sorted(expert.declared_enterprise_ids & applicant.enterprise_ids):
        name = _name(applicant, f"enterprise:{enterprise_id}", "相关企业")
        found.append(Conflict("declared_enterprise", f"本人申报回避该企业（{name}）"))
    for organisation_id in sorted(expert.declared_organisation_ids & applicant.organisation_ids):
        name = _name(applicant, f"organisation:{organisation_id}", "申报单位")
        found.append(Conflict("declared_organisation", f"本人申报回避该单位（{name}）"))
    for relationship in expert.relationships:
        if not relationship_current(relationship, today=today, window_years=window_years):
            continue
        other = _relationship_target(relationship, applicant)
        if other is None:
            continue
        when = (
            "（长期回避）"
            if relationship.kind in NO_WINDOW
            else (
                "（仍存续）"
                if relationship.ended_on is None
                else f"（{window_years}年内，止于{_day(relationship.ended_on)}）"
            )
        )
        found.append(
            Conflict(
                f"relationship_{relationship.kind}",
                f"与{other}存在{RELATIONSHIP_LABELS[relationship.kind]}{when}",
            )
        )
    return found


def _relationship_target(relationship: Relationship, applicant: ApplicantFacts) -> str | None:
    """The applicant's side the tie names, or None when it names none of it."""
    if (
        relationship.organisation_id is not None
        and relationship.organisation_id in applicant.organisation_ids
    ):
        return relationship.label or _name(
            applicant, f"organisation:{relationship.organisation_id}", "申报单位"
        )
    if relationship.enterprise_id is not None and relationship.enterprise_id in applicant.enterprise_ids:
        return relationship.label or _name(applicant, f"enterprise:{relationship.enterprise_id}", "相关企业")
    if relationship.person and relationship.person in applicant.people:
        return relationship.person
    return None


def conflict_reasons(
    expert: ExpertFacts,
    applicants: Iterable[ApplicantFacts],
    *,
    today: dt.date,
    window_years: int = WINDOW_YEARS,
    application_names: dict[int, str] | None = None,
) -> list[str]:
    """The reasons ``expert`` conflicts with any of ``applicants``, each naming the application."""
    reasons = []
    for applicant in applicants:
        label = (application_names or {}).get(applicant.application_id, f"申报{applicant.application_id}")
        for conflict in conflicts_between(expert, applicant, today=today, window_years=window_years):
            reasons.append(f"{label}：{conflict.reason}")
    return reasons
