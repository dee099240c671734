from django.urls import path

from hoshin.evaluations.views import cycles

urlpatterns = [
    path("cycles/", cycles.cycles, name="cycles"),
    path("cycles/start/", cycles.cycle_start, name="cycle_start"),
    path("cycles/<int:cycle_id>/", cycles.cycle, name="cycle"),
    path("cycles/<int:cycle_id>/due-dates/", cycles.cycle_due_dates, name="cycle_due_dates"),
    path("cycles/<int:cycle_id>/publish/", cycles.cycle_publish, name="cycle_publish"),
]
