"""What the review and comparison pages show of a version: its marked text, a card per proposal, the rows.

Built once per request from the version's proposals and their comparison with the programme
(:class:`Review`), so a card answered after an HTMX decision is the same card the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from xiandao.programmes.models import Qualifier, RecordStatus, TargetScope

from . import selectors
from .comparison import CHANGE_LABELS, Change
from .forms import TargetEditForm, TaskEditForm
from .marking import Span, pieces
from .models import (
    ComparedAs,
    DocumentVersion,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Publication,
    proposal_move_allowed,
)

QUALIFIER_LABELS = {**dict(Qualifier.choices), "at_most": "以下（不超过）"}
SCOPE_LABELS = dict(TargetScope.choices)
KIND_NUMBER_PREFIX = {ProposalKind.TARGET: "目标", ProposalKind.TASK: "任务", ProposalKind.FIELD: "领域"}
#: Every key a proposal or a programme row carries, in words: the edit forms' labels (one source),
#: plus the keys no form edits. A user never sees a key (已修改：metric).
FIELD_LABELS: dict[str, str] = {
    **{name: str(f.label) for name, f in TargetEditForm.base_fields.items() if name != "reason"},
    **{name: str(f.label) for name, f in TaskEditForm.base_fields.items() if name != "reason"},
    "name": "领域",
    "directions": "重点方向",
    "quote": "原文",
}


def field_label(key: str) -> str:
    """The word for a proposal's key; an unknown key reads as 其他内容, never as the key."""
    return FIELD_LABELS.get(key, "其他内容")


SECTIONS = (
    ("targets", ProposalKind.TARGET, "目标"),
    ("tasks", ProposalKind.TASK, "任务"),
    ("fields", ProposalKind.FIELD, "领域和重点方向"),
)


@dataclass
class Review:
    """A version with its proposals in document order and their comparison with the programme."""

    version: DocumentVersion
    proposals: list[Proposal]
    comparison: selectors.VersionComparison

    @classmethod
    def of(cls, version: DocumentVersion) -> Review:
        proposals = selectors.proposal_list(version)
        return cls(version, proposals, selectors.version_comparison(version, proposals))

    def proposal(self, pk: int) -> Proposal:
        return next(p for p in self.proposals if p.pk == pk)

    @property
    def numbers(self) -> dict[int, str]:
        """目标1, 任务3, 领域2: each proposal's number within its kind, as the cards and the text show it."""
        return {p.pk: f"{KIND_NUMBER_PREFIX[ProposalKind(p.kind)]}{p.position + 1}" for p in self.proposals}

    def summary(self) -> dict[str, int]:
        counts = {status: 0 for status in ProposalStatus.values}
        for proposal in self.proposals:
            counts[proposal.status] += 1
        return {
            "total": len(self.proposals),
            "proposed": counts[ProposalStatus.PROPOSED],
            "accepted": counts[ProposalStatus.ACCEPTED] + counts[ProposalStatus.EDITED],
            "rejected": counts[ProposalStatus.REJECTED],
        }

    def kind_counts(self) -> list[tuple[str, str, int]]:
        return [
            (value, str(label), sum(1 for p in self.proposals if p.kind == value))
            for value, label in ProposalKind.choices
        ]

    def paragraphs(self) -> list[list[dict[str, Any]]]:
        """The text in paragraphs of pieces, each with the status it is painted in and the tags starting there."""
        numbers = self.numbers
        statuses = {p.pk: p.status for p in self.proposals}
        labels = dict(ProposalStatus.choices)
        spans = [Span(p.pk, p.start, p.end) for p in self.proposals]
        return [
            [
                {
                    "text": piece.text,
                    "covering": piece.covering,
                    "status": _status_class([statuses[k] for k in piece.covering]),  # type: ignore[index]
                    "starting": [
                        (k, numbers[k], statuses[k], labels[statuses[k]])  # type: ignore[index]
                        for k in piece.starting
                    ],
                }
                for piece in paragraph
            ]
            for paragraph in pieces(self.version.text, spans)
        ]

    def card(
        self, proposal: Proposal, *, mode: str = "view", form: Any = None, errors: list[str] | None = None
    ) -> dict[str, Any]:
        """What a proposal's card shows: its reading, its place against the programme, its decision."""
        return _card(proposal, self.comparison, self.numbers, mode=mode, form=form, errors=errors)

    def sections(self) -> list[dict[str, Any]]:
        """The comparison page's sections: targets, tasks, fields, each with its rows and counts."""
        numbers = self.numbers
        comparisons = {
            "targets": self.comparison.targets,
            "tasks": self.comparison.tasks,
            "fields": self.comparison.fields,
        }
        sections = []
        for key, kind, title in SECTIONS:
            rows = comparisons[key].rows
            items = []
            for row in rows:
                proposal = self.comparison.proposals.get(row.proposed["id"]) if row.proposed else None
                items.append(
                    {
                        "row": row,
                        **_change(proposal, row),
                        "proposal": proposal,
                        "number": numbers.get(proposal.pk, "") if proposal else "",
                        "differences": [field_label(d) for d in row.differences],
                        "proposed_text": _current_text(kind, row.proposed) if row.proposed else "",
                        "current_text": _current_text(kind, row.current) if row.current else "",
                        "current_link": _current_link(self.version, kind, row.current),
                        "directions": _direction_delta(row) if kind == ProposalKind.FIELD else "",
                    }
                )
            # Counted as the rows say it: an accepted proposal by what it changed when decided.
            chips = [(c.value, CHANGE_LABELS[c], sum(1 for i in items if i["change"] == c)) for c in Change]
            sections.append({"key": key, "title": title, "items": items, "chips": chips})
        return sections


