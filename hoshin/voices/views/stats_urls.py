from django.urls import path

from hoshin.voices.views import stats

urlpatterns = [
    path("statistics/", stats.stats, name="stats"),
    path("statistics/csv/", stats.stats_csv, name="stats_csv"),
    path("statistics/xlsx/", stats.stats_xlsx, name="stats_xlsx"),
]
