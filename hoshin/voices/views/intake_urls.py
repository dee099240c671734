from django.urls import path

from hoshin.voices.views.placeholder import not_ready

urlpatterns = [
    path("new/", not_ready, name="new"),
    path("status/", not_ready, name="status"),
]
