from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell_menu, name="bell"),
    path("bell/count/", views.bell_count, name="bell_count"),
    path("read-all/", views.notification_read_all_view, name="read_all"),
    path("<int:notification_id>/read/", views.notification_read_view, name="read"),
    path("preferences/", views.preferences, name="preferences"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/new/", views.notice_publish_view, name="notice_publish"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice_detail"),
]
