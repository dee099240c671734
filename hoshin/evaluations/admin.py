"""Django admin for the evaluation cycle: templates, unit costs, years, sheets and their logs.

The admin is a window for administrators, not a second way around the rules. Every write goes
through the services (template_update, staff_unit_cost_set, cycle_set_due_dates,
sheets_publish, sheet_transition), so validation and the audit trail are the same as in the
staff pages. Sheet content is edited in the staff workspace (which detects concurrent edits),
so sheets, indicators, costs, transitions, revisions, comments and reminders are read-only here.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations import models
from hoshin.evaluations.services.cycle import cycle_set_due_dates
from hoshin.evaluations.services.errors import WorkflowError
from hoshin.evaluations.services.templates import (
    SCALE_FIELDS,
    staff_unit_cost_check,
    staff_unit_cost_delete,
    staff_unit_cost_set,
    template_check,
    template_reset_to_defaults,
    template_update,
)
from hoshin.evaluations.services.workflow import sheet_transition, sheets_publish


class ReadOnlyAdminMixin:
    """Logs and records written only by the services: visible, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ---- template and unit cost --------------------------------------------------------------------


TEMPLATE_FIELDS = [*SCALE_FIELDS, "blocks", "node_depths"]


class EvaluationTemplateForm(forms.ModelForm):
    class Meta:
        model = models.EvaluationTemplate
        fields = TEMPLATE_FIELDS

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        errors = template_check(plan=self.instance.plan, values=data)
        for name, problems in errors.items():
            for problem in problems:
                self.add_error(name, problem)
        return data


@admin.register(models.EvaluationTemplate)
class EvaluationTemplateAdmin(admin.ModelAdmin):
    form = EvaluationTemplateForm
    list_display = ["plan", "updated_at"]
    list_select_related = ["plan"]
    readonly_fields = ["plan", "updated_at"]
    actions = ["reset_to_defaults"]

    def has_add_permission(self, request):
        return False  # created with the plan's first year (services.cycle.template_for)

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in TEMPLATE_FIELDS}
        template_update(plan=obj.plan, by=request.user, **values)

    @admin.action(description=_("選択した計画の様式を既定に戻す"), permissions=["change"])
    def reset_to_defaults(self, request, queryset):
        for template in queryset.select_related("plan"):
            template_reset_to_defaults(plan=template.plan, by=request.user)
        self.message_user(request, _("様式を既定に戻しました。"), messages.SUCCESS)


class StaffUnitCostForm(forms.ModelForm):
    class Meta:
        model = models.StaffUnitCost
        fields = ["fy", "amount"]

    def clean(self):
        data = super().clean()
        fy = data.get("fy", self.instance.fy)
        if "amount" in data and fy is not None:
            for name, problem in staff_unit_cost_check(fy=fy, amount=data["amount"]).items():
                self.add_error(name if name in self.fields else None, problem)
        return data


@admin.register(models.StaffUnitCost)
class StaffUnitCostAdmin(admin.ModelAdmin):
    form = StaffUnitCostForm
    list_display = ["fy", "amount"]
    ordering = ["-fy"]

    def get_readonly_fields(self, request, obj=None):
        return ["fy"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        obj.pk = staff_unit_cost_set(fy=obj.fy, amount=obj.amount, by=request.user).pk

    def delete_model(self, request, obj):
        try:
            staff_unit_cost_delete(unit_cost=obj, by=request.user)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)

    def delete_queryset(self, request, queryset):
        for unit_cost in queryset:
            self.delete_model(request, unit_cost)


# ---- years -------------------------------------------------------------------------------------


class EvaluationCycleForm(forms.ModelForm):
    class Meta:
        model = models.EvaluationCycle
        fields = ["submit_due", "approve_due", "review_due"]

    def clean(self):
        data = super().clean()
        dates = [data.get(name) for name in ("submit_due", "approve_due", "review_due")]
        given = [d for d in dates if d is not None]
        if given != sorted(given):
            raise ValidationError(_("期限は 提出 → 承認 → 審査 の順に設定してください。"))
        return data


