"""The registries other than enterprises: platforms, teams, technologies, standards, products…"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .base import Level, RegistryEntry


class PlatformKind(models.TextChoices):
    INDUSTRY_INNOVATION_CENTRE = "industry_innovation_centre", "产业创新中心"
    MANUFACTURING_INNOVATION_CENTRE = "manufacturing_innovation_centre", "制造业创新中心"
    TECHNOLOGY_INNOVATION_CENTRE = "technology_innovation_centre", "技术创新中心"
    ENGINEERING_RESEARCH_CENTRE = "engineering_research_centre", "工程研究中心"
    KEY_LABORATORY = "key_laboratory", "重点实验室"
    NEW_RD_INSTITUTION = "new_rd_institution", "新型研发机构"  # 国科发政〔2019〕313号
    PROOF_OF_CONCEPT = "proof_of_concept", "概念验证中心"
    PILOT_SCALE = "pilot_scale", "中试验证平台"
    PUBLIC_SERVICE = "public_service", "公共服务平台"


class Platform(RegistryEntry):
    kind = models.CharField("类别", max_length=40, choices=PlatformKind.choices)
    level = models.CharField("级别", max_length=20, choices=Level.choices)
    host = models.CharField("依托单位", max_length=200, blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "科技创新和公共服务平台"
        verbose_name_plural = "科技创新和公共服务平台"
        constraints = RegistryEntry.base_constraints("registries_platform")
        indexes = RegistryEntry.base_indexes("registries_platform")


class TalentTeam(RegistryEntry):
    leader = models.CharField("带头人", max_length=100, blank=True)
    level = models.CharField("级别", max_length=20, choices=Level.choices, default=Level.PROVINCIAL)
    host = models.CharField("依托单位", max_length=200, blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "高层次人才团队"
        verbose_name_plural = "高层次人才团队"
        constraints = RegistryEntry.base_constraints("registries_talentteam")
        indexes = RegistryEntry.base_indexes("registries_talentteam")


class Catalogue(models.TextChoices):
    FRONTIER = "frontier", "前沿技术攻关目录"
    DYNAMIC = "dynamic", "未来技术动态清单"


class KeyTechnology(RegistryEntry):
    catalogue = models.CharField("目录", max_length=20, choices=Catalogue.choices)
    holder = models.CharField("突破单位", max_length=200, blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "关键技术"
        verbose_name_plural = "关键技术"
        constraints = RegistryEntry.base_constraints("registries_keytechnology")
        indexes = RegistryEntry.base_indexes("registries_keytechnology")


def trl_validate(level: int) -> None:
    if not 1 <= int(level) <= 9:
        raise ValidationError({"level": f"技术就绪度应为1至9级，现为{level}"})


class ReadinessAssessment(models.Model):
    """A technology readiness level (GB/T 41621-2022 附录E) on a date, by an evaluator."""

    technology = models.ForeignKey(
        KeyTechnology, on_delete=models.CASCADE, related_name="assessments", verbose_name="关键技术"
    )
    level = models.PositiveSmallIntegerField(
        "技术就绪度", validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    assessed_on = models.DateField("评价日期")
    evaluator = models.CharField("评价单位", max_length=200, blank=True)
    standard = models.CharField("依据标准", max_length=100, default="GB/T 41621-2022 附录E")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "技术就绪度评价"
        verbose_name_plural = "技术就绪度评价"
        ordering = ["technology", "assessed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=9), name="registries_trl_1_to_9"
            )
        ]

    def __str__(self) -> str:
        return f"TRL {self.level}（{self.assessed_on}）"


class StandardLevel(models.TextChoices):
    INTERNATIONAL = "international", "国际标准"
    NATIONAL = "national", "国家标准"
    INDUSTRY = "industry", "行业标准"
    LOCAL = "local", "地方标准"
    GROUP = "group", "团体标准"


class StandardStage(models.TextChoices):
    APPROVED = "approved", "立项"  # not counted: only published standards count
    PUBLISHED = "published", "发布"


class StandardRole(models.TextChoices):
    LED = "led", "主导"
    JOINED = "joined", "参与"


class Standard(RegistryEntry):
    number = models.CharField(
        "标准号", max_length=60, blank=True, help_text="如 GB/T 41621-2022、DB34/T 4000-2024"
    )
    level = models.CharField("级别", max_length=20, choices=StandardLevel.choices)
    stage = models.CharField("阶段", max_length=20, choices=StandardStage.choices)
    role = models.CharField("角色", max_length=20, choices=StandardRole.choices, default=StandardRole.LED)

    class Meta(RegistryEntry.Meta):
        verbose_name = "标准"
        verbose_name_plural = "标准"
        constraints = RegistryEntry.base_constraints("registries_standard")
        indexes = RegistryEntry.base_indexes("registries_standard")


class ProductKind(models.TextChoices):
    FLAGSHIP = "flagship", "标志性产品"
    FIRST_SET = "first_set", "首台（套）重大装备"
    FIRST_BATCH = "first_batch", "首批次新材料"
    FIRST_EDITION = "first_edition", "首版次软件"
    KEY = "key", "重点产品"


class Product(RegistryEntry):
    kind = models.CharField("类别", max_length=20, choices=ProductKind.choices)
    catalogue = models.CharField(
        "目录或批次", max_length=200, blank=True, help_text="如 2024年第二批首台套目录"
    )
    year = models.PositiveSmallIntegerField("认定年份", null=True, blank=True)
    maker = models.CharField("研制单位", max_length=200, blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "标志性产品和“三首”产品"
        verbose_name_plural = "标志性产品和“三首”产品"
        constraints = RegistryEntry.base_constraints("registries_product")
        indexes = RegistryEntry.base_indexes("registries_product")


class ProjectStage(models.TextChoices):
    RESERVE = "reserve", "储备"
    SIGNED = "signed", "签约"
    STARTED = "started", "开工"
    COMPLETED = "completed", "竣工"


class ProjectKind(models.TextChoices):
    MAJOR = "major", "重大产业项目"
    FLAGSHIP = "flagship", "标志性项目"
    OTHER = "other", "一般项目"


class Project(RegistryEntry):
    kind = models.CharField("类别", max_length=20, choices=ProjectKind.choices, default=ProjectKind.MAJOR)
    stage = models.CharField("阶段", max_length=20, choices=ProjectStage.choices)
    planned_investment = models.DecimalField("计划总投资（万元）", max_digits=14, decimal_places=2)
    completed_investment = models.DecimalField(
        "累计完成投资（万元）", max_digits=14, decimal_places=2, default=Decimal(0)
    )
    overrun_note = models.TextField("超计划说明", blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "重大产业项目"
        verbose_name_plural = "重大产业项目"
        constraints = RegistryEntry.base_constraints("registries_project")
        indexes = RegistryEntry.base_indexes("registries_project")

    def clean(self) -> None:
        if (
            self.planned_investment is not None
            and self.completed_investment is not None
            and self.completed_investment > self.planned_investment
            and not self.overrun_note.strip()
        ):
            raise ValidationError({"overrun_note": "累计完成投资超过计划总投资，请填写超计划说明"})


class ProjectProgress(models.Model):
    """A project's investment and physical work (实物工作量) in one year."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="progress", verbose_name="项目"
    )
    year = models.PositiveSmallIntegerField("年度")
    invested = models.DecimalField("当年完成投资（万元）", max_digits=14, decimal_places=2)
    workload = models.TextField("实物工作量", blank=True)

    class Meta:
        verbose_name = "项目年度进展"
        verbose_name_plural = "项目年度进展"
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="registries_progress_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}年"


