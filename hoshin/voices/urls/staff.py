"""Staff URLs of citizens' voices, under /staff/voices/ (namespace ``voices_staff``)."""

from django.urls import path

from hoshin.voices.views import (
    handling,
    handling_personal,
    handling_publication,
    handling_replies,
    handling_routing,
    ratings,
    staff_intake,
    stats,
)

app_name = "voices_staff"

urlpatterns = [
    # A voice received by telephone, at the counter or by post (views/staff_intake.py).
    path("new/", staff_intake.new, name="new"),
    path("new/done/<uuid:key>/", staff_intake.done, name="intake_done"),
    # Handling: routing, replies, personal details, publication (views/handling*.py).
    path("", handling.voice_list, name="list"),
    path("overdue/", handling.voice_overdue, name="overdue"),
    path("<int:voice_id>/", handling.voice_detail, name="detail"),
    path("<int:voice_id>/route/", handling_routing.voice_route, name="route"),
    path("<int:voice_id>/close/", handling_routing.voice_close, name="close"),
    path("<int:voice_id>/forward/", handling_routing.voice_forward, name="forward"),
    path("<int:voice_id>/reopen/", handling_routing.voice_reopen, name="reopen"),
    path("<int:voice_id>/note/", handling_routing.voice_note, name="note"),
    path("<int:voice_id>/actions/", handling_routing.voice_actions, name="actions"),
    path("<int:voice_id>/actions/link/", handling_routing.voice_action_link, name="action_link"),
    path(
        "<int:voice_id>/actions/<int:action_id>/unlink/",
        handling_routing.voice_action_unlink,
        name="action_unlink",
    ),
    path("<int:voice_id>/reply/", handling_replies.reply_save, name="reply"),
    path(
        "<int:voice_id>/reply/transition/",
        handling_replies.reply_transition,
        name="reply_transition",
    ),
    path("<int:voice_id>/reply/send/", handling_replies.reply_send, name="reply_send"),
    path("<int:voice_id>/reply/letter.pdf", handling_replies.reply_letter, name="reply_letter"),
    path("<int:voice_id>/writer/", handling_personal.writer_details, name="writer"),
    path(
        "<int:voice_id>/attachments/<int:attachment_id>/",
        handling_personal.attachment_download,
        name="attachment",
    ),
    path(
        "<int:voice_id>/publication/",
        handling_publication.publication_page,
        name="publication",
    ),
    path(
        "<int:voice_id>/publication/propose/",
        handling_publication.publication_propose,
        name="publication_propose",
    ),
    path(
        "<int:voice_id>/publication/publish/",
        handling_publication.publication_publish,
        name="publication_publish",
    ),
    path(
        "<int:voice_id>/publication/unpublish/",
        handling_publication.publication_unpublish,
        name="publication_unpublish",
    ),
    # Statistics and their exports (views/stats.py).
    path("statistics/", stats.stats, name="stats"),
    path("statistics/csv/", stats.stats_csv, name="stats_csv"),
    path("statistics/xlsx/", stats.stats_xlsx, name="stats_xlsx"),
    # Moderation of citizens' comments on published results (views/ratings.py).
    path("ratings/", ratings.moderation, name="ratings"),
    path("ratings/<int:rating_id>/moderate/", ratings.moderate, name="rating_moderate"),
]
