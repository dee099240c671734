"""The period chooser of the voice statistics (views/stats.py)."""

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoshin.lib.fiscal import format_fiscal_year
from hoshin.voices.selectors.stats import stats_period


class PeriodForm(forms.Form):
    fy = forms.TypedChoiceField(
        label=gettext_lazy("年度"), coerce=int, required=False, empty_value=None
    )
    start = forms.DateField(
        label=gettext_lazy("開始日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("終了日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, years: list[int], today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["fy"].choices = [(fy, format_fiscal_year(fy)) for fy in years]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end) and not self.has_error("start") and not self.has_error("end"):
            raise forms.ValidationError(
                _("期間で集計するときは、開始日と終了日の両方を入力してください。")
            )
        try:
            data["period"] = stats_period(fy=data.get("fy"), start=start, end=end, today=self.today)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return data
