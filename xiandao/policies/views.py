"""Pages of the policies app: the list and upload form, the review of proposals, the comparison.

Decisions are posted with HTMX and answer with the proposal's card (plus the summary and the
status tag in the text, out of band), so the page is not reloaded; without JavaScript the same
URLs redirect back to the review page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiandao.programmes.models import Qualifier, TargetScope

from . import selectors
from .comparison import CHANGE_LABELS, Change
from .forms import DocumentUploadForm, RejectForm, TargetEditForm, TaskEditForm, edit_form_initial
from .marking import Span, pieces
from .models import ComparedAs, Proposal, ProposalKind, ProposalStatus, VersionStatus, proposal_move_allowed
from .permissions import proposal_policy
from .services import (
    ConfirmationInvalid,
    DecisionRefused,
    UploadInvalid,
    document_upload,
    proposal_accept,
    proposal_defaults,
    proposal_edit_and_accept,
    proposal_reject,
)

LIST_CRUMB = ("政策文件", "policies:document_list")
QUALIFIER_LABELS = {**dict(Qualifier.choices), "at_most": "以下（不超过）"}
SCOPE_LABELS = dict(TargetScope.choices)
KIND_NUMBER_PREFIX = {ProposalKind.TARGET: "目标", ProposalKind.TASK: "任务", ProposalKind.FIELD: "领域"}
DIFFERENCE_LABELS = {
    "year": "年份",
    "value": "目标值",
    "unit": "单位",
    "qualifier": "限定",
    "strive": "力争",
    "cumulative": "累计",
    "scope": "范围",
    "lead": "牵头（责任）单位",
    "cooperating": "配合单位",
    "directions": "重点方向",
}


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(LIST_CRUMB[0], reverse(LIST_CRUMB[1])), *trail]


# -- list and upload ------------------------------------------------------------------------------


@login_required
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    """上传的政策文件: every version of the programmes the user administers, filtered in the URL."""
    programmes = list(selectors.programme_list_for_upload(request.user))
    programme = next((p for p in programmes if p.code == request.GET.get("programme")), None)
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    versions = selectors.version_list_for_user(request.user, programme=programme, status=status, q=q)
    page = Paginator(versions, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "policies/document_list.html",
        {
            "breadcrumbs": [("政策文件", None)],
            "programmes": programmes,
            "programme": programme,
            "status": status,
            "statuses": VersionStatus.choices,
            "q": q,
            "page": page,
            "page_query": query.urlencode(),
            "may_upload": bool(programmes),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_upload_view(request: HttpRequest) -> HttpResponse:
    """上传政策文件: read it, store its text, propose; a file that cannot be read is refused."""
    programmes = selectors.programme_list_for_upload(request.user)
    if not programmes.exists():
        raise PermissionDenied("只有培育计划的管理员可以上传政策文件。")
    form = DocumentUploadForm(
        request.POST or None,
        request.FILES or None,
        programmes=programmes,
        initial={"programme": programmes.first(), "document": request.GET.get("document")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            version = document_upload(
                actor=request.user,
                programme=form.cleaned_data["programme"],
                data=upload.read(),
                filename=upload.name,
                title=form.cleaned_data["title"],
                document=form.cleaned_data["document"],
                issuer=form.cleaned_data["issuer"],
                number=form.cleaned_data["number"],
            )
        except UploadInvalid as invalid:
            for name, errors in invalid.errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            if version.status == VersionStatus.READY:
                messages.success(request, f"已读取《{version.title}》，请逐条确认识别出的目标、任务和领域。")
            return redirect("policies:document_review", version_id=version.pk)
    if form.errors and "file" not in form.errors and request.method == "POST":
        form.add_error("file", "出于安全原因，浏览器不会保留已选的文件，请重新选择后提交。")
    return render(
        request,
        "policies/document_upload.html",
        {"form": form, "breadcrumbs": _crumbs(("上传政策文件", None))},
    )


# -- review ---------------------------------------------------------------------------------------


def _status_class(statuses: list[str]) -> str:
    """A piece covered by several proposals shows the one most in need of a decision."""
    for status in (ProposalStatus.PROPOSED, ProposalStatus.EDITED, ProposalStatus.ACCEPTED):
        if status in statuses:
            return status
    return ProposalStatus.REJECTED if statuses else ""


def _numbers(proposals: list[Proposal]) -> dict[int, str]:
    """目标1, 任务3, 领域2: each proposal's number within its kind, as the cards and the text show it."""
    return {p.pk: f"{KIND_NUMBER_PREFIX[ProposalKind(p.kind)]}{p.position + 1}" for p in proposals}


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
        "differences": [DIFFERENCE_LABELS.get(d, d) for d in row.differences] if row is not None else [],
        "current_text": _current_text(proposal.kind, row.current) if row is not None and row.current else "",
        "effect": _effect(proposal, row),
        "may_accept": proposal_move_allowed(proposal.status, ProposalStatus.ACCEPTED),
        "may_reject": proposal_move_allowed(proposal.status, ProposalStatus.REJECTED),
        "written": written,
        "written_link": link,
        "mode": mode,
        "form": form,
        "errors": errors or [],
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


