from django.urls import path

from hoshin.evaluations.views import workspace, workspace_sheet

urlpatterns = [
    path("tasks/", workspace.tasks, name="tasks"),
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
]
