from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language switch posts here. Without CSRF: a token in every public header would make
    # each page personal (a cookie) and uncacheable, and a forged post can only change the
    # language the visitor reads in.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
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
