"""Pilot zones, their host places over time, and the applications (申请报告) that create them.

A zone is what every later app points at: its programme, field, name, status, places and plan
(creation period and targets, from the application the creation list took). An application is
the city's 申请报告 (皖四(二)): host parks, field, zone type, creation period, targets per
indicator and year, measures, eligibility statements, attachments, the city's four
attestations; every saved revision is kept (:class:`ApplicationRevision`) and every move of the
life cycle (``lifecycle.py``) leaves a :class:`StatusChange` row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from xiandao.core.files import attachment_storage
from xiandao.geo.models import Jurisdiction, Park
from xiandao.programmes.models import Field, Programme, ZoneType

from .lifecycle import Action, State


class ZoneStatus(models.TextChoices):
    """Every state of ``lifecycle.State`` (one superset for every programme), as model choices."""

    DRAFT = State.DRAFT.value, State.DRAFT.label
    SUBMITTED = State.SUBMITTED.value, State.SUBMITTED.label
    ATTESTED = State.ATTESTED.value, State.ATTESTED.label
    RECOMMENDED = State.RECOMMENDED.value, State.RECOMMENDED.label
    RETURNED = State.RETURNED.value, State.RETURNED.label
    UNDER_REVIEW = State.UNDER_REVIEW.value, State.UNDER_REVIEW.label
    PROPOSED = State.PROPOSED.value, State.PROPOSED.label
    CONSULTATION = State.CONSULTATION.value, State.CONSULTATION.label
    PUBLIC_NOTICE = State.PUBLIC_NOTICE.value, State.PUBLIC_NOTICE.label
    NOT_LISTED = State.NOT_LISTED.value, State.NOT_LISTED.label
    CREATING = State.CREATING.value, State.CREATING.label
    ACCEPTANCE_ASSESSMENT = State.ACCEPTANCE_ASSESSMENT.value, State.ACCEPTANCE_ASSESSMENT.label
    OBSERVATION = State.OBSERVATION.value, State.OBSERVATION.label
    NATIONAL_RECOMMENDED = State.NATIONAL_RECOMMENDED.value, State.NATIONAL_RECOMMENDED.label
    RECOGNISED = State.RECOGNISED.value, State.RECOGNISED.label
    REMOVED = State.REMOVED.value, State.REMOVED.label


STATUS_LENGTH = 30


class PilotZone(models.Model):
    """A future-industry pilot zone (未来产业先导区) of one programme and one field."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="pilot_zones", verbose_name="培育计划"
    )
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        related_name="pilot_zones",
        verbose_name="领域",
        help_text="申报时所依据分类版本中的领域；分类调整后仍指向原版本",
    )
    zone_type = models.ForeignKey(
        ZoneType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pilot_zones",
        verbose_name="先导区类型",
    )
    name = models.CharField("名称", max_length=200)
    status = models.CharField(
        "状态", max_length=STATUS_LENGTH, choices=ZoneStatus.choices, default=ZoneStatus.DRAFT
    )
    application = models.OneToOneField(
        "Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone",
        verbose_name="申请报告",
    )
    creation_start_year = models.PositiveSmallIntegerField("创建期起始年", null=True, blank=True)
    creation_end_year = models.PositiveSmallIntegerField("创建期结束年", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "未来产业先导区"
        verbose_name_plural = "未来产业先导区"
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="pilot_zones_zone_name_unique"),
            models.CheckConstraint(
                condition=Q(creation_start_year__isnull=True)
                | Q(creation_end_year__isnull=True)
                | Q(creation_end_year__gte=F("creation_start_year")),
                name="pilot_zones_zone_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        period_check(self.creation_start_year, self.creation_end_year)
        if self.field_id and self.programme_id and self.field.version.programme_id != self.programme_id:
            raise ValidationError({"field": "领域须属于该先导区所在的培育计划"})
        zone_type = self.zone_type if self.zone_type_id else None
        if zone_type is not None and self.programme_id and zone_type.programme_id != self.programme_id:
            raise ValidationError({"zone_type": "先导区类型须属于该先导区所在的培育计划"})


class ZonePlace(models.Model):
    """A place hosting a zone from ``valid_from`` until ``valid_to`` (exclusive; open when null).

    A zone may span several places (Zhejiang's network type) and one park may host several
    zones; a place is a jurisdiction, a park, or a park named together with its jurisdiction.
    """

    zone = models.ForeignKey(
        PilotZone, on_delete=models.CASCADE, related_name="places", verbose_name="先导区"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="zone_places",
        verbose_name="行政区",
    )
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.PROTECT, related_name="zone_places", verbose_name="园区"
    )
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("终止日期", null=True, blank=True, help_text="不含当日；留空表示至今")

    class Meta:
        verbose_name = "承载地"
        verbose_name_plural = "承载地"
        ordering = ["zone", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jurisdiction__isnull=False) | Q(park__isnull=False),
                name="pilot_zones_place_names_somewhere",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="pilot_zones_place_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.park or self.jurisdiction)


