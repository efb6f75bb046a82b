"""The indicator framework editor: dimension weights, adding, changing and retiring indicators.

Every change is checked by the loader's rules (``definition.invariants``: the weights sum to 1,
an indicator's fields, a retirement refused while targets still measure the indicator), recorded
in the change history with a reason and undoable. An indicator is added from a year and retired
from a year, so the framework of an earlier year stays as it was (:func:`framework_for_year`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from xiandao.core.providers import Providers
from xiandao.programmes.definition.dated import earlier_changed
from xiandao.programmes.definition.invariants import (
    IndicatorFacts,
    dated_dimension_weights_issues,
    dimension_weights_issue,
    indicator_issues,
    retirement_issue,
)

from ..models import ChangeKind, Dimension, Indicator, IndicatorFramework, Programme, ProgrammeChange, Target
from ..permissions import ProgrammeAction, programme_policy
from .history import ChangeRefused, change_baseline, change_record, reason_required, revert_handler_register

WEIGHTS_SUBJECT = "dimensions"
INDICATOR_PREFIX = "indicator:"

#: Other apps' references to an indicator (a zone's own targets): ``provider(programme, code)``
#: returns (description, year) pairs, checked with the programme's targets before a retirement.
indicator_reference_providers: Providers[Any] = Providers("programmes.indicator_references")

#: The indicator fields an admin edits, as the history keeps them.
FIELDS = (
    "name",
    "unit",
    "direction",
    "definition",
    "formula",
    "source",
    "measure",
    "weight",
    "from_year",
    "retired_from",
)


@dataclass(frozen=True)
class IndicatorValues:
    """An indicator as the editor submits it."""

    code: str
    name: str
    unit: str
    direction: int
    definition: str
    formula: str
    source: str
    measure: str
    weight: str
    from_year: int | None = None


def _framework(user: Any, programme: Programme) -> tuple[Programme, IndicatorFramework]:
    programme = programme_policy.get_or_404(user, ProgrammeAction.CHANGE, pk=programme.pk)
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    framework = IndicatorFramework.objects.filter(programme=programme, specified=True).first()
    if framework is None:
        raise ChangeRefused(
            "本计划的文件未规定指标体系，不能在此编辑；如日后出台规定，请先在定义文件中增加。"
        )
    return programme, framework


def _decimal(raw: Any, label: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip().rstrip("%")) / (100 if str(raw).strip().endswith("%") else 1)
    except (InvalidOperation, ValueError):
        raise ValidationError({"weight": [f"{label}应为数字，如 0.25 或 25%。"]}) from None
    if not value.is_finite() or value < 0:
        raise ValidationError({"weight": [f"{label}应为非负数。"]})
    return value


def _text(weight: Decimal) -> str:
    return format(weight.normalize(), "f")


def _from_year(programme: Programme, effective_year: int | None) -> int | None:
    """The year a framework change takes effect from; None (every year) for the programme's first or none."""
    if effective_year is None or effective_year <= programme.start_year:
        return None
    if effective_year > programme.end_year + 1:
        raise ValidationError(
            {
                "effective_year": [
                    f"生效年度{effective_year}不在计划期{programme.start_year}–{programme.end_year}年内。"
                ]
            }
        )
    return effective_year


def _weights(framework: IndicatorFramework) -> dict[str, str]:
    return {d.code: format(d.weight.normalize(), "f") for d in framework.dimensions.order_by("position")}


def dimension_weights_change(
    *,
    user: Any,
    programme: Programme,
    weights: dict[str, Any],
    reason: str,
    effective_year: int | None = None,
) -> ProgrammeChange:
    """Change the dimensions' weights together; refused with the sum when they do not make 100%."""
    reason = reason_required(reason)
    with transaction.atomic():
        programme, framework = _framework(user, programme)
        return _weights_write(
            user=user,
            programme=programme,
            framework=framework,
            weights=weights,
            reason=reason,
            kind=ChangeKind.DIMENSION_WEIGHTS_CHANGED,
            audit_code="programmes.framework.weights_changed",
            effective_year=effective_year,
        )