def _edited_fields(proposal: Proposal) -> list[str]:
    if proposal.status != ProposalStatus.EDITED or not proposal.final_payload:
        return []
    return [
        DIFFERENCE_LABELS.get(k, k)
        for k, v in proposal.final_payload.items()
        if k in proposal.payload and proposal.payload.get(k) != v and k != "quote"
    ]


def _summary(proposals: list[Proposal]) -> dict[str, int]:
    counts = {status: 0 for status in ProposalStatus.values}
    for proposal in proposals:
        counts[proposal.status] += 1
    return {
        "total": len(proposals),
        "proposed": counts[ProposalStatus.PROPOSED],
        "accepted": counts[ProposalStatus.ACCEPTED] + counts[ProposalStatus.EDITED],
        "rejected": counts[ProposalStatus.REJECTED],
    }


@login_required
@require_GET
def document_review(request: HttpRequest, version_id: int) -> HttpResponse:
    """识别结果确认: the text with every proposal marked in place, and a card per proposal to decide."""
    version = selectors.version_get_for_user(request.user, version_id)
    proposals = selectors.proposal_list(version)
    comparison = selectors.version_comparison(version, proposals)
    numbers = _numbers(proposals)
    statuses = {p.pk: p.status for p in proposals}
    labels = dict(ProposalStatus.choices)
    paragraphs = [
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
        for paragraph in pieces(version.text, [Span(p.pk, p.start, p.end) for p in proposals])
    ]
    kind = request.GET.get("kind", "")
    shown = [p for p in proposals if not kind or p.kind == kind]
    if request.GET.get("status") == ProposalStatus.PROPOSED:
        shown = [p for p in shown if p.status == ProposalStatus.PROPOSED]
    return render(
        request,
        "policies/document_review.html",
        {
            "version": version,
            "paragraphs": paragraphs,
            "cards": [_card(p, comparison, numbers) for p in shown],
            "summary": _summary(proposals),
            "kinds": [
                (value, label, sum(1 for p in proposals if p.kind == value))
                for value, label in ProposalKind.choices
            ],
            "kind": kind,
            "only_open": request.GET.get("status") == ProposalStatus.PROPOSED,
            "breadcrumbs": _crumbs((version.title, None)),
        },
    )


@login_required
@require_GET
def document_status(request: HttpRequest, version_id: int) -> HttpResponse:
    """The extraction's progress while a job reads a long document; reloads the page when done."""
    version = selectors.version_get_for_user(request.user, version_id)
    response = render(request, "policies/_extraction_progress.html", {"version": version})
    if version.status != VersionStatus.EXTRACTING:
        response["HX-Refresh"] = "true"
    return response


# -- decisions ------------------------------------------------------------------------------------


def _proposal_for(request: HttpRequest, proposal_id: int) -> Proposal:
    proposal = proposal_policy.get_or_404(request.user, "decide", pk=proposal_id)
    return proposal


