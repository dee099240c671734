from django.urls import path

from hoshin.evaluations.views.placeholder import not_ready

urlpatterns = [
    path("dashboard/", not_ready, name="dashboard"),
]
