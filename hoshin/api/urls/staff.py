"""Staff pages for API tokens, under /staff/api-tokens/ (namespace ``api_tokens``).

hoshin/urls.py includes this before the catch-all ``staff/`` includes:
    path("staff/api-tokens/", include("hoshin.api.urls.staff")),
"""

from django.urls import path

from hoshin.api import views_staff

app_name = "api_tokens"

urlpatterns = [
    path("", views_staff.token_index, name="index"),
    path("<int:token_id>/revoke/", views_staff.token_revoke, name="revoke"),
]
