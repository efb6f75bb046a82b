"""The left navigation, grouped by what a role does rather than by our apps.

Each later capability adds its entries here with the URL name of its page; an entry whose page
does not exist yet is not shown, so the menu never leads nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from xiandao.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    group: str
    label: str
    url_name: str
    icon: str
    roles: frozenset[str]


ALL_ROLES = frozenset(Role.values)
NAVIGATION: tuple[NavItem, ...] = (
    NavItem("工作台", "我的工作台", "web:home", "house", ALL_ROLES),
    NavItem("计划配置", "培育计划", "programmes:list", "journal-text", ALL_ROLES),
    NavItem(
        "计划配置",
        "政策文件",
        "policies:document_list",
        "file-earmark-text",
        frozenset({Role.PROGRAMME_ADMIN}),
    ),
    NavItem(
        "计划配置",
        "计划设置",
        "programmes:settings_home",
        "sliders",
        frozenset({Role.PROGRAMME_ADMIN, Role.EXPERT, Role.EVALUATOR}),
    ),
    NavItem(
        "申报管理",
        "申请报告",
        "pilot_zones:application_list",
        "inbox",
        frozenset({Role.CITY_OFFICER, Role.ZONE_OPERATOR}),
    ),
    NavItem(
        "申报评审",
        "申报受理",
        "pilot_zones:application_list",
        "inbox",
        frozenset({Role.PROGRAMME_ADMIN}),
    ),
    NavItem("申报评审", "专家库", "review:expert_list", "people", frozenset({Role.PROGRAMME_ADMIN})),
    NavItem(
        "申报评审", "评审批次", "review:round_list", "clipboard-check", frozenset({Role.PROGRAMME_ADMIN})
    ),
    NavItem("申报评审", "我的评审", "review:my_reviews", "clipboard-check", frozenset({Role.EXPERT})),
    NavItem(
        "申报评审",
        "创建名单",
        "pilot_zone_lists:index",
        "list-check",
        frozenset({Role.PROGRAMME_ADMIN, Role.DEPARTMENT_OFFICER}),
    ),
    NavItem(
        "申报评审",
        "培育验收考核",
        "pilot_zone_lists:acceptance",
        "award",
        frozenset({Role.PROGRAMME_ADMIN}),
    ),
    NavItem("先导区", "先导区", "pilot_zones:zone_list", "geo-alt", ALL_ROLES),
    NavItem(
        "统计监测",
        "数据填报",
        "monitoring:report_list",
        "pencil-square",
        frozenset({Role.CITY_OFFICER, Role.ZONE_OPERATOR}),
    ),
    NavItem(
        "统计监测",
        "统计监测",
        "monitoring:overview",
        "speedometer2",
        frozenset({Role.PROGRAMME_ADMIN}),
    ),
    NavItem(
        "统计监测",
        "登记库",
        "registries:index",
        "collection",
        frozenset({Role.PROGRAMME_ADMIN, Role.CITY_OFFICER, Role.ZONE_OPERATOR, Role.EVALUATOR}),
    ),
    NavItem(
        "年度评估",
        "年度评估",
        "evaluation:run_list",
        "bar-chart",
        frozenset({Role.PROGRAMME_ADMIN, Role.EVALUATOR, Role.EXPERT, Role.CITY_OFFICER, Role.ZONE_OPERATOR}),
    ),
    NavItem(
        "目标任务",
        "目标任务",
        "supervision:overview",
        "bullseye",
        frozenset({Role.PROGRAMME_ADMIN, Role.CITY_OFFICER, Role.OBSERVER}),
    ),
    NavItem(
        "目标任务", "督查", "supervision:my_tasks", "clipboard-data", frozenset({Role.DEPARTMENT_OFFICER})
    ),
    NavItem(
        "目标任务",
        "提示预警",
        "supervision:warnings",
        "exclamation-triangle",
        frozenset({Role.PROGRAMME_ADMIN, Role.DEPARTMENT_OFFICER, Role.CITY_OFFICER}),
    ),
    NavItem(
        "目标任务",
        "领导驾驶舱",
        "supervision:overview",
        "speedometer2",
        frozenset({Role.PROGRAMME_ADMIN, Role.OBSERVER}),
    ),
    NavItem("目标任务", "计划对比", "supervision:compare", "layout-split", frozenset({Role.OBSERVER})),
    NavItem("通知", "我的消息", "notifications:list", "bell", ALL_ROLES),
    NavItem("通知", "通知公告", "notifications:notice_list", "megaphone", ALL_ROLES),
    NavItem("系统", "后台任务", "core:job_list", "hourglass-split", ALL_ROLES),
    NavItem(
        "系统",
        "管理后台",
        "admin:index",
        "shield-check",
        frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}),
    ),
    NavItem("账号", "个人中心", "accounts:profile", "person-gear", ALL_ROLES),
    NavItem("账号", "修改密码", "accounts:password_change", "key", ALL_ROLES),
)


def navigation_for(
    roles: frozenset[str], *, is_superuser: bool = False
) -> list[tuple[str, list[dict[str, str]]]]:
    """Menu groups with their entries for a set of roles, leaving out pages not built yet."""
    groups: dict[str, list[dict[str, str]]] = {}
    for item in NAVIGATION:
        if not (is_superuser or item.roles & roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        groups.setdefault(item.group, []).append({"label": item.label, "url": url, "icon": item.icon})
    return list(groups.items())
