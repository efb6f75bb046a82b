"""Forms of the policies pages: they check the input's shape; the services enforce the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from xiandao.programmes.models import Basis, PolicyDocument, Programme, Qualifier, TargetScope
from xiandao.programmes.services.confirmation import units_split


def _choices(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "请选择"), *choices]


def _document_label(document: PolicyDocument) -> str:
    return f"《{document.title}》（{document.programme.name}）"


class DocumentUploadForm(forms.Form):
    programme = forms.ModelChoiceField(label="培育计划", queryset=Programme.objects.none(), empty_label=None)
    document = forms.ModelChoiceField(
        label="是否为已有文件的新版本",
        queryset=PolicyDocument.objects.none(),
        required=False,
        empty_label="否，这是一份新文件",
        help_text="选择后，将与该文件现有的目标和任务逐条比对，显示新版本的变化。",
    )
    title = forms.CharField(
        label="文件标题",
        max_length=300,
        required=False,
        help_text="新文件必填；新版本可留空，沿用原标题。",
        widget=forms.TextInput(attrs={"placeholder": "如：安徽省未来产业发展行动方案"}),
    )
    issuer = forms.CharField(label="发文单位", max_length=200, required=False)
    number = forms.CharField(
        label="文号",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：皖发改高技〔2024〕83号"}),
    )
    file = forms.FileField(
        label="文件",
        help_text="支持 .txt、.docx 和带文字层的 .pdf；扫描件请先做文字识别（OCR）。",
        error_messages={"required": "请选择要上传的文件。", "empty": "上传的文件是空的，请重新选择文件。"},
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx,.pdf"}),
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["programme"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = programmes
        document = self.fields["document"]
        assert isinstance(document, forms.ModelChoiceField)
        document.queryset = PolicyDocument.objects.filter(programme__in=programmes).select_related(
            "programme"
        )
        document.label_from_instance = _document_label  # type: ignore[method-assign,assignment]

    def clean_file(self) -> Any:
        """A file too large is refused before it is read into memory."""
        from .services.uploads import upload_size_error

        upload = self.cleaned_data["file"]
        error = upload_size_error(upload.size or 0)
        if error is not None:
            raise forms.ValidationError(error)
        return upload


class TargetEditForm(forms.Form):
    """A target proposal as the admin corrects it; numbers are parsed by the service, to one message."""

    year = forms.CharField(label="目标年份", max_length=10, required=False, help_text="未注明年份的留空")
    metric = forms.CharField(label="指标", max_length=200, required=False)
    value = forms.CharField(label="目标值", max_length=40, required=False)
    unit = forms.CharField(label="单位", max_length=50, required=False)
    qualifier = forms.ChoiceField(label="限定", choices=_choices(Qualifier.choices), required=False)
    strive = forms.BooleanField(label="力争", required=False)
    cumulative = forms.BooleanField(label="累计", required=False)
    scope = forms.ChoiceField(label="范围", choices=_choices(TargetScope.choices), required=False)
    basis = forms.ChoiceField(label="计数口径", choices=_choices(Basis.choices), required=False)
    reason = forms.CharField(label="修改说明", max_length=500, required=False)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        data["year"] = (data.get("year") or "").strip() or None
        return data


class TaskEditForm(forms.Form):
    task = forms.CharField(label="任务名称", max_length=300, required=False)
    lead = forms.CharField(
        label="牵头（责任）单位",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="多个单位用顿号“、”或换行分隔，照录原文",
    )
    cooperating = forms.CharField(label="配合单位", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="修改说明", max_length=500, required=False)

    def values(self) -> dict[str, Any]:
        return {
            "task": self.cleaned_data.get("task", ""),
            "lead": list(units_split(self.cleaned_data.get("lead", ""))),
            "cooperating": list(units_split(self.cleaned_data.get("cooperating", ""))),
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="驳回理由",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：描述的是现状，不是目标"}),
    )


def edit_form_initial(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """A form's first values from what accepting unedited would write."""
    if kind == "task":
        return {
            "task": values.get("task", ""),
            "lead": "、".join(values.get("lead") or []),
            "cooperating": "、".join(values.get("cooperating") or []),
        }
    initial = {k: v for k, v in values.items() if k != "quote"}
    if initial.get("qualifier") not in Qualifier.values:
        initial["qualifier"] = ""
    value = initial.get("value")
    initial["value"] = "" if value is None else str(value)
    initial["year"] = "" if initial.get("year") is None else str(initial["year"])
    return initial


class WithdrawForm(forms.Form):
    """撤回: the publication the page showed, and why the upload is taken back."""

    expected = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label="撤回理由",
        max_length=500,
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "如：上传错了文件，应为印发稿而不是征求意见稿"}
        ),
        help_text="撤回后，由本文件新增的目标和任务将被撤销（保留记录，不会删除），培育计划恢复原状。",
    )
