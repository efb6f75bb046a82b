"""The notice form (shape only: the service decides what is allowed) and the e-mail preferences form."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from xiandao.accounts.models import Role
from xiandao.geo.selectors import city_list_within

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from xiandao.geo.models import Jurisdiction
    from xiandao.programmes.models import Programme


class NoticeForm(forms.Form):
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label="培育计划",
        queryset=None,  # the programmes the user administers, set per form
        empty_label=None,
        error_messages={"required": "请选择培育计划。"},
    )
    title = forms.CharField(label="标题", max_length=200, error_messages={"required": "请填写标题。"})
    body = forms.CharField(
        label="正文", widget=forms.Textarea(attrs={"rows": 8}), error_messages={"required": "请填写正文。"}
    )
    roles = forms.MultipleChoiceField(
        label="面向角色",
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="不选表示全部角色。",
    )
    cities: forms.ModelMultipleChoiceField[Jurisdiction] = forms.ModelMultipleChoiceField(
        label="面向设区市",
        queryset=None,  # the cities of those programmes, set per form
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text="不选表示全部地区（含省级用户）；选择后只发给这些市的用户。",
    )

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        roots = [p.jurisdiction_id for p in programmes]
        self.fields["cities"].queryset = city_list_within(roots)  # type: ignore[attr-defined]
