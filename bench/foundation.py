"""Foundation figures: how fast `make run` answers the second time, and queries per home page.

Run: .venv/bin/python bench/foundation.py   (after one `make run` has prepared the machine)
Budgets (DESIGN.md): pages well under 200 ms with a number of queries that does not grow with data.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8000


def _answering(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)
        return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def second_run_seconds() -> float:
    """Start `make run` (already prepared once) and time until port 8000 answers."""
    if _answering(f"http://127.0.0.1:{PORT}/"):
        raise SystemExit(f"端口 {PORT} 已被占用：请先停止正在运行的平台")
    started = time.perf_counter()
    process = subprocess.Popen(
        ["make", "run"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while not _answering(f"http://127.0.0.1:{PORT}/accounts/login/"):
            if process.poll() is not None:
                raise SystemExit("make run 提前退出")
            if time.perf_counter() - started > 600:
                raise SystemExit("make run 在 10 分钟内未响应")
            time.sleep(0.1)
        return time.perf_counter() - started
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def home_page_figures() -> list[tuple[str, int, float]]:
    """Queries and median milliseconds of each persona's home page, on the demo database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xiandao.accounts.demo import PERSONAS
    from xiandao.accounts.models import User

    rows = []
    for persona in PERSONAS:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=persona.username))
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        if response.status_code != 200:
            raise SystemExit(f"{persona.key} 的工作台返回 {response.status_code}")
        # Read the count now: every later request clears Django's query log.
        query_count = len(queries.captured_queries)
        timings = []
        for _ in range(20):
            start = time.perf_counter()
            client.get("/")
            timings.append((time.perf_counter() - start) * 1000)
        rows.append((persona.key, query_count, statistics.median(timings)))
    return rows


if __name__ == "__main__":
    if "--pages-only" not in sys.argv:
        print(f"make run 第二次启动到 8000 端口应答：{second_run_seconds():.1f} 秒")
    print(f"{'persona':<22}{'queries':>8}{'median ms':>11}")
    for key, count, ms in home_page_figures():
        print(f"{key:<22}{count:>8}{ms:>11.1f}")
