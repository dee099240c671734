"""The planning office's plan import: upload → preview → confirm, and refusals on the way."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoshin.audit.models import AuditEntry
from hoshin.backoffice.services import plan_import_upload
from hoshin.backoffice.views import _problems
from hoshin.org.models import Department
from hoshin.org.tests.factories import make_department, make_plan
from hoshin.plans.formats.base import ParsedAction, ParsedNode, ParsedPlan
from hoshin.plans.models import Action, Plan, PlanImport
from hoshin.plans.services import plan_import_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner_client(client, planner):
    client.force_login(planner)
    return client


def upload(client, data: bytes, filename="plan.testplan", **fields):
    return client.post(
        reverse("backoffice:plan_import"),
        {"file": SimpleUploadedFile(filename, data), "plan_name": "", **fields},
    )


def test_upload_stores_file_and_shows_preview(planner_client, test_plan_bytes, bousai, zaisei):
    response = upload(planner_client, test_plan_bytes)

    entry = PlanImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("backoffice:plan_import_preview", args=[entry.pk])
    assert entry.plan_name == "テスト実施計画"  # from the file's title
    assert entry.status == PlanImport.Status.PREVIEWED
    assert not Plan.objects.exists()

    page = planner_client.get(response.url).content.decode()
    assert "市民協働" in page
    assert "防災訓練を支援する。" in page
    assert "地域防災対策室" in page and "全庁" in page
    assert "問題は見つかりませんでした" in page
    assert "この内容で取り込む" in page
    assert not Plan.objects.exists()


def test_confirm_writes_plan_and_marks_import_applied(
    planner_client, planner, test_plan_bytes, bousai, zaisei
):
    upload(planner_client, test_plan_bytes, plan_name="令和5年度 改革計画")
    entry = PlanImport.objects.get()

    response = planner_client.post(reverse("backoffice:plan_import_confirm", args=[entry.pk]))

    assert response.status_code == 302
    assert response.url == reverse("backoffice:home")
    plan = Plan.objects.get()
    assert plan.name == "令和5年度 改革計画"
    assert not plan.is_published
    assert plan.source_filename == "plan.testplan"
    assert [a.text for a in Action.objects.order_by("position")] == [
        "防災訓練を支援する。",
        "財政状況を公表する。",
    ]
    entry.refresh_from_db()
    assert (entry.status, entry.plan) == (PlanImport.Status.APPLIED, plan)
    assert AuditEntry.objects.get(verb="plan.import").actor == planner
    home = planner_client.get(response.url).content.decode()
    assert "令和5年度 改革計画" in home and "取り込みました" in home


def test_unknown_departments_are_listed_and_block_the_import(planner_client, test_plan_bytes):
    upload(planner_client, test_plan_bytes)
    entry = PlanImport.objects.get()
    preview = planner_client.get(reverse("backoffice:plan_import_preview", args=[entry.pk]))
    page = preview.content.decode()
    assert "このままでは取り込めません" in page
    assert "部署マスタにない部署があります: 地域防災対策室、財政課" in page
    assert "未登録" in page

    response = planner_client.post(reverse("backoffice:plan_import_confirm", args=[entry.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("backoffice:plan_import_preview", args=[entry.pk]))
    assert not Plan.objects.exists()
    assert not Department.objects.exists()
    entry.refresh_from_db()
    assert entry.status == PlanImport.Status.PREVIEWED
    follow = planner_client.get(response.url).content.decode()
    assert "取り込めません。データベースは変更していません。" in follow


def test_create_departments_checkbox_creates_them(planner_client, test_plan_bytes):
    upload(planner_client, test_plan_bytes, create_departments="on")
    entry = PlanImport.objects.get()
    page = planner_client.get(reverse("backoffice:plan_import_preview", args=[entry.pk]))
    assert "新しく登録します" in page.content.decode()

    planner_client.post(
        reverse("backoffice:plan_import_confirm", args=[entry.pk]), {"create_departments": "on"}
    )
    assert set(Department.objects.values_list("name", flat=True)) == {"地域防災対策室", "財政課"}
    assert Plan.objects.count() == 1


def test_ambiguous_department_is_reported(planner_client, test_plan_bytes, bousai):
    make_department("財政課", parent=make_department("総務部"))
    make_department("財政課", parent=make_department("教育部"))
    upload(planner_client, test_plan_bytes)
    entry = PlanImport.objects.get()
    page = planner_client.get(reverse("backoffice:plan_import_preview", args=[entry.pk]))
    text = page.content.decode()
    assert "複数一致" in text
    assert "総務部財政課" in text and "教育部財政課" in text


def test_existing_plan_needs_replace(planner_client, test_plan_bytes, bousai, zaisei):
    old = make_plan("テスト実施計画", is_published=True)
    upload(planner_client, test_plan_bytes)
    entry = PlanImport.objects.get()
    preview_url = reverse("backoffice:plan_import_preview", args=[entry.pk])
    assert "既にあります" in planner_client.get(preview_url).content.decode()

    planner_client.post(reverse("backoffice:plan_import_confirm", args=[entry.pk]))
    assert Plan.objects.get() == old

    response = planner_client.post(
        reverse("backoffice:plan_import_confirm", args=[entry.pk]), {"replace": "on"}
    )
    assert response.url == reverse("backoffice:home")
    new = Plan.objects.get()
    assert new != old
    assert new.actions.count() == 2


def test_replace_checked_on_upload_carries_to_preview(
    planner_client, test_plan_bytes, bousai, zaisei
):
    make_plan("テスト実施計画")
    response = upload(planner_client, test_plan_bytes, replace="on")
    assert response.url.endswith("?replace=1")
    preview = planner_client.get(response.url)
    assert "既にあります" not in preview.content.decode()
    assert preview.context["confirm_form"].initial["replace"] is True


def test_choices_made_on_the_confirm_form_survive_a_refusal(
    planner_client, test_plan_bytes, bousai, zaisei
):
    make_plan("テスト実施計画")
    upload(planner_client, test_plan_bytes)
    entry = PlanImport.objects.get()
    response = planner_client.post(
        reverse("backoffice:plan_import_confirm", args=[entry.pk]), {"create_departments": "on"}
    )
    form = planner_client.get(response.url).context["confirm_form"]
    assert form.initial == {"replace": False, "create_departments": True}


def test_an_import_cannot_be_applied_twice(planner_client, test_plan_bytes, bousai, zaisei):
    upload(planner_client, test_plan_bytes)
    entry = PlanImport.objects.get()
    url = reverse("backoffice:plan_import_confirm", args=[entry.pk])
    planner_client.post(url)
    response = planner_client.post(url, {"replace": "on"})
    assert Plan.objects.count() == 1
    follow = planner_client.get(response.url).content.decode()
    assert "既に処理済み" in follow


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.testplan", "空"),
        (b"\x00\x01\x02PK\x03\x04" * 50, "photo.png", "形式を判別できません"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "plan.txt", ""),
        ("表題\n市民協働\t防災訓練\t地域防災対策室\n壊れた行\n".encode(), "bad.testplan", "3行目"),
    ],
    ids=["empty", "binary", "binary-named-txt", "bad-line"],
)
def test_bad_file_is_refused_on_the_form(planner_client, data, filename, message):
    response = upload(planner_client, data, filename=filename)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["file"], form.errors
    error = " ".join(form.errors["file"])
    assert message in error
    page = response.content.decode()
    assert 'id="id_file_errors"' in page
    assert 'aria-invalid="true"' in page
    assert "id_file_errors" in page.split('name="file"')[1].split(">")[0] or (
        'aria-describedby="id_file_helptext id_file_errors"' in page
    )
    assert not PlanImport.objects.exists()
    assert not Plan.objects.exists()


def test_missing_title_and_name_asks_for_a_name(planner_client):
    response = upload(
        planner_client, "\n市民協働\t防災訓練\t全庁\n".encode(), filename="x.testplan"
    )
    assert response.status_code == 200
    assert "計画名を入力してください" in " ".join(response.context["form"].errors["plan_name"])
    assert not PlanImport.objects.exists()


def test_file_larger_than_limit_is_refused(planner_client, settings, test_plan_bytes):
    settings.PLAN_IMPORT_MAX_BYTES = 10
    response = upload(planner_client, test_plan_bytes)
    assert "大きすぎます" in " ".join(response.context["form"].errors["file"])


@pytest.mark.parametrize("create_departments", [False, True])
@pytest.mark.parametrize("replace", [False, True])
@pytest.mark.parametrize("existing", [False, True])
@pytest.mark.parametrize("too_long", [False, True])
def test_preview_problems_agree_with_the_service(
    create_departments, replace, existing, too_long, zaisei
):
    make_department("財政課", parent=make_department("教育部"))  # 財政課 is now ambiguous
    if existing:
        make_plan("計画")
    parsed = ParsedPlan(
        format_name="test",
        roots=[
            ParsedNode(
                title="柱",
                depth=0,
                actions=[
                    ParsedAction(
                        text="取組",
                        title="長" * 501 if too_long else "",
                        departments=["財政課", "未登録課", "全庁"],
                    )
                ],
            )
        ],
    )
    check = plan_import_check(parsed=parsed, name="計画")
    ours = _problems(check, create_departments=create_departments, replace=replace)
    theirs = check.problems(create_departments=create_departments, replace=replace)
    assert len(ours) == len(theirs)


def test_reform_seed_end_to_end(planner_client, planner, reform_seed_bytes):
    """The real reform plan, through the real format detection and parser."""
    response = upload(
        planner_client,
        reform_seed_bytes,
        filename="001_93b4eaf820d612a8.txt",
        create_departments="on",
    )
    assert response.status_code == 302, response.context["form"].errors
    entry = PlanImport.objects.get()
    assert entry.plan_name == "第6次行財政改革大綱に基づく実施計画"

    preview = planner_client.get(response.url)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "行財政改革" in page
    assert "市民参画・市民協働の一層の推進" in page
    assert "地域防災対策室" in page
    assert "新しく登録します" in page
    assert "取り込まない行" in page  # the page's feedback widget is skipped, and shown as such
    assert not Plan.objects.exists()

    planner_client.post(
        reverse("backoffice:plan_import_confirm", args=[entry.pk]), {"create_departments": "on"}
    )
    plan = Plan.objects.get()
    parsed_actions = preview.context["counts"]["actions"]
    assert plan.actions.count() == parsed_actions > 0
    bousai = Department.objects.get(name="地域防災対策室")
    assert Action.objects.filter(plan=plan, departments=bousai).exists()

    planner_client.post(reverse("backoffice:plan_publish", args=[plan.pk]), {"published": "on"})
    plan.refresh_from_db()
    assert plan.is_published
    home = planner_client.get(reverse("backoffice:home")).content.decode()
    assert plan.get_absolute_url() in home


def test_the_upload_service_refuses_other_staff(viewer, other_editor, test_plan_bytes):
    # The page is the planning office's; the service says so too, for any other caller.
    for user in (viewer, other_editor):
        with pytest.raises(PermissionDenied, match="企画担当"):
            plan_import_upload(
                uploaded_file=SimpleUploadedFile("p.testplan", test_plan_bytes),
                plan_name="テスト実施計画",
                create_departments=False,
                by=user,
            )
    assert not PlanImport.objects.exists()
