"""Run every benchmark of this folder, one process each, and print what each printed.

`make bench` calls it. Each benchmark makes and drops its own test database; with DATABASE_URL set
they run on PostgreSQL, otherwise on the embedded SQLite. A benchmark that fails is reported and the
others still run; the exit status says whether any failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    failed = []
    for script in sorted(p for p in BENCH.glob("*.py") if p.name != Path(__file__).name):
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], cwd=BENCH.parent, check=False)
        print(
            f"（{script.name} 用时 {time.perf_counter() - started:.0f} 秒，退出码 {result.returncode}）",
            flush=True,
        )
        if result.returncode:
            failed.append(script.name)
    if failed:
        print("未完成的基准：" + "、".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
