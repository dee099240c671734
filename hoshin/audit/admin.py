from django.contrib import admin

from hoshin.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["sequence", "at", "actor_name", "verb", "target_type", "target_id", "summary"]
    list_filter = ["verb", "target_type"]
    search_fields = ["summary", "target_id", "actor_name"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
