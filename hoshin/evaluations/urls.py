"""Staff URLs of the evaluation cycle, under /staff/ (namespace ``evaluations``).

One list for the whole app, grouped by area; each group names the views module it uses.
"""

from django.urls import path

from hoshin.evaluations.views import (
    bulk,
    cycles,
    dashboard,
    template_config,
    workspace,
    workspace_sheet,
)

app_name = "evaluations"

urlpatterns = [
    # The department workspace: task list, sheets, saving and the workflow.
    path("sheets/", workspace.sheet_list, name="sheets"),
    path("sheets/<int:sheet_id>/", workspace_sheet.sheet_detail, name="sheet"),
    path("sheets/<int:sheet_id>/save/", workspace_sheet.sheet_save, name="sheet_save"),
    path("sheets/<int:sheet_id>/autosave/", workspace_sheet.sheet_autosave, name="sheet_autosave"),
    path(
        "sheets/<int:sheet_id>/transition/",
        workspace_sheet.sheet_transition_view,
        name="sheet_transition",
    ),
    path("sheets/<int:sheet_id>/history/", workspace.sheet_history, name="sheet_history"),
    path("sheets/<int:sheet_id>/comments/", workspace.sheet_comment, name="sheet_comment"),
    path(
        "sheets/<int:sheet_id>/indicators/add/",
        workspace.sheet_indicator_add,
        name="indicator_add",
    ),
    path(
        "sheets/<int:sheet_id>/indicators/<int:indicator_id>/remove/",
        workspace.sheet_indicator_remove,
        name="indicator_remove",
    ),
    # A department's sheets as one workbook: download, upload, preview, apply (views/bulk.py).
    path("sheets/bulk/", bulk.bulk_page, name="bulk"),
    path("sheets/bulk/download/", bulk.bulk_download, name="bulk_download"),
    path("sheets/bulk/upload/", bulk.bulk_upload, name="bulk_upload"),
    path("sheets/bulk/uploads/<int:upload_id>/", bulk.bulk_preview, name="bulk_preview"),
    path("sheets/bulk/uploads/<int:upload_id>/apply/", bulk.bulk_apply, name="bulk_apply"),
    # Progress dashboard (views/dashboard.py).
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/sheets/", dashboard.dashboard_sheets, name="dashboard_sheets"),
    # Evaluation years of a plan (views/cycles.py).
    path("cycles/", cycles.cycles, name="cycles"),
    path("cycles/start/", cycles.cycle_start, name="cycle_start"),
    path("cycles/<int:cycle_id>/", cycles.cycle, name="cycle"),
    path("cycles/<int:cycle_id>/due-dates/", cycles.cycle_due_dates, name="cycle_due_dates"),
    path("cycles/<int:cycle_id>/publish/", cycles.cycle_publish, name="cycle_publish"),
    # A plan's evaluation template and the unit costs (views/template_config.py).
    path(
        "plans/<int:plan_id>/evaluation-template/",
        template_config.template_config,
        name="template_config",
    ),
    path(
        "plans/<int:plan_id>/evaluation-template/reset/",
        template_config.template_reset,
        name="template_reset",
    ),
    path("unit-costs/", template_config.unit_costs, name="unit_costs"),
]
