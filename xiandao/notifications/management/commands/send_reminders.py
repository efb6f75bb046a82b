from django.core.management.base import BaseCommand

from xiandao.notifications.services import reminders_send


class Command(BaseCommand):
    help = "发送到期提醒：向各应用登记的提醒来源收集到期提醒，每条只发送一次（可由 cron 或 Celery beat 定时运行）"

    def handle(self, *args: object, **options: object) -> None:
        run = reminders_send()
        self.stdout.write(
            f"已发送提醒 {run.sent} 条；此前已发送、跳过 {run.already_sent} 条；出错 {run.failed} 条。"
        )
        if run.failed:
            self.stderr.write("部分提醒未能发送，详见日志。")
