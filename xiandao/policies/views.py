"""Pages of the policies app: the list and upload form, the review of proposals, the comparison.

Decisions are posted with HTMX and answer with the proposal's card (plus the summary and the
status tag in the text, out of band), so the page is not reloaded; without JavaScript the same
URLs redirect back to the review page.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiandao.core.excel import Column, export_filename, xlsx_response
from xiandao.core.formats import date_zh
from xiandao.core.listing import Listing, Sort

from . import selectors
from .forms import (
    DocumentUploadForm,
    RejectForm,
    TargetEditForm,
    TaskEditForm,
    WithdrawForm,
    edit_form_initial,
)
from .models import (
    Proposal,
    ProposalKind,
    ProposalStatus,
    Publication,
    VersionStatus,
    proposal_move_allowed,
    proposal_move_refused,
)
from .permissions import proposal_policy, version_policy
from .presentation import Review, proposal_text
from .services import (
    ConfirmationInvalid,
    DecisionRefused,
    DecisionStale,
    PublicationInvalid,
    PublicationRefused,
    PublicationStale,
    UploadInvalid,
    document_upload,
    proposal_accept,
    proposal_defaults,
    proposal_edit_and_accept,
    proposal_reject,
    version_publish,
    version_withdraw,
)

LIST_CRUMB = ("政策文件", "policies:document_list")
#: Added to a refusal when the form comes back with what the admin typed.
KEPT = "您填写的内容已保留在下方。"


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(LIST_CRUMB[0], reverse(LIST_CRUMB[1])), *trail]


# -- list and upload ------------------------------------------------------------------------------


VERSION_SORTS = (
    Sort("uploaded", "上传", ("-uploaded_at", "-pk")),
    Sort("title", "文件", ("title", "-pk")),
    Sort("proposed", "待确认", ("-proposed_count", "-uploaded_at")),
)


def _version_export(listing: Listing, *, programme: Any, status: str, q: str) -> HttpResponse:
    """The uploaded versions as filtered and sorted, every page."""
    rows = list(listing.ordered)
    filters = "；".join(
        p
        for p in (
            programme.name if programme else "",
            str(VersionStatus(status).label) if status in VersionStatus.values else "",
            f"搜索“{q}”" if q else "",
        )
        if p
    )
    return xlsx_response(
        filename=export_filename(programme.name if programme else "", "上传的政策文件"),
        title="上传的政策文件",
        sheet="政策文件",
        subtitle=f"筛选条件：{filters or '全部'}。共 {len(rows)} 份。导出时间：{date_zh(timezone.now())}",
        columns=[
            Column("文件", 40),
            "文件名",
            Column("培育计划", 30),
            "版本",
            "上传人",
            "上传时间",
            "状态",
            "待确认",
            "已接受",
            "已驳回",
        ],
        rows=[
            [
                v.title,
                v.file_name,
                v.programme.name,
                f"《{v.document.title}》的新版本" if v.is_new_version and v.document else "新文件",
                str(v.uploaded_by),
                v.uploaded_at,
                v.get_status_display(),
                v.proposed_count,
                v.accepted_count,
                v.rejected_count,
            ]
            for v in rows
        ],
    )


@login_required
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    """上传的政策文件: every version of the programmes the user administers, filtered in the URL."""
    programmes = list(selectors.programme_list_for_upload(request.user))
    programme = next((p for p in programmes if p.code == request.GET.get("programme")), None)
    status = request.GET.get("status", "")
    publication = request.GET.get("publication", "")
    q = request.GET.get("q", "").strip()
    versions = selectors.version_list_for_user(
        request.user, programme=programme, status=status, publication=publication, q=q
    )
    listing = Listing(request, versions, sorts=VERSION_SORTS, default="uploaded", per_page=20)
    if request.GET.get("format") == "xlsx":
        return _version_export(listing, programme=programme, status=status, q=q)
    return render(
        request,
        "policies/document_list.html",
        {
            "breadcrumbs": [("政策文件", None)],
            "programmes": programmes,
            "programme": programme,
            "status": status,
            "statuses": VersionStatus.choices,
            "publication": publication,
            "publications": Publication.choices,
            "q": q,
            "listing": listing,
            "page": listing.page,
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
            if version.already_uploaded:
                when = timezone.localtime(version.uploaded_at).strftime("%Y-%m-%d %H:%M")
                messages.info(
                    request,
                    f"该文件已于{when}由{version.uploaded_by}上传到本培育计划，未重复保存；以下是当时的版本。",
                )
            elif version.status == VersionStatus.READY:
                messages.success(request, f"已读取《{version.title}》，请逐条确认识别出的目标、任务和领域。")
            return redirect("policies:document_review", version_id=version.pk)
    if form.errors and "file" not in form.errors and request.method == "POST":
        form.add_error("file", "出于安全原因，浏览器不会保留已选的文件，请重新选择后提交。")
    return render(
        request,
        "policies/document_upload.html",
        {
            "form": form,
            "breadcrumbs": _crumbs(("上传政策文件", None)),
            "limits": {
                "max_mb": settings.POLICIES_MAX_UPLOAD_MB,
                "max_chars": f"{settings.POLICIES_MAX_TEXT_CHARS:,}",
            },
        },
    )


# -- review ---------------------------------------------------------------------------------------


@login_required
@require_GET
def document_review(request: HttpRequest, version_id: int) -> HttpResponse:
    """识别结果确认: the text with every proposal marked in place, and a card per proposal to decide."""
    version = selectors.version_get_for_user(request.user, version_id)
    review = Review.of(version)
    kind = request.GET.get("kind", "")
    shown = [p for p in review.proposals if not kind or p.kind == kind]
    if request.GET.get("status") == ProposalStatus.PROPOSED:
        shown = [p for p in shown if p.status == ProposalStatus.PROPOSED]
    if request.GET.get("format") == "xlsx":
        return _proposal_export(review, shown, kind=kind, only_open=request.GET.get("status") == "proposed")
    return render(
        request,
        "policies/document_review.html",
        {
            "version": version,
            "paragraphs": review.paragraphs(),
            "cards": [review.card(p) for p in shown],
            "summary": review.summary(),
            "kinds": review.kind_counts(),
            "kind": kind,
            "only_open": request.GET.get("status") == ProposalStatus.PROPOSED,
            "publication": selectors.version_publication_summary(version),
            "breadcrumbs": _crumbs((version.title, None)),
        },
    )


def _proposal_export(review: Review, shown: list[Proposal], *, kind: str, only_open: bool) -> HttpResponse:
    """The proposals as the review page lists them (kind and status filters), one row each."""
    version = review.version
    cards = [review.card(p) for p in shown]
    filters = "；".join(
        f
        for f in (
            str(ProposalKind(kind).label) if kind in ProposalKind.values else "",
            "只看待确认" if only_open else "",
        )
        if f
    )
    return xlsx_response(
        filename=export_filename(version.title, "识别结果"),
        title=f"《{version.title}》识别结果",
        sheet="识别结果",
        subtitle=f"筛选条件：{filters or '全部'}。共 {len(cards)} 条。导出时间：{date_zh(timezone.now())}",
        columns=[
            "编号",
            "类别",
            "状态",
            Column("识别内容", 50),
            Column("原文", 60),
            "与培育计划相比",
            "决定人",
            "决定时间",
            Column("理由或修改说明", 30),
        ],
        rows=[
            [
                card["number"],
                card["proposal"].get_kind_display(),
                card["proposal"].get_status_display(),
                proposal_text(card["proposal"].kind, card["data"]),
                card["data"].get("quote", ""),
                card["change_label"],
                str(card["proposal"].decided_by or ""),
                card["proposal"].decided_at,
                card["proposal"].reason,
            ]
            for card in cards
        ],
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


def _expected(request: HttpRequest) -> str:
    """The status the admin's page showed the proposal in (a hidden field of every decision form)."""
    return request.POST.get("expected", "")


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
    review = Review.of(proposal.version)
    card = review.card(review.proposal(proposal.pk), mode=mode, form=form, errors=errors)
    context = {
        "card": card,
        "summary": review.summary(),
        "oob": mode == "view",
        "version": review.version,
        "publication": selectors.version_publication_summary(review.version),
    }
    return render(request, "policies/_proposal_response.html", context)


