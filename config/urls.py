from django.contrib import admin
from django.urls import include, path

from xiandao.api.main import api

admin.site.site_header = "先导平台管理后台"
admin.site.site_title = "先导平台管理后台"
admin.site.index_title = "后台管理"

urlpatterns = [
    path("", include("xiandao.web.urls")),
    path("accounts/", include("xiandao.accounts.urls")),
    path("programmes/", include("xiandao.programmes.urls")),
    path("policies/", include("xiandao.policies.urls")),
    path("notifications/", include("xiandao.notifications.urls")),
    path("", include("xiandao.core.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
