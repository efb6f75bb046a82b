"""Forms of the review pages: they check the input's shape; the services enforce the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from xiandao.accounts.models import ExpertKind

from .models import ConflictKind, Recommendation, RelationshipKind
from .scoring import CRITERION_LABELS, Rules


class Styled(forms.Form):
    """Bootstrap classes on every widget, so the templates render fields plainly."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


class ExpertForm(Styled):
    name = forms.CharField(label="姓名", max_length=50)
    kind = forms.ChoiceField(label="类别", choices=ExpertKind.choices)
    title = forms.CharField(label="职务职称", max_length=100, required=False)
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="工作单位", queryset=None, required=False
    )
    city: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="所在城市", queryset=None, required=False
    )
    field_codes = forms.MultipleChoiceField(
        label="专业领域", required=False, widget=forms.CheckboxSelectMultiple
    )
    expertise = forms.CharField(label="研究或投资方向", max_length=300, required=False)
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="登录账号", queryset=None, required=False
    )
    active = forms.BooleanField(label="在库（参加抽取）", required=False, initial=True)

    def __init__(
        self, *args: Any, organisations: Any, cities: Any, fields: Any, users: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["city"].queryset = cities  # type: ignore[attr-defined]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["field_codes"].choices = fields  # type: ignore[attr-defined]


class ConflictForm(Styled):
    kind = forms.ChoiceField(label="回避对象类型", choices=ConflictKind.choices)
    jurisdiction: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="城市", queryset=None, required=False
    )
    park: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label="园区", queryset=None, required=False)
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="单位", queryset=None, required=False
    )
    enterprise = forms.CharField(label="企业（登记库中的名称）", max_length=300, required=False)
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args: Any, cities: Any, parks: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = cities  # type: ignore[attr-defined]
        self.fields["park"].queryset = parks  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class RelationshipForm(Styled):
    kind = forms.ChoiceField(label="关系", choices=RelationshipKind.choices)
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="单位", queryset=None, required=False
    )
    person = forms.CharField(label="人员姓名", max_length=50, required=False)
    started_on = forms.DateField(
        label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ended_on = forms.DateField(
        label="结束日期（仍存续请留空）", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class RoundForm(Styled):
    programme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="培育计划", queryset=None, empty_label=None
    )
    name = forms.CharField(label="批次名称", max_length=200)
    deadline = forms.DateField(label="评分截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    applications = forms.MultipleChoiceField(label="论证中的申报", widget=forms.CheckboxSelectMultiple)

    def __init__(
        self, *args: Any, programmes: Any, applications: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["applications"].choices = applications  # type: ignore[attr-defined]


class DrawForm(Styled):
    scientist = forms.IntegerField(label="科学家人数", min_value=0, max_value=20, initial=1)
    entrepreneur = forms.IntegerField(label="企业家人数", min_value=0, max_value=20, initial=1)
    investor = forms.IntegerField(label="风险投资家人数", min_value=0, max_value=20, initial=1)
    reserves_per_kind = forms.IntegerField(label="每类备选人数", min_value=0, max_value=10, initial=2)
    match_fields = forms.BooleanField(
        label="只抽取专业领域与申报领域相符的专家", required=False, initial=False
    )
    supervisor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label="监督人", queryset=None)

    def __init__(self, *args: Any, supervisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors  # type: ignore[attr-defined]


class ReasonForm(Styled):
    reason = forms.CharField(label="理由", max_length=300, required=False)


def score_form_class(rules: Rules) -> type[forms.Form]:
    """A form with one number per criterion (or per item of the 评分细则), comments and a recommendation."""
    attrs: dict[str, Any] = {}
    if rules.itemised:
        for item in rules.items:
            attrs[item.code] = forms.CharField(
                label=f"{CRITERION_LABELS[item.criterion]} · {item.name}（0～{item.max_points}分）",
                required=False,
            )
    else:
        for criterion in rules.criteria:
            attrs[criterion] = forms.CharField(
                label=f"{CRITERION_LABELS[criterion]}（{rules.scale_min}～{rules.scale_max}分）",
                required=False,
            )
    attrs["comments"] = forms.CharField(
        label="评审意见", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    attrs["recommendation"] = forms.ChoiceField(
        label="结论建议", choices=[("", "请选择"), *Recommendation.choices], required=False
    )
    return type("ScoreForm", (Styled,), attrs)


class OpinionForm(Styled):
    text = forms.CharField(label="论证意见", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    conclusion = forms.ChoiceField(
        label="论证结论", choices=[("", "请选择"), *Recommendation.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
