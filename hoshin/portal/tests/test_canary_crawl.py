"""The attacker's crawl: canaries planted in everything citizens must not see, then every public
surface fetched — pages by following links, every id guessed, feeds, search, open data in every
format and encoding, the API (lists, details, schema), PDFs (text extracted) — and no response
may contain a canary.

The canary is ASCII inside Japanese text ("ZQX"), so it survives UTF-8, CP932, JSON escapes
and the XML of XLSX files unchanged; PDFs are searched in their extracted text.
"""

import io
import re
import zipfile
from collections import deque
from urllib.parse import parse_qs, urljoin, urlsplit

import pypdf
import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.urls import reverse

from hoshin.evaluations.models import EvaluationCycle, EvaluationSheet, SheetComment, Stage
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill
from hoshin.opendata.datasets import DATASETS
from hoshin.org.models import Department, User
from hoshin.plans.models import Action, Plan
from hoshin.plans.services import plan_set_published
from hoshin.portal.tests import factories
from hoshin.search.services import search_rebuild
from hoshin.voices.services import publication as voice_publication
from hoshin.voices.services.ratings import rating_submit
from hoshin.voices.tests import handling_helpers as voices

pytestmark = pytest.mark.django_db

CANARY = "ZQX"
LINK = re.compile(r'(?:href|src|action)="([^"#]*)')
SKIP = ("/staff/", "/admin/", "/static/", "/voices/new/", "/surveys/")


def canary(where: str) -> str:
    return f"カナリア{CANARY}{where}"


@pytest.fixture
def planted():
    """A published plan with one published result, and canaries everywhere else."""
    staff = voices.make_staff()
    # Both builders name their users "planner", "editor"…: keep the voices office's apart.
    User.objects.update(username=Concat(F("username"), Value("-voices")))
    world = make_world()
    cycle = open_year(world)
    published = sheet_of(cycle, world.bousai_action)
    fill(world, published, {"activities": "公表した取組内容"})
    published = advance(world, published, Stage.PUBLISHED)
    SheetComment.objects.create(
        sheet=published, author=world.editor, department=world.bousai, body=canary("comment")
    )
    rating_submit(sheet_id=published.pk, score=4, comment=canary("pending-rating"))
    # A sheet at every stage short of published, canaries in its texts.
    stages = [Stage.DRAFT, Stage.SUBMITTED, Stage.RETURNED, Stage.APPROVED, Stage.FINAL]
    actions = [world.shared_action, world.zaisei_action, world.all_action]
    for stage, action in zip(stages, actions, strict=False):
        sheet = sheet_of(cycle, action)
        fill(world, sheet, {"activities": canary(stage), "department_comment": canary(stage)})
        advance(world, sheet, stage)
    # A draft plan with its own department, node, action, key project and note.
    hidden_department = factories.department(canary("department"))
    draft_plan = factories.plan(canary("plan"), published=False)
    factories.action(
        factories.node(draft_plan, canary("node")),
        canary("action"),
        departments=[hidden_department],
        key_projects=[(canary("project"), True)],
        notes=[(canary("term"), canary("note"))],
    )
    # A published result of a plan that is then withdrawn.
    withdrawn = make_withdrawn_plan(world)
    # A citizen's voice: personal details with a canary, published summary without.
    writer = voices.intake.WriterDetails(
        name=canary("writer"), email="zqx@example.jp", phone="", postal_address=canary("address")
    )
    reply = voices.sent(staff, writer=writer, body=f"{canary('body')}の件で要望します。")
    proposal = voice_publication.publication_propose(
        voice=reply.voice, by=staff.office, summary="通学路の安全についてのご要望"
    )
    voice_publication.publication_publish(
        publication=proposal.publication, by=staff.office, confirmed_not_personal=True
    )
    search_rebuild()
    return world, withdrawn


def make_withdrawn_plan(world) -> Plan:
    plan = factories.plan("撤回された計画")
    action = factories.action(factories.node(plan, "節"), canary("withdrawn-action"))
    cycle = EvaluationCycle.objects.create(plan=plan, fy=2025)
    sheet = EvaluationSheet.objects.create(
        cycle=cycle, action=action, stage=Stage.PUBLISHED, activities=canary("withdrawn-sheet")
    )
    sheet.published_at = sheet.created_at
    sheet.save()
    plan_set_published(plan=plan, published=False, by=world.planner)
    return plan


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        reader = pypdf.PdfReader(io.BytesIO(content))
        return "".join(page.extract_text() or "" for page in reader.pages)
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(name).decode() for name in archive.namelist())
    return content.decode("utf-8", errors="replace") + content.decode("cp932", errors="replace")


def guessed_urls(world) -> list[str]:
    """Every public URL shape for every id that exists, published or not."""
    urls = ["/", "/search/", "/feeds/results.atom", "/opendata/", "/opendata/dictionary/"]
    urls += ["/api/docs", "/api/v1/openapi.json", "/voices/"]
    fys = sorted(set(EvaluationCycle.objects.values_list("fy", flat=True)))
    for pk in Plan.objects.values_list("pk", flat=True):
        urls += [f"/plans/{pk}/", f"/plans/{pk}/results.atom", f"/api/v1/plans/{pk}"]
        urls += [f"/plans/{pk}/reports/{fy}.pdf" for fy in fys]
    for pk in Action.objects.values_list("pk", flat=True):
        urls += [f"/actions/{pk}/", f"/api/v1/actions/{pk}"]
        urls += [f"/actions/{pk}/sheets/{fy}.pdf" for fy in fys]
    for pk in EvaluationSheet.objects.values_list("pk", flat=True):
        urls.append(f"/api/v1/sheets/{pk}")
    for pk in Department.objects.values_list("pk", flat=True):
        urls += [f"/departments/{pk}/", f"/departments/{pk}/results.atom"]
    for name in DATASETS:
        urls.append(f"/api/v1/{name}?limit=500")
        urls += [f"/opendata/{name}.{fmt}" for fmt in ("csv", "json", "xlsx")]
        urls.append(f"/opendata/{name}.csv?encoding=cp932")
    for query in ("カナリア", CANARY, "ZQ", "撤回", "取組"):
        urls += [f"/search/?q={query}", f"/search/?q={query}&kind=sheet"]
    return urls


def test_no_canary_in_any_public_response(client, planted):
    world, _ = planted
    queue = deque(guessed_urls(world))
    seen: set[str] = set()
    leaks = []
    while queue and len(seen) < 3000:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        text = body_text(response)
        if url.startswith("/search/"):  # the page repeats what the attacker typed: not a leak
            text = text.replace(parse_qs(urlsplit(url).query).get("q", [""])[0], "")
        if CANARY in text:
            leaks.append(url)
        if "html" in response.get("Content-Type", ""):
            for link in LINK.findall(text):
                absolute = urljoin(url, link.replace("&amp;", "&"))
                parts = urlsplit(absolute)
                if parts.netloc in ("", "testserver"):
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert not leaks, f"canary leaked at: {leaks}"
    # The crawl reached every kind of surface (a crawler that fetched nothing proves nothing).
    for expected in ("/actions/", "/feeds/", ".pdf", ".xlsx", "encoding=cp932", "/api/v1/"):
        assert any(expected in url for url in seen), expected
    published_action = world.bousai_action.get_absolute_url()
    assert "公表した取組内容" in client.get(published_action).content.decode()
    assert reverse("search:public") in seen
