"""Django admin for the committee app: a window onto the register, selection and scoring.

Like the evaluations admin it is not a second way around the rules: every record here is
written by the services (which check roles, terms, rounds and versions and write the audit
trail), so the models are read-only; closing and aggregating a round are admin actions that
call the same services. Staff pages for the secretariat and members come next (README).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from hoshin.committees import models
from hoshin.committees.services.errors import CommitteeValidationError
from hoshin.committees.services.results import round_aggregate
from hoshin.committees.services.scoring import round_close


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the services: visible, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MemberInline(admin.TabularInline):
    model = models.CommitteeMember
    fields = ["name", "category", "role", "term_start", "term_end", "group", "user"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ["name", "fy", "plan", "kind", "decision_rule", "score_disclosure"]
    list_filter = ["fy", "kind"]
    list_select_related = ["plan"]
    inlines = [MemberInline]


@admin.register(models.MemberGroup)
class MemberGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "committee"]


@admin.register(models.CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "committee", "category", "role", "term_start", "term_end", "user"]
    list_filter = ["category", "role"]
    list_select_related = ["committee", "user"]


@admin.register(models.SelectionRule)
class SelectionRuleAdmin(ReadOnlyAdmin):
    list_display = ["committee", "kind", "params", "note"]


@admin.register(models.Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["committee", "sheet", "source", "member", "created_at"]
    list_select_related = ["committee", "sheet__cycle", "sheet__action", "member"]


@admin.register(models.ReviewTarget)
class ReviewTargetAdmin(ReadOnlyAdmin):
    list_display = ["sheet", "committee", "group", "selected_by", "selected_at"]
    list_select_related = ["committee", "sheet__cycle", "sheet__action", "group", "selected_by"]


@admin.register(models.ScoringRound)
class ScoringRoundAdmin(ReadOnlyAdmin):
    list_display = ["committee", "kind", "due_on", "closed_at", "closed_by"]
    actions = ["close", "aggregate"]

    def _run(self, request, queryset, service, done):
        for scoring_round in queryset:
            try:
                service(scoring_round=scoring_round, by=request.user)
            except (CommitteeValidationError, PermissionDenied) as refused:
                self.message_user(request, f"{scoring_round}: {refused}", messages.ERROR)
            else:
                self.message_user(request, f"{scoring_round}: {done}", messages.SUCCESS)

    @admin.action(description=_("選択した回を締め切る"))
    def close(self, request, queryset):
        self._run(request, queryset, round_close, _("締め切りました。"))

    @admin.action(description=_("選択した回を集計する"))
    def aggregate(self, request, queryset):
        self._run(request, queryset, round_aggregate, _("集計しました。"))


@admin.register(models.Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["member", "target", "round", "judgement", "version", "entered_by"]
    list_select_related = [
        "member",
        "target__sheet__cycle",
        "target__sheet__action",
        "round__committee",
        "entered_by",
    ]


@admin.register(models.TargetResult)
class TargetResultAdmin(ReadOnlyAdmin):
    list_display = ["target", "round", "status", "judgement", "override_judgement", "vote_count"]
    list_select_related = ["target__sheet__cycle", "target__sheet__action", "round__committee"]


@admin.register(models.Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ["target", "version", "updated_by", "updated_at"]


@admin.register(models.HearingSession)
class HearingSessionAdmin(ReadOnlyAdmin):
    list_display = ["committee", "held_on", "place"]


@admin.register(models.HearingSlot)
class HearingSlotAdmin(ReadOnlyAdmin):
    list_display = ["session", "starts_at", "ends_at", "target", "site_visit"]


@admin.register(models.AdvanceQuestion)
class AdvanceQuestionAdmin(ReadOnlyAdmin):
    list_display = ["target", "member", "asked_at", "answered_at"]


@admin.register(models.CityResponse)
class CityResponseAdmin(ReadOnlyAdmin):
    list_display = ["opinion", "department", "stance", "budget_amount", "version"]


@admin.register(models.ResponseFollowUp)
class ResponseFollowUpAdmin(ReadOnlyAdmin):
    list_display = ["response", "fy", "status", "recorded_at"]


@admin.register(models.Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ["title", "committee", "held_on", "status", "version"]
    list_filter = ["status"]


@admin.register(models.MinutesComment)
class MinutesCommentAdmin(ReadOnlyAdmin):
    list_display = ["minutes", "member", "created_at"]
