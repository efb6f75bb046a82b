from django.urls import path

from . import views

app_name = "pilot_zone_lists"
urlpatterns = [
    path("", views.list_index, name="index"),
    path("new/", views.list_create, name="create"),
    path("<int:list_id>/", views.list_detail, name="detail"),
    path("<int:list_id>/propose/", views.entry_propose, name="propose"),
    path("<int:list_id>/decline/", views.entry_decline, name="decline"),
    path("<int:list_id>/consult/", views.list_consult, name="consult"),
    path("<int:list_id>/opinion/", views.opinion_give, name="opinion"),
    path("<int:list_id>/notice/", views.list_notice, name="notice"),
    path("<int:list_id>/objections/", views.objection_add, name="objection_add"),
    path(
        "<int:list_id>/objections/<int:objection_id>/answer/", views.objection_reply, name="objection_answer"
    ),
    path("<int:list_id>/publish/", views.list_publish, name="publish"),
    path("acceptance/", views.acceptance_index, name="acceptance"),
    path("acceptance/zones/<int:zone_id>/start/", views.acceptance_begin, name="acceptance_start"),
    path("acceptance/<int:assessment_id>/result/", views.acceptance_result, name="acceptance_result"),
]
