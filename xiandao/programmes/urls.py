from django.urls import path

from . import settings_views, views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("settings/", settings_views.settings_home, name="settings_home"),
    path("<slug:programme_code>/", views.overview, name="overview"),
    path("<slug:programme_code>/documents/", views.documents, name="documents"),
    path("<slug:programme_code>/documents/<slug:document_code>/", views.document, name="document"),
    path("<slug:programme_code>/taxonomy/", views.taxonomy, name="taxonomy"),
    path("<slug:programme_code>/targets/", views.targets, name="targets"),
    path("<slug:programme_code>/tasks/", views.tasks, name="tasks"),
    path("<slug:programme_code>/rules/", views.rules, name="rules"),
    path("<slug:programme_code>/framework/", views.framework, name="framework"),
    path("<slug:programme_code>/settings/", settings_views.settings, name="settings"),
    path("<slug:programme_code>/settings/records/", settings_views.records_settings, name="records_settings"),
    path("<slug:programme_code>/settings/records/save/", settings_views.record_save, name="record_save"),
    path(
        "<slug:programme_code>/settings/records/retire/",
        settings_views.record_retire_view,
        name="record_retire",
    ),
    path(
        "<slug:programme_code>/settings/taxonomy/",
        settings_views.taxonomy_settings,
        name="taxonomy_settings",
    ),
    path(
        "<slug:programme_code>/settings/taxonomy/versions/",
        settings_views.taxonomy_version_new,
        name="taxonomy_version_new",
    ),
    path(
        "<slug:programme_code>/settings/framework/",
        settings_views.framework_settings,
        name="framework_settings",
    ),
    path(
        "<slug:programme_code>/settings/framework/weights/",
        settings_views.framework_weights,
        name="framework_weights",
    ),
    path(
        "<slug:programme_code>/settings/framework/indicators/",
        settings_views.indicator_create,
        name="indicator_create",
    ),
    path(
        "<slug:programme_code>/settings/framework/indicators/<slug:indicator_code>/",
        settings_views.indicator_update,
        name="indicator_update",
    ),
    path(
        "<slug:programme_code>/settings/framework/indicators/<slug:indicator_code>/retire/",
        settings_views.indicator_retire_view,
        name="indicator_retire",
    ),
    path(
        "<slug:programme_code>/settings/<str:parameter_key>/",
        settings_views.parameter_update,
        name="parameter_update",
    ),
    path("<slug:programme_code>/changes/", settings_views.changes, name="changes"),
    path("<slug:programme_code>/changes/export/", settings_views.changes_export, name="changes_export"),
    path(
        "<slug:programme_code>/changes/<int:change_id>/revert/",
        settings_views.change_revert_view,
        name="change_revert",
    ),
]
