from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/", include("hoshin.backoffice.urls")),
    path("staff/", include("hoshin.evaluations.urls")),
    path("", include("hoshin.portal.urls")),
]
