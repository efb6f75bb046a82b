from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "xiandao.review"
    verbose_name = "咨询委员会论证"

    def ready(self) -> None:
        from xiandao.core.providers import todo_providers
        from xiandao.notifications.services import notification_kinds_register, reminder_provider_register

        from .kinds import ReviewNotificationKind
        from .selectors import reminders_due, reviews_due_todo, rounds_to_act_todo

        notification_kinds_register(
            ReviewNotificationKind,
            app_label=self.label,
            email_by_default={ReviewNotificationKind.ASSIGNED, ReviewNotificationKind.REMINDER},
        )
        reminder_provider_register(reminders_due)
        todo_providers.register(reviews_due_todo)
        todo_providers.register(rounds_to_act_todo)
        # The draft creation list shows each application's results and 论证意见 (pilot_zones' page).
        from xiandao.pilot_zones.selectors import review_summary_providers

        from .selectors import review_summaries_for_lists

        review_summary_providers.register(review_summaries_for_lists)
