"""Turn the engine's frozen dataclasses into JSON-compatible values and back.

One generic walker driven by the type hints, so a new field on a method or a result is
serialised without touching this module. Errors name the path of the offending key
(``grading.thresholds[1].minimum``) so that a hand-edited method file can be corrected.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class SerialisationError(ValueError):
    """A JSON document does not fit the dataclass it should describe."""


def to_data(value: Any) -> Any:
    """Return a JSON-compatible copy of a dataclass, tuple, mapping or scalar.

    NaN becomes None: JSON has no NaN, and a missing figure is what NaN means here.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_data(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): to_data(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def from_data(cls: type[T], data: Any, path: str = "") -> T:
    """Build an instance of dataclass ``cls`` from JSON-compatible data, checking every key."""
    return typing.cast(T, _convert(cls, data, path or cls.__name__))


def _convert(hint: Any, data: Any, path: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return data
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _convert_dataclass(hint, data, path)
    if origin in (typing.Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        errors = []
        for option in args:
            if option is type(None):
                continue
            try:
                return _convert(option, data, path)
            except SerialisationError as error:
                errors.append(str(error))
        raise SerialisationError(errors[0] if len(errors) == 1 else f"{path}: {data!r} fits none of {args}")
    if origin is typing.Literal:
        if data not in args:
            allowed = ", ".join(repr(arg) for arg in args)
            raise SerialisationError(f"{path}: {data!r} is not one of {allowed}")
        return data
    if origin is tuple:
        if not isinstance(data, list | tuple):
            raise SerialisationError(f"{path}: expected a list, got {data!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item, f"{path}[{n}]") for n, item in enumerate(data))
        if len(args) != len(data):
            raise SerialisationError(f"{path}: expected {len(args)} items, got {len(data)}")
        return tuple(
            _convert(arg, item, f"{path}[{n}]") for n, (arg, item) in enumerate(zip(args, data, strict=True))
        )
    if origin in (Mapping, dict, typing.Mapping):
        if not isinstance(data, dict):
            raise SerialisationError(f"{path}: expected an object, got {data!r}")
        key_type, value_type = args
        return {
            _convert(key_type, _key(key_type, key, path), f"{path}.{key}"): _convert(
                value_type, item, f"{path}.{key}"
            )
            for key, item in data.items()
        }
    return _convert_scalar(hint, data, path)


def _key(key_type: Any, key: str, path: str) -> Any:
    if key_type is int:
        try:
            return int(key)
        except ValueError:
            raise SerialisationError(f"{path}: key {key!r} is not an integer") from None
    return key


def _convert_scalar(hint: Any, data: Any, path: str) -> Any:
    if hint is float:
        # JSON writes 1.0 as 1; an int is a valid float, a bool is not.
        if isinstance(data, int | float) and not isinstance(data, bool):
            return float(data)
        if data is None:
            return math.nan
        raise SerialisationError(f"{path}: expected a number, got {data!r}")
    if hint is int:
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        raise SerialisationError(f"{path}: expected an integer, got {data!r}")
    if hint is bool:
        if isinstance(data, bool):
            return data
        raise SerialisationError(f"{path}: expected true or false, got {data!r}")
    if hint is str:
        if isinstance(data, str):
            return data
        raise SerialisationError(f"{path}: expected a string, got {data!r}")
    raise SerialisationError(f"{path}: cannot read a value of type {hint!r}")


def _convert_dataclass(cls: type, data: Any, path: str) -> Any:
    if not isinstance(data, dict):
        raise SerialisationError(f"{path}: expected an object, got {data!r}")
    hints = typing.get_type_hints(cls)
    fields = {field.name: field for field in dataclasses.fields(cls) if field.init}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise SerialisationError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(fields)})")
    kwargs = {}
    for name, field in fields.items():
        if name in data:
            kwargs[name] = _convert(hints[name], data[name], f"{path}.{name}")
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise SerialisationError(f"{path}: missing key {name!r}")
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as error:
        raise SerialisationError(f"{path}: {error}") from None