def period_check(start: int | None, end: int | None) -> None:
    """A creation period runs forward: the end year is not before the start year."""
    if start is not None and end is not None and end < start:
        raise ValidationError({"creation_end_year": "创建期结束年不能早于起始年"})


class ZoneTarget(models.Model):
    """A zone's target for one indicator: for one year of its creation period, or overall (year null)."""

    zone = models.ForeignKey(
        PilotZone, on_delete=models.CASCADE, related_name="targets", verbose_name="先导区"
    )
    indicator_code = models.SlugField("指标编码", max_length=80)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True, help_text="留空表示创建期总体目标")
    value = models.DecimalField("目标值", max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = "先导区目标"
        verbose_name_plural = "先导区目标"
        ordering = ["zone", "indicator_code", F("year").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "indicator_code", "year"], name="pilot_zones_zone_target_unique"
            ),
            models.UniqueConstraint(
                fields=["zone", "indicator_code"],
                condition=Q(year__isnull=True),
                name="pilot_zones_zone_target_overall_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.indicator_code} {self.year or '总体'}：{self.value}"


class Application(models.Model):
    """A city's application (申请报告, 一区一策) for a pilot zone of one programme.

    ``version`` grows by one at every save, so a form posted from an older version is refused
    (stale form); ``round`` grows at every submission, so attestations and the recommendation
    letter belong to the submission they were made for.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="applications", verbose_name="培育计划"
    )
    city = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="applications", verbose_name="设区市"
    )
    name = models.CharField("先导区名称", max_length=200)
    field = models.ForeignKey(
        Field,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="领域",
    )
    zone_type = models.ForeignKey(
        ZoneType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="先导区类型",
    )
    host_parks = models.ManyToManyField(
        Park, related_name="applications", verbose_name="承载园区", blank=True
    )
    creation_start_year = models.PositiveSmallIntegerField("创建期起始年", null=True, blank=True)
    creation_end_year = models.PositiveSmallIntegerField("创建期结束年", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=STATUS_LENGTH, choices=ZoneStatus.choices, default=ZoneStatus.DRAFT
    )
    summary = models.TextField("基本情况", blank=True)
    measures = models.TextField("主要举措（一区一策）", blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    round = models.PositiveSmallIntegerField("提交轮次", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications_created",
        verbose_name="创建人",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "先导区申请报告"
        verbose_name_plural = "先导区申请报告"
        ordering = ["programme", "-updated_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(creation_start_year__isnull=True)
                | Q(creation_end_year__isnull=True)
                | Q(creation_end_year__gte=F("creation_start_year")),
                name="pilot_zones_application_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        period_check(self.creation_start_year, self.creation_end_year)
        field = self.field if self.field_id else None
        if field is not None and self.programme_id and field.version.programme_id != self.programme_id:
            raise ValidationError({"field": "所选领域不属于本培育计划"})
        zone_type = self.zone_type if self.zone_type_id else None
        if zone_type is not None and self.programme_id and zone_type.programme_id != self.programme_id:
            raise ValidationError({"zone_type": "所选先导区类型不属于本培育计划"})


class ApplicationRevision(models.Model):
    """One saved revision of an application: its whole record as JSON, kept for ever."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="revisions", verbose_name="申请报告"
    )
    number = models.PositiveIntegerField("修订号")
    record = models.JSONField("内容")
    status = models.CharField("当时状态", max_length=STATUS_LENGTH, choices=ZoneStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="修改人",
    )
    author_name = models.CharField("修改人姓名", max_length=150, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    saved_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "申请报告修订"
        verbose_name_plural = "申请报告修订"
        ordering = ["application", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="pilot_zones_application_revision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} 第{self.number}版"


class ApplicationTarget(models.Model):
    """The target an application sets for one indicator: for one year, or overall (year null)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="targets", verbose_name="申请报告"
    )
    indicator_code = models.SlugField("指标编码", max_length=80)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True, help_text="留空表示创建期总体目标")
    value = models.DecimalField("目标值", max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = "申报目标"
        verbose_name_plural = "申报目标"
        ordering = ["application", "indicator_code", F("year").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "indicator_code", "year"], name="pilot_zones_application_target_unique"
            ),
            models.UniqueConstraint(
                fields=["application", "indicator_code"],
                condition=Q(year__isnull=True),
                name="pilot_zones_application_target_overall_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.indicator_code} {self.year or '总体'}：{self.value}"


class AttachmentKind(models.TextChoices):
    RECOMMENDATION_LETTER = "recommendation_letter", "盖章推荐函"
    EVIDENCE = "evidence", "佐证材料"
    OTHER = "other", "其他附件"


class ApplicationAttachment(models.Model):
    """A file attached to an application, stored outside the web root (``core.files``)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name="申请报告"
    )
    kind = models.CharField(
        "类别", max_length=30, choices=AttachmentKind.choices, default=AttachmentKind.OTHER
    )
    file = models.FileField("文件", storage=attachment_storage, max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    round = models.PositiveSmallIntegerField("提交轮次", default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="上传人",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报附件"
        verbose_name_plural = "申报附件"
        ordering = ["application", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class EligibilityAnswer(models.Model):
    """The city's statement that the application meets one condition of the programme."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="eligibility", verbose_name="申请报告"
    )
    condition_code = models.SlugField("条件编码", max_length=80)
    statement = models.TextField("说明")
    evidence = models.ForeignKey(
        ApplicationAttachment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="佐证材料",
    )

    class Meta:
        verbose_name = "申报条件说明"
        verbose_name_plural = "申报条件说明"
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "condition_code"], name="pilot_zones_eligibility_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.condition_code}"


class AttestationCheck(models.TextChoices):
    """The four checks the city makes (皖四(二) 真实性、准确性、完整性和合规性)."""

    AUTHENTICITY = "authenticity", "真实性"
    ACCURACY = "accuracy", "准确性"
    COMPLETENESS = "completeness", "完整性"
    COMPLIANCE = "compliance", "合规性"


class Attestation(models.Model):
    """One of the city's four checks of one submission, by a named officer at a time."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attestations", verbose_name="申请报告"
    )
    round = models.PositiveSmallIntegerField("提交轮次")
    item = models.CharField("审核事项", max_length=20, choices=AttestationCheck.choices)
    statement = models.TextField("审核意见")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="审核人"
    )
    officer_name = models.CharField("审核人姓名", max_length=150)
    attested_at = models.DateTimeField("审核时间")

    class Meta:
        verbose_name = "市级审核确认"
        verbose_name_plural = "市级审核确认"
        ordering = ["application", "round", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "round", "item"], name="pilot_zones_attestation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.get_item_display()}"


class StatusChange(models.Model):
    """One move of an application's or a zone's life cycle: from, to, by which action, who, why, when."""

    application = models.ForeignKey(
        Application,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name="申请报告",
    )
    zone = models.ForeignKey(
        PilotZone,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name="先导区",
    )
    from_status = models.CharField("原状态", max_length=STATUS_LENGTH, choices=ZoneStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=STATUS_LENGTH, choices=ZoneStatus.choices)
    action = models.CharField("操作", max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    reason = models.TextField("理由", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False) | Q(zone__isnull=False),
                name="pilot_zones_status_change_of_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application or self.zone}：{self.from_status}→{self.to_status}"

    @property
    def action_label(self) -> str:
        """The action in Chinese (资格核对后新建, 提交设区市审核, 退回修改…)."""
        if self.action == "create":
            return "资格核对后新建"
        member = Action._value2member_map_.get(self.action)
        return str(getattr(member, "label", self.action))


# The creation lists' models (a sub-package, so the list and the application work merge apart).
from .lists.models import (  # noqa: E402, F401
    AcceptanceAssessment,
    CreationList,
    DepartmentOpinion,
    ListEntry,
    ListStatusChange,
    Objection,
)
