"""Users, the organisations they belong to (with the aliases documents write them by), and roles in scopes."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from xiandao.geo.models import Jurisdiction, Park


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"  # 省、市、县人民政府
    GOVERNMENT_DEPARTMENT = "government_department", "政府部门"  # 发展改革委、科技厅……
    PARK_COMMITTEE = "park_committee", "园区管委会"  # 开发区、园区管理委员会
    EVALUATION_AGENCY = "evaluation_agency", "第三方评估机构"  # 第三方机构
    ENTERPRISE = "enterprise", "企业"
    INSTITUTION = "institution", "高校院所"  # 高校、科研院所、新型研发机构
    OTHER = "other", "其他"


class Organisation(models.Model):
    """A body that users belong to and that tasks name: a department, a park committee, an agency…"""

    code = models.SlugField("机构代码", max_length=60, unique=True)
    name = models.CharField("全称", max_length=200)
    kind = models.CharField("类型", max_length=30, choices=OrganisationKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="organisations", verbose_name="所属行政区"
    )
    park = models.ForeignKey(
        Park,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name="所属园区",
    )
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["jurisdiction__code", "name"]

    def __str__(self) -> str:
        return self.name


class OrganisationAlias(models.Model):
    """A way documents write an organisation (省工信厅 for 省工业和信息化厅). Resolved within a jurisdiction."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="aliases", verbose_name="机构"
    )
    alias = models.CharField("简称或别名", max_length=200, db_index=True)

    class Meta:
        verbose_name = "机构别名"
        verbose_name_plural = "机构别名"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "alias"], name="accounts_alias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.organisation}"


class PlatformUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: object
    ) -> User:
        """`createsuperuser` is typed by the person themselves: their password counts as chosen."""
        from django.utils import timezone

        extra.setdefault("password_changed_at", timezone.now())
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    """A person using the platform, always on behalf of one organisation."""

    objects = PlatformUserManager()  # type: ignore[misc]

    display_name = models.CharField("姓名", max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name="所属机构",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    password_changed_at = models.DateTimeField(
        "本人设定密码时间",
        null=True,
        blank=True,
        editable=False,
        help_text="用户本人最近一次设定密码的时间；为空表示密码由他人设定，首次登录须修改",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    PROGRAMME_ADMIN = "programme_admin", "计划管理员"  # 省发展改革委（浙江：省经信厅）工作人员
    CITY_OFFICER = "city_officer", "市级管理员"  # 设区市发展改革委
    ZONE_OPERATOR = "zone_operator", "先导区运营人员"  # 承载开发区工作人员
    EXPERT = "expert", "咨询委员会专家"  # 科学家、企业家、投资人
    EVALUATOR = "evaluator", "第三方评估人员"  # 第三方机构
    DEPARTMENT_OFFICER = "department_officer", "省直部门人员"  # 省科技厅、省工业和信息化厅……
    OBSERVER = "observer", "国家部委观察员"  # a ministry-level viewer: reads every programme's supervision
    # 三员分立 (等保 2.0 level 3, 安全管理中心): three back-office administrators, none doing another's job.
    SYSTEM_ADMIN = "system_admin", "系统管理员"  # users, organisations and roles
    SECURITY_ADMIN = "security_admin", "安全管理员"  # lockouts, sessions, two-factor resets, API tokens
    AUDIT_ADMIN = "audit_admin", "审计管理员"  # reads the audit and login logs, nothing else


BACKOFFICE_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class ScopeKind(models.TextChoices):
    PROGRAMME = "programme", "培育计划"  # all of one programme
    JURISDICTION = "jurisdiction", "行政区"  # a province, city or county and everything under it
    PARK = "park", "园区"  # one development zone or park
    ZONE = "zone", "先导区"  # one pilot zone
    ORGANISATION = "organisation", "机构"  # a department's own tasks and opinions
    ASSIGNMENT = "assignment", "评审任务"  # an expert on one application or evaluation
    EVALUATION_RUN = "evaluation_run", "评估批次"  # a time-boxed third-party evaluation
    PLATFORM = "platform", "全平台"  # the back-office administrators' scope: the platform itself


class ExpertKind(models.TextChoices):
    SCIENTIST = "scientist", "科学家"
    ENTREPRENEUR = "entrepreneur", "企业家"
    INVESTOR = "investor", "风险投资家"


class RoleAssignment(models.Model):
    """A role a user holds in one scope for a span of dates.

    Jurisdiction, park and organisation scopes point at their rows; the scopes whose models
    belong to later apps (programme, zone, assignment, evaluation run) point through a content type.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name="用户"
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    scope_kind = models.CharField("范围类型", max_length=30, choices=ScopeKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="行政区"
    )
    park = models.ForeignKey(
        Park, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="园区"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="机构"
    )
    object_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="对象类型",
    )
    object_id = models.PositiveBigIntegerField("对象编号", null=True, blank=True)
    expert_kind = models.CharField("专家类别", max_length=20, choices=ExpertKind.choices, blank=True)
    valid_from = models.DateField("起始日期", default=dt.date.today)
    valid_to = models.DateField("终止日期", null=True, blank=True, help_text="不含当日；留空表示长期有效")

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        ordering = ["user", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="accounts_role_dates_ordered",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(scope_kind="jurisdiction") & Q(jurisdiction__isnull=False))
                    | (Q(scope_kind="park") & Q(park__isnull=False))
                    | (Q(scope_kind="organisation") & Q(organisation__isnull=False))
                    | Q(scope_kind="platform")
                    | (
                        Q(scope_kind__in=["programme", "zone", "assignment", "evaluation_run"])
                        & Q(object_type__isnull=False)
                        & Q(object_id__isnull=False)
                    )
                ),
                name="accounts_role_scope_target_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    def clean(self) -> None:
        """三员分立: a back-office role only over the platform, and never two of them for one person."""
        from django.core.exceptions import ValidationError

        if self.role in BACKOFFICE_ROLES and self.scope_kind != ScopeKind.PLATFORM:
            raise ValidationError({"scope_kind": "系统、安全、审计管理员的范围须为“全平台”"})
        if self.role not in BACKOFFICE_ROLES and self.scope_kind == ScopeKind.PLATFORM:
            raise ValidationError({"scope_kind": "“全平台”范围只用于系统、安全、审计管理员"})
        if self.user_id:
            others = RoleAssignment.objects.filter(user_id=self.user_id).exclude(pk=self.pk)
            if (
                self.role in BACKOFFICE_ROLES
                and others.filter(role__in=BACKOFFICE_ROLES).exclude(role=self.role).exists()
            ):
                raise ValidationError({"role": "三员分立：同一人不得兼任系统、安全、审计管理员中的两种"})
            # The administrators' accounts are only for administration: no programme work.
            backoffice_now = self.role in BACKOFFICE_ROLES
            if others.filter(role__in=BACKOFFICE_ROLES).exists() != backoffice_now and others.exists():
                raise ValidationError(
                    {"role": "三员分立：系统、安全、审计管理员账号专用，不得同时担任业务角色"}
                )

    @property
    def scope_label(self) -> str:
        """The scope in words, as shown beside the user's name."""
        if self.scope_kind == ScopeKind.JURISDICTION and self.jurisdiction:
            return self.jurisdiction.name
        if self.scope_kind == ScopeKind.PARK and self.park:
            return self.park.name
        if self.scope_kind == ScopeKind.ORGANISATION and self.organisation:
            return self.organisation.name
        if self.scope_kind == ScopeKind.PLATFORM:
            return "全平台"
        return f"{self.get_scope_kind_display()} #{self.object_id}"


class PasswordHistory(models.Model):
    """A password hash the user had, so the last five cannot be chosen again."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_history", verbose_name="用户"
    )
    password = models.CharField("密码摘要", max_length=128)
    created_at = models.DateTimeField("设定时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


# 等保 2.0 level 3 baseline: the security administrator may tighten each value, never loosen it.
POLICY_BOUNDS: dict[str, tuple[int, int]] = {
    "session_idle_minutes": (5, 30),
    "password_max_age_days": (30, 90),
    "password_min_length": (10, 64),
    "password_history": (5, 24),
    "lockout_failures": (3, 5),
    "lockout_minutes": (30, 1440),
}


class SecurityPolicy(models.Model):
    """The security parameters the security administrator sets (one row; defaults from settings)."""

    session_idle_minutes = models.PositiveSmallIntegerField("会话空闲超时（分钟）")
    password_max_age_days = models.PositiveSmallIntegerField("密码有效期（天）")
    password_min_length = models.PositiveSmallIntegerField("密码最短长度")
    password_history = models.PositiveSmallIntegerField("不得与最近几次密码相同")
    lockout_failures = models.PositiveSmallIntegerField("连续输错几次锁定")
    lockout_minutes = models.PositiveSmallIntegerField("锁定时长（分钟）")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "安全策略"
        verbose_name_plural = "安全策略"

    def __str__(self) -> str:
        return "安全策略"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        for name, (low, high) in POLICY_BOUNDS.items():
            value = getattr(self, name)
            if value is None or not low <= value <= high:
                label = getattr(self._meta.get_field(name), "verbose_name", name)
                errors[name] = f"{label}须在 {low} 至 {high} 之间（等保三级基线，只能收紧不能放宽）"
        if errors:
            raise ValidationError(errors)


class ApiToken(models.Model):
    """A machine's credential for the API; only a hash of the key is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("用途", max_length=100)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True)
    prefix = models.CharField("密钥前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked = models.BooleanField("已吊销", default=False)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
