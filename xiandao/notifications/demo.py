"""Demonstration notices and notifications, made through the services like any admin's work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from xiandao.accounts.models import Role
from xiandao.accounts.selectors import user_find_by_username
from xiandao.geo.selectors import jurisdiction_ids_by_code
from xiandao.programmes.selectors import programme_find

from .kinds import NotificationKind
from .models import Notice
from .services import notice_publish, notification_send

if TYPE_CHECKING:
    from xiandao.accounts.models import User

DEMO_NOTICES: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    # programme, admin, title, roles, city codes
    (
        "anhui",
        "ah_admin",
        "关于开展2026年度未来产业先导区统计监测填报的通知（示例）",
        (Role.CITY_OFFICER, Role.ZONE_OPERATOR),
        (),
    ),
    ("anhui", "ah_admin", "合肥市先导区创建工作调度会安排（示例）", (), ("340100",)),
    (
        "anhui",
        "ah_admin",
        "未来产业发展咨询委员会年度评估工作安排（示例）",
        (Role.EXPERT, Role.EVALUATOR),
        (),
    ),
    ("zhejiang", "zj_admin", "关于组织2026年度未来产业先导区培育验收考核的通知（示例）", (), ()),
)

BODIES = {
    "统计监测": "请各设区市发展改革委组织本市先导区于规定时间内完成2026年度统计监测数据填报，并上传佐证材料。"
    "\n数据须经市级审核后报送。本通知为示例数据。",
    "调度会": "定于下周召开合肥市先导区创建工作调度会，请相关先导区运营单位做好汇报准备。本通知为示例数据。",
    "咨询委员会": "年度综合评估将于第四季度开展，请各位专家和第三方评估机构留意评审任务分配。本通知为示例数据。",
    "验收考核": "请各设区市组织本地区先导区做好培育验收考核准备工作。本通知为示例数据。",
}


def _body(title: str) -> str:
    return next((text for key, text in BODIES.items() if key in title), "本通知为示例数据。")


def demo_notices_create() -> list[Notice]:
    """Publish the demonstration notices whose programme and admin exist (each once)."""
    created: list[Notice] = []
    for code, username, title, roles, city_codes in DEMO_NOTICES:
        programme = programme_find(code)
        admin = user_find_by_username(username)
        if (
            programme is None
            or admin is None
            or Notice.objects.filter(programme=programme, title=title).exists()
        ):
            continue
        cities = list(jurisdiction_ids_by_code(city_codes).values())
        published = notice_publish(
            actor=admin, programme=programme, title=title, body=_body(title), roles=roles, city_ids=cities
        )
        created.append(published.notice)
    return created


def demo_notices_remove() -> int:
    removed, _ = Notice.objects.filter(title__endswith="（示例）").delete()
    return removed


def demo_notifications_create(users: list[User]) -> None:
    """A welcome message to each persona, pointing at where they choose what comes by e-mail."""
    notification_send(
        recipients=users,
        kind=NotificationKind.SYSTEM,
        title="欢迎使用先导平台：请设置您的消息提醒方式（示例）",
        body="平台的待办、审核结果和通知公告都会出现在页面顶部的消息铃铛中；您可以在“消息设置”中选择哪些消息同时发送邮件。",
        url="/notifications/preferences/",
    )
