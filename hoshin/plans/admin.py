"""Django admin for plans: the tree, actions with their departments, notes, and the import log.

Publishing goes through ``plan_set_published`` (the admin actions below) so that it is audited;
the "公開" flag is therefore read-only on the form. Imports are done in the back office
(/staff/plans/import/) or with ``manage.py import_plan``; their log here is read-only.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from hoshin.plans.models import (
    Action,
    ActionDepartment,
    KeyProject,
    Note,
    Plan,
    PlanImport,
    PlanNode,
)
from hoshin.plans.services import plan_set_published


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "period_label", "is_published", "updated_at"]
    list_filter = ["kind", "is_published"]
    search_fields = ["name", "source_title", "owner_office"]
    autocomplete_fields = ["owner_department"]
    readonly_fields = ["is_published", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("計画期間"))
    def period_label(self, obj: Plan) -> str:
        return obj.period_label or "—"

    def _set_published(self, request, queryset, published: bool) -> None:
        changed = 0
        for plan in queryset:
            if plan.is_published != published:
                plan_set_published(plan=plan, published=published, by=request.user)
                changed += 1
        if published:
            message = _("%(n)d 件の計画を公開しました。")
        else:
            message = _("%(n)d 件の計画を非公開にしました。")
        self.message_user(request, message % {"n": changed}, messages.SUCCESS)

    @admin.action(description=_("選択した計画を公開する"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("選択した計画を非公開にする"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)


@admin.register(PlanNode)
class PlanNodeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "level", "depth", "position"]
    list_filter = ["plan", "depth"]
    list_select_related = ["plan"]
    search_fields = ["title", "number", "plan__name"]
    autocomplete_fields = ["plan", "parent"]

    @admin.display(description=_("階層の名称"))
    def level(self, obj: PlanNode) -> str:
        return obj.level


class ActionDepartmentInline(admin.TabularInline):
    model = ActionDepartment
    extra = 0
    autocomplete_fields = ["department"]
    fields = ["position", "department", "marker", "is_lead", "valid_from_fy", "valid_until_fy"]


class KeyProjectInline(admin.TabularInline):
    model = KeyProject
    extra = 0
    fields = ["position", "title", "status"]


class ActionNoteInline(admin.TabularInline):
    model = Note
    extra = 0
    fields = ["node", "position", "term", "body"]
    autocomplete_fields = ["node"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["heading", "plan", "node", "department_names"]
    list_filter = ["plan"]
    list_select_related = ["plan", "node"]
    search_fields = ["title", "text", "number", "responsibilities__department__name"]
    autocomplete_fields = ["plan", "node"]
    inlines = [ActionDepartmentInline, KeyProjectInline, ActionNoteInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("responsibilities__department")

    @admin.display(description=_("担当課"))
    def department_names(self, obj: Action) -> str:
        return "、".join(
            line.label for line in obj.responsibilities.all() if line.valid_until_fy is None
        )


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "node", "action"]
    list_select_related = ["node", "action"]
    list_filter = ["node__plan"]
    search_fields = ["term", "body"]
    autocomplete_fields = ["node", "action"]


@admin.register(PlanImport)
class PlanImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "plan_name", "status", "plan", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["plan", "created_by"]
    search_fields = ["original_name", "plan_name"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in PlanImport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # View only; Django shows the detail page read-only with the "view" permission.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
