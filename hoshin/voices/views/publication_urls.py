from django.urls import path

from hoshin.voices.views.placeholder import not_ready

urlpatterns = [
    path("", not_ready, name="published_list"),
]
