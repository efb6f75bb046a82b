"""Settings shared by every environment; values that differ come from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from xiandao.core.locations import policy_documents_dir

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("XIANDAO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean from the environment ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_from_env(default_sqlite_path: Path) -> dict[str, object]:
    """DATABASE_URL switches to PostgreSQL; otherwise SQLite tuned so concurrent writes wait, not fail.

    WAL lets readers proceed during a write; IMMEDIATE transactions take the write lock up
    front so two writers queue on the busy timeout instead of raising "database is locked".
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(default_sqlite_path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
            ),
        },
    }


DEBUG = False
ALLOWED_HOSTS: list[str] = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

# Demonstration mode: one-click persona login and the 示例数据 ribbon. Never in production.
DEMO_MODE = env_bool("XIANDAO_DEMO_MODE", False)

INSTALLED_APPS = [
    "xiandao.core.admin_apps.XiandaoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "csp",
    # django-ninja as an app, so /api/v1/docs uses the Swagger UI files it ships (served locally).
    "ninja",
    "axes",
    "xiandao.core",
    "xiandao.accounts",
    "xiandao.geo",
    "xiandao.programmes",
    "xiandao.pilot_zones",
    "xiandao.policies",
    "xiandao.registries",
    "xiandao.notifications",
    "xiandao.review",
    "xiandao.monitoring",
    "xiandao.evaluation",
    "xiandao.supervision",
    "xiandao.web",
    "xiandao.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "xiandao.web.middleware.NoStoreForSignedInMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes after authentication so it sees the authenticated user and the login result.
    "axes.middleware.AxesMiddleware",
    # Locked accounts, the second factor and due passwords, for every logged-in request.
    "xiandao.accounts.middleware.AccountGateMiddleware",
]

ROOT_URLCONF = "config.urls"
# A refused form (CSRF) gets the Chinese 403 page like every other refusal.
CSRF_FAILURE_VIEW = "xiandao.web.errors.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xiandao.web.context_processors.platform",
            ],
            # The shared page conventions (tab title, 2024年2月5日, percentages) in every template.
            "builtins": ["xiandao.web.templatetags.xiandao"],
        },
    },
]

