"""One set of pages per registry; the registry is fixed by the path, so every URL names only objects."""

from django.urls import path

from . import views
from .registry import REGISTRIES

app_name = "registries"
urlpatterns = [
    path("", views.index, name="index"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("imports/<uuid:job_id>/", views.import_result, name="import_result"),
    path("enterprises/<int:entry_id>/tags/", views.tag_add, name="tag_add"),
    path("enterprises/tags/<int:tag_id>/end/", views.tag_end, name="tag_end"),
    path("technologies/<int:entry_id>/trl/", views.technology_assess, name="technology_assess"),
    path("projects/<int:entry_id>/progress/", views.project_progress, name="project_progress"),
]
for _registry in REGISTRIES:
    _slug = {"slug": _registry.slug}
    _at = f"{_registry.slug}/"
    urlpatterns += [
        path(_at, views.entry_list, _slug, name="entry_list"),
        path(f"{_at}add/", views.entry_add, _slug, name="entry_add"),
        path(f"{_at}import/", views.entry_import, _slug, name="entry_import"),
        path(f"{_at}template.xlsx", views.import_template, _slug, name="import_template"),
        path(f"{_at}chart/", views.chart, _slug, name="chart"),
        path(f"{_at}confirm/", views.entries_confirm, _slug, name="entries_confirm"),
        path(f"{_at}<int:entry_id>/", views.entry_detail, _slug, name="entry_detail"),
        path(f"{_at}<int:entry_id>/edit/", views.entry_edit, _slug, name="entry_edit"),
        path(f"{_at}<int:entry_id>/confirm/", views.entry_confirm, _slug, name="entry_confirm"),
        path(f"{_at}<int:entry_id>/retire/", views.entry_retire, _slug, name="entry_retire"),
        path(f"{_at}<int:entry_id>/evidence/", views.evidence_attach, _slug, name="evidence_attach"),
    ]
