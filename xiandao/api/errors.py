"""One error shape for every API failure: {"error": {"code", "message"}, "details": [...]}, in Chinese."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

_LOCATIONS = {
    "body": "请求体",
    "query": "查询参数",
    "path": "路径参数",
    "header": "请求头",
    "form": "表单",
    "cookie": "Cookie",
}
_MESSAGES = {
    "missing": "缺少必填项",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "decimal_parsing": "应为数字",
    "bool_parsing": "应为是/否（true 或 false）",
    "date_from_datetime_parsing": "应为日期（如 2026-11-22）",
    "date_parsing": "应为日期（如 2026-11-22）",
    "uuid_parsing": "应为有效的编号（UUID）",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "json_invalid": "不是有效的 JSON",
    "enum": "不是允许的取值",
}


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}, "details": details or []}


def _field_path(loc: list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        where = _LOCATIONS[parts[0]]
        rest = [p for p in parts[1:] if p not in ("payload", "data")]
        return f"{where}：{'.'.join(rest)}" if rest else where
    return ".".join(parts)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {
                "field": _field_path(list(e.get("loc", []))),
                "message": _MESSAGES.get(str(e.get("type", "")), "取值不符合要求"),
            }
            for e in exc.errors
        ]
        summary = "；".join(f"{d['field']}：{d['message']}" for d in details[:5])
        return api.create_response(
            request, error_body("invalid_request", f"请求格式有误：{summary}", details), status=422
        )

    @api.exception_handler(ValidationError)
    def on_domain_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, error_body("invalid", "；".join(exc.messages)), status=400)

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, error_body("unauthenticated", "未登录或令牌无效，请先登录或提供有效令牌。"), status=401
        )

    @api.exception_handler(PermissionDenied)
    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(
            request, error_body("forbidden", str(exc) or "您无权执行此操作。"), status=403
        )

    @api.exception_handler(Http404)
    def on_missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, error_body("not_found", "未找到该对象，或您无权访问。"), status=404
        )

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, error_body("error", str(exc)), status=exc.status_code)
