"""The effect-amount template: lossless round trip (sheet links kept) and bad rows."""

import re
from decimal import Decimal

import pytest

from hoshin.evaluations.models import Stage
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.finance.models import EffectEntry
from hoshin.finance.services.effects import effect_record, effects_from_sheets
from hoshin.finance.services.imports import effects_import
from hoshin.finance.tables.effects import TITLES, effects_export
from hoshin.finance.tables.reading import TableError
from hoshin.finance.tests.factories import make_finance_staff
from hoshin.org.tests.factories import make_action, make_plan

pytestmark = pytest.mark.django_db

HEADER = ",".join(TITLES)


@pytest.fixture
def staff():
    return make_finance_staff()


def snapshot():
    return sorted(
        (
            e.action_id,
            e.fy,
            e.kind,
            e.duration,
            e.planned,
            e.actual,
            e.general_revenue_basis,
            e.source,
            e.sheet_id,
            e.note,
        )
        for e in EffectEntry.objects.all()
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932", None])
def test_export_then_import_gives_back_the_ledger_with_its_sheet_links(staff, encoding):
    world = make_world()
    cycle = open_year(world, 2025)
    sheet = sheet_of(cycle, world.bousai_action)
    sheet.effect_savings, sheet.stage = Decimal(1_200), Stage.PUBLISHED
    sheet.save()
    effects_from_sheets(plan=world.plan, fy=2025, by=staff)
    effect_record(
        action=world.zaisei_action,
        fy=2025,
        kind="revenue",
        duration="continuing",
        planned=Decimal(500),
        actual=Decimal(-30),
        general_revenue_basis=False,
        note="使用料①の見直し",
        by=staff,
    )
    effect_record(action=world.zaisei_action, fy=2024, kind="saving", planned=Decimal(10), by=staff)
    before = snapshot()
    data = effects_export(plan=world.plan, encoding=encoding)
    EffectEntry.objects.filter(fy=2024).delete()
    EffectEntry.objects.filter(kind="revenue").update(actual=0)
    effects_import(
        plan=world.plan, data=data, filename="e.xlsx" if encoding is None else "e.csv", by=staff
    )
    assert snapshot() == before


def test_an_edited_sheet_row_becomes_the_finance_departments_figure(staff):
    world = make_world()
    cycle = open_year(world, 2025)
    sheet = sheet_of(cycle, world.bousai_action)
    sheet.effect_savings, sheet.stage = Decimal(1_200), Stage.PUBLISHED
    sheet.save()
    effects_from_sheets(plan=world.plan, fy=2025, by=staff)
    data = (
        effects_export(plan=world.plan, encoding="utf-8-sig")
        .decode("utf-8-sig")
        .replace(",1200,", ",1300,")
    )
    effects_import(plan=world.plan, data=data.encode("utf-8"), filename="e.csv", by=staff)
    entry = EffectEntry.objects.get()
    assert (entry.actual, entry.source, entry.sheet) == (1_300, "manual", None)


def test_a_year_in_the_file_holds_exactly_the_files_rows(staff):
    plan = make_plan(start_fy=2023, end_fy=2026)
    kept, dropped = make_action(plan), make_action(plan)
    effect_record(action=dropped, fy=2024, kind="saving", actual=Decimal(5), by=staff)
    effect_record(action=dropped, fy=2023, kind="saving", actual=Decimal(7), by=staff)
    text = HEADER + f"\n{plan.name},{kept.pk},,2024,歳出削減,継続（翌年度以降も効果）,,100,○,,\n"
    effects_import(plan=plan, data=text.encode("utf-8"), filename="e.csv", by=staff)
    assert sorted(EffectEntry.objects.values_list("action_id", "fy", "duration")) == [
        (kept.pk, 2024, "continuing"),
        (dropped.pk, 2023, "single"),  # FY2023 was not in the file: left alone
    ]


def test_bad_rows_are_named_and_nothing_is_stored(staff):
    plan = make_plan(start_fy=2023, end_fy=2026)
    other = make_action(make_plan())
    action = make_action(plan)
    good = f"{plan.name},{action.pk},,2024,歳出削減,単年度,,1,○,,"
    cases = [
        (
            f"x,{other.pk},,2024,歳出削減,単年度,,1,,,",
            f"3行目 B列（取組ID）: 取組ID「{other.pk}」は計画「{plan.name}」の取組にありません",
        ),
        (good, "3行目 E列（種別）: 同じ取組・年度・種別の行が2つあります"),
        (good.replace("2024", "2030"), "3行目: 2030年度は計画期間（2023〜2026年度）の外です"),
        (
            good.replace("○", "あり").replace("歳出削減", "歳入確保"),
            "3行目 I列（一般財源ベース）: ○ か空欄で入力してください",
        ),
        (
            good.replace("単年度", "毎年").replace("歳出削減", "歳入確保"),
            "3行目 F列（効果の期間）: 「毎年」は選べません",
        ),
    ]
    for row, message in cases:
        text = HEADER + "\n" + good + "\n" + row + "\n"
        with pytest.raises(TableError, match=re.escape(message)):
            effects_import(plan=plan, data=text.encode("utf-8"), filename="e.csv", by=staff)
    assert not EffectEntry.objects.exists()
