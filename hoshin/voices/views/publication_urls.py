"""Public URLs of published voices (namespace ``voices``)."""

from django.urls import path

from hoshin.voices.views import publication

urlpatterns = [
    path("", publication.published_list, name="published_list"),
    path("<int:publication_id>/", publication.published_detail, name="published_detail"),
]
