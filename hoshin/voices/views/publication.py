"""Public pages of published voices: /voices/ (list with filters) and /voices/<id>/.

Every read goes through ``VoicePublication.objects.published()`` (published and consented), so
an unpublished or unconsented voice answers 404 exactly like an id that does not exist. The
pages show the masked title, summary and reply, the answering department, the date received,
category, age band and district — never a name, contact details or attachments, and nothing
read from VoiceWriter. Like the portal, the pages are the same for every visitor and may be
cached publicly for a minute.
"""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from hoshin.changes.page_cache import public_page
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.models import Department
from hoshin.voices.models import VoiceCategory, VoicePublication

PAGE_SIZE = 20


def published_voices():
    """The one door to published voices, with what the pages show."""
    return VoicePublication.objects.published().select_related(
        "voice__category", "voice__district", "answering_department"
    )


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
        self.fields["fy"].choices = everything + [(fy, format_fiscal_year(fy)) for fy in years]
        self.fields["department"].choices = everything + [
            (d.pk, d.name)
            for d in Department.objects.filter(pk__in=published.values("answering_department"))
        ]

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


@require_safe
@public_page
def published_list(request: HttpRequest) -> HttpResponse:
    """Published voices, newest received first, filtered by keyword, category, year, department."""
    form = PublishedFilterForm(request.GET or None)
    publications = form.apply(published_voices()).order_by(
        "-voice__received_on", "-voice__fy", "-voice__number"
    )
    page = Paginator(publications, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "voices/published/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": form.is_bound,
            "breadcrumbs": [(_("市民の声"), reverse("voices:published_list"))],
            "nav_section": "voices",
        },
    )


@require_safe
@public_page
def published_detail(request: HttpRequest, publication_id: int) -> HttpResponse:
    """One published voice and its reply."""
    try:
        publication = published_voices().get(pk=publication_id)
    except VoicePublication.DoesNotExist:
        raise Http404(_("公表している市民の声が見つかりません。")) from None
    actions = list(publication.voice.actions.filter(plan__is_published=True).select_related("plan"))
    return render(
        request,
        "voices/published/detail.html",
        {
            "publication": publication,
            "voice": publication.voice,
            "actions": actions,
            "breadcrumbs": [
                (_("市民の声"), reverse("voices:published_list")),
                (publication.title, reverse("voices:published_detail", args=[publication.pk])),
            ],
            "nav_section": "voices",
        },
    )