@admin.register(models.EvaluationCycle)
class EvaluationCycleAdmin(admin.ModelAdmin):
    form = EvaluationCycleForm
    list_display = ["plan", "fy", "submit_due", "approve_due", "review_due", "opened_at"]
    list_filter = ["plan", "fy"]
    list_select_related = ["plan"]
    readonly_fields = ["plan", "fy", "opened_at", "opened_by"]
    actions = ["publish_final_sheets"]

    def has_add_permission(self, request):
        return False  # opened with start_fiscal_year or /staff/cycles/ (carries last year over)

    def has_delete_permission(self, request, obj=None):
        return False  # deleting a year would delete its sheets and their history

    def save_model(self, request, obj, form, change):
        cycle_set_due_dates(
            cycle=obj,
            by=request.user,
            submit_due=form.cleaned_data.get("submit_due"),
            approve_due=form.cleaned_data.get("approve_due"),
            review_due=form.cleaned_data.get("review_due"),
        )

    @admin.action(description=_("確定済みのシートをすべて公表する"), permissions=["change"])
    def publish_final_sheets(self, request, queryset):
        total = 0
        for cycle in queryset:
            total += sheets_publish(cycle=cycle, by=request.user)
        self.message_user(
            request, _("%(n)d 件のシートを公表しました。") % {"n": total}, messages.SUCCESS
        )


# ---- sheets (read-only) ------------------------------------------------------------------------


class IndicatorInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = models.Indicator
    extra = 0
    fields = ["position", "kind", "name", "unit", "direction", "baseline", "target", "actual"]
    readonly_fields = fields


class CostLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = models.CostLine
    extra = 0
    fields = ["kind", *models.CostLine.FUNDING_FIELDS, "person_years", "staff_unit_cost"]
    readonly_fields = fields


class TransitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = models.SheetTransition
    extra = 0
    fields = ["at", "from_stage", "to_stage", "by", "comment"]
    readonly_fields = fields


class CommentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = models.SheetComment
    extra = 0
    fields = ["at", "author", "department", "body"]
    readonly_fields = fields


@admin.register(models.EvaluationSheet)
class EvaluationSheetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "plan_name", "fy", "department", "stage", "version", "updated_at"]
    list_filter = ["stage", "cycle__fy", "cycle__plan", "department"]
    list_select_related = ["cycle__plan", "department", "action", "node"]
    search_fields = ["action__text", "action__title", "node__title", "department__name"]
    inlines = [IndicatorInline, CostLineInline, TransitionInline, CommentInline]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.display(description=_("計画"), ordering="cycle__plan__name")
    def plan_name(self, obj) -> str:
        return obj.cycle.plan.name

    @admin.display(description=_("年度"), ordering="cycle__fy")
    def fy(self, obj) -> int:
        return obj.cycle.fy

    @admin.action(description=_("選択した確定済みシートを公表する"))
    def publish(self, request, queryset):
        done = skipped = 0
        for sheet in queryset.filter(stage=models.Stage.FINAL):
            try:
                sheet_transition(sheet=sheet, by=request.user, name="publish")
                done += 1
            except (WorkflowError, PermissionDenied):
                skipped += 1
        skipped += queryset.exclude(stage=models.Stage.FINAL).count()
        self.message_user(
            request,
            _(
                "%(done)d 件を公表しました（対象外 %(skipped)d 件：確定済みのシートだけが公表できます）。"
            )
            % {"done": done, "skipped": skipped},
            messages.SUCCESS if done else messages.WARNING,
        )


@admin.register(models.SheetTransition)
class SheetTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["sheet", "from_stage", "to_stage", "by", "at"]
    list_filter = ["to_stage"]
    list_select_related = ["sheet__cycle", "sheet__action", "sheet__node", "by"]
    search_fields = ["comment"]


@admin.register(models.SheetRevision)
class SheetRevisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["sheet", "version", "by", "source", "at"]
    list_filter = ["source"]
    list_select_related = ["sheet__cycle", "sheet__action", "sheet__node", "by"]


@admin.register(models.SheetComment)
class SheetCommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["sheet", "author", "department", "at"]
    list_select_related = ["sheet__cycle", "sheet__action", "sheet__node", "author", "department"]
    search_fields = ["body"]


@admin.register(models.ReminderLog)
class ReminderLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "day", "sheet_count", "sent_at"]
    list_filter = ["day"]


@admin.register(models.SheetUpload)
class SheetUploadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Workbooks uploaded for the bulk round trip (hoshin.evaluations.bulk)."""

    list_display = ["original_name", "cycle", "status", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["cycle__plan", "created_by"]
