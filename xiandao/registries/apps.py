from django.apps import AppConfig


class RegistriesConfig(AppConfig):
    name = "xiandao.registries"
    verbose_name = "登记库"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from xiandao.core.providers import todo_providers
        from xiandao.programmes.selectors import measure_count_provider_register

        from .selectors import entries_waiting_todo, measure_counts_for_programme

        # The programme's target pages show each measure's count without importing this app.
        measure_count_provider_register(measure_counts_for_programme)
        todo_providers.register(entries_waiting_todo)
