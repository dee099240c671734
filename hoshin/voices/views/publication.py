"""Public pages of published voices: /voices/ (list with filters) and /voices/<id>/.

Every read goes through ``VoicePublication.objects.published()`` (published and consented), so
an unpublished or unconsented voice answers 404 exactly like an id that does not exist. The
pages show the masked title, summary and reply, the answering department, the date received,
category, age band and district — never a name, contact details or attachments, and nothing
read from VoiceWriter. Like the portal, the pages are the same for every visitor and may be
cached publicly for a minute.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from hoshin.changes.page_cache import public_page
from hoshin.voices.forms.publication import PublishedFilterForm
from hoshin.voices.models import VoicePublication

PAGE_SIZE = 20


def published_voices():
    """The one door to published voices, with what the pages show."""
    return VoicePublication.objects.published().select_related(
        "voice__category", "voice__district", "answering_department"
    )


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
