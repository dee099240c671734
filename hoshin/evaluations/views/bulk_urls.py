from django.urls import path

from hoshin.evaluations.views.placeholder import not_ready

urlpatterns = [
    path("sheets/bulk/", not_ready, name="bulk"),
]
