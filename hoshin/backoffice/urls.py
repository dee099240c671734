from django.contrib.auth import views as auth_views
from django.urls import path

from hoshin.backoffice import views, views_audit, views_inbox

app_name = "backoffice"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("tasks/", views_inbox.inbox, name="tasks"),
    path("plans/import/", views.plan_import, name="plan_import"),
    path("plans/import/<int:import_id>/", views.plan_import_preview, name="plan_import_preview"),
    path(
        "plans/import/<int:import_id>/confirm/",
        views.plan_import_confirm,
        name="plan_import_confirm",
    ),
    path("plans/<int:plan_id>/publish/", views.plan_publish, name="plan_publish"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("audit/export.csv", views_audit.audit_log_csv, name="audit_log_csv"),
]