class FundKind(models.TextChoices):
    PARENT = "parent", "母基金"
    SUB = "sub", "子基金"


class Fund(RegistryEntry):
    kind = models.CharField("类别", max_length=20, choices=FundKind.choices, default=FundKind.SUB)
    size = models.DecimalField("基金规模（万元）", max_digits=14, decimal_places=2)
    invested = models.DecimalField("已投资（万元）", max_digits=14, decimal_places=2, default=Decimal(0))
    manager = models.CharField("管理机构", max_length=200, blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "基金"
        verbose_name_plural = "基金"
        constraints = RegistryEntry.base_constraints("registries_fund")
        indexes = RegistryEntry.base_indexes("registries_fund")

    def clean(self) -> None:
        if self.size is not None and self.invested is not None and self.invested > self.size:
            raise ValidationError({"invested": "已投资金额不能超过基金规模"})


class ScenarioKind(models.TextChoices):
    APPLICATION = "application", "应用场景"
    BENCHMARK = "benchmark", "标杆应用场景"
    SOLUTION = "solution", "商用解决方案"
    MAJOR = "major", "重大应用场景"


class Scenario(RegistryEntry):
    kind = models.CharField("类别", max_length=20, choices=ScenarioKind.choices)
    level = models.CharField("级别", max_length=20, choices=Level.choices, default=Level.MUNICIPAL)
    owner = models.CharField("建设单位", max_length=200, blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "应用场景"
        verbose_name_plural = "应用场景"
        constraints = RegistryEntry.base_constraints("registries_scenario")
        indexes = RegistryEntry.base_indexes("registries_scenario")


class ScenarioLab(RegistryEntry):
    level = models.CharField("级别", max_length=20, choices=Level.choices, default=Level.PROVINCIAL)
    host = models.CharField("依托单位", max_length=200, blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "未来场景实验室"
        verbose_name_plural = "未来场景实验室"
        constraints = RegistryEntry.base_constraints("registries_scenariolab")
        indexes = RegistryEntry.base_indexes("registries_scenariolab")


class TestZone(RegistryEntry):
    level = models.CharField("级别", max_length=20, choices=Level.choices, default=Level.PROVINCIAL)
    area = models.CharField("范围", max_length=200, blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "未来场景试验区"
        verbose_name_plural = "未来场景试验区"
        constraints = RegistryEntry.base_constraints("registries_testzone")
        indexes = RegistryEntry.base_indexes("registries_testzone")


class ParkKind(models.TextChoices):
    SCIENCE_PARK = "science_park", "未来产业科技园"  # 国科函区〔2022〕323号 named the national pilots
    INCUBATOR = "incubator", "孵化器"
    ACCELERATOR = "accelerator", "加速器"


class SciencePark(RegistryEntry):
    kind = models.CharField("类别", max_length=20, choices=ParkKind.choices, default=ParkKind.SCIENCE_PARK)
    level = models.CharField("级别", max_length=20, choices=Level.choices, default=Level.PROVINCIAL)
    university = models.CharField("依托高校", max_length=200, blank=True)
    document_no = models.CharField("批复文号", max_length=100, blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "未来产业科技园和孵化器"
        verbose_name_plural = "未来产业科技园和孵化器"
        constraints = RegistryEntry.base_constraints("registries_sciencepark")
        indexes = RegistryEntry.base_indexes("registries_sciencepark")
