"""Staff URLs of the evaluation cycle, mounted under /staff/ with the namespace ``evaluations``.

Each area has its own module so that its views, URLs and tests live together.
"""

from django.urls import include, path

app_name = "evaluations"

urlpatterns = [
    path("", include("hoshin.evaluations.views.workspace_urls")),
    path("", include("hoshin.evaluations.views.bulk_urls")),
    path("", include("hoshin.evaluations.views.dashboard_urls")),
    path("", include("hoshin.evaluations.views.cycle_urls")),
    path("", include("hoshin.evaluations.views.template_urls")),
]
