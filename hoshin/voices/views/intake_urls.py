from django.urls import path

from hoshin.voices.views import intake

urlpatterns = [
    path("new/", intake.new, name="new"),
    path("thanks/", intake.thanks, name="thanks_neutral"),
    path("thanks/<uuid:key>/", intake.thanks, name="thanks"),
    path("status/", intake.status, name="status"),
]
