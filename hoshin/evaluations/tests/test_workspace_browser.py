"""The staff workspace in a real browser: the new-user journey of issue 3, save-as-you-go, axe.

Editor fills and submits the hazard-map sheet (save-as-you-go), its head approves it, the
planning office sends another sheet back and finalizes and publishes this one, and a citizen
reads the result on the portal. Needs /usr/bin/chromium and node_modules/axe-core (make setup);
run with ``pytest -m browser``. Screenshots go to artifacts/screenshots/.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from hoshin.evaluations.models import (
    EvaluationCycle,
    EvaluationSheet,
    SheetTransition,
    StaffUnitCost,
    Stage,
)
from hoshin.evaluations.services.sheets import sheet_update
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.evaluations.tests.factories import COMPLETE_VALUES, make_world, open_year, sheet_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def page(new_page):
    page = new_page()
    # Fail loudly on script errors instead of silently falling back to the plain form.
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.context.close()
    assert not errors, errors


def log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("backoffice:login"))
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill("pw")
    with page.expect_navigation():
        page.get_by_role("button", name="ログイン").click()
    logout = page.get_by_role("button", name="ログアウト")
    if not logout.is_visible():  # a phone: the menu is folded behind メニュー
        page.locator(".staff-menu > summary").click()
    assert logout.is_visible()


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()


def wait_saved(page) -> None:
    """Wait until save-as-you-go has sent everything and the server said 保存しました."""
    page.wait_for_selector("#sheet-form[data-autosave=idle]")
    assert "保存しました" in page.locator("#autosave-status").inner_text()


def open_tasks(page, base_url: str) -> None:
    """マイタスク by its address: the staff menus differ per role (issue 11)."""
    page.goto(base_url + reverse("backoffice:tasks"))


def move(page, name: str, *, comment: str = "", review: str = "") -> None:
    form = page.locator(f"#transition-{name}")
    if comment:
        form.get_by_label("コメント").fill(comment)
    if review:
        form.get_by_label("二次評価の所見").fill(review)
    with page.expect_navigation():
        form.get_by_role("button").click()


def test_new_user_journey_fill_submit_approve_send_back_publish_and_read(
    page, live_server, screenshot
):
    """Issue 11's journey (b): its steps are also kept at 390 and 1280 px
    (artifacts/screenshots/journey-sheet-*)."""
    world = make_world()
    cycle = open_year(world)
    StaffUnitCost.objects.create(fy=cycle.fy, amount=Decimal(8000))
    EvaluationCycle.objects.filter(pk=cycle.pk).update(
        submit_due="2099-06-30", approve_due="2099-07-15", review_due="2099-08-31"
    )
    hazard = sheet_of(cycle, world.bousai_action)
    # Another sheet of the department, already approved: the one the office sends back.
    drill = sheet_of(cycle, world.shared_action)
    sheet_update(sheet=drill, by=world.editor, raw=COMPLETE_VALUES, expected_version=1)
    for name, user in (("submit", world.editor), ("approve", world.head)):
        sheet_transition(sheet=drill, by=user, name=name)
    base = live_server.url

    # -- the department's editor: My tasks → the hazard-map sheet → fill it ---------------
    log_in(page, base, "editor")
    open_tasks(page, base)
    assert page.get_by_role("heading", level=1).inner_text() == "マイタスク"
    task = page.locator(".inbox-item", has_text="ハザードマップ")
    assert "あと" in task.inner_text() and "提出してください" in task.inner_text()
    screenshot(page, "workspace-tasks-editor")
    task.get_by_role("link", name="ハザードマップを周知する。").click()
    assert page.get_by_role("heading", level=1).inner_text() == "ハザードマップを周知する。"

    add = page.locator("#indicator-add")
    add.get_by_label("指標名").fill("ハザードマップの配布部数")
    add.get_by_label("単位").fill("部")
    add.get_by_label("種別").select_option("activity")
    with page.expect_navigation():
        add.get_by_role("button", name="指標を追加する").click()
    assert (
        "指標「ハザードマップの配布部数」を追加しました" in page.locator(".messages").inner_text()
    )
    indicator = hazard.indicators.get()
    prefix = f"#f-indicator-{indicator.pk}"

    page.get_by_label("対象（誰・何を）").fill("浸水想定区域の住民")
    page.get_by_label("意図（どのような状態にしたいか）").fill("災害時に安全に避難できる")
    page.get_by_label("手段（何をするか）").fill("ハザードマップの全戸配布と説明会")
    page.get_by_label("実施方法").select_option("direct")
    page.get_by_role("textbox", name="今年度の取組内容").fill(
        "改訂版を全戸に配布し、説明会を12回開いた。"
    )
    page.locator(f"{prefix}-baseline").fill("10,000")
    page.locator(f"{prefix}-target").fill("30,000")
    page.locator(f"{prefix}-actual").fill("24,000")
    page.locator("#f-cost-actual-general").fill("1,200")
    page.locator("#f-cost-actual-person-years").fill("0.5")
    page.locator("#f-cost-actual-person-years").blur()
    wait_saved(page)
    # Computed values follow without reloading the page.
    assert page.locator(f"#c-indicator-{indicator.pk}-progress").inner_text() == "70.0%"
    assert page.locator("#c-cost-actual-staff").inner_text() == "4,000"
    assert page.locator("#c-cost-actual-total").inner_text() == "5,200"

    for path in ("necessity", "effectiveness", "efficiency", "achievement", "priority"):
        page.locator(f"#f-viewpoint-{path}").get_by_role("radio").first.check()
    page.locator("#f-overall-grade").get_by_label("A 順調に成果が上がっている").check()
    page.locator("#f-future-direction").get_by_label("拡充").check()
    page.get_by_role("textbox", name="改善策（次年度の取組）").fill("外国語版を作成する。")
    page.locator("#f-progress-status").get_by_label("取組中").check()
    page.locator("#f-progress-grade").get_by_label("A 良好").check()
    wait_saved(page)

    # A wrong value is refused at its field, and the field says why.
    page.locator("#f-effect-savings").fill("約千円")
    page.locator("#f-effect-savings").blur()
    page.wait_for_selector("#sheet-form[data-autosave=error]")
    error = page.locator("#f-effect-savings-error")
    assert "数値ではありません" in error.inner_text()
    assert page.locator("#f-effect-savings").get_attribute("aria-invalid") == "true"
    assert "f-effect-savings-error" in page.locator("#f-effect-savings").get_attribute(
        "aria-describedby"
    )
    page.locator("#f-effect-savings").fill("△1,200")
    page.locator("#f-effect-savings").blur()
    wait_saved(page)
    assert page.locator("#f-effect-savings-error").count() == 0

    hazard.refresh_from_db()
    assert hazard.purpose_target == "浸水想定区域の住民"
    assert hazard.overall_grade == "A" and hazard.future_direction == "expand"
    assert hazard.viewpoint_scores == dict.fromkeys(
        ("necessity", "effectiveness", "efficiency", "achievement", "priority"), "4"
    )
    assert hazard.effect_savings == Decimal(-1200)
    indicator.refresh_from_db()
    assert indicator.actual == Decimal(24000)
    assert hazard.revisions.filter(source="autosave").exists()
    screenshot.both(page, "journey-sheet-1-filled")

    assert page.locator("#missing").is_hidden(), "the list of missing fields empties as you save"
    move(page, "submit")
    assert "提出しました" in page.locator(".messages").inner_text()
    assert page.locator("#sheet-form").count() == 0
    hazard.refresh_from_db()
    assert hazard.stage == Stage.SUBMITTED
    screenshot.both(page, "journey-sheet-2-submitted")
    log_out(page)

    # -- its head approves ----------------------------------------------------------------
    log_in(page, base, "head")
    open_tasks(page, base)
    approve = page.locator(".inbox-item", has_text="一次評価")
    approve.get_by_role("link", name="ハザードマップを周知する。").click()
    assert "浸水想定区域の住民" in page.locator("#purpose").inner_text()
    move(page, "approve", comment="内容を確認しました。")
    assert "承認しました" in page.locator(".messages").inner_text()
    screenshot.both(page, "journey-sheet-3-approved")
    log_out(page)

    # -- the planning office sends the drill sheet back, finalizes and publishes the map ------
    log_in(page, base, "planner")
    open_tasks(page, base)
    review = page.locator(".inbox-item", has_text="二次評価")
    assert review.get_by_role("link").count() == 2
    screenshot(page, "workspace-tasks-planner")
    review.get_by_role("link", name="防災訓練の予算を確保する。").click()
    move(page, "send_back", comment="成果指標を設定してください。")
    assert "差し戻しました" in page.locator(".messages").inner_text()
    drill.refresh_from_db()
    assert drill.stage == Stage.RETURNED
    assert SheetTransition.objects.filter(
        sheet=drill, to_stage=Stage.RETURNED, comment="成果指標を設定してください。"
    ).exists()

    open_tasks(page, base)
    review.get_by_role("link", name="ハザードマップを周知する。").click()
    move(page, "finalize", review="周知の成果が出ている。外国語版の作成を進めること。")
    move(page, "publish")
    assert "公表しました" in page.locator(".messages").inner_text()
    screenshot.both(page, "journey-sheet-4-published")
    hazard.refresh_from_db()
    assert hazard.stage == Stage.PUBLISHED
    assert list(EvaluationSheet.objects.published()) == [hazard]
    log_out(page)

    # -- a citizen reads the result ---------------------------------------------------------
    page.goto(base + world.bousai_action.get_absolute_url())
    results = page.locator("section.results")
    assert "令和7年度（2025年度）の評価結果" in results.inner_text()
    text = results.inner_text()
    for expected in ("災害時に安全に避難できる", "ハザードマップの配布部数", "24,000", "拡充"):
        assert expected in text, expected
    assert "成果指標を設定してください" not in page.content()
    screenshot.both(page, "journey-sheet-5-portal-result")


def test_without_javascript_the_save_button_saves(new_page, live_server):
    world = make_world()
    hazard = sheet_of(open_year(world), world.bousai_action)
    page = new_page(javascript=False)
    log_in(page, live_server.url, "editor")
    page.goto(live_server.url + reverse("evaluations:sheet", args=[hazard.pk]))
    page.get_by_label("対象（誰・何を）").fill("市民")
    page.locator("#f-cost-budget-general").fill("abc")
    with page.expect_navigation():
        page.get_by_role("button", name="保存する").click()
    summary = page.locator("#error-summary")
    assert "当年度予算：一般財源" in summary.inner_text()
    assert page.get_by_label("対象（誰・何を）").input_value() == "市民"  # typed values kept
    hazard.refresh_from_db()
    assert hazard.purpose_target == "" and hazard.version == 1
    page.locator("#f-cost-budget-general").fill("1,000")
    with page.expect_navigation():
        page.get_by_role("button", name="保存する").click()
    assert "保存しました（2項目を更新" in page.locator(".messages").inner_text()
    page.context.close()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_tasks_and_sheet_pages_pass_axe_wcag21_aa(new_page, live_server, width, axe, screenshot):
    world = make_world()
    cycle = open_year(world)
    EvaluationCycle.objects.filter(pk=cycle.pk).update(submit_due="2020-06-30")  # overdue
    hazard = sheet_of(cycle, world.bousai_action)
    page = new_page(viewport=width)
    log_in(page, live_server.url, "editor")
    failures = []
    for name, url in (
        ("tasks", reverse("backoffice:tasks")),
        ("sheet-edit", reverse("evaluations:sheet", args=[hazard.pk])),
        ("sheet-list", reverse("evaluations:sheets")),
    ):
        page.goto(live_server.url + url)
        if name == "sheet-edit":
            page.locator("#indicator-add").get_by_label("指標名").fill("説明会の参加者数")
            with page.expect_navigation():
                page.locator("#indicator-add").get_by_role("button").click()
            # Show an error and a warning too: they must pass as well.
            indicator = hazard.indicators.get()
            page.locator(f"#f-indicator-{indicator.pk}-baseline").fill("50")
            page.locator(f"#f-indicator-{indicator.pk}-target").fill("50")
            page.locator("#f-overall-grade").get_by_role("radio").first.check()
            page.locator("#f-cost-actual-general").fill("-1")
            page.locator("#f-cost-actual-general").blur()
            page.wait_for_selector("#sheet-form[data-autosave=error]")
            assert page.locator("#f-cost-actual-general-error").is_visible()
        screenshot(page, f"workspace-{name}-{width}")
        failures += axe.findings(page, f"{name} ({width})")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            failures.append(f"--- {name}: the page scrolls sideways by {overflow}px ({width})")
    history = reverse("evaluations:sheet_history", args=[hazard.pk])
    page.goto(live_server.url + history)
    screenshot(page, f"workspace-history-{width}")
    failures += axe.findings(page, f"history ({width})")
    page.context.close()
    assert not failures, axe.message(failures)