def _edit_page(
    request: HttpRequest, proposal: Proposal, *, mode: str, form: Any, errors: list[str] | None
) -> HttpResponse:
    """The edit or reject form on a page of its own, for a browser without JavaScript."""
    review = Review.of(proposal.version)
    card = review.card(review.proposal(proposal.pk), mode=mode, form=form, errors=errors)
    version = review.version
    crumbs = _crumbs(
        (version.title, reverse("policies:document_review", args=[version.pk])),
        ("修改后接受" if mode == "edit" else "驳回", None),
    )
    return render(
        request, "policies/proposal_form_page.html", {"card": card, "version": version, "breadcrumbs": crumbs}
    )


@login_required
@require_POST
def proposal_accept_view(request: HttpRequest, proposal_id: int) -> HttpResponse:
    proposal = _proposal_for(request, proposal_id)
    try:
        proposal_accept(actor=request.user, proposal=proposal, expected=_expected(request))
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


def _typed(form: Any) -> str:
    """What the admin typed in a form that can no longer be submitted, so that nothing is lost."""
    typed = [
        f"{form[name].label}：{'是' if value is True else value}"
        for name, value in form.cleaned_data.items()
        if name != "expected" and value not in ("", None, False, [])
    ]
    return f"您填写的内容：{'；'.join(typed)}" if typed else ""


