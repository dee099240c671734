"""The commands of the cycle: start_fiscal_year and send_reminders (run_scheduler: hoshin/jobs)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from hoshin.evaluations.models import EvaluationCycle, ReminderLog
from hoshin.evaluations.tests.factories import make_world
from hoshin.lib.fiscal import fiscal_year_of
from hoshin.org.models import User

pytestmark = pytest.mark.django_db

THIS_FY = fiscal_year_of(datetime.date.today())


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def world():
    world = make_world()
    world.plan.start_fy, world.plan.end_fy = 2020, 2040
    world.plan.save()
    return world


# --- start_fiscal_year -----------------------------------------------------------------------


def test_start_fiscal_year_opens_the_year_and_prints_counts(world):
    out = run("start_fiscal_year", "--plan", world.plan.name, "--fy", "2024")
    assert "シート 4 件（うち前年度から引き継ぎ 0 件、新規 4 件）" in out
    out = run(
        "start_fiscal_year", "--plan", world.plan.name, "--fy", "令和7年度", "--user", "planner"
    )
    assert "令和7年度（2025年度）" in out and "引き継ぎ 4 件" in out
    cycle = EvaluationCycle.objects.get(plan=world.plan, fy=2025)
    assert cycle.sheets.count() == 4 and cycle.opened_by == world.planner


@pytest.mark.parametrize(
    ("plan", "fy", "message"),
    [
        ("ない計画", "2025", "計画「ない計画」はありません。登録されている計画: 評価テスト計画"),
        (None, str(THIS_FY + 2), "まだ開始できません"),
        (None, "2019", "計画期間"),
        (None, "来年", "年度として読めません"),
    ],
)
def test_start_fiscal_year_refusals(world, plan, fy, message):
    with pytest.raises(CommandError, match=message):
        run("start_fiscal_year", "--plan", plan or world.plan.name, "--fy", fy)
    assert not EvaluationCycle.objects.exists()


def test_start_fiscal_year_twice_is_refused(world):
    run("start_fiscal_year", "--plan", world.plan.name, "--fy", "2025")
    with pytest.raises(CommandError, match="既に開始しています"):
        run("start_fiscal_year", "--plan", world.plan.name, "--fy", "R7")
    assert EvaluationCycle.objects.count() == 1


def test_start_fiscal_year_unknown_user(world):
    with pytest.raises(CommandError, match="ユーザー「nobody」はいません"):
        run("start_fiscal_year", "--plan", world.plan.name, "--fy", "2025", "--user", "nobody")


# --- send_reminders --------------------------------------------------------------------------


@pytest.fixture
def due_world(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run("start_fiscal_year", "--plan", world.plan.name, "--fy", "2025")
    EvaluationCycle.objects.update(submit_due=datetime.date(2026, 6, 24))
    User.objects.exclude(username="other_editor").update(email="x@city.example.lg.jp")
    return world


def test_send_reminders_dry_run_prints_who_would_get_what(due_world):
    out = run("send_reminders", "--dry-run", "--today", "2026-06-25")
    assert "確認のみ" in out
    assert "送信予定: editor <x@city.example.lg.jp> 期限超過 2 件・期限間近 0 件" in out
    assert "[期限超過] 評価テスト計画 令和7年度 ハザードマップを周知する。（地域防災対策室）" in out
    assert "メールアドレス未登録のため送れません: other_editor（1 件）" in out
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_send_reminders_sends_once_a_day(due_world):
    out = run("send_reminders", "--today", "2026-06-25")
    assert "送信 2 通" in out and len(mail.outbox) == 2
    out = run("send_reminders", "--today", "2026-06-25")
    assert "送信 0 通、本日送信済み 2 人" in out and len(mail.outbox) == 2


def test_send_reminders_bad_date(world):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("send_reminders", "--today", "6/25")
