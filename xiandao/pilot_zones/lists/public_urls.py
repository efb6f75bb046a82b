"""Public pages under /programmes/<code>/, beside the programme's own public pages."""

from django.urls import path

from . import public_views

app_name = "pilot_zone_public"
urlpatterns = [
    path("<slug:programme_code>/creation-lists/", public_views.creation_lists, name="lists"),
    path("<slug:programme_code>/zones/<int:zone_id>/", public_views.zone_profile, name="zone"),
]
