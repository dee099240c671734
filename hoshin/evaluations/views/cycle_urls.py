from django.urls import path

from hoshin.evaluations.views.placeholder import not_ready

urlpatterns = [
    path("cycles/", not_ready, name="cycles"),
]