DATABASES = {"default": database_from_env(VAR_DIR / "xiandao.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password rules (等保 2.0 level 3): ≥10 characters, three of four character classes, not the
# user name, not common, not one of the last five; changed at first login and every 90 days.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "xiandao.accounts.passwords.ChineseMinimumLengthValidator"},
    {"NAME": "xiandao.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "xiandao.accounts.passwords.NotUsernameValidator"},
    {"NAME": "xiandao.accounts.passwords.ChineseCommonPasswordValidator"},
    {"NAME": "xiandao.accounts.passwords.PasswordHistoryValidator"},
]
# These are the defaults of the security policy; the security administrator may tighten them
# in the back office (安全策略), never loosen them below the 等保 baseline.
XIANDAO_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("XIANDAO_PASSWORD_MAX_AGE_DAYS", "90"))
XIANDAO_PASSWORD_MIN_LENGTH = int(os.environ.get("XIANDAO_PASSWORD_MIN_LENGTH", "10"))
XIANDAO_PASSWORD_HISTORY = int(os.environ.get("XIANDAO_PASSWORD_HISTORY", "5"))

# Sessions end after 30 minutes without activity (every request renews them) and when the
# browser closes; pages warn `SESSION_WARNING_SECONDS` before the end and let the user stay.
XIANDAO_SESSION_IDLE_MINUTES = int(os.environ.get("XIANDAO_SESSION_IDLE_MINUTES", "30"))
# The cookie's age is the ceiling; the policy's (possibly shorter) idle time is enforced by
# xiandao.accounts.middleware.AccountGateMiddleware.
SESSION_COOKIE_AGE = XIANDAO_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
XIANDAO_SESSION_WARNING_SECONDS = int(os.environ.get("XIANDAO_SESSION_WARNING_SECONDS", "120"))

# Two-factor login (TOTP, django-otp) for programme admins and the three administrators.
# Demo mode may skip it for users without a device; production refuses the skip (system check).
XIANDAO_TWO_FACTOR_DEMO_SKIP = False
OTP_TOTP_ISSUER = "先导平台"

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Repeated wrong passwords lock the account (not the whole office's IP): 5 failures, 30 minutes.
# The defaults of the security policy, which axes reads through the two callables.
XIANDAO_LOCKOUT_FAILURES = int(os.environ.get("XIANDAO_LOCKOUT_FAILURES", "5"))
XIANDAO_LOCKOUT_MINUTES = int(os.environ.get("XIANDAO_LOCKOUT_MINUTES", "30"))
# How long a process keeps the security policy it read (a change forgets it at once in the process
# that made it; other processes see it within this many seconds).
XIANDAO_SECURITY_POLICY_CACHE_SECONDS = int(os.environ.get("XIANDAO_SECURITY_POLICY_CACHE_SECONDS", "60"))
AXES_FAILURE_LIMIT = "xiandao.accounts.policy.axes_failure_limit"
AXES_COOLOFF_TIME = "xiandao.accounts.policy.axes_cooloff"
# Every failed login is kept (who, when, from where) for the audit administrator; none is
# pruned per user, and successful logins are logged too (axes' access log).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 1_000_000
AXES_DISABLE_ACCESS_LOG = False
# The login logs are shown read-only by xiandao.accounts.admin, not by axes' own admin.
AXES_ENABLE_ADMIN = False
AXES_LOCKOUT_PARAMETERS = ["username"]
# Government offices sit behind one NAT address: locking by IP would lock a whole department out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Chinese first, whatever the browser asks for: offices run browsers set to English too.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# The policy documents' texts are the government's: read from a folder, never copied in.
POLICY_DOCUMENTS_DIR = policy_documents_dir()
# Uploaded policy documents: the largest file taken, and the text length above which the
# extractor runs as a background job with a progress bar instead of during the upload.
POLICIES_MAX_UPLOAD_MB = int(os.environ.get("XIANDAO_POLICIES_MAX_UPLOAD_MB", "20"))
POLICIES_INLINE_EXTRACTION_CHARS = int(os.environ.get("XIANDAO_POLICIES_INLINE_CHARS", "200000"))
# What an upload may make the server read (xiandao/policies/extraction/limits.py): the text
# taken from any file, and a Word file's zip members before any is inflated.
POLICIES_MAX_TEXT_CHARS = int(os.environ.get("XIANDAO_POLICIES_MAX_TEXT_CHARS", "2000000"))
POLICIES_DOCX_MAX_MEMBERS = int(os.environ.get("XIANDAO_POLICIES_DOCX_MAX_MEMBERS", "2000"))
POLICIES_DOCX_MAX_UNCOMPRESSED_MB = int(os.environ.get("XIANDAO_POLICIES_DOCX_MAX_UNCOMPRESSED_MB", "200"))
POLICIES_DOCX_MAX_RATIO = int(os.environ.get("XIANDAO_POLICIES_DOCX_MAX_RATIO", "100"))
# A filled monitoring template (xiandao/monitoring/workbook/safety.py): the largest upload read,
# and how far its zip members may inflate before any is read.
MONITORING_WORKBOOK_MAX_MB = int(os.environ.get("XIANDAO_MONITORING_WORKBOOK_MAX_MB", "20"))
MONITORING_WORKBOOK_MAX_UNCOMPRESSED_MB = int(
    os.environ.get("XIANDAO_MONITORING_WORKBOOK_MAX_UNCOMPRESSED_MB", "400")
)
MONITORING_WORKBOOK_MAX_RATIO = int(os.environ.get("XIANDAO_MONITORING_WORKBOOK_MAX_RATIO", "200"))
# The uploaded files themselves: outside the web root, served only through a view that checks
# who may see the document (never under MEDIA_ROOT or STATIC_ROOT).
POLICIES_UPLOAD_ROOT = Path(os.environ.get("XIANDAO_POLICIES_UPLOAD_ROOT", VAR_DIR / "uploads"))

# Attachments of applications and the like (xiandao/core/files.py): outside the web root,
# served only through views that check who may see them; the largest file taken.
ATTACHMENTS_ROOT = Path(os.environ.get("XIANDAO_ATTACHMENTS_ROOT", VAR_DIR / "attachments"))
ATTACHMENTS_MAX_UPLOAD_MB = int(os.environ.get("XIANDAO_ATTACHMENTS_MAX_UPLOAD_MB", "20"))

# Background work: "celery" when a broker is configured, else "thread" (demo) or "inline" (tests).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = False
JOBS_BACKEND = os.environ.get("XIANDAO_JOBS_BACKEND", "celery" if CELERY_BROKER_URL else "thread")

# The demonstration job pauses between steps so its progress bar can be watched.
JOBS_DEMO_STEP_SECONDS = float(os.environ.get("XIANDAO_DEMO_JOB_STEP_SECONDS", "0.25"))

NINJA_PAGINATION_PER_PAGE = 50

# Content-Security-Policy on every response: scripts, styles, fonts and data only from our own
# origin, so an injected <script>, onclick= or style= does nothing. Pages therefore carry no
# inline script or style: behaviour lives in static JS (xiandao/web/static/web/xiandao.js) reading
# data-* attributes, chart options travel as json_script, HTMX is told not to inject its style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap's icons and Swagger UI draw small images as data: URLs in their CSS.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Mail: printed to the console unless a backend is configured (production sets SMTP from the environment).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "先导平台 <noreply@xiandao.invalid>")
# The address mails link back to (links inside the platform are relative to it).
XIANDAO_SITE_URL = os.environ.get("XIANDAO_SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