def _weights_write(
    *,
    user: Any,
    programme: Programme,
    framework: IndicatorFramework,
    weights: dict[str, Any],
    reason: str,
    kind: ChangeKind,
    audit_code: str,
    effective_year: int | None = None,
    reverts: ProgrammeChange | None = None,
) -> ProgrammeChange:
    dimensions = list(framework.dimensions.select_for_update().order_by("position"))
    unknown = sorted(set(weights) - {d.code for d in dimensions})
    if unknown:
        raise ChangeRefused(f"未知维度：{'、'.join(unknown)}")
    new = {d.code: _decimal(weights.get(d.code, d.weight), f"{d.name}维度权重") for d in dimensions}
    message = dimension_weights_issue({d.name: new[d.code] for d in dimensions})
    if message:
        raise ValidationError({"weights": [message]})
    from_year = _from_year(programme, effective_year)
    earlier = {
        d.code: earlier_changed(
            {"weight": _text(d.weight), "earlier": d.earlier}, {"weight": _text(new[d.code])}, from_year
        )
        for d in dimensions
    }
    dated = [{"name": d.name, "weight": new[d.code], "earlier": earlier[d.code]} for d in dimensions]
    problems = dated_dimension_weights_issues(dated)
    if problems:
        raise ValidationError({"weights": [message for _, message in problems]})
    baseline = change_baseline(programme)
    before = _weights(framework)
    for dimension in dimensions:
        if dimension.weight != new[dimension.code] or dimension.earlier != earlier[dimension.code]:
            dimension.weight = new[dimension.code]
            dimension.is_default = False
            dimension.earlier = earlier[dimension.code]
            dimension.save(update_fields=["weight", "is_default", "earlier"])
    return change_record(
        actor=user,
        programme=programme,
        kind=kind,
        subject=WEIGHTS_SUBJECT,
        subject_label="评价维度权重",
        before=before,
        after=_weights(framework),
        reason=reason,
        baseline=baseline,
        reverts=reverts,
        effective_year=effective_year,
        audit_code=audit_code,
    )


def _state(indicator: Indicator | None) -> dict[str, Any] | None:
    if indicator is None:
        return None
    data = {name: getattr(indicator, name) for name in FIELDS}
    data["weight"] = format(indicator.weight.normalize(), "f")
    data["dimension"] = indicator.dimension.code
    return data


def _check(facts: IndicatorFacts, programme: Programme) -> None:
    issues = indicator_issues(facts, programme.frame())
    if issues:
        raise ValidationError(issues)


def _facts(values: dict[str, Any], code: str) -> IndicatorFacts:
    return IndicatorFacts(
        code=code,
        name=str(values.get("name", "")),
        unit=str(values.get("unit", "")),
        direction=int(values.get("direction") or 0),
        definition=str(values.get("definition", "")),
        formula=str(values.get("formula", "")),
        source=str(values.get("source", "")),
        measure=str(values.get("measure") or ""),
        weight=str(values.get("weight", "")),
        from_year=values.get("from_year"),
        retired_from=values.get("retired_from"),
        earlier=tuple(values.get("earlier") or ()),
    )


