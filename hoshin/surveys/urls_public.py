"""Public URLs of surveys, under /surveys/ (namespace ``surveys``)."""

from django.urls import path

from hoshin.voices.views.placeholder import not_ready

app_name = "surveys"

urlpatterns = [
    path("", not_ready, name="list"),
]
