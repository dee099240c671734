"""Staff: moderation of citizens' comments on published results (see views/ratings.py)."""

from django.urls import path

from hoshin.voices.views import ratings

urlpatterns = [
    path("ratings/", ratings.moderation, name="ratings"),
    path("ratings/<int:rating_id>/moderate/", ratings.moderate, name="rating_moderate"),
]