def indicator_add(
    *, user: Any, programme: Programme, dimension_code: str, values: IndicatorValues, reason: str
) -> ProgrammeChange:
    """Add an indicator to a dimension, evaluated from ``values.from_year`` on (earlier years keep theirs)."""
    reason = reason_required(reason)
    with transaction.atomic():
        programme, framework = _framework(user, programme)
        dimension = Dimension.objects.filter(framework=framework, code=dimension_code).first()
        if dimension is None:
            raise ChangeRefused(f"未知维度“{dimension_code}”。")
        code = values.code.strip()
        if (
            not code
            or not code.replace("-", "").replace("_", "").isalnum()
            or not code.isascii()
            or code != code.lower()
        ):
            raise ValidationError({"code": ["指标编码应为小写英文字母、数字、连字符，如 patents-per-10k。"]})
        if Indicator.objects.filter(dimension__framework=framework, code=code).exists():
            raise ValidationError({"code": [f"指标编码“{code}”已被使用，请换一个。"]})
        data = asdict(values)
        _check(_facts(data, code), programme)
        baseline = change_baseline(programme)
        position = (dimension.indicators.aggregate(top=Max("position"))["top"] or 0) + 1
        indicator = Indicator.objects.create(
            dimension=dimension,
            code=code,
            name=values.name.strip(),
            unit=values.unit.strip(),
            direction=values.direction,
            definition=values.definition.strip(),
            formula=values.formula.strip(),
            source=values.source,
            measure=values.measure.strip(),
            weight=_decimal(values.weight, "权重系数"),
            from_year=values.from_year,
            position=position,
        )
        return change_record(
            actor=user,
            programme=programme,
            kind=ChangeKind.INDICATOR_ADDED,
            subject=f"{INDICATOR_PREFIX}{code}",
            subject_label=f"指标“{indicator.name}”",
            before=None,
            after=_state(indicator),
            reason=reason,
            baseline=baseline,
            effective_year=values.from_year,
            audit_code="programmes.indicator.added",
        )


def _indicator(framework: IndicatorFramework, code: str) -> Indicator:
    indicator = (
        Indicator.objects.select_for_update()
        .filter(dimension__framework=framework, code=code)
        .select_related("dimension")
        .first()
    )
    if indicator is None:
        raise ChangeRefused(f"本计划的指标体系中没有指标“{code}”。")
    return indicator


def indicator_change(
    *,
    user: Any,
    programme: Programme,
    code: str,
    changes: dict[str, Any],
    reason: str,
    effective_year: int | None = None,
) -> ProgrammeChange:
    """Change an indicator's definition, formula, name, unit or weight (by the same rules as the loader).

    With ``effective_year`` the change applies from that year; earlier years keep the old values.
    """
    reason = reason_required(reason)
    allowed = {"name", "unit", "direction", "definition", "formula", "source", "measure", "weight"}
    with transaction.atomic():
        programme, framework = _framework(user, programme)
        indicator = _indicator(framework, code)
        return _indicator_write(
            user=user,
            programme=programme,
            indicator=indicator,
            changes={k: v for k, v in changes.items() if k in allowed},
            reason=reason,
            kind=ChangeKind.INDICATOR_CHANGED,
            audit_code="programmes.indicator.changed",
            effective_year=effective_year,
        )


def _referencing(programme: Programme, code: str) -> list[tuple[str, int | None]]:
    found: list[tuple[str, int | None]] = [
        (f"{t.metric}（{t.year or '未注明年份'}）", t.year)
        for t in Target.objects.filter(programme=programme, measure=code, retired_from=None)
    ]
    for provider in indicator_reference_providers:
        found += list(provider(programme, code))
    return found


def indicator_retire(
    *, user: Any, programme: Programme, code: str, from_year: int, reason: str
) -> ProgrammeChange:
    """Retire an indicator from ``from_year`` on; refused while targets of that year or later measure it."""
    reason = reason_required(reason)
    with transaction.atomic():
        programme, framework = _framework(user, programme)
        indicator = _indicator(framework, code)
        if indicator.retired_from is not None:
            raise ChangeRefused(f"指标“{indicator.name}”已自{indicator.retired_from}年起停用。")
        message = retirement_issue(code, indicator.name, from_year, _referencing(programme, code))
        if message:
            raise ValidationError({"retired_from": [message]})
        return _indicator_write(
            user=user,
            programme=programme,
            indicator=indicator,
            changes={"retired_from": from_year},
            reason=reason,
            kind=ChangeKind.INDICATOR_RETIRED,
            audit_code="programmes.indicator.retired",
            effective_year=from_year,
        )


