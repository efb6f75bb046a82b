from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/new/", views.expert_create, name="expert_create"),
    path("experts/<int:expert_id>/", views.expert_detail, name="expert_detail"),
    path("experts/<int:expert_id>/conflicts/", views.expert_conflict_add, name="expert_conflict_add"),
    path(
        "experts/<int:expert_id>/relationships/",
        views.expert_relationship_add,
        name="expert_relationship_add",
    ),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:round_id>/", views.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/draw/", views.round_draw, name="round_draw"),
    path("rounds/<int:round_id>/verify/", views.round_verify, name="round_verify"),
    path("rounds/<int:round_id>/confirm/", views.round_confirm, name="round_confirm"),
    path("rounds/<int:round_id>/close/", views.round_close, name="round_close"),
    path("rounds/<int:round_id>/publish/", views.round_publish, name="round_publish"),
    path("rounds/<int:round_id>/results/", views.round_results, name="round_results"),
    path("rounds/<int:round_id>/summary/", views.round_summary, name="round_summary"),
    path(
        "rounds/<int:round_id>/applications/<int:application_id>/opinion/",
        views.opinion_write,
        name="opinion_write",
    ),
    path("members/<int:member_id>/contact/", views.member_contact, name="member_contact"),
    path("members/<int:member_id>/replace/", views.member_replace, name="member_replace"),
    path("mine/", views.my_reviews, name="my_reviews"),
    path("assignments/<int:assignment_id>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:assignment_id>/declare/", views.assignment_declare, name="assignment_declare"),
    path("assignments/<int:assignment_id>/recuse/", views.assignment_recuse, name="assignment_recuse"),
    path("assignments/<int:assignment_id>/score/", views.assignment_score, name="assignment_score"),
]
