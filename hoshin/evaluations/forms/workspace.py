"""Forms of the staff workspace. The sheet itself is read through ``fields`` (see
views/workspace_layout.py); these are the small forms around it."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations.models import EvaluationCycle, IndicatorKind, SheetComment, Stage
from hoshin.evaluations.services.workflow import COMMENT_MAX_LENGTH, TRANSITIONS
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.lib.forms import EmptyChoiceMixin
from hoshin.org.models import Department
from hoshin.plans.models import Plan


class SheetFilterForm(EmptyChoiceMixin, forms.Form):
    empty_choice_is_filter = True
    """The filters of the sheet list; every field optional, choices limited to what exists."""

    plan = forms.ModelChoiceField(
        label=_("計画"), queryset=Plan.objects.none(), required=False, empty_label=_("すべて")
    )
    fy = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False, empty_value=None)
    department = forms.ModelChoiceField(
        label=_("担当課"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("すべて"),
    )
    stage = forms.ChoiceField(label=_("段階"), required=False)
    q = forms.CharField(label=_("取組名"), required=False, max_length=100)

    def __init__(self, *args, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(
            evaluation_cycles__sheets__in=sheets
        ).distinct()
        years = (
            EvaluationCycle.objects.filter(sheets__in=sheets)
            .values_list("fy", flat=True)
            .distinct()
            .order_by("-fy")
        )
        self.fields["fy"].choices = [("", _("すべて"))] + [
            (fy, format_fiscal_year(fy)) for fy in years
        ]
        self.fields["department"].queryset = Department.objects.filter(sheets__in=sheets).distinct()
        self.fields["stage"].choices = [("", _("すべて")), *Stage.choices]

    def apply(self, sheets):
        """``sheets`` narrowed by the valid filters (invalid ones are ignored)."""
        if not self.is_valid():
            return sheets
        data = self.cleaned_data
        if data.get("plan"):
            sheets = sheets.filter(cycle__plan=data["plan"])
        if data.get("fy"):
            sheets = sheets.filter(cycle__fy=data["fy"])
        if data.get("department"):
            sheets = sheets.filter(department=data["department"])
        if data.get("stage"):
            sheets = sheets.filter(stage=data["stage"])
        if data.get("q"):
            words = Q(action__text__icontains=data["q"]) | Q(action__title__icontains=data["q"])
            sheets = sheets.filter(words | Q(node__title__icontains=data["q"]))
        return sheets


class TransitionForm(forms.Form):
    name = forms.ChoiceField(choices=[(name, t.label) for name, t in TRANSITIONS.items()])
    comment = forms.CharField(label=_("コメント"), required=False, max_length=COMMENT_MAX_LENGTH)
    review_comment = forms.CharField(
        label=_("二次評価の所見"), required=False, max_length=COMMENT_MAX_LENGTH
    )


class CommentForm(forms.ModelForm):
    class Meta:
        model = SheetComment
        fields = ["body"]
        labels = {"body": _("コメント")}
        help_texts = {"body": _("職員だけが読めます。公開サイトには表示されません。")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class IndicatorAddForm(EmptyChoiceMixin, forms.Form):
    name = forms.CharField(label=_("指標名"), max_length=200)
    unit = forms.CharField(label=_("単位"), max_length=30, required=False)
    kind = forms.ChoiceField(
        label=_("種別"), choices=IndicatorKind.choices, initial=IndicatorKind.OUTCOME
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
