"""Reads of supervision: targets' progress, tasks with work lists and reports, warnings, cockpit figures.

Everything is computed when read, from the other apps' selectors (registries' counts, monitoring's
approved values and report states, evaluation's grades, pilot_zones' zones) with a number of
queries that does not grow with the data.

Split by what is read: ``base`` (parameters, programmes), ``targets``, ``tasks``, ``early_warnings``
(and the workbench), ``cockpit_figures``, ``six_lists``. Other modules import from here.
"""

from __future__ import annotations

from .base import (
    Settings,
    period_open,
    programme_get,
    programme_list_for_user,
    settings_of,
)
from .cockpit_figures import (
    cockpit,
)
from .early_warnings import (
    explained_keys,
    supervision_notices,
    supervision_todos,
    warnings_all,
    warnings_for_user,
    warnings_open,
    warnings_request_finished,
    warnings_request_started,
)
from .six_lists import (
    SIX_FROM_REGISTRIES,
    SIX_LIST_NAME_LABELS,
    Industry,
    IndustryCounts,
    SixListColumn,
    SixListRow,
    six_list_entries,
    six_list_entry_get,
    six_list_industries,
    six_list_industry,
    six_list_keepers,
    six_list_overview,
    six_lists,
    six_lists_apply,
)
from .targets import (
    TargetProgress,
    progress_grouped,
    target_get,
    target_measured,
    target_progress,
)
from .tasks import (
    TaskRow,
    city_items,
    item_get,
    task_get,
    task_rows,
    tasks_of_user,
)

__all__ = [
    "SIX_FROM_REGISTRIES",
    "SIX_LIST_NAME_LABELS",
    "Industry",
    "IndustryCounts",
    "Settings",
    "SixListColumn",
    "SixListRow",
    "TargetProgress",
    "TaskRow",
    "city_items",
    "cockpit",
    "explained_keys",
    "item_get",
    "period_open",
    "programme_get",
    "programme_list_for_user",
    "progress_grouped",
    "settings_of",
    "six_list_entries",
    "six_list_entry_get",
    "six_list_industries",
    "six_list_industry",
    "six_list_keepers",
    "six_list_overview",
    "six_lists",
    "six_lists_apply",
    "supervision_notices",
    "supervision_todos",
    "target_get",
    "target_measured",
    "target_progress",
    "task_get",
    "task_rows",
    "tasks_of_user",
    "warnings_all",
    "warnings_for_user",
    "warnings_open",
    "warnings_request_finished",
    "warnings_request_started",
]
