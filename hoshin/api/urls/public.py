"""URLs under /api/: the versioned API and its documentation page (namespace ``api``)."""

from django.urls import path
from django.views.generic import RedirectView

from hoshin.api import views_docs
from hoshin.api.v1.api import api as api_v1

app_name = "api"

urlpatterns = [
    path("v1/", api_v1.urls),
    path("docs", views_docs.docs, name="docs"),
    path("docs/", RedirectView.as_view(pattern_name="api:docs", permanent=True)),
]
