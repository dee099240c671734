from django.urls import path

from hoshin.evaluations.views import dashboard

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/sheets/", dashboard.dashboard_sheets, name="dashboard_sheets"),
]
