"""The URL map: one include per domain app (docs/architecture.md)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

api_v1 = [
    path("", include("casework.residents_api")),
    path("", include("cases.api")),
    path("", include("zrm.api")),
    path("", include("plans.api")),
    path("", include("insights.api")),
    path("", include("intake.api")),
    path("", include("maatwerk.api")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("toegankelijkheid/", views.accessibility, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("accounts.urls")),
    path("", include("casework.residents_urls")),
    path("", include("casework.urls")),
    path("", include("contacts.urls")),
    path("", include("zrm.urls")),
    path("", include("plans.urls")),
    path("", include("oversight.urls")),
    path("", include("maatwerk.urls")),
    path("", include("provisions.urls")),
    path("", include("partners.urls")),
    path("", include("insights.urls")),
    path("", include("intake.urls")),
    path("", include("administration.urls")),
    path("", include("portal.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start script as a file: the CSP allows no inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="wijkteam/swagger_ui.html"),
        name="api-docs",
    ),
    path("beheer/admin/", admin.site.urls),
]

handler400 = "wijkteam.views.bad_request"
handler403 = "wijkteam.views.permission_denied"
handler404 = "wijkteam.views.page_not_found"
handler500 = "wijkteam.views.server_error"

admin.site.site_header = "Wijkteam"
admin.site.site_title = "Wijkteam"
