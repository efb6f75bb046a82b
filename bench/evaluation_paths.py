"""Benchmark of the path to the next grade and the removal-risk forecast: 30 zones × 27
indicators × 5 years (the size of a province's programme), 6 dimensions, 3 of them per unit.

Prints the seconds (wall and CPU) of the paths of every zone in the last year under the default
method (exact: min-max, arithmetic) and under a geometric mean (searched), how many zones got
each status, the evaluations of the zone's figures they took, and the seconds of the forecast
of every zone on its second A (200 scenarios × 5 methods, plus the Monte Carlo of 1,000 methods
at the projected values).

    .venv/bin/python bench/evaluation_paths.py [--zones 30] [--scenarios 200]
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xiandao.evaluation.engine import paths as paths_module
from xiandao.evaluation.engine.forecast import removal_risk
from xiandao.evaluation.engine.method import Aggregation, Method
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, Snapshot
from xiandao.evaluation.engine.paths import IndicatorUnit, path_to_next_grade
from xiandao.evaluation.engine.pipeline import run

T = TypeVar("T")

DIMENSIONS = 6
YEARS = 5
INDICATORS = 27


def make_snapshot(zones: int, seed: int = 2025) -> Snapshot:
    """Skewed levels growing about 5 % a year, 2 % missing, one lower-is-better indicator in 9."""
    rng = np.random.default_rng(seed)
    framework = Framework(
        tuple(Dimension(f"D{d}", float(rng.integers(10, 30))) for d in range(DIMENSIONS)),
        tuple(
            Indicator(
                f"I{i:02d}",
                f"D{i % DIMENSIONS}",
                float(rng.choice([0.8, 1.0, 1.2])),
                direction=-1 if i % 9 == 4 else 1,
                name=f"指标{i:02d}",
            )
            for i in range(INDICATORS)
        ),
    )
    codes = np.array(framework.indicator_codes)
    level = rng.lognormal(1.0, 0.6, size=(zones, 1, INDICATORS))
    growth = 1.0 + rng.normal(0.05, 0.05, size=(zones, YEARS, 1)).cumsum(axis=1)
    values = np.round(level * growth * rng.lognormal(0.0, 0.08, size=(zones, YEARS, INDICATORS)), 2)
    values[rng.random(values.shape) < 0.02] = np.nan
    z, t, i = np.meshgrid(np.arange(zones), np.arange(YEARS), np.arange(INDICATORS), indexing="ij")
    table = pd.DataFrame(
        {
            "zone": np.array([f"Z{n:02d}" for n in range(zones)])[z.ravel()],
            "year": 2021 + t.ravel(),
            "indicator": codes[i.ravel()],
            "value": values.ravel(),
        }
    )
    return Snapshot(framework, table)


def timed(label: str, work: Callable[[], T]) -> T:
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    print(f"{label}: {time.perf_counter() - start:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=30)
    parser.add_argument("--scenarios", type=int, default=200)
    arguments = parser.parse_args()
    snapshot = make_snapshot(arguments.zones)
    print(f"{arguments.zones} zones × {INDICATORS} indicators × {YEARS} years, load {os.getloadavg()[0]:.2f}")
    units = {code: IndicatorUnit(integer=True, unit="个") for code in snapshot.framework.indicator_codes[::5]}

    method = Method()
    published = run(snapshot, method)
    last = published.years[-1]
    print("grades", dict(collections.Counter(r.grade for r in published.zone_years if r.year == last)))

    probes = {"count": 0}
    original = paths_module.figures

    def counted(*args: Any, **kwargs: Any) -> Any:
        probes["count"] += 1
        return original(*args, **kwargs)

    paths_module.figures = counted
    for label, chosen in (("paths, min-max + arithmetic (exact)", method),
                          ("paths, geometric mean (searched)", Method(aggregation=Aggregation(kind="geometric")))):  # fmt: skip
        probes["count"] = 0
        result = timed(label, functools.partial(path_to_next_grade, snapshot, chosen, units=units))
        statuses = collections.Counter((p.status, p.mode) for p in result.paths)
        sizes = collections.Counter(len(p.improvements) for p in result.paths if p.status == "path")
        print(f"  statuses {dict(statuses)}, indicators per path {dict(sorted(sizes.items()))}, "
              f"{probes['count']} evaluations of the figures")  # fmt: skip
    paths_module.figures = original

    grades = {
        zone: {r.year: r.grade for r in published.zone_years if r.zone == zone} for zone in published.zones
    }
    # Put a third of the zones on their second A, so that the forecast has work to do.
    for n, zone in enumerate(published.zones):
        if n % 3 == 0:
            grades[zone] = grades[zone] | {last - 1: "A", last: "A"}
    risk = timed(
        f"removal risk, {arguments.scenarios} scenarios × 5 methods + 1,000 methods",
        lambda: removal_risk(snapshot, method, grades=grades, scenarios=arguments.scenarios, units=units),
    )
    shown = ", ".join(f"{z.zone} {z.probability:.2f}" for z in risk.zones[:6])
    print(f"  {len(risk.zones)} zones flagged; first probabilities: {shown}")


if __name__ == "__main__":
    main()
