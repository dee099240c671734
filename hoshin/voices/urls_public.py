"""Public URLs of citizens' voices, under /voices/ (namespace ``voices``)."""

from django.urls import include, path

app_name = "voices"

urlpatterns = [
    path("", include("hoshin.voices.views.intake_urls")),
    path("", include("hoshin.voices.views.publication_urls")),
    path("", include("hoshin.voices.views.ratings_urls")),
]
