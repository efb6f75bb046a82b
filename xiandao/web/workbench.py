"""The home page as a workbench: what waits for me, the few figures of my scope, notices."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import organisation_count_in, role_assignments_today, user_scope
from xiandao.core.models import Job, JobStatus
from xiandao.core.providers import NoticeItem, TodoItem, notice_providers, todo_providers
from xiandao.geo.models import JurisdictionLevel
from xiandao.geo.selectors import jurisdiction_counts_by_level

if TYPE_CHECKING:
    from xiandao.accounts.models import RoleAssignment

__all__ = [
    "Figure",
    "NoticeItem",
    "TodoItem",
    "Workbench",
    "notice_provider_register",
    "todo_provider_register",
    "workbench_for",
]


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | str
    unit: str
    note: str = ""


#: Let an app put what waits for a user on their workbench (called from the app's ready()).
todo_provider_register = todo_providers.register


#: Let an app put notices (通知公告) in the workbench's card (called from the app's ready()).
notice_provider_register = notice_providers.register


@dataclass
class Workbench:
    assignments: list[RoleAssignment]
    duties: list[str]
    todos: list[TodoItem] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    notices: list[NoticeItem] = field(default_factory=list)


ROLE_DUTIES: dict[str, list[str]] = {
    Role.PROGRAMME_ADMIN: [
        "配置培育计划、领域与评价指标",
        "组织申报论证与创建名单发布",
        "组织年度综合评估并发布等次",
        "跟踪目标任务与提示预警",
    ],
    Role.CITY_OFFICER: [
        "审核本市先导区申报并书面推荐",
        "审核本市先导区数据填报",
        "查看本市先导区评估结果与整改",
    ],
    Role.ZONE_OPERATOR: [
        "编制先导区建设方案与年度目标",
        "按期填报统计数据并上传佐证材料",
        "落实改进意见与整改计划",
    ],
    Role.EXPERT: ["论证分配给本人的申报材料", "参与年度综合评估", "申报利益冲突回避"],
    Role.EVALUATOR: ["核查受托评估批次的数据", "按评分细则评分并说明理由"],
    Role.DEPARTMENT_OFFICER: ["落实本部门牵头或配合的任务", "报送任务进展", "对拟发布的创建名单提出意见"],
    Role.OBSERVER: ["查看各培育计划的目标进度、任务完成与评估等次", "并排比较各计划（含规则差异）"],
    Role.SYSTEM_ADMIN: ["在管理后台维护用户与机构", "授予或终止用户角色", "为系统对接签发接口令牌"],
    Role.SECURITY_ADMIN: ["解除账号锁定", "结束可疑会话、重置双因素认证", "吊销失效的接口令牌"],
    Role.AUDIT_ADMIN: ["查阅操作记录", "查阅登录日志与失败登录", "定期检查系统与安全管理员的操作"],
}


def workbench_for(user: Any) -> Workbench:
    """Build the workbench of a user from their active roles; a constant number of queries."""
    scope = user_scope(user)
    assignments = role_assignments_today(user)
    duties: list[str] = []
    for assignment in assignments:
        for duty in ROLE_DUTIES.get(assignment.role, []):
            if duty not in duties:
                duties.append(duty)
    bench = Workbench(assignments=assignments, duties=duties)

    for provider in todo_providers:
        bench.todos.extend(provider(user))
    for notice_provider in notice_providers:
        bench.notices.extend(notice_provider(user))
    bench.notices.sort(key=lambda n: n.date, reverse=True)
    running = Job.objects.filter(created_by=user, status__in=[JobStatus.PENDING, JobStatus.RUNNING]).count()
    if running:
        bench.todos.append(TodoItem(label="进行中的后台任务", url="/jobs/", count=running))

    if scope.jurisdiction_ids:
        levels = jurisdiction_counts_by_level(scope.jurisdiction_ids)
        cities = levels.get(JurisdictionLevel.CITY, 0)
        counties = levels.get(JurisdictionLevel.COUNTY, 0)
        if cities:
            bench.figures.append(Figure("辖区内设区市", cities, "个"))
        if counties:
            bench.figures.append(Figure("辖区内县（市、区）", counties, "个"))
    if scope.park_ids:
        bench.figures.append(Figure("辖区内开发区（园区）", len(scope.park_ids), "个"))
    organisations = organisation_count_in(scope.jurisdiction_ids)
    if organisations:
        bench.figures.append(Figure("辖区内登记机构", organisations, "家"))
    bench.figures.append(Figure("我的后台任务", Job.objects.filter(created_by=user).count(), "个"))
    return bench
