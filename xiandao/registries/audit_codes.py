"""The audit codes this app writes, with their Chinese labels (for the operation log and the catalogue)."""

from __future__ import annotations

from xiandao.core.audit_codes import AuditCodes

from .registry import REGISTRIES

EVENTS = {
    "added": "录入",
    "changed": "修改",
    "city_confirmed": "市级确认（待省级确认）",
    "confirmed": "确认",
    "retired": "退出",
    "imported": "Excel 导入",
    "evidence_attached": "上传佐证材料",
}
SPECIAL = {
    "registries.enterprise.tag_added": "取得类别或标签",
    "registries.enterprise.tag_ended": "失去类别或标签",
    "registries.technology.assessed": "技术就绪度评价",
    "registries.project.progress_recorded": "年度进展",
}
AUDIT_CODES: dict[str, str] = {
    **{
        f"registries.{r.key}.{event}": f"{r.label}：{label}"
        for r in REGISTRIES
        for event, label in EVENTS.items()
    },
    **SPECIAL,
}


#: The same codes as the catalogue's enum (generated: one set of events for every registry).
RegistriesAuditCode: type[AuditCodes] = AuditCodes(  # type: ignore[call-overload]
    "RegistriesAuditCode",
    [(code.split(".", 1)[1].replace(".", "_").upper(), (code, label)) for code, label in AUDIT_CODES.items()],
)


def audit_label(code: str) -> str:
    return AUDIT_CODES.get(code, code)
