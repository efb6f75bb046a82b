"""Enterprises keyed by their 统一社会信用代码, and their dated tiers and tags."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from xiandao.registries.codes import code_problem, normalise

from .base import RegistryEntry


def credit_code_validate(code: str, *, override_reason: str = "") -> bool:
    """The one rule for a credit code: returns whether it is flagged (a check failure overridden).

    A wrong length or character is always refused; a wrong check character is refused unless an
    officer holding the business licence gives a reason (2015–2017 pilot codes fail the check).
    """
    problem = code_problem(code)
    if problem is None:
        return False
    if problem.kind == "check" and override_reason.strip():
        return True
    hint = "；如持有营业执照确认无误，可填写原因后保存" if problem.kind == "check" else ""
    raise ValidationError({"credit_code": f"{problem.message}{hint}"})


class Enterprise(RegistryEntry):
    """One enterprise, however many zones report it."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    code_flagged = models.BooleanField("代码未通过校验", default=False)
    code_override_reason = models.TextField("校验例外原因", blank=True)
    short_name = models.CharField("简称", max_length=100, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)

    class Meta(RegistryEntry.Meta):
        verbose_name = "企业"
        verbose_name_plural = "企业"
        constraints = RegistryEntry.base_constraints("registries_enterprise")
        indexes = RegistryEntry.base_indexes("registries_enterprise")

    def clean(self) -> None:
        self.credit_code = normalise(self.credit_code)
        self.code_flagged = credit_code_validate(self.credit_code, override_reason=self.code_override_reason)


class TagKind(models.TextChoices):
    LISTED = "listed", "上市企业"  # board, stock code, listing date
    HIGH_TECH = "high_tech", "高新技术企业"  # 国科发火〔2016〕32号: 3 years from the certificate date
    SPECIALISED = "specialised", "专精特新中小企业"  # recognised by the province
    LITTLE_GIANT = "little_giant", "专精特新“小巨人”企业"  # MIIT, 3-year review cycles
    TECH_SME = "tech_sme", "科技型中小企业"  # registration number valid for that calendar year only
    UNICORN = "unicorn", "独角兽企业"
    POTENTIAL_UNICORN = "potential_unicorn", "潜在独角兽企业"
    GAZELLE = "gazelle", "瞪羚企业"
    NEZHA = "nezha", "哪吒企业"
    NEW_SPECIES = "new_species", "新物种企业"
    HIDDEN_CHAMPION = "hidden_champion", "隐形冠军企业"
    RISING_STAR = "rising_star", "未来产业新星企业"
    LEADING = "leading", "头部企业"
    ECOSYSTEM_LEADER = "ecosystem_leader", "生态主导型企业"
    # Anhui action plan 二: 2030's 一流企业 (生态主导力和产业链控制力) are counted apart from 2027's 头部企业.
    FIRST_CLASS = "first_class", "一流企业"


class Board(models.TextChoices):
    SSE_MAIN = "sse_main", "上交所主板"
    STAR = "star", "科创板"
    SZSE_MAIN = "szse_main", "深交所主板"
    CHINEXT = "chinext", "创业板"
    BSE = "bse", "北交所"
    HKEX = "hkex", "港交所"
    OVERSEAS = "overseas", "境外其他交易所"


class EnterpriseTag(models.Model):
    """A tier or tag an enterprise holds from ``valid_from`` until ``valid_to`` (exclusive), with its proof."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="tags", verbose_name="企业"
    )
    tag = models.CharField("类别", max_length=30, choices=TagKind.choices)
    certificate_no = models.CharField("证书或入库编号", max_length=60, blank=True)
    list_name = models.CharField("名单或批次", max_length=200, blank=True)
    list_year = models.PositiveSmallIntegerField("名单年份", null=True, blank=True)
    publisher = models.CharField("发布单位", max_length=200, blank=True)
    board = models.CharField("上市板块", max_length=20, choices=Board.choices, blank=True)
    stock_code = models.CharField("股票代码", max_length=12, blank=True)
    valid_from = models.DateField("取得日期", help_text="发证、公告或上市日期")
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="不含当日；按有效期规则自动计算")
    confirmed = models.BooleanField("已确认", default=False)
    ended_reason = models.TextField("失去原因", blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "企业标签"
        verbose_name_plural = "企业标签"
        ordering = ["enterprise", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="registries_tag_dates_ordered",
            )
        ]
        indexes = [models.Index(fields=["tag", "valid_from", "valid_to"], name="registries_tag_dates")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_tag_display()}"
