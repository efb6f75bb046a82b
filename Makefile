# Xiandao — two commands: `make run` serves the demo platform, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.8
VENDOR := xiandao/web/static/vendor
PG_URL ?= postgres://postgres@127.0.0.1:5432/xiandao
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# This machine sets PYTHONDONTWRITEBYTECODE; without a bytecode cache every command recompiles
# Django and numpy from source (seconds per start-up). Caches live in .venv and gitignored folders.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test install assets sysdeps lint typecheck migrations-check check test-pure-and-sqlite test-postgres test-browser bench clean

run: install assets
	$(PY) manage.py setup_platform
	@echo "先导平台已启动：http://127.0.0.1:8000 （演示账号见登录页）"
	$(PY) manage.py runserver 127.0.0.1:8000 --noreload

# Python dependencies from the pinned, hashed lock file; redone only when the lock changes.
install: $(VENV)/.installed
$(VENV)/.installed: requirements/dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip sync -q --python $(PY) requirements/dev.lock
	# The repository on the venv's path, so `python -m xiandao.…` works from any folder.
	$(PY) -c "import pathlib, site; pathlib.Path(site.getsitepackages()[0], 'xiandao-repo.pth').write_text('$(CURDIR)\n')"
	touch $@

# Bootstrap 5, Bootstrap Icons, HTMX 2 and ECharts from the npm registry (majors pinned, exact in
# package-lock.json), copied into static files so nothing loads from the internet at run time.
assets: $(VENDOR)/.copied
$(VENDOR)/.copied: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons $(VENDOR)/htmx $(VENDOR)/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $@

# Debian's Chromium and a CJK font for the browser tests (Playwright's own download is blocked).
sysdeps:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "安装 Chromium 与中文字体（Debian 软件包）…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy .

migrations-check: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

check: lint typecheck migrations-check

# Pure tests and database tests on SQLite; database tests again on PostgreSQL; browser tests on PostgreSQL.
test-pure-and-sqlite: install assets
	$(PY) -m pytest -n 2 -m "not browser" -p no:cacheprovider --durations=15
test-postgres: install assets
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -n 2 -m "db and not browser" -p no:cacheprovider --durations=15
test-browser: install assets sysdeps
	DATABASE_URL=$(PG_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser -p no:cacheprovider

test: install assets sysdeps check test-pure-and-sqlite test-postgres test-browser

bench: install
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles var
