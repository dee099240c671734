"""Public URLs of citizens' voices, under /voices/ (namespace ``voices``, no login)."""

from django.urls import path

from hoshin.voices.views import intake, publication, ratings

app_name = "voices"

urlpatterns = [
    # The public form, its receipt and the status page (views/intake.py).
    path("new/", intake.new, name="new"),
    path("thanks/", intake.thanks, name="thanks_neutral"),
    path("thanks/<uuid:key>/", intake.thanks, name="thanks"),
    path("status/", intake.status, name="status"),
    # Published voices (views/publication.py).
    path("", publication.published_list, name="published_list"),
    path("<int:publication_id>/", publication.published_detail, name="published_detail"),
    # Citizens rate a published evaluation result (views/ratings.py).
    path("ratings/<int:sheet_id>/", ratings.rating, name="rating"),
    path("ratings/<int:sheet_id>/thanks/", ratings.rating_thanks, name="rating_thanks"),
]
