"""Command line: `python -m xiandao.policies.extraction FILE --json` prints the proposals.

Errors are printed as one Chinese sentence on stderr, without a traceback, with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from . import extract
from .model import Extraction
from .readers import ExtractionError, read_document


def main(argv: Sequence[str] | None = None) -> int:
    """Run the extractor on one file and print JSON or a short Chinese summary."""
    parser = argparse.ArgumentParser(
        prog="python -m xiandao.policies.extraction",
        description="从政策文件（.txt / .docx / .pdf）中提取目标、任务及责任单位、领域方向。",
    )
    parser.add_argument("file", help="政策文件路径")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出 targets、tasks、fields")
    args = parser.parse_args(argv)
    try:
        text = read_document(args.file)
        extraction = extract(text)
    except ExtractionError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    if args.json:
        json.dump(extraction.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(summary(extraction))
    return 0


def summary(extraction: Extraction) -> str:
    """A readable list of the proposals for a person at a terminal."""
    lines = [f"目标 {len(extraction.targets)} 项："]
    for t in extraction.targets:
        year = f"{t.year}年" if t.year else "未注明年份"
        lines.append(
            f"  [{year}] {t.metric} {t.to_dict()['value']}{t.unit or ''}（{t.qualifier}）— {t.quote}"
        )
    lines.append(f"任务 {len(extraction.tasks)} 项：")
    for task in extraction.tasks:
        cooperating = f"；配合：{'、'.join(task.cooperating)}" if task.cooperating else ""
        lines.append(f"  {task.task} — 牵头/责任：{'、'.join(task.lead)}{cooperating}")
    lines.append(f"领域 {len(extraction.fields)} 个：")
    for field in extraction.fields:
        lines.append(f"  {field.name}：{'、'.join(field.directions) or '（未列方向）'}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
