"""Django admin for the organisation master: departments, reorganisations, staff and roles.

Every write goes through ``hoshin.org.services`` so that the rules and the audit trail are the
same as everywhere else: forms validate with the services' ``*_check`` functions, and
``save_model`` / ``delete_*`` / admin actions call the services.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from hoshin.audit.services import audit_acting_as
from hoshin.lib.fiscal import FiscalYearError, format_fiscal_year, parse_fiscal_year
from hoshin.lib.forms import EmptyChoiceMixin
from hoshin.org.models import (
    Department,
    DepartmentChange,
    DepartmentKind,
    District,
    RoleAssignment,
    User,
)
from hoshin.org.reorganization import SuccessorSpec, department_reorganize
from hoshin.org.services import (
    DEPARTMENT_DETAIL_FIELDS,
    DEPARTMENT_EDITABLE_FIELDS,
    department_check,
    department_create,
    department_update,
    role_assignment_check,
    user_assign_role,
    user_revoke_role,
)


class AuditedAdminMixin:
    """Account changes made here are recorded with the administrator as actor.

    The model signals of ``audit_hooks`` write the entries (they catch every way of changing
    an account); they learn who acted from ``audit_acting_as``.
    """

    def changeform_view(self, request, *args, **kwargs):
        with audit_acting_as(request.user):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with audit_acting_as(request.user):  # bulk actions (delete selected …)
            return super().changelist_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with audit_acting_as(request.user):
            return super().delete_view(request, *args, **kwargs)


class CurrentListFilter(admin.SimpleListFilter):
    title = _("状態")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("現行")), ("no", _("廃止済み"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.current()
        if self.value() == "no":
            return queryset.filter(valid_until_fy__isnull=False)
        return queryset


class DepartmentAdminForm(EmptyChoiceMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = [
            "name",
            "reading",
            "kind",
            "parent",
            "code",
            "position",
            "valid_from_fy",
            "phone",
            "email",
            "address",
            "opening_hours",
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        existing = self.instance if self.instance.pk else None
        try:
            department_check(
                name=data.get("name", ""),
                kind=data.get("kind", ""),
                parent=data.get("parent"),
                code=data.get("code", ""),
                valid_from_fy=data.get("valid_from_fy"),
                department=existing,
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        return data


class ReorganizeForm(EmptyChoiceMixin, forms.Form):
    kind = forms.ChoiceField(label=_("改編の種別"), choices=DepartmentChange.Kind.choices)
    effective_fy = forms.CharField(
        label=_("実施年度"),
        max_length=30,
        help_text=_("この年度の4月1日から新しい組織になります。例: 2026、令和8年度、R8"),
    )
    successors = forms.CharField(
        label=_("変更後の部署名"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "1行に1部署。分割では最初の部署が担当を引き継ぎます。種別は名称の末尾（課・室・係…）から"
            "判断します。廃止では空欄にします。"
        ),
    )
    parent = forms.ModelChoiceField(
        label=_("変更後の上位組織"),
        queryset=Department.objects.current(),
        required=False,
        help_text=_("空欄なら最上位の組織になります。"),
    )
    note = forms.CharField(
        label=_("備考"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_effective_fy(self) -> int:
        try:
            return parse_fiscal_year(self.cleaned_data["effective_fy"])
        except FiscalYearError as exc:
            raise ValidationError(str(exc)) from None

    def clean_successors(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["successors"].splitlines() if line.strip()
        ]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentAdminForm
    list_display = ["name", "kind", "parent", "validity_label", "code", "position"]
    list_filter = ["kind", CurrentListFilter]
    list_select_related = ["parent"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["valid_until_fy", "lineage"]
    actions = ["reorganize"]

    @admin.display(description=_("有効期間"))
    def validity_label(self, obj: Department) -> str:
        return obj.validity_label or "—"

    @admin.display(description=_("組織改編"))
    def lineage(self, obj: Department) -> str:
        parts = []
        for change in obj.changes_in.all():
            before = "、".join(d.name for d in change.predecessors.all())
            parts.append(_("%(change)s（変更前: %(names)s）") % {"change": change, "names": before})
        for change in obj.changes_out.all():
            after = "、".join(d.name for d in change.successors.all()) or "—"
            parts.append(_("%(change)s（変更後: %(names)s）") % {"change": change, "names": after})
        return " / ".join(str(p) for p in parts) or "—"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("valid_from_fy")  # history: only reorganisations set validity
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        # A department that existed is closed by a reorganisation, never deleted.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            original = Department.objects.get(pk=obj.pk)
            changes = {
                key: form.cleaned_data[key]
                for key in form.changed_data
                if key in DEPARTMENT_EDITABLE_FIELDS
            }
            department_update(department=original, by=request.user, **changes)
            return
        created = department_create(
            name=obj.name,
            kind=obj.kind,
            parent=obj.parent,
            valid_from_fy=obj.valid_from_fy,
            code=obj.code,
            position=obj.position,
            by=request.user,
            **{key: getattr(obj, key) for key in DEPARTMENT_DETAIL_FIELDS},
        )
        obj.pk = created.pk
        obj._state.adding = False

    @admin.action(
        description=_("選択した部署を組織改編する（名称変更・統合・分割・廃止）"),
        permissions=["change"],
    )
    def reorganize(self, request, queryset):
        predecessors = list(queryset.select_related("parent"))
        if "apply" in request.POST:
            form = ReorganizeForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                specs = [
                    SuccessorSpec(name, DepartmentKind.guess(name), data["parent"])
                    for name in data["successors"]
                ]
                try:
                    result = department_reorganize(
                        kind=data["kind"],
                        predecessors=predecessors,
                        successor_names=specs,
                        effective_fy=data["effective_fy"],
                        note=data["note"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    self.message_user(
                        request,
                        _("%(change)s を登録しました。担当の引き継ぎ %(handed)d 件。")
                        % {
                            "change": result.change,
                            "handed": result.handed_over + result.repointed,
                        },
                        messages.SUCCESS,
                    )
                    if result.orphaned_actions:
                        self.message_user(
                            request,
                            _("担当部署がなくなった取組が %(count)d 件あります（ID: %(ids)s）。")
                            % {
                                "count": len(result.orphaned_actions),
                                "ids": ", ".join(map(str, result.orphaned_actions)),
                            },
                            messages.WARNING,
                        )
                    return None
        else:
            first_parent = predecessors[0].parent if predecessors else None
            form = ReorganizeForm(
                initial={
                    "kind": (
                        DepartmentChange.Kind.MERGE
                        if len(predecessors) > 1
                        else DepartmentChange.Kind.RENAME
                    ),
                    "parent": first_parent
                    if first_parent and first_parent.valid_until_fy is None
                    else None,
                    "successors": predecessors[0].name if len(predecessors) == 1 else "",
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("組織改編"),
            "opts": self.model._meta,
            "form": form,
            "predecessors": predecessors,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/org/department/reorganize.html", context)


@admin.register(DepartmentChange)
class DepartmentChangeAdmin(admin.ModelAdmin):
    """Read-only: reorganisations are recorded by the "組織改編" action on departments."""

    list_display = ["effective_fy_label", "kind", "predecessor_names", "successor_names", "note"]
    list_filter = ["kind", "effective_fy"]
    search_fields = ["predecessors__name", "successors__name", "note"]
    readonly_fields = ["kind", "effective_fy", "predecessors", "successors", "note", "created_at"]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("predecessors", "successors")

    @admin.display(description=_("実施年度"), ordering="effective_fy")
    def effective_fy_label(self, obj: DepartmentChange) -> str:
        return format_fiscal_year(obj.effective_fy)

    @admin.display(description=_("変更前"))
    def predecessor_names(self, obj: DepartmentChange) -> str:
        return "、".join(d.name for d in obj.predecessors.all())

    @admin.display(description=_("変更後"))
    def successor_names(self, obj: DepartmentChange) -> str:
        return "、".join(d.name for d in obj.successors.all()) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["role", "department"]

    def clean(self):
        data = super().clean()
        if "role" in data:
            try:
                role_assignment_check(role=data["role"], department=data.get("department"))
            except ValidationError as exc:
                self.add_error("department", exc)
        return data


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    def user_change_password(self, request, *args, **kwargs):
        with audit_acting_as(request.user):
            return super().user_change_password(request, *args, **kwargs)

    fieldsets = (
        *DjangoUserAdmin.fieldsets[:1],
        (_("表示名・所属"), {"fields": ("display_name", "department")}),
        *DjangoUserAdmin.fieldsets[1:],
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "display_name", "department", "password1", "password2"),
            },
        ),
    )
    list_display = ["username", "display_name", "department", "roles", "is_staff", "is_active"]
    list_filter = ["role_assignments__role", "is_staff", "is_superuser", "is_active"]
    list_select_related = ["department"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    autocomplete_fields = ["department"]
    inlines = [RoleAssignmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("role_assignments__department")

    @admin.display(description=_("役割"))
    def roles(self, obj: User) -> str:
        return "、".join(
            f"{a.get_role_display()}（{a.department}）" if a.department_id else a.get_role_display()
            for a in obj.role_assignments.all()
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        user = form.instance
        # The admin's change message reads these lists, which formset.save() would have filled.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                old = RoleAssignment.objects.get(pk=inline_form.instance.pk)
                user_revoke_role(assignment=old, by=request.user)
                formset.deleted_objects.append(old)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            if inline_form.instance.pk:  # edited in place: revoke the old role, assign the new
                old = RoleAssignment.objects.get(pk=inline_form.instance.pk)
                user_revoke_role(assignment=old, by=request.user)
                formset.deleted_objects.append(old)
            formset.new_objects.append(
                user_assign_role(
                    user=user,
                    role=data["role"],
                    department=data.get("department"),
                    by=request.user,
                )
            )
        return None


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ["user", "role", "department"]
    list_filter = ["role"]
    list_select_related = ["user", "department"]
    search_fields = ["user__username", "user__display_name", "department__name"]
    autocomplete_fields = ["user", "department"]

    def get_fields(self, request, obj=None):
        return ["user", "role", "department"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = ["user", "role", "department"]
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        if change:
            user_revoke_role(assignment=RoleAssignment.objects.get(pk=obj.pk), by=request.user)
        assignment = user_assign_role(
            user=obj.user, role=obj.role, department=obj.department, by=request.user
        )
        obj.pk = assignment.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        user_revoke_role(assignment=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset.select_related("user"):
            user_revoke_role(assignment=assignment, by=request.user)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, DjangoGroupAdmin):
    """Django's group admin; permission changes of a group are recorded (``audit_hooks``)."""


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
