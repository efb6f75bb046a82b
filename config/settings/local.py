"""Local demonstration: embedded SQLite, demo personas, background work in a thread."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", False)
# A local-only secret: local settings never serve outside 127.0.0.1.
SECRET_KEY = os.environ.get("SECRET_KEY", "local-only-not-secret-xiandao-demo")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEMO_MODE = env_bool("XIANDAO_DEMO_MODE", True)
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Static files straight from the apps' folders: no collectstatic step before the first run.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Demo mode lets the one-click personas skip the second factor (the login page says so).
XIANDAO_TWO_FACTOR_DEMO_SKIP = DEMO_MODE
