"""The search form (GET): the words and the filters, with a message for every bad value."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hoshin.lib.fiscal import parse_fiscal_year
from hoshin.search.models import EntryKind
from hoshin.search.selectors import MAX_PAGE, SearchFilters
from hoshin.search.text import QueryError, parse_query


class FiscalYearField(forms.CharField):
    """A year as citizens write it: 2025, 2025年度, 令和7年度, R7."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if len(value) > 20:
            raise forms.ValidationError(_("年度は20文字以内で入力してください。"))
        try:
            return parse_fiscal_year(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class SearchForm(forms.Form):
    q = forms.CharField(label=_("検索語"), required=False, strip=True)
    plan = forms.TypedChoiceField(label=_("計画"), required=False, coerce=int, empty_value=None)
    fy = FiscalYearField(label=_("年度"), required=False)
    department = forms.TypedChoiceField(
        label=_("担当課"), required=False, coerce=int, empty_value=None
    )
    grade = forms.ChoiceField(label=_("総合評価"), required=False)
    direction = forms.ChoiceField(label=_("今後の方向性"), required=False)
    kind = forms.ChoiceField(
        label=_("種類"), required=False, choices=[("", _("すべて")), *EntryKind.choices]
    )
    page = forms.IntegerField(label=_("ページ"), required=False, min_value=1, max_value=MAX_PAGE)

    def __init__(self, data, *, choices: dict, **kwargs):
        super().__init__(data, **kwargs)
        everything = [("", _("すべて"))]
        self.fields["plan"].choices = everything + choices["plans"]
        self.fields["department"].choices = everything + choices["departments"]
        self.fields["grade"].choices = everything + choices["grades"]
        self.fields["direction"].choices = everything + choices["directions"]
        self.year_choices = choices["years"]
        # Plan, department and grade names are database content, Japanese in an English page.
        for name in ("plan", "department", "grade", "direction"):
            self.fields[name].widget.attrs["lang"] = "ja"

    def clean_q(self):
        query = self.cleaned_data["q"]
        if query:
            try:
                parse_query(query)
            except QueryError as error:
                raise forms.ValidationError(str(error)) from None
        return query

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            plan=data.get("plan"),
            fy=data.get("fy"),
            department=data.get("department"),
            grade=data.get("grade") or "",
            direction=data.get("direction") or "",
            kind=data.get("kind") or "",
        )

    @property
    def has_filters(self) -> bool:
        return any(self.filters().tokens())
