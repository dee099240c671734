"""Public: citizens rate a published evaluation result (see views/ratings.py)."""

from django.urls import path

from hoshin.voices.views import ratings

urlpatterns = [
    path("ratings/<int:sheet_id>/", ratings.rating, name="rating"),
    path("ratings/<int:sheet_id>/thanks/", ratings.rating_thanks, name="rating_thanks"),
]
