from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<slug:programme_code>/", views.overview, name="overview"),
    path("<slug:programme_code>/documents/", views.documents, name="documents"),
    path("<slug:programme_code>/documents/<slug:document_code>/", views.document, name="document"),
    path("<slug:programme_code>/taxonomy/", views.taxonomy, name="taxonomy"),
    path("<slug:programme_code>/targets/", views.targets, name="targets"),
    path("<slug:programme_code>/tasks/", views.tasks, name="tasks"),
    path("<slug:programme_code>/rules/", views.rules, name="rules"),
    path("<slug:programme_code>/framework/", views.framework, name="framework"),
]
