"""Audit codes of the accounts app (the catalogue is `xiandao.core.audit_codes`)."""

from xiandao.core.audit_codes import AuditCodes


class AccountsAuditCode(AuditCodes):
    REFERENCE_LOADED = "accounts.reference.loaded", "加载机构基础数据"
    ORGANISATION_CREATED = "accounts.organisation.created", "新增机构"
    ROLE_GRANTED = "accounts.role.granted", "授予角色"
    ROLE_ENDED = "accounts.role.ended", "终止角色"
    API_TOKEN_ISSUED = "accounts.api_token.issued", "签发接口令牌"
    API_TOKEN_REVOKED = "accounts.api_token.revoked", "吊销接口令牌"
    PASSWORD_CHANGED = "accounts.user.password_changed", "修改本人密码"
    OTP_DEVICE_CONFIRMED = "accounts.otp_device.confirmed", "启用双因素认证"
    OTP_RECOVERY_CODES_ISSUED = "accounts.otp_device.recovery_codes_issued", "生成恢复码"
    OTP_RECOVERY_CODE_USED = "accounts.otp_device.recovery_code_used", "使用恢复码登录"
    SESSIONS_ENDED = "accounts.user.sessions_ended", "结束用户会话"
