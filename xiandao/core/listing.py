"""Long tables: sorting and pages kept in the URL beside the filters, and the rows an export takes.

A view builds a :class:`Listing` from its already-filtered rows (a queryset or a list) and the
columns that sort; the template shows ``listing.page`` with ``{% sort_link listing "key" %}`` in the
headers and ``{% include "web/_pagination.html" %}`` below. The export takes ``listing.ordered``:
every filtered row in the order shown, not just the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, QueryDict


@dataclass(frozen=True)
class Sort:
    """A sortable column: its key in the URL (``?sort=key`` or ``?sort=-key``) and what it orders by."""

    key: str
    label: str
    fields: tuple[str, ...]


PER_PAGE_CHOICES = (20, 50, 100, 200)


class Listing:
    """A table's rows sorted by the column the URL names (``?sort=``), paged (``?page=``, ``?per_page=``).

    An unknown sort or page size falls back to the default, so a hand-edited URL never fails.
    """

    def __init__(
        self,
        request: HttpRequest,
        rows: QuerySet[Any] | Sequence[Any],
        *,
        sorts: Sequence[Sort],
        default: str,
        per_page: int = 50,
    ) -> None:
        self.query: QueryDict = request.GET
        self.sorts = {s.key: s for s in sorts}
        asked = self.query.get("sort", default)
        key = asked.removeprefix("-")
        if key not in self.sorts:
            asked, key = default, default.removeprefix("-")
        self.sort = key
        self.descending = asked.startswith("-")
        self.is_default = asked == default
        self.ordered = self._order(rows)
        try:
            size = int(self.query.get("per_page", per_page))
        except ValueError:
            size = per_page
        self.per_page = size if size in PER_PAGE_CHOICES else per_page
        self.per_page_choices = PER_PAGE_CHOICES
        self.page: Page[Any] = Paginator(self.ordered, self.per_page).get_page(self.query.get("page"))

    def _order(self, rows: QuerySet[Any] | Sequence[Any]) -> QuerySet[Any] | list[Any]:
        """The column's first field in the asked direction; the others break ties in their own.

        A field written "-name" runs the other way (newest first as the column's ascending order).
        """
        fields = self.sorts[self.sort].fields
        directed = [
            (f.removeprefix("-"), f.startswith("-") != (self.descending and i == 0))
            for i, f in enumerate(fields)
        ]
        if isinstance(rows, QuerySet):
            # Empty values last either way, on SQLite as on PostgreSQL (whose default differs).
            return rows.order_by(
                *(
                    F(name).desc(nulls_last=True) if reverse else F(name).asc(nulls_last=True)
                    for name, reverse in directed
                )
            )
        ordered = list(rows)
        # Stable sorts from the last field to the first; empty values last whichever the direction.
        for name, reverse in reversed(directed):
            getter = attrgetter(name)
            present = [r for r in ordered if getter(r) is not None]
            missing = [r for r in ordered if getter(r) is None]
            ordered = sorted(present, key=getter, reverse=reverse) + missing
        return ordered

    def url(self, **changes: Any) -> str:
        """This page's address with ``changes`` (None removes a parameter); filters are kept."""
        query = self.query.copy()
        for name, value in changes.items():
            if value is None or value == "":
                query.pop(name, None)
            else:
                query[name] = str(value)
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"

    def sort_url(self, key: str) -> str:
        """Sort by ``key``; asking again for the sorted column reverses it. Back to the first page."""
        descending = key == self.sort and not self.descending
        return self.url(sort=f"-{key}" if descending else key, page=None)

    def state(self, key: str) -> str:
        """``ascending``, ``descending`` or ``none``: for the header's aria-sort and its arrow."""
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"

    @property
    def export_url(self) -> str:
        """The export of exactly what is filtered, in this order (all pages)."""
        return self.url(format="xlsx", page=None)

    @property
    def previous_url(self) -> str:
        return self.url(page=self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.url(page=self.page.next_page_number()) if self.page.has_next() else ""

    def page_links(self) -> list[tuple[int | None, str, bool]]:
        """(number, address, is current) for the pager; None marks a gap (…)."""
        paginator = self.page.paginator
        numbers = paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1)
        return [
            (
                n if isinstance(n, int) else None,
                self.url(page=n) if isinstance(n, int) else "",
                n == self.page.number,
            )
            for n in numbers
        ]
