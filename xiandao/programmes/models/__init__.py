"""Programme definitions in the database: documents, taxonomy, rules, framework, targets and tasks."""

from .changes import ChangeKind, ProgrammeChange, ProgrammeNotificationKind
from .programme import PolicyDocument, Programme, ProgrammeLevel, RecordStatus
from .rules import (
    Dimension,
    Indicator,
    IndicatorDirection,
    IndicatorFramework,
    IndicatorSource,
    Lifecycle,
    LifecycleKind,
    RuleParameter,
)
from .targets import Basis, FanOut, Qualifier, Target, TargetScope, Task, TaskKind, TaskUnit, UnitRole
from .taxonomy import Field, FieldDirection, FieldKind, FieldPlace, TaxonomyVersion, ZoneType

__all__ = [
    "Basis",
    "ChangeKind",
    "Dimension",
    "FanOut",
    "Field",
    "FieldDirection",
    "FieldKind",
    "FieldPlace",
    "Indicator",
    "IndicatorDirection",
    "IndicatorFramework",
    "IndicatorSource",
    "Lifecycle",
    "LifecycleKind",
    "PolicyDocument",
    "Programme",
    "ProgrammeChange",
    "ProgrammeLevel",
    "ProgrammeNotificationKind",
    "Qualifier",
    "RecordStatus",
    "RuleParameter",
    "Target",
    "TargetScope",
    "Task",
    "TaskKind",
    "TaskUnit",
    "TaxonomyVersion",
    "UnitRole",
    "ZoneType",
]
