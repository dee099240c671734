from django.urls import path

from hoshin.evaluations.views.placeholder import not_ready

urlpatterns = [
    path("tasks/", not_ready, name="tasks"),
    path("sheets/", not_ready, name="sheets"),
    path("sheets/<int:sheet_id>/", not_ready, name="sheet"),
]
