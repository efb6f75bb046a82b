"""The API under /api/v1/: each app's `api.py` contributes a `router`; auth and errors are shared."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema

from xiandao.accounts.selectors import role_assignments_active

from .auth import session_or_token
from .errors import install_error_handlers

api = NinjaAPI(
    title="先导平台接口",
    version="1",
    description="未来产业培育平台的开放接口。浏览器使用登录会话；系统对接使用 `Authorization: Bearer <令牌>`。",
    auth=session_or_token,
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    jurisdiction: str


class RoleOut(Schema):
    role: str
    role_label: str
    scope_kind: str
    scope: str
    valid_from: str
    valid_to: str | None


class MeOut(Schema):
    username: str
    display_name: str
    organisation: OrganisationOut | None
    roles: list[RoleOut]


me_router = Router(tags=["账号"])


@me_router.get("/me", response=MeOut, summary="当前用户的机构与角色")
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    organisation = user.organisation
    return {
        "username": user.username,
        "display_name": user.display_name,
        "organisation": (
            {
                "id": organisation.pk,
                "code": organisation.code,
                "name": organisation.name,
                "kind": organisation.kind,
                "jurisdiction": organisation.jurisdiction.code,
            }
            if organisation
            else None
        ),
        "roles": [
            {
                "role": a.role,
                "role_label": a.get_role_display(),
                "scope_kind": a.scope_kind,
                "scope": a.scope_label,
                "valid_from": a.valid_from.isoformat(),
                "valid_to": a.valid_to.isoformat() if a.valid_to else None,
            }
            for a in role_assignments_active(user)
        ],
    }


class PasswordChangeIn(Schema):
    old_password: str
    new_password: str


class PasswordChangeOut(Schema):
    changed: bool
    password_changed_at: str


@me_router.post("/me/password", response=PasswordChangeOut, summary="修改本人密码（规则与页面相同）")
def me_password_change(request: HttpRequest, payload: PasswordChangeIn) -> dict[str, Any]:
    from django.contrib.auth import update_session_auth_hash

    from xiandao.accounts.services import password_change_own

    user = password_change_own(
        actor=request.user, old_password=payload.old_password, new_password=payload.new_password
    )
    if hasattr(request, "session"):
        update_session_auth_hash(request, user)
    changed_at = user.password_changed_at
    return {"changed": True, "password_changed_at": changed_at.isoformat() if changed_at else ""}


api.add_router("", me_router)


def _add_app_routers() -> None:
    """Mount `router` from every project app's api.py (or its ``api_modules``), at its ROUTER_PREFIX (default: the app label)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("xiandao.") or config.name == "xiandao.api":
            continue
        # An app may name several API modules (``api_modules`` on its AppConfig); by default ``api``.
        for name in getattr(config, "api_modules", ("api",)):
            try:
                module = import_module(f"{config.name}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.{name}":
                    continue
                raise
            router = getattr(module, "router", None)
            if router is not None:
                api.add_router(getattr(module, "ROUTER_PREFIX", f"/{config.label}"), router)


_add_app_routers()
