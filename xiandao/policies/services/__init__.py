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
from .uploads import UploadInvalid, document_extract, document_upload

__all__ = [
    "ConfirmationInvalid",
    "Decision",
    "DecisionRefused",
    "DecisionStale",
    "UploadInvalid",
    "document_extract",
    "document_upload",
    "proposal_accept",
    "proposal_defaults",
    "proposal_edit_and_accept",
    "proposal_reject",
]
