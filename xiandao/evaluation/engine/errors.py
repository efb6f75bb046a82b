"""Errors a user reads, and how a message shows what it quotes.

The engine's users are programme staff: every :class:`EngineError` message is Chinese, says
where the problem is and what to fix, and never needs a traceback. ``problem`` is what is
wrong; ``key`` (``grading.thresholds[1].minimum``, ``第1行第14列``) says where, when known.
"""

from __future__ import annotations

import errno
import json
from typing import Any


class EngineError(ValueError):
    """A problem in what the user gave the engine; the message is for the user."""

    def __init__(self, problem: str, key: str = "") -> None:
        self.problem = problem
        self.key = key
        super().__init__(f"{key}：{problem}" if key else problem)


def quoted(value: Any, limit: int = 60) -> str:
    """A value as a user should see it quoted: text in Chinese quotes, anything else as JSON."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”" if isinstance(value, str) else text


def listed(items: Any) -> str:
    """Items as a Chinese enumeration: a、b、c."""
    return "、".join(str(item) for item in items)


_OS_REASONS = {
    errno.ENOENT: "找不到该文件或其所在文件夹",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "所在磁盘只读",
    errno.EIO: "读写磁盘出错",
    errno.EBUSY: "文件正被其他程序占用",
}


def os_reason(error: OSError) -> str:
    """Why the system refused a file, in Chinese."""
    if error.errno in _OS_REASONS:
        return _OS_REASONS[error.errno]
    return f"系统错误，错误码{error.errno}" if error.errno is not None else "系统错误"
