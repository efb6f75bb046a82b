from django.contrib import admin
from django.urls import include, path

from xiandao.api.main import api

urlpatterns = [
    path("", include("xiandao.web.urls")),
    path("accounts/", include("xiandao.accounts.urls")),
    path("programmes/", include("xiandao.programmes.urls")),
    path("policies/", include("xiandao.policies.urls")),
    path("", include("xiandao.core.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
