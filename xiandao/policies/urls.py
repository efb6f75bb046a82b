from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("upload/", views.document_upload_view, name="document_upload"),
    path("documents/<int:version_id>/", views.document_review, name="document_review"),
    path("documents/<int:version_id>/status/", views.document_status, name="document_status"),
    path("documents/<int:version_id>/compare/", views.document_compare, name="document_compare"),
    path("documents/<int:version_id>/file/", views.document_file, name="document_file"),
    path("documents/<int:version_id>/publish/", views.document_publish_view, name="document_publish"),
    path("documents/<int:version_id>/withdraw/", views.document_withdraw_view, name="document_withdraw"),
    path("proposals/<int:proposal_id>/", views.proposal_card, name="proposal_card"),
    path("proposals/<int:proposal_id>/accept/", views.proposal_accept_view, name="proposal_accept"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit_view, name="proposal_edit"),
    path("proposals/<int:proposal_id>/reject/", views.proposal_reject_view, name="proposal_reject"),
]
