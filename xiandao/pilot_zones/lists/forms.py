"""The shape of what the list pages post; the services enforce the rules."""

from __future__ import annotations

from django import forms

from .models import ListStatus, OpinionStance


class _Expected(forms.Form):
    #: The list status the page was built on, so a stale page is refused rather than acted on twice.
    expected = forms.ChoiceField(choices=ListStatus.choices, required=False, widget=forms.HiddenInput)


class ListCreateForm(forms.Form):
    programme = forms.SlugField(label="培育计划")
    title = forms.CharField(label="名称", max_length=200, required=False)


class ProposeForm(_Expected):
    application = forms.IntegerField(widget=forms.HiddenInput)
    opinion = forms.CharField(label="拟列入意见", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DeclineForm(_Expected):
    application = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="不列入理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ConsultForm(_Expected):
    departments = forms.TypedMultipleChoiceField(label="征求意见单位", coerce=int)
    deadline = forms.DateField(label="意见反馈截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args: object, departments: list[tuple[int, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["departments"].choices = departments  # type: ignore[attr-defined]


class OpinionForm(forms.Form):
    stance = forms.ChoiceField(label="意见", choices=OpinionStance.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label="具体意见", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class NoticeForm(_Expected):
    starts_on = forms.DateField(
        label="公示开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ObjectionForm(forms.Form):
    objector = forms.CharField(label="异议人", max_length=200)
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    received_on = forms.DateField(
        label="收到日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    entry = forms.IntegerField(label="所涉先导区", required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="处理意见", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    upheld = forms.TypedChoiceField(
        label="异议是否成立", choices=[("0", "不成立"), ("1", "成立")], coerce=lambda v: v == "1"
    )


class PublishForm(_Expected):
    published_on = forms.DateField(
        label="公布日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="说明", required=False, max_length=2000)


class AcceptanceStartForm(forms.Form):
    departments = forms.TypedMultipleChoiceField(label="会同部门", coerce=int, required=False)
    started_on = forms.DateField(
        label="考核开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="说明", required=False, max_length=2000)

    def __init__(self, *args: object, departments: list[tuple[int, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["departments"].choices = departments  # type: ignore[attr-defined]


class AcceptanceResultForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="考核结果", choices=[("1", "通过"), ("0", "未通过")], coerce=lambda v: v == "1"
    )
    opinion = forms.CharField(
        label="考核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    decided_on = forms.DateField(
        label="结果日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
