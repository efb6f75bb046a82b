"""The pure evaluation engine: a frozen snapshot and a method in, frozen results out.

No Django here (a test enforces it), so the engine runs on its own, from the command line,
in a benchmark or inside a Celery worker.
"""

from xiandao.evaluation.engine.api import Results, evaluate
from xiandao.evaluation.engine.method import METHOD_VERSION, Method
from xiandao.evaluation.engine.model import Dimension, Framework, Indicator, Snapshot
from xiandao.evaluation.engine.pipeline import run
from xiandao.evaluation.engine.results import RunResult, ZoneYearResult
from xiandao.evaluation.engine.tree import Aggregate

__all__ = [
    "METHOD_VERSION",
    "Aggregate",
    "Dimension",
    "Framework",
    "Indicator",
    "Method",
    "Results",
    "RunResult",
    "Snapshot",
    "ZoneYearResult",
    "evaluate",
    "run",
]
