"""Staff URLs of surveys, under /staff/surveys/ (namespace ``surveys_staff``)."""

from django.urls import path

from hoshin.voices.views.placeholder import not_ready

app_name = "surveys_staff"

urlpatterns = [
    path("", not_ready, name="list"),
]