def _current_status(proposal: Proposal) -> str:
    return str(Proposal.objects.filter(pk=proposal.pk).values_list("status", flat=True).get())


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
    if not proposal_move_allowed(proposal.status, ProposalStatus.EDITED):
        return _card_response(
            request,
            proposal,
            errors=[proposal_move_refused(proposal.status, ProposalStatus.EDITED)],
        )
    if request.method == "GET":
        return _card_response(request, proposal, mode="edit", form=_edit_form(proposal, data=None))
    form = _edit_form(proposal, data=request.POST)
    if form.is_valid():
        try:
            proposal_edit_and_accept(
                actor=request.user,
                proposal=proposal,
                expected=_expected(request),
                values=form.values(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ConfirmationInvalid as invalid:
            _add_errors(form, invalid)
        except DecisionStale as stale:
            # Another admin decided meanwhile: show the proposal as it is now, with what was typed.
            if proposal_move_allowed(_current_status(proposal), ProposalStatus.EDITED):
                return _card_response(request, proposal, mode="edit", form=form, errors=[f"{stale}{KEPT}"])
            return _card_response(request, proposal, errors=[str(stale), _typed(form)])
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
        proposal_reject(
            actor=request.user,
            proposal=proposal,
            expected=_expected(request),
            reason=form.cleaned_data.get("reason", ""),
        )
    except ConfirmationInvalid as invalid:
        _add_errors(form, invalid)
        return _card_response(request, proposal, mode="reject", form=form)
    except DecisionStale as stale:
        # What was typed is kept: in the form while a rejection is still possible, else quoted.
        if proposal_move_allowed(_current_status(proposal), ProposalStatus.REJECTED):
            return _card_response(request, proposal, mode="reject", form=form, errors=[f"{stale}{KEPT}"])
        return _card_response(request, proposal, errors=[str(stale), _typed(form)])
    except DecisionRefused as refused:
        return _card_response(request, proposal, errors=[str(refused)])
    return _card_response(request, proposal)


@login_required
@require_GET
def proposal_card(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """The card as it stands (取消 on a form)."""
    return _card_response(request, _proposal_for(request, proposal_id))


# -- comparison -----------------------------------------------------------------------------------


def _comparison_export(review: Review) -> HttpResponse:
    """The comparison page's rows, every section, as the page shows them."""
    sections = review.sections()
    rows = [
        [
            section["title"],
            item["change_label"],
            "、".join(item["differences"]),
            item["proposed_text"] or "（新版本中未找到）",
            item["current_text"],
            (f"{item['proposal'].get_status_display()}（{item['number']}）" if item["proposal"] else ""),
        ]
        for section in sections
        for item in section["items"]
    ]
    return xlsx_response(
        filename=export_filename(review.version.title, "比对"),
        title=f"《{review.version.title}》与培育计划比对",
        sheet="比对",
        subtitle=f"共 {len(rows)} 条。导出时间：{date_zh(timezone.now())}",
        columns=[
            "类别",
            "变化",
            "不同之处",
            Column("新版本（识别结果）", 50),
            Column("培育计划现有", 50),
            "确认状态",
        ],
        rows=rows,
    )


@login_required
@require_GET
def document_compare(request: HttpRequest, version_id: int) -> HttpResponse:
    """与现有目标任务比对: what this version changes against the programme's targets, tasks and fields."""
    version = selectors.version_get_for_user(request.user, version_id)
    review = Review.of(version)
    if request.GET.get("format") == "xlsx" and version.status == VersionStatus.READY:
        return _comparison_export(review)
    return render(
        request,
        "policies/document_compare.html",
        {
            "version": version,
            "sections": review.sections(),
            "taxonomy_label": review.comparison.taxonomy_label,
            "breadcrumbs": _crumbs(
                (version.title, reverse("policies:document_review", args=[version.pk])),
                ("与现有目标任务比对", None),
            ),
        },
    )


# -- the file, publication ------------------------------------------------------------------------


@require_GET
def document_file(request: HttpRequest, version_id: int) -> FileResponse:
    """原文件: the uploaded file itself, to those who may see its document (404 to anyone else)."""
    version = version_policy.get_or_404(request.user, "download", pk=version_id)
    if not version.file:
        raise Http404("该版本上传时尚未保存原文件。")
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("原文件不在存储中，请联系平台运维人员。") from missing
    content_type = mimetypes.guess_type(version.file_name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=version.file_name, content_type=content_type)


def _back_to_review(request: HttpRequest, version_id: int) -> HttpResponse:
    url = reverse("policies:document_review", args=[version_id])
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_POST
def document_publish_view(request: HttpRequest, version_id: int) -> HttpResponse:
    """发布: the version and what was accepted from it become public."""
    version = selectors.version_get_for_user(request.user, version_id)
    try:
        version = version_publish(
            actor=request.user, version=version, expected=request.POST.get("expected", "")
        )
    except PublicationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"已发布《{version.title}》：文件及由其确认的目标和任务现已公开。")
    return _back_to_review(request, version.pk)


@login_required
@require_http_methods(["GET", "POST"])
def document_withdraw_view(request: HttpRequest, version_id: int) -> HttpResponse:
    """撤回: asks for confirmation and a reason (GET), then withdraws (POST)."""
    version = selectors.version_get_for_user(request.user, version_id)
    form = WithdrawForm(request.POST or None, initial={"expected": version.publication})
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            version_withdraw(
                actor=request.user,
                version=version,
                expected=form.cleaned_data["expected"],
                reason=form.cleaned_data["reason"],
            )
        except PublicationInvalid as invalid:
            for name, messages_ in invalid.errors.items():
                for message in messages_:
                    form.add_error(name if name in form.fields else None, message)
        except PublicationStale as stale:
            errors.append(f"{stale}{KEPT}")  # the reason typed stays in the form
        except PublicationRefused as refused:
            messages.error(request, str(refused))
            return _back_to_review(request, version.pk)
        else:
            messages.success(request, f"已撤回《{version.title}》，由其新增的目标和任务已撤销。")
            return _back_to_review(request, version.pk)
    version.refresh_from_db()
    return render(
        request,
        "policies/document_withdraw.html",
        {
            "version": version,
            "form": form,
            "errors": errors,
            "publication": selectors.version_publication_summary(version),
            "drafts": selectors.version_drafts(version),
            "breadcrumbs": _crumbs(
                (version.title, reverse("policies:document_review", args=[version.pk])), ("撤回", None)
            ),
        },
    )
