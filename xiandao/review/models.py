"""The advisory committee's expert review (咨询委员会论证): the expert pool, rounds, draws, scores, opinions.

The pool belongs to a programme and is kept by its admin. A review round puts applications
under review, draws a panel at random with recusal (回避) from the pool, and collects each
panel member's declaration (回避声明) and scores on the programme's four criteria. The
committee's review opinion (论证意见) on each application is written by the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from xiandao.accounts.models import ExpertKind, Organisation
from xiandao.geo.models import Jurisdiction, Park
from xiandao.programmes.models import Programme
from xiandao.registries.models import Enterprise


class Expert(models.Model):
    """A member of the programme's expert pool (专家库): scientist, entrepreneur or investor."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="experts", verbose_name="培育计划"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_records",
        verbose_name="登录账号",
        help_text="专家登录平台使用的账号（须持有咨询委员会专家角色）",
    )
    name = models.CharField("姓名", max_length=50)
    kind = models.CharField("类别", max_length=20, choices=ExpertKind.choices)
    title = models.CharField("职务职称", max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name="工作单位",
    )
    city = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
        verbose_name="所在城市",
    )
    field_codes = models.JSONField("专业领域", default=list, blank=True, help_text="培育计划领域代码")
    expertise = models.CharField("研究或投资方向", max_length=300, blank=True)
    active = models.BooleanField("在库", default=True, help_text="停用的专家不参加抽取")
    is_demo = models.BooleanField("示例数据", default=False)
    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家库"
        ordering = ["programme", "kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user"],
                condition=Q(user__isnull=False),
                name="review_expert_user_once_per_programme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class ConflictKind(models.TextChoices):
    CITY = "city", "城市"  # 回避某设区市的申报
    PARK = "park", "园区"  # 回避某开发区、园区
    ENTERPRISE = "enterprise", "企业"  # 回避登记库中的某企业
    ORGANISATION = "organisation", "单位"  # 回避某机构


class DeclaredConflict(models.Model):
    """A conflict the expert declared (本人申报的回避): a city, a park, an enterprise or an organisation."""

    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, related_name="declared_conflicts", verbose_name="专家"
    )
    kind = models.CharField("回避对象类型", max_length=20, choices=ConflictKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="城市"
    )
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="园区"
    )
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="企业"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "申报回避"
        verbose_name_plural = "申报回避"
        ordering = ["expert", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(kind="city") & Q(jurisdiction__isnull=False))
                    | (Q(kind="park") & Q(park__isnull=False))
                    | (Q(kind="enterprise") & Q(enterprise__isnull=False))
                    | (Q(kind="organisation") & Q(organisation__isnull=False))
                ),
                name="review_declared_conflict_names_its_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.target_name}"

    @property
    def target_name(self) -> str:
        target = self.jurisdiction or self.park or self.enterprise or self.organisation
        return str(target) if target is not None else ""


class RelationshipKind(models.TextChoices):
    EMPLOYMENT = "employment", "任职或受聘"  # 三年内
    BOARD = "board", "担任董事、监事或控股"  # 三年内
    FAMILY = "family", "亲属关系"  # 配偶、直系血亲、三代以内旁系血亲及近姻亲
    JOINT_PROJECT = "joint_project", "共同承担项目"  # 三年内
    AWARD = "award", "共同获奖"  # 三年内
    PAPER = "paper", "合作发表论文"  # 三年内
    PATENT = "patent", "共同申请专利"  # 三年内
    TEACHER_STUDENT = "teacher_student", "师生关系"  # 硕士、博士导师关系，长期回避


class Relationship(models.Model):
    """A recorded tie for the recusal rules: with an organisation, an enterprise or a named person."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="relationships", verbose_name="专家")
    kind = models.CharField("关系", max_length=20, choices=RelationshipKind.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="企业"
    )
    person = models.CharField("人员", max_length=50, blank=True, help_text="亲属、师生等关系的对方姓名")
    started_on = models.DateField("开始日期", null=True, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True, help_text="留空表示仍存续")
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "回避关系"
        verbose_name_plural = "回避关系"
        ordering = ["expert", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(enterprise__isnull=False) | ~Q(person=""),
                name="review_relationship_names_the_other_side",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.other_name}"

    @property
    def other_name(self) -> str:
        return str(self.organisation or self.enterprise or self.person)
