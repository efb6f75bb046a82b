"""Command line: evaluate zones from CSV files, without the platform.

    python -m xiandao.evaluation.engine --values values.csv --framework framework.csv \\
        [--targets targets.csv] [--peer-groups groups.csv] [--method method.json] \\
        --out results.csv [--json-out run.json] [--uncertainty-out uncertainty.csv]

A malformed file gets one line naming the file, the row and the column, and exit status 2;
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from xiandao.evaluation.engine.csvio import (
    FileError,
    read_framework,
    read_method,
    read_peer_groups,
    read_targets,
    read_values,
    write_results,
)
from xiandao.evaluation.engine.method import Method, MethodError
from xiandao.evaluation.engine.model import InputError, Snapshot
from xiandao.evaluation.engine.pipeline import run

EXIT_INPUT_ERROR = 2
EXIT_INTERNAL_ERROR = 70


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m xiandao.evaluation.engine",
        description="Evaluate pilot zones: composite scores, performance index, grades.",
    )
    parser.add_argument("--values", type=Path, required=True, help="zone,year,indicator,value")
    parser.add_argument(
        "--framework",
        type=Path,
        required=True,
        help="indicator,dimension,dimension_weight,weight,direction",
    )
    parser.add_argument("--targets", type=Path, help="zone,year,indicator,target")
    parser.add_argument("--peer-groups", type=Path, help="zone,group (for peer-group imputation)")
    parser.add_argument("--method", type=Path, help="method JSON; the documented default without it")
    parser.add_argument("--out", type=Path, required=True, help="results CSV, one row per zone and year")
    parser.add_argument("--json-out", type=Path, help="the whole run as JSON, with every diagnostic")
    parser.add_argument(
        "--uncertainty-out",
        type=Path,
        help="run the Monte Carlo of the method's uncertainty settings and write its results here",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        return _evaluate(arguments)
    except (FileError, InputError, MethodError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except OSError as error:
        print(f"error: {error.filename or ''}: {error.strerror}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except Exception as error:  # a bug: say so in one line, not a traceback a user cannot act on
        print(f"internal error ({type(error).__name__}): {error}; please report it", file=sys.stderr)
        return EXIT_INTERNAL_ERROR


def _evaluate(arguments: argparse.Namespace) -> int:
    framework = read_framework(arguments.framework)
    values = read_values(arguments.values)
    targets = read_targets(arguments.targets) if arguments.targets else None
    peer_groups = read_peer_groups(arguments.peer_groups) if arguments.peer_groups else {}
    method = read_method(arguments.method) if arguments.method else Method()
    snapshot = Snapshot(framework, values, targets, peer_groups)
    result = run(snapshot, method)
    write_results(arguments.out, result)
    if arguments.json_out:
        arguments.json_out.write_text(result.to_json(), encoding="utf-8")
    if arguments.uncertainty_out:
        _uncertainty(snapshot, method, arguments.uncertainty_out)
    return 0


def _uncertainty(snapshot: Snapshot, method: Method, path: Path) -> None:
    from tqdm import tqdm

    from xiandao.evaluation.engine.uncertainty import monte_carlo, write_uncertainty

    with tqdm(
        total=method.uncertainty.draws, unit="draw", desc="Monte Carlo", file=sys.stderr, delay=0.5
    ) as bar:
        outcome = monte_carlo(snapshot, method, progress=bar.update)
    write_uncertainty(path, outcome)
