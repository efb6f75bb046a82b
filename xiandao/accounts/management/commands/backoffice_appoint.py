"""Appoint a user as system, security or audit administrator (三员), e.g. the first system administrator."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xiandao.accounts.models import BACKOFFICE_ROLES, Role, ScopeKind, User
from xiandao.accounts.services import role_grant


class Command(BaseCommand):
    help = "任命系统管理员、安全管理员或审计管理员（三员分立：同一人只能任其一）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")
        parser.add_argument(
            "--role", required=True, choices=sorted(str(r) for r in BACKOFFICE_ROLES), help="三员角色"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户“{options['username']}”不存在")
        try:
            role_grant(
                actor=None,
                user=user,
                role=options["role"],
                scope_kind=ScopeKind.PLATFORM,
                check_permission=False,
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已任命 {user} 为{Role(options['role']).label}")
