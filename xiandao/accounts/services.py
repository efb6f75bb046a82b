"""Writes about accounts: organisations and their aliases, roles in scopes, API tokens."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from xiandao.core.audit import audit_record, snapshot
from xiandao.geo.models import Jurisdiction, Park

from .models import ApiToken, Organisation, OrganisationAlias, Role, RoleAssignment, ScopeKind, User
from .permissions import organisation_policy

REFERENCE_FILE = Path(__file__).resolve().parent / "reference" / "organisations.yaml"


def _reference_entries(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(data, dict):
        entries = data.get("organisations", [])
        return list(entries) if isinstance(entries, list) else []
    return list(data)


@transaction.atomic
def organisation_reference_load(*, actor: Any = None, path: Path = REFERENCE_FILE) -> dict[str, int]:
    """Load the organisations the policy documents name, with their aliases; idempotent."""
    entries = _reference_entries(path)
    jurisdictions = dict(Jurisdiction.objects.values_list("code", "pk"))
    for entry in entries:
        if str(entry["jurisdiction"]) not in jurisdictions:
            raise ValidationError(f"机构“{entry['name']}”的行政区划代码 {entry['jurisdiction']} 不存在")
    known = set(Organisation.objects.values_list("code", flat=True))
    new = [e for e in entries if e["code"] not in known]
    Organisation.objects.bulk_create(
        [
            Organisation(
                code=e["code"],
                name=e["name"],
                kind=e.get("kind", "other"),
                jurisdiction_id=jurisdictions[str(e["jurisdiction"])],
            )
            for e in new
        ]
    )
    ids = dict(Organisation.objects.filter(code__in=[e["code"] for e in entries]).values_list("code", "pk"))
    existing_aliases = set(
        OrganisationAlias.objects.filter(organisation_id__in=ids.values()).values_list(
            "organisation_id", "alias"
        )
    )
    aliases = [
        OrganisationAlias(organisation_id=ids[e["code"]], alias=alias)
        for e in entries
        for alias in dict.fromkeys(e.get("aliases") or [])
        if (ids[e["code"]], alias) not in existing_aliases
    ]
    OrganisationAlias.objects.bulk_create(aliases)
    created = {"organisations": len(new), "aliases": len(aliases)}
    if any(created.values()):
        audit_record(actor=actor, action="accounts.reference.loaded", after=created)
    return created


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    jurisdiction: Jurisdiction,
    park: Park | None = None,
    aliases: list[str] | None = None,
    is_demo: bool = False,
) -> Organisation:
    """Create an organisation with its aliases."""
    if Organisation.objects.filter(code=code).exists():
        raise ValidationError(f"机构代码“{code}”已被使用")
    organisation = Organisation.objects.create(
        code=code, name=name, kind=kind, jurisdiction=jurisdiction, park=park, is_demo=is_demo
    )
    for alias in aliases or []:
        OrganisationAlias.objects.create(organisation=organisation, alias=alias)
    audit_record(
        actor=actor, action="accounts.organisation.created", target=organisation, after=snapshot(organisation)
    )
    return organisation


@transaction.atomic
def role_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    scope_kind: str,
    jurisdiction: Jurisdiction | None = None,
    park: Park | None = None,
    organisation: Organisation | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    expert_kind: str = "",
    check_permission: bool = True,
) -> RoleAssignment:
    """Give a user a role in a scope for a span of dates.

    A programme admin may grant only to users of organisations inside their jurisdictions;
    `check_permission=False` is for reference and demonstration loading by the system.
    """
    if check_permission and (
        user.organisation is None
        or not organisation_policy.user_may(actor, "manage_roles", user.organisation)
    ):
        raise PermissionDenied("您无权为该机构的用户授予角色")
    if role not in Role.values:
        raise ValidationError(f"未知角色：{role}")
    if scope_kind not in ScopeKind.values:
        raise ValidationError(f"未知范围类型：{scope_kind}")
    assignment = RoleAssignment(
        user=user,
        role=role,
        scope_kind=scope_kind,
        jurisdiction=jurisdiction,
        park=park,
        organisation=organisation,
        valid_from=valid_from or timezone.localdate(),
        valid_to=valid_to,
        expert_kind=expert_kind,
    )
    assignment.full_clean()
    assignment.save()
    audit_record(actor=actor, action="accounts.role.granted", target=assignment, after=snapshot(assignment))
    return assignment


@transaction.atomic
def role_end(*, actor: Any, assignment: RoleAssignment, on: dt.date, reason: str) -> RoleAssignment:
    """End a role from a date; the assignment stays as history."""
    if assignment.user.organisation is None or not organisation_policy.user_may(
        actor, "manage_roles", assignment.user.organisation
    ):
        raise PermissionDenied("您无权调整该用户的角色")
    before = snapshot(assignment)
    if on <= assignment.valid_from:
        raise ValidationError("终止日期必须晚于起始日期")
    assignment.valid_to = on
    assignment.save(update_fields=["valid_to"])
    audit_record(
        actor=actor,
        action="accounts.role.ended",
        target=assignment,
        before=before,
        after=snapshot(assignment),
        reason=reason,
    )
    return assignment


@transaction.atomic
def api_token_issue(*, actor: Any, user: User, name: str, days: int = 365) -> tuple[ApiToken, str]:
    """Issue an API token for a user; the key is returned once and only its hash is kept.

    A user asks for their own; the system administrator issues one to a user (in the back office).
    """
    from .backoffice import backoffice_may

    if actor != user and not backoffice_may(actor, "add", ApiToken):
        raise PermissionDenied("只能为本人申请接口令牌")
    if not name.strip():
        raise ValidationError({"name": "请填写令牌用途"})
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action="accounts.api_token.issued",
        target=token,
        after={"name": name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke an API token; it stops working at once."""
    from .backoffice import backoffice_may

    if actor != token.user and not backoffice_may(actor, "change", ApiToken):
        raise PermissionDenied("您无权吊销该接口令牌")
    before = snapshot(token)
    token.revoked = True
    token.save(update_fields=["revoked"])
    audit_record(
        actor=actor,
        action="accounts.api_token.revoked",
        target=token,
        before=before,
        after=snapshot(token),
        reason=reason,
    )
    return token


@transaction.atomic
def password_change_own(*, actor: Any, old_password: str, new_password: str) -> User:
    """A user changes their own password: the old one checked, the rules applied, history kept."""
    from django.contrib.auth.password_validation import validate_password

    user: User = actor
    if not user.check_password(old_password):
        raise ValidationError({"old_password": "当前密码不正确。"})
    validate_password(new_password, user)
    user._password_chosen_by_self = True  # type: ignore[attr-defined]
    user.set_password(new_password)
    user.save(update_fields=["password"])
    user.refresh_from_db(fields=["password_changed_at"])
    audit_record(actor=user, action="accounts.user.password_changed", target=user)
    return user


def user_session_keys(user: User) -> list[str]:
    """The keys of a user's live sessions (database sessions are decoded to find their owner)."""
    from django.contrib.sessions.models import Session

    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def user_sessions_end(*, actor: Any, user: User, reason: str = "") -> int:
    """End every session of a user (the security administrator's duty); returns how many ended."""
    from django.contrib.sessions.models import Session

    from .backoffice import backoffice_may

    if not backoffice_may(actor, "end_sessions", User):
        raise PermissionDenied("只有安全管理员可以结束用户会话")
    keys = user_session_keys(user)
    Session.objects.filter(session_key__in=keys).delete()
    audit_record(
        actor=actor,
        action="accounts.user.sessions_ended",
        target=user,
        after={"count": len(keys)},
        reason=reason,
    )
    return len(keys)
