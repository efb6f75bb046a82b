"""Benchmark of the evaluation engine: 1,000 zones × 60 indicators × 5 years, a three-level tree.

Indicators sit in 6 dimensions, the dimensions in 3 pillars (一级指标), the pillars under the
index; 6 indicators are per-unit (divided by a land series). Prints the seconds (wall and
CPU) and peak memory of the whole deterministic run plus a Monte Carlo of 1,000 draws (with
the indicator-removal analysis), and the time per draw as a multiple of a bare numpy weighted
mean of the same matrix — the floor no engine can beat. The last line is ``ratio: X``, the
CPU time per draw over the bare mean's CPU time (the wall-clock ratio is printed above it:
on a shared machine the wall clock also measures the neighbours).

    .venv/bin/python bench/evaluation.py [--draws 1000] [--zones 1000]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xiandao.evaluation.engine.method import Method, Uncertainty
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, Snapshot
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.tree import Aggregate
from xiandao.evaluation.engine.uncertainty import monte_carlo

DIMENSIONS = 6
PILLARS = 3
YEARS = 5
INDICATORS = 60


def make_snapshot(zones: int, seed: int = 2024) -> Snapshot:
    """Skewed, growing, 3 % missing values, with targets, six peer groups and a land series."""
    rng = np.random.default_rng(seed)
    tree = (
        *(Aggregate(f"D{d}", f"P{d % PILLARS}", float(rng.integers(10, 30))) for d in range(DIMENSIONS)),
        *(Aggregate(f"P{p}", "INDEX", float(rng.integers(1, 4))) for p in range(PILLARS)),
        Aggregate("INDEX", ""),
    )
    framework = Framework(
        tuple(Dimension(f"D{d}") for d in range(DIMENSIONS)),
        tuple(
            Indicator(
                f"I{i:02d}",
                f"D{i % DIMENSIONS}",
                float(rng.choice([0.8, 1.0, 1.2])),
                direction=-1 if i % 17 == 0 else 1,
                denominator="LAND" if i % 10 == 3 else "",
                scale=100.0 if i % 10 == 3 else 1.0,
            )
            for i in range(INDICATORS)
        ),
        tree,
    )
    zone_codes = np.array([f"Z{z:04d}" for z in range(zones)])
    level = rng.lognormal(0.0, 1.0, size=(zones, 1, INDICATORS))
    growth = 1.0 + rng.normal(0.05, 0.05, size=(zones, YEARS, 1)).cumsum(axis=1)
    values = level * growth * rng.lognormal(0.0, 0.1, size=(zones, YEARS, INDICATORS))
    values[rng.random(values.shape) < 0.03] = np.nan
    land = rng.lognormal(3.0, 0.5, size=(zones, YEARS, 1))
    land[rng.random(land.shape) < 0.01] = 0.0  # a zone that reported no land: flagged, left missing
    codes = np.array([*framework.indicator_codes, "LAND"])
    cube = np.concatenate([values, land], axis=2)
    z, t, i = np.meshgrid(np.arange(zones), np.arange(YEARS), np.arange(codes.size), indexing="ij")
    table = pd.DataFrame(
        {
            "zone": zone_codes[z.ravel()],
            "year": 2021 + t.ravel(),
            "indicator": codes[i.ravel()],
            "value": cube.ravel(),
        }
    )
    z, t, i = np.meshgrid(np.arange(zones), np.arange(YEARS), np.arange(INDICATORS), indexing="ij")
    targets = pd.DataFrame(
        {
            "zone": zone_codes[z.ravel()],
            "year": 2021 + t.ravel(),
            "indicator": np.array(framework.indicator_codes)[i.ravel()],
            "target": (level * growth * 1.05).ravel(),
        }
    )
    peer_groups = {code: f"field-{n % 6}" for n, code in enumerate(zone_codes)}
    return Snapshot(framework, table, targets, peer_groups)


def workload(snapshot: Snapshot, method: Method) -> None:
    run(snapshot, method)
    monte_carlo(snapshot, method)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=1000)
    parser.add_argument("--draws", type=int, default=1000)
    arguments = parser.parse_args()

    snapshot = make_snapshot(arguments.zones)
    method = Method(uncertainty=Uncertainty(draws=arguments.draws))
    print(f"{arguments.zones} zones × {INDICATORS} indicators × {YEARS} years, {arguments.draws} draws")
    # The engine caps BLAS at one thread itself while it computes (threadpoolctl), whatever the
    # environment says: this is what numpy would use outside it.
    outside = ", ".join(str(pool["num_threads"]) for pool in threadpool_info() if pool["user_api"] == "blas")
    environment = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(
        f"BLAS threads: 1 in the engine, {outside or '?'} outside "
        f"(OPENBLAS_NUM_THREADS {environment}), load {os.getloadavg()[0]:.2f}"
    )

    start, cpu = time.perf_counter(), time.process_time()
    result = run(snapshot, method)
    deterministic, deterministic_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    uncertainty = monte_carlo(snapshot, method)
    simulation, simulation_cpu = time.perf_counter() - start, time.process_time() - cpu
    total = deterministic + simulation
    print(f"tree: {len(result.dimensions)} dimensions, {len(result.aggregates)} aggregates above them")
    print(
        f"deterministic run           {deterministic:8.3f} s  (CPU {deterministic_cpu:.3f} s, "
        f"{len(result.zone_years)} zone-years)"
    )
    print(
        f"Monte Carlo + removal       {simulation:8.3f} s  (CPU {simulation_cpu:.3f} s, "
        f"{uncertainty.draws} draws, {INDICATORS} removals)"
    )
    print(f"total                       {total:8.3f} s  (CPU {deterministic_cpu + simulation_cpu:.3f} s)")

    tracemalloc.start()
    workload(snapshot, method)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak traced memory          {peak / 2**20:8.1f} MiB (tracemalloc, second pass)")
    print(f"peak resident set size      {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.1f} MiB")

    # The floor: one weighted mean of the zone-years × indicators score matrix, timed as the
    # Monte Carlo is: wall clock and this process's CPU time.
    matrix = np.random.default_rng(1).random((arguments.zones * YEARS, INDICATORS))
    weights = np.full(INDICATORS, 1.0 / INDICATORS)
    repeats = 2000
    bare_wall, bare_cpu = np.inf, np.inf
    with threadpool_limits(limits=1):  # as the engine computes
        for _ in range(3):
            start, cpu = time.perf_counter(), time.process_time()
            for _ in range(repeats):
                matrix @ weights
            bare_wall = min(bare_wall, (time.perf_counter() - start) / repeats)
            bare_cpu = min(bare_cpu, (time.process_time() - cpu) / repeats)
    evaluations = arguments.draws + INDICATORS
    per_draw, per_draw_cpu = simulation / evaluations, simulation_cpu / evaluations
    print(f"bare numpy weighted mean    {bare_wall * 1e6:8.1f} µs  (CPU {bare_cpu * 1e6:.1f} µs)")
    print(
        f"engine time per draw        {per_draw * 1e6:8.1f} µs  (CPU {per_draw_cpu * 1e6:.1f} µs; the Monte "
        "Carlo's whole time ÷ draws and removals)"
    )
    print(f"ratio on the wall clock     {per_draw / bare_wall:8.1f}")
    print(f"load after                  {os.getloadavg()[0]:8.2f}")
    # On a shared machine the wall clock measures the neighbours too; CPU time measures the
    # engine, and the bare mean is timed the same way.
    print(f"ratio: {per_draw_cpu / bare_cpu:.1f}")


if __name__ == "__main__":
    main()
