"""Audit codes of the notifications app (the catalogue is `xiandao.core.audit_codes`)."""

from xiandao.core.audit_codes import AuditCodes


class NotificationsAuditCode(AuditCodes):
    NOTICE_PUBLISHED = "notifications.notice.published", "发布通知公告"
    PREFERENCE_UPDATED = "notifications.preference.updated", "修改消息设置"
    REMINDER_SENT = "notifications.reminder.sent", "发送提醒"
