from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "xiandao.policies"
    verbose_name = "政策文件"

    def ready(self) -> None:
        from xiandao.core.providers import todo_providers
        from xiandao.programmes.selectors import document_text_source_register
        from xiandao.programmes.services.taxonomy import field_proposal_providers

        from .selectors import (
            accepted_field_proposals,
            confirmed_upload_text,
            proposals_waiting_todo,
            versions_to_publish_todo,
        )

        # Documents uploaded and confirmed here are shown, highlighted, on the public pages.
        document_text_source_register(confirmed_upload_text)
        todo_providers.register(proposals_waiting_todo)
        todo_providers.register(versions_to_publish_todo)
        # Fields accepted from an upload are offered as the start of a new taxonomy version.
        field_proposal_providers.register(accepted_field_proposals)
