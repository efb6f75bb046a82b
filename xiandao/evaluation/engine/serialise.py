"""Turn the engine's frozen dataclasses into JSON-compatible values and back.

One generic walker driven by the type hints, so a new field on a method or a result is
serialised without touching this module. Errors name the path of the offending key
(``grading.thresholds[1].minimum``) and say in Chinese what is wrong, so that programme staff
can correct a hand-edited method file.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from xiandao.evaluation.engine.errors import EngineError, listed, quoted

T = TypeVar("T")


class SerialisationError(EngineError):
    """A JSON document does not fit the dataclass it should describe; ``key`` is where."""


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
    """Build an instance of dataclass ``cls`` from JSON-compatible data, checking every key.

    ``path`` prefixes the key paths errors name; empty, they start at the document's top.
    """
    return typing.cast(T, _convert(cls, data, path))


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


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
        errors: list[SerialisationError] = []
        for option in args:
            if option is type(None):
                continue
            try:
                return _convert(option, data, path)
            except SerialisationError as error:
                errors.append(error)
        if len(errors) == 1:
            raise errors[0]
        raise SerialisationError(f"{quoted(data)}不是可接受的值", path)
    if origin is typing.Literal:
        if data not in args:
            raise SerialisationError(f"{quoted(data)}不是可选的值，可选：{listed(args)}", path)
        return data
    if origin is tuple:
        if not isinstance(data, list | tuple):
            raise SerialisationError(f"应为列表（[…]），而不是{quoted(data)}", path)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item, f"{path}[{n}]") for n, item in enumerate(data))
        if len(args) != len(data):
            raise SerialisationError(f"应有{len(args)}项，而不是{len(data)}项", path)
        return tuple(
            _convert(arg, item, f"{path}[{n}]") for n, (arg, item) in enumerate(zip(args, data, strict=True))
        )
    if origin in (Mapping, dict, typing.Mapping):
        if not isinstance(data, dict):
            raise SerialisationError(f"应为对象（{{…}}），而不是{quoted(data)}", path)
        key_type, value_type = args
        return {
            _convert(key_type, _key(key_type, key, path), _child(path, key)): _convert(
                value_type, item, _child(path, key)
            )
            for key, item in data.items()
        }
    return _convert_scalar(hint, data, path)


def _key(key_type: Any, key: str, path: str) -> Any:
    if key_type is int:
        try:
            return int(key)
        except ValueError:
            raise SerialisationError(f"键{quoted(key)}应为整数", path) from None
    return key


def _convert_scalar(hint: Any, data: Any, path: str) -> Any:
    if hint is float:
        # JSON writes 1.0 as 1; an int is a valid float, a bool is not.
        if isinstance(data, int | float) and not isinstance(data, bool):
            return float(data)
        if data is None:
            return math.nan
        raise SerialisationError(f"应为数字，而不是{quoted(data)}", path)
    if hint is int:
        if isinstance(data, int) and not isinstance(data, bool):
            return data
        raise SerialisationError(f"应为整数，而不是{quoted(data)}", path)
    if hint is bool:
        if isinstance(data, bool):
            return data
        raise SerialisationError(f"应为 true 或 false，而不是{quoted(data)}", path)
    if hint is str:
        if isinstance(data, str):
            return data
        raise SerialisationError(f"应为文本（加双引号），而不是{quoted(data)}", path)
    raise SerialisationError(f"程序无法读取这一类型的值（{hint!r}），请联系技术支持", path)


def _convert_dataclass(cls: type, data: Any, path: str) -> Any:
    if not isinstance(data, dict):
        raise SerialisationError(f"应为对象（{{…}}），而不是{quoted(data)}", path)
    hints = typing.get_type_hints(cls)
    fields = {field.name: field for field in dataclasses.fields(cls) if field.init}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise SerialisationError(f"没有{quoted(unknown[0])}这一项，可用的项：{listed(fields)}", path)
    kwargs = {}
    for name, field in fields.items():
        if name in data:
            kwargs[name] = _convert(hints[name], data[name], _child(path, name))
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise SerialisationError(f"缺少{quoted(name)}这一项", path)
    try:
        return cls(**kwargs)
    except EngineError as error:
        # The dataclass's own check: its message names the field, with the path from the top.
        raise SerialisationError(error.problem, error.key or path) from None
    except (TypeError, ValueError) as error:
        raise SerialisationError("取值不符合要求", path) from error
