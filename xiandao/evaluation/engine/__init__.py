"""The pure evaluation engine: a frozen snapshot and a method in, frozen results out.

No Django here (a test enforces it), so the engine runs on its own, from the command line,
in a benchmark or inside a Celery worker.
"""

from xiandao.evaluation.engine.api import Results, evaluate
from xiandao.evaluation.engine.forecast import RiskResult, removal_risk
from xiandao.evaluation.engine.method import METHOD_VERSION, Method
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, Snapshot
from xiandao.evaluation.engine.paths import IndicatorUnit, PathsResult, apply_path, path_to_next_grade
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.results import RunResult, ZoneYearResult
from xiandao.evaluation.engine.tree import Aggregate

__all__ = [
    "METHOD_VERSION",
    "Aggregate",
    "Dimension",
    "Framework",
    "Indicator",
    "IndicatorUnit",
    "Method",
    "PathsResult",
    "Results",
    "RiskResult",
    "RunResult",
    "Snapshot",
    "ZoneYearResult",
    "apply_path",
    "evaluate",
    "path_to_next_grade",
    "removal_risk",
    "run",
]
