"""Forms of the evaluation-year pages (views/cycles.py): open a year, due dates, publish."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from hoshin.evaluations.models import EvaluationCycle
from hoshin.lib.fiscal import FiscalYearError, parse_fiscal_year
from hoshin.lib.forms import AccessibleFormMixin
from hoshin.org.models import Department
from hoshin.plans.models import Plan


class CycleStartForm(AccessibleFormMixin, forms.Form):
    plan = forms.ModelChoiceField(
        label=gettext_lazy("計画"),
        queryset=Plan.objects.order_by("-start_fy", "name"),
        empty_label=gettext_lazy("選んでください"),
    )
    fy = forms.CharField(
        label=gettext_lazy("年度"),
        max_length=30,
        help_text=gettext_lazy("例: 2026、令和8年度、R8。開始できるのは翌年度までです。"),
    )

    def clean_fy(self) -> int:
        try:
            return parse_fiscal_year(self.cleaned_data["fy"])
        except FiscalYearError as exc:
            raise ValidationError(str(exc)) from None


def _date_field(name: str) -> forms.DateField:
    return forms.DateField(
        label=EvaluationCycle._meta.get_field(name).verbose_name,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%Y/%m/%d"],
    )


class DueDatesForm(AccessibleFormMixin, forms.Form):
    submit_due = _date_field("submit_due")
    approve_due = _date_field("approve_due")
    review_due = _date_field("review_due")


def _departments_of(cycle: EvaluationCycle):
    return Department.objects.filter(sheets__cycle=cycle).distinct().in_org_order()


class PublishForm(AccessibleFormMixin, forms.Form):
    department = forms.ModelChoiceField(
        label=gettext_lazy("担当課"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=gettext_lazy("すべての担当課"),
        help_text=gettext_lazy("担当課を選ぶと、その課の確定済みシートだけを公表します。"),
    )

    def __init__(self, *args, cycle: EvaluationCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments_of(cycle)


class PublishConfirmForm(forms.Form):
    """The second step: what was shown (department, number of sheets) comes back as is."""

    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, widget=forms.HiddenInput
    )
    count = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, cycle: EvaluationCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments_of(cycle)
