from django.urls import path

from . import views, workbook_views

app_name = "monitoring"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("overview/", views.overview, name="overview"),
    path("periods/open/", views.period_open, name="period_open"),
    path("periods/<int:period_id>/", views.period_detail, name="period_detail"),
    path("periods/<int:period_id>/approve/", views.bulk_approve, name="bulk_approve"),
    path("periods/<int:period_id>/totals/", views.period_totals, name="period_totals"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/save/", views.value_save, name="value_save"),
    path("reports/<int:report_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("reports/<int:report_id>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:report_id>/approve/", views.report_approve, name="report_approve"),
    path("reports/<int:report_id>/return/", views.report_return, name="report_return"),
    path("reports/<int:report_id>/urge/", views.report_urge, name="report_urge"),
    path("reports/<int:report_id>/history/", views.report_history, name="report_history"),
    path("files/<int:file_id>/", views.evidence_download, name="evidence_download"),
    path("flags/<int:flag_id>/comment/", views.flag_comment, name="flag_comment"),
    path("zones/<int:zone_id>/", views.zone_chart, name="zone_chart"),
]
# The Excel round trip (download the template, upload it filled): workbook_views.py.
urlpatterns += workbook_views.urlpatterns
