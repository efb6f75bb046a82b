from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("mine/", views.my_tasks, name="my_tasks"),
    path("warnings/", views.warnings, name="warnings"),
    path("compare/", views.compare, name="compare"),
    path("tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<int:task_id>/report/", views.task_report, name="task_report"),
    path("reports/<int:progress_id>/part/", views.report_part, name="report_part"),
    path("items/<int:item_id>/", views.item_detail, name="item_detail"),
    path("<slug:programme_code>/targets/", views.targets, name="targets"),
    path("<slug:programme_code>/targets/<int:target_id>/", views.target_detail, name="target_detail"),
    path("<slug:programme_code>/tasks/", views.tasks, name="tasks"),
    path("<slug:programme_code>/items/new/", views.item_create, name="item_create"),
    path("<slug:programme_code>/warnings/", views.warnings_programme, name="warnings_programme"),
    path("<slug:programme_code>/cockpit/", views.cockpit, name="cockpit"),
    path("<slug:programme_code>/bulletin/", views.bulletin, name="bulletin"),
    path("<slug:programme_code>/six-lists/", views.six_lists, name="six_lists"),
    path(
        "<slug:programme_code>/six-lists/<slug:field_code>/",
        views.six_list_industry,
        name="six_list_industry",
    ),
    path(
        "<slug:programme_code>/six-lists/<slug:field_code>/add/",
        views.six_list_entry_add,
        name="six_list_entry_add",
    ),
    path(
        "six-list-entries/<int:six_list_entry_id>/edit/",
        views.six_list_entry_edit,
        name="six_list_entry_edit",
    ),
    path(
        "six-list-entries/<int:six_list_entry_id>/remove/",
        views.six_list_entry_remove,
        name="six_list_entry_remove",
    ),
]
