"""Pages of the registries, by topic: lists and charts, an entry and its actions, Excel import."""

from .entries import (
    entries_confirm,
    entry_add,
    entry_confirm,
    entry_detail,
    entry_edit,
    entry_retire,
    evidence_attach,
    evidence_download,
    project_progress,
    tag_add,
    tag_end,
    technology_assess,
)
from .imports import entry_import, import_result, import_template
from .lists import chart, entry_list, index

__all__ = [
    "chart",
    "entries_confirm",
    "entry_add",
    "entry_confirm",
    "entry_detail",
    "entry_edit",
    "entry_import",
    "entry_list",
    "entry_retire",
    "evidence_attach",
    "evidence_download",
    "import_result",
    "import_template",
    "index",
    "project_progress",
    "tag_add",
    "tag_end",
    "technology_assess",
]
