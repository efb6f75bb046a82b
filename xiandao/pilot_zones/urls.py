"""Pages of pilot zones and their applications (申请报告); every URL names only objects."""

from django.urls import path

from . import application_views as views

app_name = "pilot_zones"
urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_eligibility, name="application_eligibility"),
    path("applications/<int:application_id>/", views.application_detail, name="application_detail"),
    path("applications/<int:application_id>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:application_id>/save/", views.application_save, name="application_save"),
    path("applications/<int:application_id>/move/", views.application_move, name="application_move"),
    path("applications/<int:application_id>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("applications/<int:application_id>/compare/", views.revision_compare, name="revision_compare"),
    path("applications/<int:application_id>/word/", views.application_word, name="application_word"),
    path("applications/<int:application_id>/pdf/", views.application_pdf_view, name="application_pdf"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
]
