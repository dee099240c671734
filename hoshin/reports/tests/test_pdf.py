"""Public PDFs: the Japanese text is really there (extracted with pypdf), in the embedded Noto
Sans CJK font, laid out as promised; unpublished content never appears; guesses answer 404."""

import io
import re

import pypdf
import pytest
from django.urls import reverse

from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.reports.tests.conftest import (
    ACTION_TITLE,
    CANARY,
    INDICATOR,
    REVIEW,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.django_db

FOOTER = re.compile(r"^(\d+) / (\d+)$", re.MULTILINE)


def sheet_url(action_id: int, fy: int = 2025) -> str:
    return reverse("reports:sheet_pdf", args=[action_id, fy])


def annual_url(plan_id: int, fy: int = 2025) -> str:
    return reverse("reports:annual_pdf", args=[plan_id, fy])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def embedded_fonts(data: bytes) -> set[str]:
    """BaseFont names of the fonts whose glyphs are embedded (standard fonts carry none)."""
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            if descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                names.add(str(font["/BaseFont"]))
    return names


def test_sheet_pdf_prints_the_published_sheet_in_japanese(client, reports):
    response = client.get(sheet_url(reports.published.action_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "public" in response["Cache-Control"] and not response.cookies
    data = body(response)
    text = pdf_text(data)
    for expected in (
        "評価テスト計画",  # plan
        "大項目 防災",  # 施策 path
        ACTION_TITLE,  # 髙﨑: outside JIS X 0208, still printed
        "地域防災対策室",  # department that year
        "令和7年度（2025年度）",
        "A 順調に成果が上がっている",  # overall grade with its meaning
        "継続",  # future direction
        INDICATOR,
        "75.0%",  # progress rate (1000 → 4000 of 5000)
        "1,400",  # project cost actual = 1,100 + 300 (千円)
        "4,000",  # staff cost = 0.5 person-years × 8,000
        "全世帯にハザードマップを配布し",  # activities
        "外国語版を作成する。",  # improvement plan
        REVIEW,  # 二次評価の所見
        "進捗評価",
    ):
        assert expected in text, expected
    pages = pdf_pages(data)
    assert 1 <= len(pages) <= 2
    assert [FOOTER.search(page).groups() for page in pages] == [
        (str(n), str(len(pages))) for n in range(1, len(pages) + 1)
    ]
    fonts = embedded_fonts(data)
    assert fonts and all("NotoSansCJKjp" in name for name in fonts), fonts
    assert CANARY not in text


def test_sheet_pdf_and_action_page_print_the_same_official_fields(client, reports):
    """Both are built from the same PublicSheet: what one shows, the other shows."""
    page = client.get(reports.published.action.get_absolute_url()).content.decode()
    text = pdf_text(body(client.get(sheet_url(reports.published.action_id))))
    for fact in (REVIEW, INDICATOR, "外国語版を作成する。"):
        assert fact in page and fact in text


@pytest.mark.parametrize(
    "case", ["unknown", "draft", "approved", "hidden_plan", "no_year", "bad_year", "withdrawn"]
)
def test_sheet_pdf_answers_404_with_a_message(client, reports, case):
    hidden_action = reports.hidden_plan.actions.get()
    action_id, fy = {
        "unknown": (999999, 2025),
        "draft": (reports.draft.action_id, 2025),
        "approved": (reports.approved.action_id, 2025),
        "hidden_plan": (hidden_action.pk, 2025),  # a published sheet of a draft plan
        "no_year": (reports.published.action_id, 2024),
        "bad_year": (reports.published.action_id, 99999),
        "withdrawn": (reports.published.action_id, 2025),
    }[case]
    if case == "withdrawn":
        sheet_transition(
            sheet=reports.published, by=reports.world.planner, name="send_back", comment="修正"
        )
    response = client.get(sheet_url(action_id, fy))
    assert response.status_code == 404
    html = response.content.decode()
    assert "報告書が見つかりません" in html
    expected = {
        "unknown": "公開されていません",
        "draft": "公表されていません",
        "approved": "公表されていません",
        "hidden_plan": "公開されていません",
        "no_year": "令和6年度（2024年度）",
        "bad_year": "99999",
        "withdrawn": "公表されていません",
    }[case]
    assert expected in html
    assert CANARY not in html


def test_annual_pdf_has_cover_contents_summary_tree_and_every_sheet(client, reports, settings):
    settings.HOSHIN_CITY_NAME = "みどり市"
    response = client.get(annual_url(reports.plan.pk))
    assert response.status_code == 200
    assert response.streaming  # streamed from a temporary file
    assert response["Content-Type"] == "application/pdf"
    data = body(response)
    pages = pdf_pages(data)
    total = len(pages)
    cover = pages[0]
    for expected in ("評価テスト計画", "令和7年度（2025年度）", "評価結果報告書", "みどり市"):
        assert expected in cover
    assert not FOOTER.search(cover)
    # "n / N" on every other page, N the real number of pages.
    assert [FOOTER.search(page).groups() for page in pages[1:]] == [
        (str(n), str(total)) for n in range(2, total + 1)
    ]
    contents = pages[1]
    assert "目次" in contents
    for entry in ("1 評価結果の概要", "2 計画の体系", "3 評価シート", "大項目 防災", ACTION_TITLE):
        assert entry in contents, entry
    # The contents' page numbers are those of the pages carrying the headings (1-based).
    numbers = sorted(int(n) for n in re.findall(r"\.\s+(\d+)$", contents, re.MULTILINE))

    def page_of(heading: str) -> int:
        return next(n for n, page in enumerate(pages, start=1) if n > 2 and heading in page)

    sheets_page = page_of("3 評価シート")
    assert numbers == [page_of("1 評価結果の概要"), page_of("2 計画の体系"), *[sheets_page] * 3]
    summary = next(page for page in pages if "1 評価結果の概要" in page and "目次" not in page)
    for expected in ("総合評価の分布", "今後の方向性の分布", "大項目 防災", "75.0%", "100.0%"):
        assert expected in summary
    tree = next(page for page in pages if "2 計画の体系" in page and "目次" not in page)
    for action_text in ("長期財政計画を策定する。", "地域防災対策室、財政課", "全庁", ACTION_TITLE):
        assert action_text in tree
    sheet_pages = [page for page in pages if "事務事業評価シート" in page]
    assert len(sheet_pages) == 1  # one published sheet, starting on a page of its own
    text = "\n".join(pages)
    for expected in (INDICATOR, REVIEW, "A 順調に成果が上がっている", "地域防災対策室"):
        assert expected in text
    fonts = embedded_fonts(data)
    assert fonts and all("NotoSansCJKjp" in name for name in fonts), fonts
    assert CANARY not in text


def test_annual_pdf_starts_every_sheet_on_a_new_page_and_lists_it_in_the_contents(client, reports):
    world = reports.world
    # A second published sheet: the all-departments action (the planning office's).
    from hoshin.evaluations.tests.stage_helpers import advance, fill

    other = EvaluationSheet.objects.get(cycle=reports.published.cycle, action=world.all_action)
    other = advance(
        world, fill(world, other, {"activities": "全庁でICTを活用した。"}), Stage.PUBLISHED
    )
    pages = pdf_pages(body(client.get(annual_url(reports.plan.pk))))
    starts = [n for n, page in enumerate(pages) if "事務事業評価シート" in page]
    assert len(starts) == 2
    for n in starts:  # the sheet header comes first on its page, after the footer
        lines = [line for line in pages[n].splitlines() if line.strip()]
        assert any(line.startswith("事務事業評価シート") for line in lines[:5]), lines[:5]
    assert "ICTを活用する。" in pages[1]  # the second sheet's title, in the contents
    assert (
        "全庁でICTを活用した。" in pages[starts[1]]
        or "全庁でICTを活用した。" in pages[starts[1] + 1]
    )


@pytest.mark.parametrize("case", ["unknown", "draft_plan", "no_sheets", "bad_year", "unpublished"])
def test_annual_pdf_answers_404_with_a_message(client, reports, case):
    plan_id, fy = {
        "unknown": (999999, 2025),
        "draft_plan": (reports.hidden_plan.pk, 2025),  # it has a published sheet
        "no_sheets": (reports.plan.pk, 2024),
        "bad_year": (reports.plan.pk, 12345),
        "unpublished": (reports.plan.pk, 2025),
    }[case]
    if case == "unpublished":
        sheet_transition(
            sheet=reports.published, by=reports.world.planner, name="send_back", comment="修正"
        )
    response = client.get(annual_url(plan_id, fy))
    assert response.status_code == 404
    html = response.content.decode()
    expected = {
        "unknown": "計画（番号 999999）は公開されていません",
        "draft_plan": "は公開されていません",
        "no_sheets": "令和6年度（2024年度）の評価結果は公表されていません",
        "bad_year": "12345",
        "unpublished": "評価結果は公表されていません",
    }[case]
    assert expected in html
    assert CANARY not in html


def test_only_get_and_head(client, reports):
    assert client.post(sheet_url(reports.published.action_id)).status_code == 405
    assert client.post(annual_url(reports.plan.pk)).status_code == 405


def test_missing_font_answers_503_naming_the_package(client, reports, monkeypatch, tmp_path):
    from hoshin.lib import pdf

    monkeypatch.setattr(pdf, "SANS", (tmp_path / "none.ttc",))
    response = client.get(sheet_url(reports.published.action_id))
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.content.decode()
    response = client.get(annual_url(reports.plan.pk))
    assert response.status_code == 503


def test_link_snippets_point_at_the_pdfs(reports):
    from django.template.loader import render_to_string

    sheet = render_to_string(
        "reports/_sheet_pdf_link.html", {"action": reports.published.action, "fy": 2025}
    )
    assert f'href="{sheet_url(reports.published.action_id)}"' in sheet
    assert "令和7年度（2025年度）の評価シート" in sheet and "PDF" in sheet
    annual = render_to_string("reports/_annual_pdf_link.html", {"plan": reports.plan, "fy": 2025})
    assert f'href="{annual_url(reports.plan.pk)}"' in annual and "PDF" in annual


def test_annual_pdf_is_built_once_per_version_of_the_public_data(client, reports, monkeypatch):
    from hoshin.reports import tasks

    built = []
    original = tasks.annual_report_pdf

    def counting(*args, **kwargs):
        built.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks, "annual_report_pdf", counting)
    url = annual_url(reports.plan.pk, 2025)
    first = b"".join(client.get(url).streaming_content)
    second = b"".join(client.get(url).streaming_content)
    assert first == second and first.startswith(b"%PDF") and len(built) == 1
    reports.plan.description = "概要を改めた"
    reports.plan.save()  # a change to public data: a new version, a new report
    b"".join(client.get(url).streaming_content)
    assert len(built) == 2


def test_sheet_pdf_footer_names_the_city(client, reports, settings):
    settings.HOSHIN_CITY_NAME = "ほしの市"
    pages = pdf_pages(body(client.get(sheet_url(reports.published.action_id))))
    assert all("ほしの市" in page for page in pages)
