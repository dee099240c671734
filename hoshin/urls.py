from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/voices/", include("hoshin.voices.urls.staff")),
    path("staff/surveys/", include("hoshin.surveys.urls.staff")),
    path("staff/api-tokens/", include("hoshin.api.urls.staff")),
    path("staff/", include("hoshin.accounts.urls")),
    path("staff/", include("hoshin.backoffice.urls")),
    path("staff/", include("hoshin.evaluations.urls")),
    path("api/", include("hoshin.api.urls.public")),
    path("opendata/", include("hoshin.opendata.urls")),
    path("", include("hoshin.search.urls")),
    path("", include("hoshin.reports.urls")),
    path("voices/", include("hoshin.voices.urls.public")),
    path("surveys/", include("hoshin.surveys.urls.public")),
    path("", include("hoshin.portal.urls")),
]
