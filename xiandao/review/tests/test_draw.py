"""The random draw: composition, reserves, exclusions with reasons, reproducibility, and its check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiandao.review.draw import (
    Candidate,
    DrawRefused,
    Filters,
    draw_check,
    draw_key,
    panel_draw,
    pool_fingerprint,
)

KINDS = ("scientist", "entrepreneur", "investor")
POOL = [Candidate(i, KINDS[i % 3], frozenset({"quantum"} if i % 2 else {"ai"})) for i in range(1, 19)]
FILTERS = Filters(per_kind={"scientist": 2, "entrepreneur": 1, "investor": 1}, reserves_per_kind=2)


def test_the_worked_example_ranks_by_the_seeded_key():
    pool = [Candidate(1, "scientist"), Candidate(2, "scientist"), Candidate(3, "scientist")]
    filters = Filters(per_kind={"scientist": 1}, reserves_per_kind=1, required_kinds=("scientist",))
    result = panel_draw(pool, seed="s", filters=filters)
    order = sorted([1, 2, 3], key=lambda i: draw_key("s", i))
    assert [(r.candidate_id, r.role) for r in result.ranked] == [
        (order[0], "member"),
        (order[1], "reserve"),
        (order[2], "unused"),
    ]


def test_a_panel_has_the_asked_composition_and_reserves():
    result = panel_draw(POOL, seed="2026-review-1", filters=FILTERS)
    kinds = [r.kind for r in result.members]
    assert sorted(kinds) == ["entrepreneur", "investor", "scientist", "scientist"]
    assert len(result.reserves) == 6
    assert all(r.rank > 1 for r in result.reserves if r.kind != "scientist")


def test_a_panel_lacking_any_of_the_three_kinds_is_refused():
    with pytest.raises(DrawRefused, match="须包含风险投资家"):
        panel_draw(POOL, seed="x", filters=Filters(per_kind={"scientist": 2, "entrepreneur": 1}))


def test_too_few_eligible_experts_of_a_kind_is_refused_with_the_count():
    pool = [c for c in POOL if c.kind != "investor"] + [Candidate(99, "investor")]
    with pytest.raises(DrawRefused, match="风险投资家需2名，符合条件的只有1名"):
        panel_draw(
            pool, seed="x", filters=Filters(per_kind={"scientist": 1, "entrepreneur": 1, "investor": 2})
        )


def test_each_exclusion_carries_its_reason():
    pool = [*POOL, Candidate(50, "investor", active=False)]
    filters = Filters(per_kind=FILTERS.per_kind, reserves_per_kind=0, fields=frozenset({"quantum"}))
    result = panel_draw(
        pool, seed="x", filters=filters, conflicts={3: ["示例申报：与申报城市为同一城市（合肥市）"]}
    )
    reasons = {e.candidate_id: e.reason for e in result.exclusions}
    assert reasons[50].startswith("已停用")
    assert reasons[2] == "专业领域与本批次申报领域不符"
    assert reasons[3] == "回避：示例申报：与申报城市为同一城市（合肥市）"


def test_the_pool_fingerprint_ignores_order_and_sees_any_change():
    assert pool_fingerprint(POOL) == pool_fingerprint(list(reversed(POOL)))
    changed = [Candidate(1, "investor"), *POOL[1:]]
    assert pool_fingerprint(changed) != pool_fingerprint(POOL)


def test_a_recorded_draw_checks_out_and_a_tampered_one_does_not():
    result = panel_draw(POOL, seed="abc", filters=FILTERS, conflicts={4: ["回避"]})
    record = result.record()
    assert draw_check(record, POOL, {4: ["回避"]}).same
    ranked = record["ranked"]
    assert isinstance(ranked, list)
    tampered = dict(record, ranked=list(reversed(ranked)))
    check = draw_check(tampered, POOL, {4: ["回避"]})
    assert not check.same and "排序名单与记录不一致" in check.differences
    assert not draw_check(record, POOL, {}).same  # a conflict left out changes the exclusions


def test_a_check_says_when_the_pool_changed_since():
    result = panel_draw(POOL, seed="abc", filters=FILTERS)
    check = draw_check(result.record(), POOL, {}, current_fingerprint="other")
    assert check.same and not check.pool_unchanged


pools = st.lists(
    st.builds(
        Candidate,
        id=st.integers(min_value=1, max_value=400),
        kind=st.sampled_from(KINDS),
        fields=st.frozensets(st.sampled_from(["ai", "quantum"]), max_size=2),
        active=st.booleans(),
    ),
    min_size=0,
    max_size=40,
    unique_by=lambda c: c.id,
)
seeds = st.text(alphabet="0123456789abcdef", min_size=1, max_size=16)
per_kind = st.fixed_dictionaries({k: st.integers(min_value=1, max_value=3) for k in KINDS})


@given(pools, seeds, per_kind, st.data())
def test_conflicted_experts_are_never_drawn(pool, seed, wanted, data):
    conflicted = data.draw(st.sets(st.sampled_from([c.id for c in pool]) if pool else st.nothing()))
    try:
        result = panel_draw(
            pool, seed=seed, filters=Filters(per_kind=wanted), conflicts={i: ["回避"] for i in conflicted}
        )
    except DrawRefused:
        return
    drawn = {r.candidate_id for r in result.ranked}
    assert not drawn & conflicted
    assert {e.candidate_id for e in result.exclusions} >= conflicted
    assert {r.kind for r in result.members} == set(KINDS)


@given(pools, seeds, per_kind, st.randoms())
def test_the_same_seed_and_pool_give_the_same_panel_in_any_order(pool, seed, wanted, rnd):
    shuffled = list(pool)
    rnd.shuffle(shuffled)
    filters = Filters(per_kind=wanted, reserves_per_kind=1)
    try:
        first = panel_draw(pool, seed=seed, filters=filters)
    except DrawRefused as exc:
        with pytest.raises(DrawRefused, match=str(exc)[:10]):
            panel_draw(shuffled, seed=seed, filters=filters)
        return
    again = panel_draw(shuffled, seed=seed, filters=filters)
    assert first.record() == again.record()
    assert draw_check(first.record(), shuffled, {}).same


@given(pools, seeds, per_kind)
def test_every_candidate_is_either_ranked_or_excluded_once(pool, seed, wanted):
    try:
        result = panel_draw(pool, seed=seed, filters=Filters(per_kind=wanted))
    except DrawRefused:
        return
    seen = [r.candidate_id for r in result.ranked] + [e.candidate_id for e in result.exclusions]
    assert sorted(seen) == sorted(c.id for c in pool)
    for kind, n in wanted.items():
        assert len([r for r in result.members if r.kind == kind]) == n
