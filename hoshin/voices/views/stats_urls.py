from django.urls import path

from hoshin.voices.views.placeholder import not_ready

urlpatterns = [
    path("statistics/", not_ready, name="stats"),
]
