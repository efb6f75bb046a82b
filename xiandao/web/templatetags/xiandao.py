"""The page conventions every template shares: tab titles, dates, percentages (UI.md, "Figures")."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import format_html, strip_tags

from xiandao.core import formats

register = template.Library()

#: A citation of one of our files (FACTS.md, LABELLING.md) with the brackets or punctuation around it.
_FILE_CITATION = re.compile(r"[（(]\s*[A-Za-z0-9_./-]+\.md\s*[）)]|[A-Za-z0-9_./-]+\.md\s*[：:；;，,、]?\s*")


@register.filter
def user_text(value: Any) -> str:
    """Text written by maintainers (notes), without citations of the repository's files.

    Definitions and admins' notes say where a fact came from ("据公开报道（FACTS.md）"); users
    read the sentence, not the developers' file name.
    """
    text = _FILE_CITATION.sub("", str(value or ""))
    return re.sub(r"[（(]\s*[）)]", "", text).strip()


#: Between a page's own title and the platform's name, and between the parts of a title.
TITLE_SEPARATOR = " · "


@register.filter
def page_title(title: Any, platform: str) -> str:
    """The tab title: the page's own title, the separator, the platform's name ("工作台 · 先导…").

    A page without a title gets the platform's name alone; surrounding whitespace of the block
    is dropped, so the separator is never doubled or missing.
    """
    own = " ".join(strip_tags(str(title or "")).split())
    return f"{own}{TITLE_SEPARATOR}{platform}" if own else str(platform)


date_zh = register.filter("date_zh", formats.date_zh)
percent = register.filter("percent", formats.percent)
figure = register.filter("figure", formats.figure)


@register.simple_tag(takes_context=True)
def admin_code(context: template.Context, code: Any) -> str:
    """A code as a muted second line, for administrators only (users see the Chinese name above it)."""
    if not code or not context.get("show_codes"):
        return ""
    return format_html('<div class="xd-code small text-secondary"><code>{}</code></div>', code)


@register.simple_tag
def sort_link(listing: Any, key: str) -> str:
    """A column header that sorts the listing by ``key`` (again: reverses), with its arrow."""
    sort = listing.sorts[key]
    state = listing.state(key)
    icon = {"ascending": "bi-caret-up-fill", "descending": "bi-caret-down-fill"}.get(
        state, "bi-chevron-expand"
    )
    title = {"ascending": "已按此列升序，点击改为降序", "descending": "已按此列降序，点击改为升序"}.get(
        state, "点击按此列排序"
    )
    return format_html(
        '<a class="xd-sort xd-sort-{}" href="{}" title="{}" data-sort="{}">{} <i class="bi {}" aria-hidden="true"></i></a>',
        state,
        listing.sort_url(key),
        title,
        key,
        sort.label,
        icon,
    )


@register.filter
def sort_state(listing: Any, key: str) -> str:
    """The aria-sort value of a column header."""
    return str(listing.state(key))


@register.filter
def get_count(counts: Any, key: Any) -> Any:
    """``counts[key]`` for a Counter or dict (0 when absent)."""
    return counts.get(key, 0)


@register.filter
def sort_url(listing: Any, key: str) -> str:
    """The address that sorts the listing by ``key`` ascending (e.g. back to the default order)."""
    return str(listing.url(sort=key, page=None))
