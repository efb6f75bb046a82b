"""The small case every golden test shares: 3 zones × 4 indicators × 2 years.

Two dimensions: D1 (weight 60) holds a (multiplier 0.8) and b (1.2); D2 (weight 40) holds
c (1.0) and d (1.0, lower is better). Built in code, not loaded from a fixture file.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, Snapshot

FRAMEWORK = Framework(
    dimensions=(Dimension("D1", 60.0), Dimension("D2", 40.0)),
    indicators=(
        Indicator("a", "D1", 0.8),
        Indicator("b", "D1", 1.2),
        Indicator("c", "D2", 1.0),
        Indicator("d", "D2", 1.0, direction=-1),
    ),
)

#            a   b   c   d
VALUES = {
    ("Z1", 2023): (10, 2, 30, 8),
    ("Z2", 2023): (20, 4, 10, 4),
    ("Z3", 2023): (30, 3, 20, 6),
    ("Z1", 2024): (20, 6, 50, 2),
    ("Z2", 2024): (50, 5, 10, 4),
    ("Z3", 2024): (40, 4, 40, 10),
}

# Each zone's own annual targets: the same both years; Z3 aims higher on a.
TARGETS = {zone: (30 if zone != "Z3" else 50, 5, 30, 4) for zone in ("Z1", "Z2", "Z3")}


def long_table(values: Mapping[tuple[str, int], tuple[float | None, ...]] = VALUES) -> pd.DataFrame:
    rows = [
        (zone, year, indicator, value)
        for (zone, year), row in values.items()
        for indicator, value in zip("abcd", row, strict=True)
    ]
    return pd.DataFrame(rows, columns=["zone", "year", "indicator", "value"])


def target_table() -> pd.DataFrame:
    rows = [
        (zone, year, indicator, target)
        for zone, row in TARGETS.items()
        for year in (2023, 2024)
        for indicator, target in zip("abcd", row, strict=True)
    ]
    return pd.DataFrame(rows, columns=["zone", "year", "indicator", "target"])


def snapshot(
    values: Mapping[tuple[str, int], tuple[float | None, ...]] = VALUES, *, targets: bool = True
) -> Snapshot:
    return Snapshot(FRAMEWORK, long_table(values), target_table() if targets else None)
