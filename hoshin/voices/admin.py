"""Django admin for citizens' voices.

The admin is a window for administrators, not a second way around the rules: the lists
(districts, categories) are edited here, everything else is written by the services (intake,
routing, replies, publication, retention) and shown read-only. Personal details (VoiceWriter,
attachments) are deliberately not in the admin: they are opened on the staff page built for it,
which logs every view (PersonalDataView, listed here for audits).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from hoshin.voices import models
from hoshin.voices.services.publication import voice_withdraw_consent


class ReadOnlyAdminMixin:
    """Records written only by the services: visible, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.VoiceCategory)
class VoiceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        # A category that voices use stays (PROTECT); retire it with 使用中 instead.
        return obj is None or not obj.citizenvoice_set.exists()


class VoiceEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = models.VoiceEvent
    fields = ["at", "status", "by", "note", "public_note"]
    readonly_fields = fields
    extra = 0


@admin.register(models.CitizenVoice)
class CitizenVoiceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "receipt_number",
        "subject",
        "received_on",
        "channel",
        "category",
        "lead_department",
        "status",
        "reply_due",
        "publish_consent",
    ]
    list_filter = ["status", "channel", "kind", "fy", "category", "mayor_flag", "publish_consent"]
    search_fields = ["subject"]
    date_hierarchy = "received_on"
    list_select_related = ["category", "lead_department"]
    exclude = ["secret_hash", "submission_key"]
    inlines = [VoiceEventInline]
    actions = ["withdraw_consent"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude] + [
            "co_departments",
            "actions",
        ]

    @admin.action(description=_("公表への同意を取り消す（投稿者の申出）"))
    def withdraw_consent(self, request, queryset):
        done = 0
        for voice in queryset:
            try:
                voice_withdraw_consent(voice=voice, by=request.user, note="管理画面から")
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
            done += 1
        self.message_user(request, _("%(count)d 件の同意を取り消しました。") % {"count": done})

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser  # the action needs it; every field is read-only


@admin.register(models.VoiceReply)
class VoiceReplyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["voice", "stage", "version", "drafted_by", "sent_at", "sent_method"]
    list_filter = ["stage", "sent_method"]
    list_select_related = ["voice", "drafted_by"]


@admin.register(models.ReplyEvent)
class ReplyEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reply", "from_stage", "to_stage", "by", "at"]
    list_select_related = ["reply__voice", "by"]


@admin.register(models.VoicePublication)
class VoicePublicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["voice", "title", "is_published", "published_at", "answering_department"]
    list_filter = ["is_published"]
    list_select_related = ["voice", "answering_department"]


@admin.register(models.PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "voice", "purpose"]
    list_filter = ["purpose"]
    search_fields = ["user__username", "purpose"]
    date_hierarchy = "at"
    list_select_related = ["user", "voice"]


@admin.register(models.VoiceNotification)
class VoiceNotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["sent_at", "voice", "sheet"]
    list_select_related = ["voice", "sheet__cycle"]


@admin.register(models.VoiceReminderLog)
class VoiceReminderLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["day", "user", "voice_count", "sent_at"]


@admin.register(models.ReceiptCounter)
class ReceiptCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["fy", "last_number"]
