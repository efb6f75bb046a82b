"""Writes of the evaluation app: runs (snapshot, job, adjustments, 公示) and publication (consequences)."""

from .publication import improvement_plan_submit, removal_decide, run_publish, support_delivery_record
from .runs import (
    RUN_JOB,
    demo_runs_delete,
    evaluation_settings_update,
    evaluator_entrust,
    grade_adjust,
    objection_answer,
    objection_record,
    run_compute,
    run_create,
    run_finalise,
    run_notice_start,
    run_rebuild_rows,
    run_start,
    settings_for,
)

__all__ = [
    "RUN_JOB",
    "demo_runs_delete",
    "evaluation_settings_update",
    "evaluator_entrust",
    "grade_adjust",
    "improvement_plan_submit",
    "objection_answer",
    "objection_record",
    "removal_decide",
    "run_compute",
    "run_create",
    "run_finalise",
    "run_notice_start",
    "run_publish",
    "run_rebuild_rows",
    "run_start",
    "settings_for",
    "support_delivery_record",
]
