from django.contrib import admin
from django.urls import include, path

from xiandao.api.main import api
from xiandao.web import errors

urlpatterns = [
    path("", include("xiandao.web.urls")),
    path("favicon.ico", errors.favicon, name="favicon"),
    path("accounts/", include("xiandao.accounts.urls")),
    path("programmes/", include("xiandao.programmes.urls")),
    path("programmes/", include("xiandao.pilot_zones.lists.public_urls")),
    path("pilot-zones/lists/", include("xiandao.pilot_zones.lists.urls")),
    path("policies/", include("xiandao.policies.urls")),
    path("registries/", include("xiandao.registries.urls")),
    path("pilot-zones/", include("xiandao.pilot_zones.urls")),
    path("notifications/", include("xiandao.notifications.urls")),
    path("review/", include("xiandao.review.urls")),
    path("monitoring/", include("xiandao.monitoring.urls")),
    path("evaluation/", include("xiandao.evaluation.urls")),
    path("supervision/", include("xiandao.supervision.urls")),
    path("", include("xiandao.core.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# Chinese pages in the site's layout, with a way back (xiandao/web/errors.py).
handler403 = errors.forbidden
handler404 = errors.not_found
handler500 = errors.server_error
