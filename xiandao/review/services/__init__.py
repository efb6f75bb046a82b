"""Writes of the committee's review: the pool, rounds and draws, declarations and scores, opinions."""

from .pool import (
    conflict_declare,
    conflict_remove,
    demo_review_delete,
    expert_create,
    expert_update,
    relationship_record,
    relationship_remove,
)
from .rounds import (
    draw_run,
    draw_verify,
    member_contact,
    member_replace,
    panel_confirm,
    round_create,
)
from .scoring import (
    assignment_declare,
    assignment_recuse,
    review_opinion_write,
    round_close,
    round_publish,
    score_submit,
)

__all__ = [
    "assignment_declare",
    "assignment_recuse",
    "conflict_declare",
    "conflict_remove",
    "demo_review_delete",
    "draw_run",
    "draw_verify",
    "expert_create",
    "expert_update",
    "member_contact",
    "member_replace",
    "panel_confirm",
    "relationship_record",
    "relationship_remove",
    "review_opinion_write",
    "round_close",
    "round_create",
    "round_publish",
    "score_submit",
]
