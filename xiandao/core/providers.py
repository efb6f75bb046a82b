"""Places where apps contribute to a page of another app without the owner importing them.

The owner declares a :class:`Providers` (the workbench's to-dos, the programme overview's zones,
a document's text sources); each contributing app registers a function from its
``AppConfig.ready()``. Dependencies then run one way, from the contributor to the owner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Providers(Generic[F]):
    """An ordered set of functions registered under a name."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._providers: list[F] = []

    def register(self, provider: F) -> F:
        """Add ``provider`` once (registering twice changes nothing); usable as a decorator."""
        if provider not in self._providers:
            self._providers.append(provider)
        return provider

    def __iter__(self) -> Iterator[F]:
        return iter(list(self._providers))

    def __len__(self) -> int:
        return len(self._providers)

    @contextmanager
    def replaced(self, *providers: F) -> Iterator[None]:
        """Only ``providers`` while the block runs (tests); the registered ones afterwards."""
        kept = self._providers
        self._providers = list(providers)
        try:
            yield
        finally:
            self._providers = kept

    def __repr__(self) -> str:
        return f"Providers({self.name!r}, {len(self)})"


@dataclass(frozen=True)
class TodoItem:
    """Something waiting for a user, shown on their workbench."""

    label: str
    url: str
    deadline: str = ""
    count: int = 1


#: What waits for a user: each app registers ``provider(user) -> list[TodoItem]``.
todo_providers: Providers[Callable[[Any], list[TodoItem]]] = Providers("web.workbench.todos")


@dataclass(frozen=True)
class NoticeItem:
    """A notice (通知公告) shown in the workbench's card."""

    title: str
    url: str
    date: str = ""
    source: str = ""


#: Notices for a user's workbench card: each app registers ``provider(user) -> list[NoticeItem]``.
notice_providers: Providers[Callable[[Any], list[NoticeItem]]] = Providers("web.workbench.notices")
