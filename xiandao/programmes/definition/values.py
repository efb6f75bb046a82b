"""Decimals as definition files, the API and fingerprints write them (no Django).

A stored Decimal (``30.000000``, ``0.2500``) becomes the plain number a person wrote: an int when
whole, else a float. One function, so YAML, JSON and the state fingerprint never disagree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def plain_number(value: Decimal | int | float) -> int | float:
    """``Decimal("30.000000")`` → ``30``; ``Decimal("0.2500")`` → ``0.25``; ints and floats unchanged."""
    if isinstance(value, bool):
        raise TypeError("布尔值不是数字")
    if isinstance(value, int | float):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def plain_data(value: Any) -> Any:
    """The same data with every Decimal inside dicts and lists made a plain number."""
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, dict):
        return {key: plain_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(item) for item in value]
    return value
