from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xiandao.accounts"
    verbose_name = "用户与机构"

    def ready(self) -> None:
        from xiandao.core.backoffice import BackOfficeGate, backoffice_gate_register

        from . import checks  # noqa: F401  (registers the system checks)
        from .backoffice import backoffice_may, backoffice_roles
        from .two_factor import two_factor_satisfied

        # The admin site (core) asks accounts' duty table and second-factor check through this gate.
        backoffice_gate_register(
            BackOfficeGate(
                may=backoffice_may, roles=backoffice_roles, second_factor_satisfied=two_factor_satisfied
            )
        )
