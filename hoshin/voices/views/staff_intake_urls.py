from django.urls import path

from hoshin.voices.views import staff_intake

urlpatterns = [
    path("new/", staff_intake.new, name="new"),
    path("new/done/<uuid:key>/", staff_intake.done, name="intake_done"),
]
