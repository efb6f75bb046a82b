"""The random draw of a review panel (随机抽取), with recusal filters and ranked reserves: no Django.

What is recorded makes the draw re-runnable and checkable (财库〔2016〕198号 and the NSFC rules,
``research/review-and-registries.md``): the pool as it was (each candidate's facts) and its
fingerprint, the filters, the seed, every exclusion with its reason, and the ranked list with the
panel and its reserves.

Method ``draw-1``. Each eligible candidate gets the key ``SHA-256("<seed>:<candidate id>")``; within
each kind candidates are ranked by that key, the first ``per_kind[kind]`` form the panel and the
next ``reserves_per_kind`` are its reserves in ranked order. The ranking depends only on the seed
and the candidates' ids, so the same seed and pool give the same panel whatever order the pool
is read in, and nobody can steer it without changing the recorded seed. A panel lacking any kind
the programme's committee needs (科学家+企业家+风险投资家) is refused, as is one for which the pool
holds too few eligible candidates of a kind.

Worked example: seed ``"s"``, scientists 1, 2, 3 and per_kind ``{"scientist": 1}`` with one
reserve: the keys are sha256("s:1"), sha256("s:2"), sha256("s:3"); the smallest is the member,
the next the reserve, the third is ranked but not called.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

METHOD = "draw-1"
KIND_LABELS = {"scientist": "科学家", "entrepreneur": "企业家", "investor": "风险投资家"}


class DrawRefused(ValueError):
    """The draw cannot give a panel of the required composition; the message says why, in Chinese."""


@dataclass(frozen=True)
class Candidate:
    """One expert of the pool as the draw sees them."""

    id: int
    kind: str
    fields: frozenset[str] = frozenset()
    active: bool = True

    def record(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "fields": sorted(self.fields), "active": self.active}

    @classmethod
    def from_record(cls, data: Mapping[str, object]) -> Candidate:
        fields = data.get("fields") or []
        assert isinstance(fields, list)
        return cls(
            id=int(str(data["id"])),
            kind=str(data["kind"]),
            fields=frozenset(str(f) for f in fields),
            active=bool(data.get("active", True)),
        )


@dataclass(frozen=True)
class Filters:
    """How many of each kind, how many reserves, and which fields qualify (empty: any field)."""

    per_kind: Mapping[str, int]
    reserves_per_kind: int = 2
    fields: frozenset[str] = frozenset()
    required_kinds: tuple[str, ...] = ("scientist", "entrepreneur", "investor")

    def record(self) -> dict[str, object]:
        return {
            "per_kind": {k: int(v) for k, v in sorted(self.per_kind.items())},
            "reserves_per_kind": self.reserves_per_kind,
            "fields": sorted(self.fields),
            "required_kinds": list(self.required_kinds),
        }

    @classmethod
    def from_record(cls, data: Mapping[str, object]) -> Filters:
        per_kind = data["per_kind"]
        assert isinstance(per_kind, dict)
        fields = data.get("fields") or []
        required = data.get("required_kinds") or []
        assert isinstance(fields, list) and isinstance(required, list)
        return cls(
            per_kind={str(k): int(v) for k, v in per_kind.items()},
            reserves_per_kind=int(str(data.get("reserves_per_kind", 0))),
            fields=frozenset(str(f) for f in fields),
            required_kinds=tuple(str(k) for k in required),
        )


@dataclass(frozen=True)
class Exclusion:
    candidate_id: int
    reason: str


@dataclass(frozen=True)
class Ranked:
    candidate_id: int
    kind: str
    rank: int  # 1-based within the kind
    role: str  # "member", "reserve" or "unused"


@dataclass(frozen=True)
class DrawResult:
    method: str
    seed: str
    pool_fingerprint: str
    filters: Filters
    exclusions: tuple[Exclusion, ...]
    ranked: tuple[Ranked, ...]
    pool: tuple[Candidate, ...] = field(default=(), compare=False)

    @property
    def members(self) -> list[Ranked]:
        return [r for r in self.ranked if r.role == "member"]

    @property
    def reserves(self) -> list[Ranked]:
        return [r for r in self.ranked if r.role == "reserve"]

    def record(self) -> dict[str, object]:
        return {
            "method": self.method,
            "seed": self.seed,
            "pool_fingerprint": self.pool_fingerprint,
            "filters": self.filters.record(),
            "exclusions": [{"id": e.candidate_id, "reason": e.reason} for e in self.exclusions],
            "ranked": [
                {"id": r.candidate_id, "kind": r.kind, "rank": r.rank, "role": r.role} for r in self.ranked
            ],
        }


def pool_fingerprint(pool: Iterable[Candidate]) -> str:
    """SHA-256 of the pool's facts in id order: the pool version a draw names."""
    text = json.dumps(
        [c.record() for c in sorted(pool, key=lambda c: c.id)], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draw_key(seed: str, candidate_id: int) -> str:
    return hashlib.sha256(f"{seed}:{candidate_id}".encode()).hexdigest()


def composition_problems(filters: Filters) -> list[str]:
    """What is wrong with the composition asked for, in Chinese (empty when it is acceptable)."""
    problems = []
    for kind in filters.required_kinds:
        if int(filters.per_kind.get(kind, 0)) < 1:
            problems.append(f"评审专家组须包含{KIND_LABELS.get(kind, kind)}，至少1名")
    for kind, n in filters.per_kind.items():
        if int(n) < 0:
            problems.append(f"{KIND_LABELS.get(kind, kind)}人数不能为负数")
    if filters.reserves_per_kind < 0:
        problems.append("备选人数不能为负数")
    return problems


def panel_draw(
    pool: Sequence[Candidate],
    *,
    seed: str,
    filters: Filters,
    conflicts: Mapping[int, Sequence[str]] | None = None,
) -> DrawResult:
    """Draw the panel; :class:`DrawRefused` when the composition cannot be met.

    ``conflicts`` maps a candidate's id to the reasons they must recuse themselves (回避); such a
    candidate is excluded with those reasons and can never be drawn.
    """
    if not seed:
        raise DrawRefused("抽取须有随机种子")
    problems = composition_problems(filters)
    if problems:
        raise DrawRefused("；".join(problems) + "。")
    ids = [c.id for c in pool]
    if len(ids) != len(set(ids)):
        raise DrawRefused("专家库中有重复的专家编号")
    conflicts = conflicts or {}
    exclusions: list[Exclusion] = []
    eligible: dict[str, list[Candidate]] = {}
    for candidate in sorted(pool, key=lambda c: c.id):
        reasons = _exclusion_reasons(candidate, filters, conflicts.get(candidate.id, ()))
        if reasons:
            exclusions.append(Exclusion(candidate.id, "；".join(reasons)))
            continue
        eligible.setdefault(candidate.kind, []).append(candidate)
    shortfalls = []
    ranked: list[Ranked] = []
    for kind in sorted(
        filters.per_kind, key=lambda k: (list(KIND_LABELS).index(k) if k in KIND_LABELS else 99, k)
    ):
        wanted = int(filters.per_kind[kind])
        if wanted == 0:
            continue
        candidates = sorted(eligible.get(kind, []), key=lambda c: draw_key(seed, c.id))
        if len(candidates) < wanted:
            shortfalls.append(f"{KIND_LABELS.get(kind, kind)}需{wanted}名，符合条件的只有{len(candidates)}名")
        for index, candidate in enumerate(candidates):
            role = (
                "member"
                if index < wanted
                else ("reserve" if index < wanted + filters.reserves_per_kind else "unused")
            )
            ranked.append(Ranked(candidate.id, kind, index + 1, role))
    if shortfalls:
        raise DrawRefused("专家库中符合条件的专家不足：" + "；".join(shortfalls) + "。")
    return DrawResult(
        method=METHOD,
        seed=seed,
        pool_fingerprint=pool_fingerprint(pool),
        filters=filters,
        exclusions=tuple(exclusions),
        ranked=tuple(ranked),
        pool=tuple(sorted(pool, key=lambda c: c.id)),
    )


def _exclusion_reasons(candidate: Candidate, filters: Filters, conflict_reasons: Sequence[str]) -> list[str]:
    reasons = []
    if not candidate.active:
        reasons.append("已停用，不参加抽取")
    if candidate.kind not in filters.per_kind or int(filters.per_kind[candidate.kind]) == 0:
        reasons.append(f"本次不抽取{KIND_LABELS.get(candidate.kind, candidate.kind)}")
    if filters.fields and not (candidate.fields & filters.fields):
        reasons.append("专业领域与本批次申报领域不符")
    reasons.extend(f"回避：{reason}" for reason in conflict_reasons)
    return reasons


@dataclass(frozen=True)
class DrawCheck:
    """The outcome of re-running a recorded draw (复核抽取)."""

    same: bool
    pool_unchanged: bool
    differences: tuple[str, ...]


def draw_check(
    recorded: Mapping[str, object],
    pool: Sequence[Candidate],
    conflicts: Mapping[int, Sequence[str]],
    *,
    current_fingerprint: str | None = None,
) -> DrawCheck:
    """Re-run a recorded draw from its recorded pool, filters, conflicts and seed and compare."""
    filters_data = recorded["filters"]
    assert isinstance(filters_data, dict)
    filters = Filters.from_record(filters_data)
    differences: list[str] = []
    fingerprint = pool_fingerprint(pool)
    if fingerprint != recorded["pool_fingerprint"]:
        differences.append("记录的专家库与其指纹不一致")
    try:
        again = panel_draw(pool, seed=str(recorded["seed"]), filters=filters, conflicts=conflicts).record()
    except DrawRefused as exc:
        return DrawCheck(False, current_fingerprint in (None, fingerprint), (f"重新抽取未能成组：{exc}",))
    for key, label in (("ranked", "排序名单"), ("exclusions", "排除名单")):
        if again[key] != recorded[key]:
            differences.append(f"{label}与记录不一致")
    return DrawCheck(
        same=not differences,
        pool_unchanged=current_fingerprint is None or current_fingerprint == recorded["pool_fingerprint"],
        differences=tuple(differences),
    )
