"""Production: every secret from the environment, PostgreSQL, Celery; demo mode is refused."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool


def required(name: str) -> str:
    """An environment value production cannot run without."""
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"生产环境缺少环境变量 {name}")
    return value


SECRET_KEY = required("SECRET_KEY")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("生产环境必须设置 DATABASE_URL（PostgreSQL）")
if env_bool("XIANDAO_DEMO_MODE", False):
    raise ImproperlyConfigured("生产环境不允许演示模式（XIANDAO_DEMO_MODE）")
DEMO_MODE = False
# The second factor is never skipped in production (the system check xiandao.accounts.E001 agrees).
XIANDAO_TWO_FACTOR_DEMO_SKIP = env_bool("XIANDAO_TWO_FACTOR_DEMO_SKIP", False)
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS only: plain HTTP is redirected and browsers are told to use HTTPS for a year (HSTS).
# Behind a TLS-terminating proxy, the proxy sets X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
SECURE_SSL_REDIRECT = env_bool("XIANDAO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("XIANDAO_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("XIANDAO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("XIANDAO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Mail through the office's SMTP relay; every value from the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
XIANDAO_SITE_URL = os.environ.get("XIANDAO_SITE_URL", "")  # without it, mails give the path only
