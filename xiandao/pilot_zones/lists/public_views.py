"""Public pages, without login: a programme's published creation lists and each listed zone's profile."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from xiandao.programmes.selectors import programme_codes_and_names, programme_get_public

from . import selectors


def _crumbs(programme: object, *trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        ("培育计划", reverse("programmes:list")),
        (programme.name, reverse("programmes:overview", args=[programme.code])),  # type: ignore[attr-defined]
        *trail,
    ]


def creation_lists(request: HttpRequest, programme_code: str) -> HttpResponse:
    """The programme's published lists (创建名单 / 培育名单), newest batch first, each with its zones."""
    programme = programme_get_public(programme_code)
    switches = selectors.programme_switches(programme)
    word = selectors.list_word(switches)
    return render(
        request,
        "pilot_zones/lists/public_lists.html",
        {
            "programme": programme,
            "word": word,
            "lists": selectors.published_lists_public(programme),
            "has_zone_types": programme.zone_types.exists(),
            "breadcrumbs": _crumbs(programme, (word, None)),
            "programme_switch": programme_codes_and_names(),
        },
    )


def zone_profile(request: HttpRequest, programme_code: str, zone_id: int) -> HttpResponse:
    """A listed zone's profile: name, field, city, host places, type, status, creation period, targets."""
    programme = programme_get_public(programme_code)
    public = selectors.zone_public_get(programme, zone_id)
    if public is None:
        raise Http404("未找到该先导区，或它尚未列入已公布的名单。")
    switches = selectors.programme_switches(programme)
    word = selectors.list_word(switches)
    years, targets = selectors.zone_public_targets(public.zone)
    entry = getattr(public.zone, "list_entry", None)
    return render(
        request,
        "pilot_zones/lists/public_zone.html",
        {
            "programme": programme,
            "z": public,
            "zone": public.zone,
            "years": years,
            "targets": targets,
            "entry": entry,
            "all_places": list(public.zone.places.all()),
            "word": word,
            "breadcrumbs": _crumbs(
                programme,
                (word, reverse("pilot_zone_public:lists", args=[programme.code])),
                (public.name, None),
            ),
            "programme_switch": programme_codes_and_names(),
        },
    )