def _status_class(statuses: list[str]) -> str:
    """A piece covered by several proposals shows the one most in need of a decision."""
    for status in (ProposalStatus.PROPOSED, ProposalStatus.EDITED, ProposalStatus.ACCEPTED):
        if status in statuses:
            return status
    return ProposalStatus.REJECTED if statuses else ""


def _card(
    proposal: Proposal,
    comparison: selectors.VersionComparison,
    numbers: dict[int, str],
    *,
    mode: str = "view",
    form: Any = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    """What a proposal's card shows: its reading, its place against the programme, its decision."""
    row = comparison.for_proposal(proposal)
    data = proposal.final_payload or proposal.payload
    programme = proposal.version.programme
    written = proposal.target or proposal.task
    open_ = proposal.version.publication != Publication.WITHDRAWN
    link = ""
    if written is not None and proposal.version.document_id is not None:
        anchor = f"target-{written.code}" if proposal.target_id else f"task-{written.code}"
        link = reverse("programmes:document", args=[programme.code, written.document.code]) + f"#{anchor}"
    return {
        "proposal": proposal,
        "number": numbers.get(proposal.pk, ""),
        "data": data,
        "original": proposal.payload,
        "edited_fields": _edited_fields(proposal),
        "qualifier_label": QUALIFIER_LABELS.get(str(data.get("qualifier", "")), data.get("qualifier", "")),
        "scope_label": SCOPE_LABELS.get(str(data.get("scope", "")), data.get("scope", "")),
        "row": row,
        **_change(proposal, row),
        "differences": [field_label(d) for d in row.differences] if row is not None else [],
        "current_text": _current_text(proposal.kind, row.current) if row is not None and row.current else "",
        "effect": _effect(proposal, row) if open_ else "",
        "may_accept": open_ and proposal_move_allowed(proposal.status, ProposalStatus.ACCEPTED),
        "may_reject": open_ and proposal_move_allowed(proposal.status, ProposalStatus.REJECTED),
        "written": written,
        "written_link": link,
        "written_note": _written_note(proposal, written),
        "mode": mode,
        "form": form,
        "errors": [e for e in errors or [] if e],
    }


DECIDED_LABELS = {
    ComparedAs.NEW: "新增（已写入）",
    ComparedAs.CHANGED: "有变化（已更新）",
    ComparedAs.UNCHANGED: "无变化（已确认）",
}


def _change(proposal: Proposal | None, row: Any) -> dict[str, str]:
    """The comparison's word for a row; an accepted proposal keeps what it was when decided."""
    if proposal is not None and proposal.is_accepted and proposal.change_when_decided:
        return {
            "change": proposal.change_when_decided,
            "change_label": DECIDED_LABELS[ComparedAs(proposal.change_when_decided)],
        }
    if row is None:
        return {"change": "", "change_label": ""}
    return {"change": row.change.value, "change_label": CHANGE_LABELS[row.change]}


def _current_text(kind: str, current: dict[str, Any]) -> str:
    """What the programme holds now, in one line."""
    if kind == ProposalKind.TARGET:
        year = f"{current['year']}年" if current.get("year") else "未注明年份"
        qualifier = QUALIFIER_LABELS.get(current.get("qualifier", ""), "")
        return f"{year} {current['metric']} {current['value']}{current.get('unit') or ''}（{qualifier}）"
    if kind == ProposalKind.TASK:
        cooperating = "、".join(current.get("cooperating") or []) or "无"
        return f"{current['task']}：牵头 {'、'.join(current.get('lead') or [])}；配合 {cooperating}"
    return f"{current['name']}：{'、'.join(current.get('directions') or []) or '未列方向'}"


def proposal_text(kind: str, data: dict[str, Any]) -> str:
    """A proposal (or a programme row in the same keys) in one line, as the comparison shows it."""
    try:
        return _current_text(kind, data)
    except KeyError:  # a payload missing a key still reads, as far as it goes
        return "；".join(
            f"{field_label(k)}：{v}" for k, v in data.items() if k not in ("quote", "start", "end")
        )


def _current_link(version: Any, kind: str, current: dict[str, Any] | None) -> str:
    """Where the public pages show a current target or task in its document's text."""
    if current is None or version.document is None or kind == ProposalKind.FIELD:
        return ""
    prefix = "target" if kind == ProposalKind.TARGET else "task"
    url = reverse("programmes:document", args=[version.programme.code, version.document.code])
    return f"{url}#{prefix}-{current['code']}"


def _direction_delta(row: Any) -> str:
    """The directions a new text names that the taxonomy lacks (fewer named is no change)."""
    if row.proposed is None or row.current is None:
        return ""
    current = row.current.get("directions") or []
    added = [d for d in row.proposed.get("directions") or [] if d not in current]
    return f"领域分类中没有的方向：{'、'.join(added)}" if added else ""


def _effect(proposal: Proposal, row: Any) -> str:
    """What accepting will do to the programme, said before the admin clicks."""
    if proposal.is_decided and proposal.status != ProposalStatus.REJECTED:
        return ""
    if proposal.kind == ProposalKind.FIELD:
        return "领域建议仅供核对，接受后不写入领域分类。"
    noun = "目标" if proposal.kind == ProposalKind.TARGET else "任务"
    if row is not None and row.change == Change.CHANGED:
        return f"接受后将按新版本更新培育计划中的这条{noun}。"
    if row is not None and row.change == Change.UNCHANGED:
        return f"与培育计划现有{noun}一致，接受即确认二者对应。"
    return f"接受后将作为新的{noun}写入培育计划。"


def _written_note(proposal: Proposal, written: Any) -> str:
    """Whether what the decision wrote is public yet: drafts wait for the version's publication."""
    if written is None:
        return ""
    if written.status == RecordStatus.DRAFT:
        return "待发布：本文件发布后公开"
    if written.status == RecordStatus.RETIRED:
        return "已撤销：本文件已撤回"
    if (
        proposal.version.publication == Publication.DRAFT
        and proposal.change_when_decided == ComparedAs.CHANGED
    ):
        return "本文件发布后按此更新培育计划"
    return ""


def _edited_fields(proposal: Proposal) -> list[str]:
    if proposal.status != ProposalStatus.EDITED or not proposal.final_payload:
        return []
    return [
        field_label(k)
        for k, v in proposal.final_payload.items()
        if k in proposal.payload and proposal.payload.get(k) != v and k != "quote"
    ]
