"""Audit codes of the policies app (the catalogue is `xiandao.core.audit_codes`)."""

from xiandao.core.audit_codes import AuditCodes


class PoliciesAuditCode(AuditCodes):
    DOCUMENT_UPLOADED = "policies.document.uploaded", "上传政策文件"
    DOCUMENT_EXTRACTED = "policies.document.extracted", "识别政策文件内容"
    DOCUMENT_EXTRACTION_FAILED = "policies.document.extraction_failed", "政策文件识别失败"
    PROPOSAL_ACCEPTED = "policies.proposal.accepted", "接受识别建议"
    PROPOSAL_EDITED = "policies.proposal.edited", "修改后接受识别建议"
    PROPOSAL_REJECTED = "policies.proposal.rejected", "驳回识别建议"
    DOCUMENT_PUBLISHED = "policies.document.published", "发布上传的政策文件版本"
    DOCUMENT_WITHDRAWN = "policies.document.withdrawn", "撤回上传的政策文件版本"
