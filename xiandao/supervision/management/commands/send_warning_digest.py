"""The weekly digest of open early warnings (提示预警) to each responsible user (bell and e-mail)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xiandao.supervision.services import warning_digest_send


class Command(BaseCommand):
    help = "向各预警责任人发送本周提示预警汇总（站内消息与邮件）"

    def handle(self, *args: Any, **options: Any) -> None:
        count = warning_digest_send()
        self.stdout.write(f"已向{count}位责任人发送提示预警周报。")
