"""The 统一社会信用代码 (unified social credit code, GB 32100-2015) and its check character. Pure.

Layout: position 1 registration authority, 2 category, 3–8 the registering authority's division
code (GB/T 2260), 9–17 the organisation code (GB 11714), 18 the check character.
Check (GB 32100-2015 §4.3): characters ``0-9A-HJ-NPQRTUWXY`` (no I O S V Z) stand for 0–30;
weights are 3^(i−1) mod 31; check = (31 − Σ value·weight mod 31) mod 31.
Worked example: 91110000600037341L → Σ = 538, 538 mod 31 = 11, 31 − 11 = 20 = L.
Codes issued in the 2015–2017 pilot (e.g. 91350100M0001TGQXM) may fail the check yet be legal,
so a failure is something an officer may override with a reason, and the row is flagged.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(
    pow(3, i, 31) for i in range(17)
)  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
LENGTH = 18


def normalise(code: str) -> str:
    """Upper case without spaces and with full-width characters made half-width."""
    half = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in code)
    return "".join(half.split()).upper()


def check_character(first17: str) -> str:
    """The 18th character for the first 17; raises ValueError for characters outside the alphabet."""
    if len(first17) != LENGTH - 1:
        raise ValueError("须为 17 位")
    total = 0
    for char, weight in zip(first17, WEIGHTS, strict=True):
        if char not in VALUES:
            raise ValueError(f"含有不允许的字符“{char}”")
        total += VALUES[char] * weight
    return ALPHABET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class CodeProblem:
    """Why a code is refused: ``format`` problems can never be overridden, ``check`` ones can."""

    kind: str  # "format" or "check"
    message: str


def code_problem(code: str) -> CodeProblem | None:
    """None for a valid code, else what is wrong with it, in Chinese."""
    code = normalise(code)
    if len(code) != LENGTH:
        return CodeProblem("format", f"统一社会信用代码应为18位，现为{len(code)}位")
    bad = sorted({c for c in code if c not in VALUES})
    if bad:
        return CodeProblem(
            "format", f"统一社会信用代码含有不允许的字符：{'、'.join(bad)}（不使用 I、O、S、V、Z）"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        return CodeProblem("check", f"统一社会信用代码校验位不符：第18位应为“{expected}”，现为“{code[17]}”")
    return None


def is_valid(code: str) -> bool:
    return code_problem(code) is None


def sample_credit_code(seed: int) -> str:
    """A made-up code with a correct check character, the same for a seed (enterprise, Hefei division).

    For demonstration data and tests: the organisation code is random, so it names no real body.
    """
    rng = random.Random(seed)
    body = "91340100" + "".join(rng.choice(ALPHABET[:10] + "ABCDEFGH") for _ in range(9))
    return body + check_character(body)
