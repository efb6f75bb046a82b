"""System checks: production may not skip the second factor, nor run in demo mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register("security")
def two_factor_not_skipped_outside_demo(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if getattr(settings, "XIANDAO_TWO_FACTOR_DEMO_SKIP", False) and not settings.DEMO_MODE:
        return [
            Error(
                "双因素认证只能在演示模式下跳过：生产环境必须关闭 XIANDAO_TWO_FACTOR_DEMO_SKIP。",
                id="xiandao.accounts.E001",
            )
        ]
    return []
