from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/voices/", include("hoshin.voices.urls_staff")),
    path("staff/surveys/", include("hoshin.surveys.urls_staff")),
    path("staff/api-tokens/", include("hoshin.api.urls_staff")),
    path("staff/", include("hoshin.backoffice.urls")),
    path("staff/", include("hoshin.evaluations.urls")),
    path("api/", include("hoshin.api.urls")),
    path("opendata/", include("hoshin.opendata.urls")),
    path("", include("hoshin.search.urls")),
    path("", include("hoshin.reports.urls")),
    path("voices/", include("hoshin.voices.urls_public")),
    path("surveys/", include("hoshin.surveys.urls_public")),
    path("", include("hoshin.portal.urls")),
]
