"""The filter of the published-voices list (views/publication.py)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoshin.lib.fiscal import display_fiscal_year
from hoshin.org.models import Department
from hoshin.voices.models import VoiceCategory, VoicePublication


class PublishedFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("キーワード"), required=False, max_length=100)
    category = forms.TypedChoiceField(
        label=gettext_lazy("分類"), required=False, coerce=int, empty_value=None
    )
    fy = forms.TypedChoiceField(
        label=gettext_lazy("受付年度"), required=False, coerce=int, empty_value=None
    )
    department = forms.TypedChoiceField(
        label=gettext_lazy("回答した課"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = VoicePublication.objects.published()
        everything = [("", _("すべて"))]
        self.fields["category"].choices = everything + [
            (c.pk, c.name)
            for c in VoiceCategory.objects.filter(pk__in=published.values("voice__category"))
        ]
        years = sorted(set(published.values_list("voice__fy", flat=True)), reverse=True)
        self.fields["fy"].choices = everything + [(fy, display_fiscal_year(fy)) for fy in years]
        self.fields["department"].choices = everything + [
            (d.pk, d.name)
            for d in Department.objects.filter(pk__in=published.values("answering_department"))
        ]
        # Category and department names are database content, Japanese in an English page.
        for name in ("category", "department"):
            self.fields[name].widget.attrs["lang"] = "ja"

    def apply(self, publications):
        if not self.is_valid():
            return publications
        data = self.cleaned_data
        for word in data["q"].split():
            publications = publications.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(reply_text__icontains=word)
            )
        if data["category"]:
            publications = publications.filter(voice__category_id=data["category"])
        if data["fy"]:
            publications = publications.filter(voice__fy=data["fy"])
        if data["department"]:
            publications = publications.filter(answering_department_id=data["department"])
        return publications
