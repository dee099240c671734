from django.urls import path

from hoshin.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<int:department_id>/", views.department_detail, name="department"),
]
