"""The catalogue of audit action codes: each app declares its codes, with a Chinese label, once.

An app declares its codes in ``xiandao/<app>/audit_codes.py`` as one ``AuditCodes`` enum::

    from xiandao.core.audit_codes import AuditCodes

    class AccountsAuditCode(AuditCodes):
        ROLE_GRANTED = "accounts.role.granted", "授予角色"

Every ``AuditCodes`` subclass in an app's ``audit_codes`` module is registered when the apps are
ready (``CoreConfig.ready``); ``audit_record`` refuses a code that is not in the catalogue, and the
audit list shows the label. The admin's own codes (``<app>.<model>.admin_created`` …) are declared
by the admin site for every model it registers, from the model's verbose name.
"""

from __future__ import annotations

import re
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
CJK = re.compile(r"[\u4e00-\u9fff]")

_catalogue: dict[str, str] = {}


class AuditCodes(models.TextChoices):
    """Base of every app's catalogue: members are ``NAME = "<app>.<entity>.<event>", "中文说明"``."""


def audit_codes_register(codes: type[AuditCodes], *, app_label: str | None = None) -> None:
    """Add an app's codes to the catalogue; a malformed, foreign or conflicting code is refused."""
    for member in codes:
        code, label = str(member.value), str(member.label)
        audit_code_declare(code, label, app_label=app_label)


def audit_code_declare(code: str, label: str, *, app_label: str | None = None, relabel: bool = False) -> None:
    """Declare one code with its Chinese label (the enum is the usual way; the admin site uses this)."""
    if not CODE_PATTERN.match(code):
        raise ImproperlyConfigured(f"操作代码须为 <应用>.<对象>.<事件>：{code!r}")
    if app_label is not None and code.split(".", 1)[0] != app_label:
        raise ImproperlyConfigured(f"应用 {app_label} 只能登记以 “{app_label}.” 开头的操作代码：{code!r}")
    if not CJK.search(label):
        raise ImproperlyConfigured(f"操作代码 {code} 须有中文说明")
    known = _catalogue.get(code)
    if known is not None and known != label and not relabel:
        raise ImproperlyConfigured(f"操作代码 {code} 已登记为“{known}”，不能再登记为“{label}”")
    _catalogue[code] = label


def audit_codes_discover() -> None:
    """Register the ``AuditCodes`` enums of every installed app's ``audit_codes`` module."""
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.audit_codes")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.audit_codes":
                continue
            raise
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, AuditCodes) and value is not AuditCodes:
                audit_codes_register(value, app_label=config.label)


def audit_code_known(code: str) -> bool:
    return code in _catalogue


def audit_code_label(code: str) -> str:
    """The Chinese label of a code; an unknown (retired) code reads as itself."""
    return _catalogue.get(code, code)


def audit_catalogue() -> dict[str, str]:
    """Every declared code and its label, sorted by code."""
    return dict(sorted(_catalogue.items()))


ADMIN_EVENTS = {"admin_created": "后台新增", "admin_changed": "后台修改", "admin_deleted": "后台删除"}


def audit_codes_declare_for_admin(model: type[models.Model]) -> None:
    """Declare the back office's codes for one model: ``<app>.<model>.admin_created`` and so on."""
    meta = model._meta
    for event, verb in ADMIN_EVENTS.items():
        # Derived from the model's name, so a re-registration (with a Chinese name) may relabel it.
        audit_code_declare(
            f"{meta.app_label}.{meta.model_name}.{event}", f"{verb}{meta.verbose_name}", relabel=True
        )


class CoreAuditCode(AuditCodes):
    """The shared kernel's own codes."""

    JOB_STARTED = "core.job.started", "启动后台任务"
