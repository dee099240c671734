from django.urls import path

from hoshin.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("dictionary/", views.dictionary, name="dictionary"),
    path("<str:dataset>.<str:fmt>", views.download, name="download"),
]
