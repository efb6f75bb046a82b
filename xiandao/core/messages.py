"""Sentences the apps build from labels, in one place so each reads right whatever the labels are.

A status label names a state (已接受, 修改后接受, 已驳回); an action label names what a person does
(接受, 驳回). Gluing 已 or 再 to a label ("该条建议已{status}，不能再{status}") printed
"该条建议已已接受，不能再已接受": sentences here quote the state and use the action's own verb.
"""

from __future__ import annotations


def move_refused(*, what: str, status_label: str, action_label: str, hint: str = "") -> str:
    """``what`` cannot be moved by ``action_label`` from ``status_label``: 该条建议当前为“已接受”，不能驳回。"""
    sentence = f"{what}当前为“{status_label}”，不能{action_label}。"
    return f"{sentence}{hint}" if hint else sentence
