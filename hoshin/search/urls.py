from django.urls import path

from hoshin.search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_public, name="public"),
    path("staff/search/", views.search_staff, name="staff"),
]
