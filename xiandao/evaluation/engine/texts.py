"""The Chinese a person reads in a run's results, and how its figures are shown.

A result carries two kinds of field. Codes are for the platform to filter on and stay English
and stable: a reason's ``kind`` and ``code``, an imputed value's ``method``, a treated value's
``treatment``, a screening finding's ``kind`` and ``action``. Text is for the committee, the
third-party evaluator and the zones, and is Chinese: a reason's ``detail``, the ``note`` of an
imputed value, a treated value or a screening finding, and a zone-year's ``strength_notes``
and ``weakness_notes``. No code reads the text.

A computed figure in the text is rounded half-up to two decimals, as Excel's ROUND and the
grading round (the figure a grade was decided on, to the grading's decimals), so a reader can
check it in a spreadsheet: ``125.00``, ``72.50%``. A value of an indicator (imputed, treated,
carried, divided) may be small — an R&D intensity of 0.0155 — so it keeps three significant
digits below 1 (``0.0155``, not ``0.02``) and two decimals from 1 up. A setting someone wrote
(a threshold, a minimum) is shown as it was written: ``125``, ``80%``, ``99.5``.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal

from xiandao.evaluation.engine.errors import quoted
from xiandao.evaluation.engine.rounding import round_half_up

DECIMALS = 2

ATTAINMENT = "目标达成度"


def shown(value: float, decimals: int = DECIMALS) -> str:
    """A computed figure as a spreadsheet shows it: half-up, fixed decimals, no ``-0.00``."""
    return fixed(round_half_up(value, decimals))


def shown_value(value: float) -> str:
    """An indicator's value in a note: two decimals from 1 up, else three significant digits.

    Half-up on the float's shortest decimal form, as :func:`shown`: 1234.5 → 1234.50,
    0.0155 → 0.0155, 0.012345 → 0.0123, 0 → 0.00.
    """
    number = Decimal(repr(float(value)))
    if number == 0 or abs(number) >= 1:
        return shown(value)
    decimals = 2 - number.adjusted()
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if abs(rounded) >= 1:
        return shown(value)
    if rounded.adjusted() > number.adjusted():  # 0.0009995 rounds up to 0.00100, not 0.001000
        rounded = rounded.quantize(Decimal(1).scaleb(1 - decimals))
    return fixed(rounded)


def shown_rounded(value: float, decimals: int = DECIMALS) -> str:
    """A figure already rounded by ``round_half_up_array`` (the float nearest the decimal).

    Formatting that float to the same decimals gives the decimal back, without a Decimal per
    figure: a large run writes tens of thousands of them. (+ 0.0 turns -0.0 into 0.0.)
    """
    return f"{value + 0.0:.{decimals}f}"


def shown_percent(share: float, decimals: int = DECIMALS) -> str:
    """A share (0.725) as a percentage cell shows it: ``72.50%``."""
    quantum = Decimal(1).scaleb(-decimals)
    return fixed(Decimal(repr(float(share))).scaleb(2).quantize(quantum, rounding=ROUND_HALF_UP)) + "%"


@functools.lru_cache(maxsize=256)
def setting(number: float, *, per_cent: bool = False) -> str:
    """A number someone configured, as written: 125, 99.5; ``per_cent`` shows a share as 60%."""
    value = Decimal(repr(float(number)))
    if per_cent:
        value = value.scaleb(2)
    return fixed(value.normalize()) + ("%" if per_cent else "")


def fixed(value: Decimal) -> str:
    """A rounded decimal as text: never in exponent form, never ``-0.00``."""
    if value == 0:
        value = value.copy_abs()
    return format(value, "f")


def named(code: str, name: str = "") -> str:
    """An indicator, dimension or zone as a reader knows it: its name if it has one, quoted."""
    return quoted(name or code)


def dimension_label(code: str, name: str = "") -> str:
    return f"维度{named(code, name)}得分"


def aggregate_label(code: str, name: str = "") -> str:
    """An aggregate above the dimensions (一级指标, the index): named without calling it 维度."""
    return f"{named(code, name)}得分"


# --- grade reasons ------------------------------------------------------------------------------


def figure_label(basis: str) -> str:
    """What the grade was decided on: the performance index or the itemised score."""
    return "绩效指数" if basis == "index" else "评分细则得分"


def no_figure(basis: str) -> str:
    if basis == "index":
        return "没有绩效指数（本年没有可用数据），不评等次"
    return "没有评分细则得分（方法中未设评分项），不评等次"


def threshold_met(label: str, figure: str, grade: str, minimum: float) -> str:
    return f"{label} {figure} ≥ {grade} 门槛 {setting(minimum)}，评为 {grade}"


def threshold_missed(label: str, figure: str, grade: str, minimum: float, lowest: str | None) -> str:
    """The next threshold up, missed; ``lowest`` is the grade given when no threshold was met."""
    text = f"{label} {figure} 低于 {grade} 门槛 {setting(minimum)}"
    return text if lowest is None else f"{text}，评为 {lowest}"


def gate_failed(label: str, value: str | None, grade: str, minimum: float, lowered_to: str, unit: str) -> str:
    required = f"{grade} 的最低要求 {setting(minimum)}{unit}"
    if value is None:
        return f"{label}无数据，达不到 {required}，降为 {lowered_to}"
    return f"{label} {value}{unit} 低于 {required}，降为 {lowered_to}"


def veto_triggered(description: str, grade_cap: str) -> str:
    return f"一票否决{quoted(description)}：等次不高于 {grade_cap}"


# --- notes beside the figures ---------------------------------------------------------------------


def screening_note(kind: str, label: str, availability: float, minimum: float, action: str) -> str:
    what = "指标" if kind == "indicator" else "先导区"
    done = "已剔除，不参与评价" if action == "drop" else "已标记，仍参与评价"
    return (
        f"{what}{label}数据完整率 {shown_percent(availability)}，"
        f"低于要求的 {setting(minimum, per_cent=True)}，{done}"
    )


def imputed_note(
    statistic: str,
    pool: str | None,
    value: float,
    *,
    empty_pool: str | None = None,
    ungrouped: bool = False,
) -> str:
    """A value filled in from other zones the same year: ``statistic`` is 均值 or 中位数.

    ``pool`` names the zones it was taken over (None: all zones); ``empty_pool`` names a peer
    group that had no value that year, so all zones were used instead; ``ungrouped`` says the
    zone has no peer group, so all zones were used.
    """
    filled = f"填补为 {shown_value(value)}"
    if empty_pool is not None:
        return f"未报送；{empty_pool}当年均无数据，按当年全部先导区的{statistic}{filled}"
    if ungrouped:
        return f"未报送；该先导区未分组，按当年全部先导区的{statistic}{filled}"
    return f"未报送，按当年{pool or '全部先导区'}的{statistic}{filled}"


def carried_note(source_year: int, value: float) -> str:
    return f"未报送，沿用 {source_year} 年的值 {shown_value(value)}"


def treated_note(treatment: str, original: float, treated: float) -> str:
    if treatment == "winsorised":
        return f"异常值缩尾处理：由 {shown_value(original)} 调整为 {shown_value(treated)}"
    return f"该指标分布严重偏斜，全部取值作对数变换：由 {shown_value(original)} 变换为 {shown_value(treated)}"


def denominator_note(zone: str, year: int, indicator: str, denominator: str, reason: str) -> str:
    """A per-unit value left missing: its denominator is missing (reason ``missing``) or 0."""
    problem = "缺失" if reason == "missing" else "为0"
    return f"先导区{zone}{year}年指标{indicator}的分母{denominator}{problem}，该值按缺失处理"


def profile_note(strength: bool, label: str, score: str, rank: int, field: int, tied: bool) -> str:
    """A strength or weakness: the indicator's score as shown and its rank among the zones that year."""
    kind = "优势指标" if strength else "劣势指标"
    place = "并列" if tied else "排"
    return f"{kind}{label}：得分 {score}，在 {field} 个先导区中{place}第 {rank}"