def _card_response(
    request: HttpRequest,
    proposal: Proposal,
    *,
    mode: str = "view",
    form: Any = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    """The card alone (HTMX), with the summary and the text's status tag out of band; else back to the page."""
    if not request.htmx:  # type: ignore[attr-defined]
        if mode != "view":
            return _edit_page(request, proposal, mode=mode, form=form, errors=errors)
        for error in errors or []:
            messages.error(request, error)
        url = reverse("policies:document_review", args=[proposal.version_id])
        return redirect(f"{url}#{proposal.anchor}")
    proposals = selectors.proposal_list(proposal.version)
    proposal = next(p for p in proposals if p.pk == proposal.pk)
    comparison = selectors.version_comparison(proposal.version, proposals)
    numbers = _numbers(proposals)
    card = _card(proposal, comparison, numbers, mode=mode, form=form, errors=errors)
    context = {"card": card, "summary": _summary(proposals), "oob": mode == "view"}
    return render(request, "policies/_proposal_response.html", context)


def _edit_page(
    request: HttpRequest, proposal: Proposal, *, mode: str, form: Any, errors: list[str] | None
) -> HttpResponse:
    """The edit or reject form on a page of its own, for a browser without JavaScript."""
    proposals = selectors.proposal_list(proposal.version)
    proposal = next(p for p in proposals if p.pk == proposal.pk)
    comparison = selectors.version_comparison(proposal.version, proposals)
    card = _card(proposal, comparison, _numbers(proposals), mode=mode, form=form, errors=errors)
    version = proposal.version
    crumbs = _crumbs(
        (version.title, reverse("policies:document_review", args=[version.pk])),
        ("修改后接受" if mode == "edit" else "驳回", None),
    )
    return render(
        request, "policies/proposal_form_page.html", {"card": card, "version": version, "breadcrumbs": crumbs}
    )


def _error_messages(error: Exception) -> list[str]:
    if isinstance(error, ConfirmationInvalid):
        return [m for messages_ in error.errors.values() for m in messages_]
    return [str(error)]


@login_required
@require_POST
def proposal_accept_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_for(request, proposal_id)
    try:
        proposal_accept(actor=request.user, proposal=proposal)
    except ConfirmationInvalid as invalid:
        # The proposal breaks a rule as read (a unit not registered, 以下 as qualifier): open the
        # edit form on what it would write, with the messages next to the fields.
        form = _edit_form(proposal, data=None, bound=True)
        _add_errors(form, invalid)
        return _card_response(
            request, proposal, mode="edit", form=form, errors=["识别结果需修改后才能接受："]
        )
    except DecisionRefused as refused:
        return _card_response(request, proposal, errors=[str(refused)])
    return _card_response(request, proposal)


def _edit_form(proposal: Proposal, data: Any, *, bound: bool = False) -> TargetEditForm | TaskEditForm:
    """The edit form: on the posted ``data``, else on what accepting unedited would write.

    ``bound`` binds those first values, so the service's errors can be attached to them.
    """
    form_class = TaskEditForm if proposal.kind == ProposalKind.TASK else TargetEditForm
    if data is not None:
        return form_class(data)
    initial = edit_form_initial(proposal.kind, proposal_defaults(proposal))
    if not bound:
        return form_class(initial=initial)
    form = form_class(initial)
    form.is_valid()
    return form


def _add_errors(form: Any, invalid: ConfirmationInvalid) -> None:
    for name, errors in invalid.errors.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """修改后接受: the form on the card (GET), or the corrected values (POST)."""
    proposal = _proposal_for(request, proposal_id)
    if proposal.kind == ProposalKind.FIELD:
        return _card_response(request, proposal, errors=["领域建议不写入培育计划，请直接接受或驳回。"])
    if request.method == "GET":
        return _card_response(request, proposal, mode="edit", form=_edit_form(proposal, data=None))
    form = _edit_form(proposal, data=request.POST)
    if form.is_valid():
        try:
            proposal_edit_and_accept(
                actor=request.user,
                proposal=proposal,
                values=form.values(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ConfirmationInvalid as invalid:
            _add_errors(form, invalid)
        except DecisionRefused as refused:
            return _card_response(request, proposal, errors=[str(refused)])
        else:
            return _card_response(request, proposal)
    return _card_response(request, proposal, mode="edit", form=form)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_reject_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """驳回: asks for a reason (GET), records the rejection (POST)."""
    proposal = _proposal_for(request, proposal_id)
    if request.method == "GET":
        return _card_response(request, proposal, mode="reject", form=RejectForm())
    form = RejectForm(request.POST)
    form.is_valid()
    try:
        proposal_reject(actor=request.user, proposal=proposal, reason=form.cleaned_data.get("reason", ""))
    except ConfirmationInvalid as invalid:
        _add_errors(form, invalid)
        return _card_response(request, proposal, mode="reject", form=form)
    except DecisionRefused as refused:
        return _card_response(request, proposal, errors=[str(refused)])
    return _card_response(request, proposal)


@login_required
@require_GET
def proposal_card(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The card as it stands (取消 on a form)."""
    return _card_response(request, _proposal_for(request, proposal_id))


# -- comparison -----------------------------------------------------------------------------------


@login_required
@require_GET
def document_compare(request: HttpRequest, version_id: int) -> HttpResponse:
    """与现有目标任务比对: what this version changes against the programme's targets, tasks and fields."""
    version = selectors.version_get_for_user(request.user, version_id)
    proposals = selectors.proposal_list(version)
    comparison = selectors.version_comparison(version, proposals)
    numbers = _numbers(proposals)
    sections = []
    for key, kind, title, rows in (
        ("targets", ProposalKind.TARGET, "目标", comparison.targets.rows),
        ("tasks", ProposalKind.TASK, "任务", comparison.tasks.rows),
        ("fields", ProposalKind.FIELD, "领域和重点方向", comparison.fields.rows),
    ):
        items = [
            {
                "row": row,
                **_change(comparison.proposals.get(row.proposed["id"]) if row.proposed else None, row),
                "proposal": comparison.proposals.get(row.proposed["id"]) if row.proposed else None,
                "number": numbers.get(row.proposed["id"], "") if row.proposed else "",
                "differences": [DIFFERENCE_LABELS.get(d, d) for d in row.differences],
                "proposed_text": _current_text(kind, row.proposed) if row.proposed else "",
                "current_text": _current_text(kind, row.current) if row.current else "",
                "current_link": _current_link(version, kind, row.current),
                "directions": _direction_delta(row) if kind == ProposalKind.FIELD else "",
            }
            for row in rows
        ]
        chips = [(c.value, CHANGE_LABELS[c], sum(1 for r in rows if r.change == c)) for c in Change]
        sections.append({"key": key, "title": title, "items": items, "chips": chips})
    return render(
        request,
        "policies/document_compare.html",
        {
            "version": version,
            "sections": sections,
            "taxonomy_label": comparison.taxonomy_label,
            "breadcrumbs": _crumbs(
                (version.title, reverse("policies:document_review", args=[version.pk])),
                ("与现有目标任务比对", None),
            ),
        },
    )
