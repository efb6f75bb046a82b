"""Writes of the policies app: uploads, extraction, and decisions on proposals."""

from xiandao.programmes.services.confirmation import ConfirmationInvalid

from .decisions import (
    Decision,
    DecisionRefused,
    DecisionStale,
    proposal_accept,
    proposal_defaults,
    proposal_edit_and_accept,
    proposal_reject,
)
from .publication import (
    PublicationInvalid,
    PublicationRefused,
    PublicationStale,
    version_publish,
    version_withdraw,
)
from .uploads import UploadInvalid, document_extract, document_upload

__all__ = [
    "ConfirmationInvalid",
    "Decision",
    "DecisionRefused",
    "DecisionStale",
    "PublicationInvalid",
    "PublicationRefused",
    "PublicationStale",
    "UploadInvalid",
    "document_extract",
    "document_upload",
    "proposal_accept",
    "proposal_defaults",
    "proposal_edit_and_accept",
    "proposal_reject",
    "version_publish",
    "version_withdraw",
]
