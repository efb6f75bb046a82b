"""Test settings: SQLite by default, PostgreSQL when DATABASE_URL is set; jobs run inline."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, database_from_env

SECRET_KEY = "test-only-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
DEMO_MODE = True
DATABASES = {"default": database_from_env(BASE_DIR / "var" / "test.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's shared in-memory database: shared-cache table locks ignore the busy
    # timeout, and the background-thread tests must meet SQLite as the demo runs it (WAL, file).
    # One file per test process, so two runs in one checkout never share (and break) a database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test_xiandao_{os.getpid()}.sqlite3")}
JOBS_BACKEND = os.environ.get("XIANDAO_JOBS_BACKEND", "inline")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
XIANDAO_LOCKOUT_FAILURES = 3
# One process: a change forgets the cached policy anyway, and a query-count comparison must not see
# the minute run out between its two measurements (one query more, whatever the data).
XIANDAO_SECURITY_POLICY_CACHE_SECONDS = 3600
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
JOBS_DEMO_STEP_SECONDS = 0.0
XIANDAO_TWO_FACTOR_DEMO_SKIP = True