def _indicator_write(
    *,
    user: Any,
    programme: Programme,
    indicator: Indicator,
    changes: dict[str, Any],
    reason: str,
    kind: ChangeKind,
    audit_code: str,
    effective_year: int | None = None,
    reverts: ProgrammeChange | None = None,
) -> ProgrammeChange:
    before = _state(indicator)
    assert before is not None
    if "weight" in changes:
        changes = {**changes, "weight": _text(_decimal(changes["weight"], "权重系数"))}
    earlier = earlier_changed(
        {**before, "earlier": indicator.earlier}, changes, _from_year(programme, effective_year)
    )
    merged = {**before, **changes, "earlier": earlier}
    _check(_facts(merged, indicator.code), programme)
    indicator.earlier = earlier
    baseline = change_baseline(programme)
    for name in FIELDS:
        if name not in changes:
            continue
        value = changes[name]
        if name == "weight":
            value = _decimal(value, "权重系数")
        elif name == "direction":
            value = int(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(indicator, name, value)
    if "weight" in changes:
        indicator.is_default = False
    indicator.save()
    return change_record(
        actor=user,
        programme=programme,
        kind=kind,
        subject=f"{INDICATOR_PREFIX}{indicator.code}",
        subject_label=f"指标“{indicator.name}”",
        before=before,
        after=_state(indicator),
        reason=reason,
        baseline=baseline,
        reverts=reverts,
        effective_year=effective_year,
        audit_code=audit_code,
    )


def framework_for_year(programme: Programme, year: int) -> list[tuple[Dimension, list[Indicator]]]:
    """The framework evaluated in ``year``: its indicators (added before, not yet retired), weights and definitions.

    Read from the definition itself: a weight or definition changed from a later year is given
    as the year had it (``earlier``, on unsaved copies), so earlier years keep their framework.
    """
    from ..selectors import framework_for_year as selected

    return selected(programme, year)


# ---------------------------------------------------------------------------------------------
# Reverts
# ---------------------------------------------------------------------------------------------


def _revert_weights(
    *, user: Any, programme: Programme, change: ProgrammeChange, reason: str
) -> ProgrammeChange:
    programme, framework = _framework(user, programme)
    if _weights(framework) != change.after:
        raise ChangeRefused("维度权重在这次变更之后又被修改过，不能直接撤销；请撤销较新的变更，或直接修改。")
    return _weights_write(
        user=user,
        programme=programme,
        framework=framework,
        weights=dict(change.before or {}),
        reason=reason,
        kind=ChangeKind.REVERTED,
        audit_code="programmes.change.reverted",
        effective_year=change.effective_year,
        reverts=change,
    )


def _revert_indicator(
    *, user: Any, programme: Programme, change: ProgrammeChange, reason: str
) -> ProgrammeChange:
    programme, framework = _framework(user, programme)
    code = change.subject.removeprefix(INDICATOR_PREFIX)
    indicator = (
        Indicator.objects.filter(dimension__framework=framework, code=code)
        .select_related("dimension")
        .first()
    )
    if _state(indicator) != change.after:
        raise ChangeRefused(
            f"{change.subject_label}在这次变更之后又被修改过，不能直接撤销；请撤销较新的变更。"
        )
    if change.before is None:  # undo an addition: the indicator goes, unless something measures it
        assert indicator is not None
        if _referencing(programme, code):
            raise ChangeRefused(f"{change.subject_label}已被目标引用，不能撤销其新增；请改为停用。")
        baseline = change_baseline(programme)
        after_state = _state(indicator)
        indicator.delete()
        return change_record(
            actor=user,
            programme=programme,
            kind=ChangeKind.REVERTED,
            subject=change.subject,
            subject_label=change.subject_label,
            before=after_state,
            after=None,
            reason=reason,
            baseline=baseline,
            reverts=change,
            audit_code="programmes.change.reverted",
        )
    assert indicator is not None
    after = change.after or {}
    restore = {name: change.before[name] for name in FIELDS if change.before.get(name) != after.get(name)}
    return _indicator_write(
        user=user,
        programme=programme,
        indicator=indicator,
        changes=restore,
        reason=reason,
        kind=ChangeKind.REVERTED,
        audit_code="programmes.change.reverted",
        effective_year=change.effective_year if change.kind == ChangeKind.INDICATOR_CHANGED else None,
        reverts=change,
    )


revert_handler_register(WEIGHTS_SUBJECT, _revert_weights)
revert_handler_register(INDICATOR_PREFIX, _revert_indicator)
