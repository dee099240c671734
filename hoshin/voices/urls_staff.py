"""Staff URLs of citizens' voices, under /staff/voices/ (namespace ``voices_staff``)."""

from django.urls import include, path

app_name = "voices_staff"

urlpatterns = [
    path("", include("hoshin.voices.views.staff_intake_urls")),
    path("", include("hoshin.voices.views.handling_urls")),
    path("", include("hoshin.voices.views.stats_urls")),
    path("", include("hoshin.voices.views.moderation_urls")),
]
