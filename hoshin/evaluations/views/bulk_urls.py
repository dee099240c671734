from django.urls import path

from hoshin.evaluations.views import bulk

urlpatterns = [
    path("sheets/bulk/", bulk.bulk_page, name="bulk"),
    path("sheets/bulk/download/", bulk.bulk_download, name="bulk_download"),
    path("sheets/bulk/upload/", bulk.bulk_upload, name="bulk_upload"),
    path("sheets/bulk/uploads/<int:upload_id>/", bulk.bulk_preview, name="bulk_preview"),
    path("sheets/bulk/uploads/<int:upload_id>/apply/", bulk.bulk_apply, name="bulk_apply"),
]
