"""Staff workbooks: login required, Japanese headers, frozen panes, and only what the user may see."""

import io

import openpyxl
import pytest
from django.urls import reverse

from hoshin.evaluations.models import Indicator
from hoshin.plans.models import Action
from hoshin.reports.tests.conftest import ACTION_TITLE, CANARY, INDICATOR

pytestmark = pytest.mark.django_db


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def cells(book: openpyxl.Workbook) -> str:
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def rows(sheet) -> list[dict]:
    header = [cell.value for cell in sheet[1]]
    return [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


@pytest.mark.parametrize("name", ["plan_xlsx", "annual_xlsx"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, reports, name):
    args = [reports.plan.pk] if name == "plan_xlsx" else [reports.plan.pk, 2025]
    url = reverse(f"reports:{name}", args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))
    assert CANARY not in response.content.decode()


def test_plan_workbook_has_one_row_per_action_with_levels_as_columns(client, reports):
    client.force_login(reports.world.editor)
    book = workbook(client.get(reverse("reports:plan_xlsx", args=[reports.plan.pk])))
    sheet = book["計画の体系"]
    assert "評価テスト計画" in sheet["A1"].value
    header = [cell.value for cell in sheet[2]]
    assert header[:4] == ["大項目", "番号", "取組名", "内容"]
    assert "担当課" in header and "主管課" in header
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["D"].width == 60
    body = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)
    ]
    assert len(body) == 4
    assert {row["大項目"] for row in body} == {"防災"}
    first = body[0]
    assert first["取組名"] == ACTION_TITLE and first["担当課"] == "地域防災対策室"
    shared = next(row for row in body if row["内容"] == "防災訓練の予算を確保する。")
    assert shared["担当課"] == "地域防災対策室、財政課" and shared["主管課"] == "地域防災対策室"


def test_staff_see_draft_plans_but_unknown_plans_answer_404(client, reports):
    client.force_login(reports.world.editor)
    response = client.get(reverse("reports:plan_xlsx", args=[reports.hidden_plan.pk]))
    assert "非公開の節" in cells(workbook(response))
    response = client.get(reverse("reports:plan_xlsx", args=[999999]))
    assert response.status_code == 404
    assert "計画（番号 999999）が見つかりません" in response.content.decode()


def test_annual_workbook_of_an_editor_holds_own_and_published_sheets_only(client, reports):
    client.force_login(reports.world.editor)  # 地域防災対策室
    book = workbook(client.get(reverse("reports:annual_xlsx", args=[reports.plan.pk, 2025])))
    assert book.sheetnames == ["集計", "評価シート", "指標"]
    details = book["評価シート"]
    assert details.freeze_panes == "A2"
    listed = rows(details)
    # Own published and own approved sheets; not 財政課's draft (nor any other unpublished one).
    assert {row["取組・施策"] for row in listed} == {ACTION_TITLE, "防災訓練の予算を確保する。"}
    published = next(row for row in listed if row["取組・施策"] == ACTION_TITLE)
    assert published["段階"] == "公表済み" and published["総合評価"] == "A"
    assert published["事業費 決算（千円）"] == 1400 and published["人件費（決算・千円）"] == 4000
    assert published["総コスト（決算・千円）"] == 5400
    assert INDICATOR in published["指標"] and published["平均進捗率"] == pytest.approx(0.75)
    text = cells(book)
    assert f"{CANARY}DRAFT" not in text and f"{CANARY}指標" not in text
    indicators = rows(book["指標"])
    assert {row["指標名"] for row in indicators} == {INDICATOR, f"{CANARY}承認指標"}
    summary = book["集計"]
    counts = {(row[0], row[1]): row[2] for row in summary.iter_rows(min_row=5, values_only=True)}
    assert counts[("合計", "評価シート")] == 2
    assert counts[("段階", "公表済み")] == 1
    assert counts[("段階", "一次評価済み（企画担当の審査待ち）")] == 1
    assert counts[("総合評価", "A")] == 2
    assert counts[("今後の方向性", "継続")] == 2 and counts[("今後の方向性", "拡充")] == 0


def test_annual_workbook_of_another_department_has_no_unpublished_sheet_of_ours(client, reports):
    world = reports.world
    client.force_login(world.other_editor)  # 財政課, co-responsible for the shared action only
    book = workbook(client.get(reverse("reports:annual_xlsx", args=[reports.plan.pk, 2025])))
    listed = {row["取組・施策"] for row in rows(book["評価シート"])}
    assert ACTION_TITLE in listed  # published: anyone may read it
    assert "長期財政計画を策定する。" in listed  # its own draft
    # The committee member holds no department role: published sheets only.
    client.force_login(world.committee)
    book = workbook(client.get(reverse("reports:annual_xlsx", args=[reports.plan.pk, 2025])))
    assert {row["取組・施策"] for row in rows(book["評価シート"])} == {ACTION_TITLE}
    assert CANARY not in cells(book)


def test_planning_office_gets_every_sheet(client, reports):
    client.force_login(reports.world.planner)
    book = workbook(client.get(reverse("reports:annual_xlsx", args=[reports.plan.pk, 2025])))
    assert len(rows(book["評価シート"])) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((999999, 2025), "計画（番号 999999）が見つかりません"),
        (("plan", 2024), "令和6年度（2024年度）の評価年度がありません"),
        (("plan", 99999), "99999"),
    ],
)
def test_annual_workbook_answers_404_with_a_message(client, reports, args, message):
    client.force_login(reports.world.editor)
    plan_id = reports.plan.pk if args[0] == "plan" else args[0]
    response = client.get(reverse("reports:annual_xlsx", args=[plan_id, args[1]]))
    assert response.status_code == 404
    assert message in response.content.decode()


def test_text_that_looks_like_a_formula_is_a_text_cell(client, reports):
    """An indicator named "=…" was written as a live formula; every text is a string cell."""
    Indicator.objects.filter(sheet=reports.published).update(name="=SUM(1,2)")
    Action.objects.filter(pk=reports.world.bousai_action.pk).update(title="-5%の削減")
    client.force_login(reports.world.planner)
    annual = workbook(client.get(reverse("reports:annual_xlsx", args=[reports.plan.pk, 2025])))
    plan = workbook(client.get(reverse("reports:plan_xlsx", args=[reports.plan.pk])))
    found = {
        cell.value: cell
        for book in (annual, plan)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    for text in ("=SUM(1,2)", "-5%の削減"):
        assert found[text].data_type == "s" and found[text].quotePrefix
    assert found["=SUM(1,2)"].parent.title == "指標"
    assert any(
        value.startswith("=SUM(1,2)：実績") for value in found
    )  # the 指標 column of 評価シート
    assert not any(cell.data_type == "f" for cell in found.values())
