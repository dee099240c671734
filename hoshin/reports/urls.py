"""Report URLs, mounted at the site root: public PDFs beside the pages they print, staff XLSX
under /staff/reports/."""

from django.urls import path

from hoshin.reports import views

app_name = "reports"

urlpatterns = [
    path("actions/<int:action_id>/sheets/<int:fy>.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("plans/<int:plan_id>/reports/<int:fy>.pdf", views.annual_pdf, name="annual_pdf"),
    path("staff/reports/plans/<int:plan_id>.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("staff/reports/plans/<int:plan_id>/<int:fy>.xlsx", views.annual_xlsx, name="annual_xlsx"),
]
