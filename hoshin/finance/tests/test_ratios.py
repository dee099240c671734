"""Soundness ratios and settlement figures entered through the services."""

import datetime
from decimal import Decimal

import pytest

from hoshin.audit.models import AuditEntry
from hoshin.finance.errors import FinanceError
from hoshin.finance.flags import RatioLevel
from hoshin.finance.models import SettlementTable, SoundnessRatio
from hoshin.finance.selectors import (
    TaxShare,
    ratio_trend,
    ratios_of_year,
    settlement_table,
    tax_split,
)
from hoshin.finance.services.ratios import (
    LineEntry,
    RatioEntry,
    comparison_average_set,
    settlement_lines_replace,
    settlement_save,
    soundness_ratio_set,
    soundness_report_save,
)
from hoshin.finance.tests.factories import make_finance_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_finance_staff()


@pytest.fixture
def report(staff):
    return soundness_report_save(fy=2024, by=staff)


def test_dash_zero_and_missing_are_stored_as_three_different_things(report, staff):
    soundness_ratio_set(report=report, entry=RatioEntry("real_deficit", no_deficit=True), by=staff)
    soundness_ratio_set(
        report=report, entry=RatioEntry("consolidated_deficit", value=Decimal(0)), by=staff
    )
    soundness_ratio_set(report=report, entry=RatioEntry("future_burden"), by=staff)
    states = {ratio.kind: ratio.state for ratio in SoundnessRatio.objects.all()}
    assert states == {
        "real_deficit": "dash",
        "consolidated_deficit": "value",
        "future_burden": "missing",
    }


def test_a_number_and_a_dash_together_are_refused_and_the_database_agrees(report, staff):
    with pytest.raises(FinanceError, match="数値と「－」の両方"):
        soundness_ratio_set(
            report=report,
            entry=RatioEntry("real_deficit", value=Decimal(1), no_deficit=True),
            by=staff,
        )
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        SoundnessRatio.objects.create(report=report, kind="real_deficit", value=1, no_deficit=True)


def test_a_negative_ratio_is_refused_with_the_advice_to_enter_a_dash(report, staff):
    with pytest.raises(FinanceError, match="「－」として入力"):
        soundness_ratio_set(
            report=report, entry=RatioEntry("future_burden", value=Decimal("-3.2")), by=staff
        )


def test_fund_shortage_ratio_needs_its_public_enterprise_and_no_other_ratio_has_one(report, staff):
    with pytest.raises(FinanceError, match="資金不足比率にだけ"):
        soundness_ratio_set(
            report=report, entry=RatioEntry("fund_shortage", value=Decimal(1)), by=staff
        )
    with pytest.raises(FinanceError, match="公営企業会計の名称を入力しません"):
        soundness_ratio_set(
            report=report,
            entry=RatioEntry("real_deficit", enterprise_account="水道事業会計"),
            by=staff,
        )
    for account in ("水道事業会計", "下水道事業会計"):
        soundness_ratio_set(
            report=report,
            entry=RatioEntry(
                "fund_shortage",
                no_deficit=True,
                early_threshold=Decimal(20),
                enterprise_account=account,
            ),
            by=staff,
        )
    assert report.ratios.filter(kind="fund_shortage").count() == 2


def test_thresholds_are_checked_for_order_and_applicability(report, staff):
    with pytest.raises(FinanceError, match="財政再生基準は早期健全化基準より大きい"):
        soundness_ratio_set(
            report=report,
            entry=RatioEntry(
                "real_deficit", early_threshold=Decimal(20), rehabilitation_threshold=Decimal(13)
            ),
            by=staff,
        )
    with pytest.raises(FinanceError, match="財政再生基準がありません"):
        soundness_ratio_set(
            report=report,
            entry=RatioEntry(
                "future_burden", early_threshold=Decimal(350), rehabilitation_threshold=Decimal(400)
            ),
            by=staff,
        )


def test_dates_must_follow_audit_then_council_then_publication(staff):
    with pytest.raises(FinanceError, match="公表日が議会への報告日より前"):
        soundness_report_save(
            fy=2024,
            audited_on=datetime.date(2025, 8, 20),
            reported_to_council_on=datetime.date(2025, 9, 10),
            published_on=datetime.date(2025, 9, 1),
            by=staff,
        )
    report = soundness_report_save(
        fy=2024,
        status="final",
        audit_opinion="いずれの比率も早期健全化基準を下回っている。",
        audited_on=datetime.date(2025, 8, 20),
        reported_to_council_on=datetime.date(2025, 9, 10),
        published_on=datetime.date(2025, 9, 30),
        by=staff,
    )
    assert report.get_status_display() == "確定値"
    assert AuditEntry.objects.filter(verb="finance.soundness_report_create").count() == 1


def test_saving_a_year_again_updates_it_and_a_ratio_again_replaces_it(report, staff):
    soundness_ratio_set(
        report=report, entry=RatioEntry("debt_service", value=Decimal("8.1")), by=staff
    )
    soundness_ratio_set(
        report=report, entry=RatioEntry("debt_service", value=Decimal("8.3")), by=staff
    )
    assert soundness_report_save(fy=2024, status="final", by=staff).pk == report.pk
    assert [ratio.value for ratio in report.ratios.all()] == [Decimal("8.3")]


def test_the_years_ratios_come_with_their_flags_in_published_order(report, staff):
    soundness_ratio_set(
        report=report,
        entry=RatioEntry(
            "debt_service",
            value=Decimal("18.4"),
            early_threshold=Decimal(25),
            rehabilitation_threshold=Decimal(35),
        ),
        by=staff,
    )
    soundness_ratio_set(
        report=report,
        entry=RatioEntry(
            "real_deficit",
            no_deficit=True,
            early_threshold=Decimal("13.59"),
            rehabilitation_threshold=Decimal(20),
        ),
        by=staff,
    )
    soundness_ratio_set(
        report=report, entry=RatioEntry("future_burden", value=Decimal("45.2")), by=staff
    )
    rows = ratios_of_year(fy=2024)
    assert [(row.ratio.kind, row.flag.level) for row in rows] == [
        ("real_deficit", RatioLevel.WITHIN),
        ("debt_service", RatioLevel.PERMISSION),
        ("future_burden", RatioLevel.UNKNOWN),  # no threshold stored: not "safe"
    ]
    assert ratios_of_year(fy=2023) == []


def test_a_ratio_trend_runs_oldest_first_over_the_years_that_have_it(staff):
    for fy, value in ((2022, "9.0"), (2023, "8.5"), (2024, "8.1")):
        report = soundness_report_save(fy=fy, by=staff)
        soundness_ratio_set(
            report=report, entry=RatioEntry("debt_service", value=Decimal(value)), by=staff
        )
    assert [row.ratio.value for row in ratio_trend(kind="debt_service", years=2)] == [
        Decimal("8.5"),
        Decimal("8.1"),
    ]


def test_settlement_lines_give_per_resident_yen_and_shares(staff):
    settlement = settlement_save(
        fy=2024,
        standard_fiscal_scale=Decimal(15_000_000),
        population=30_000,
        fiscal_capability_index=Decimal("0.612"),
        by=staff,
    )
    settlement_lines_replace(
        settlement=settlement,
        table=SettlementTable.EXPENDITURE_BY_PURPOSE,
        lines=[
            LineEntry("welfare", "民生費", Decimal(9_000_000)),
            LineEntry("education", "教育費", Decimal(3_000_001)),
            LineEntry("disaster", "災害復旧費", None),
        ],
        by=staff,
    )
    rows = settlement_table(settlement=settlement, table=SettlementTable.EXPENDITURE_BY_PURPOSE)
    assert [(row.label, row.per_resident) for row in rows] == [
        ("民生費", Decimal(300_000)),
        ("教育費", Decimal(100_000)),  # 100,000.03 yen, rounded
        ("災害復旧費", None),
    ]
    assert rows[0].share == Decimal(9_000_000) / Decimal(12_000_001)


def test_settlement_lines_refuse_duplicates_and_negative_amounts(staff):
    settlement = settlement_save(fy=2024, by=staff)
    with pytest.raises(FinanceError, match="コードが重複"):
        settlement_lines_replace(
            settlement=settlement,
            table="revenue_source",
            lines=[LineEntry("tax", "市税", Decimal(1)), LineEntry("tax", "市税", Decimal(2))],
            by=staff,
        )
    with pytest.raises(FinanceError, match="金額は0以上です: 市税"):
        settlement_lines_replace(
            settlement=settlement,
            table="revenue_source",
            lines=[LineEntry("tax", "市税", Decimal(-1))],
            by=staff,
        )
    with pytest.raises(FinanceError, match="人口は1人以上"):
        settlement_save(fy=2024, population=0, by=staff)


def test_comparison_averages_keep_dash_apart_from_a_value(staff):
    average = comparison_average_set(
        fy=2024,
        group="類似団体平均",
        indicator="real_deficit",
        value=None,
        no_deficit=True,
        by=staff,
    )
    assert average.no_deficit and average.value is None
    with pytest.raises(FinanceError):
        comparison_average_set(
            fy=2024,
            group="類似団体平均",
            indicator="x",
            value=Decimal(1),
            no_deficit=True,
            by=staff,
        )


def test_a_yearly_tax_is_split_by_purpose_and_the_parts_add_up_to_the_tax(staff):
    settlement = settlement_save(fy=2024, by=staff)
    settlement_lines_replace(
        settlement=settlement,
        table=SettlementTable.EXPENDITURE_BY_PURPOSE,
        lines=[
            LineEntry("welfare", "民生費", Decimal(1)),
            LineEntry("education", "教育費", Decimal(1)),
            LineEntry("public_works", "土木費", Decimal(1)),
            LineEntry("disaster", "災害復旧費", None),
        ],
        by=staff,
    )
    shares = tax_split(settlement=settlement, yearly_tax=100_000)
    # 33,333.33… each; the one yen left goes to the first in the published order.
    assert [(share.label, share.amount) for share in shares] == [
        ("民生費", 33_334),
        ("教育費", 33_333),
        ("土木費", 33_333),
    ]
    assert tax_split(settlement=settlement, yearly_tax=0) == [
        TaxShare("welfare", "民生費", 0),
        TaxShare("education", "教育費", 0),
        TaxShare("public_works", "土木費", 0),
    ]
    assert tax_split(settlement=settlement_save(fy=2023, by=staff), yearly_tax=100) == []


def test_uneven_shares_still_add_up_to_the_tax(staff):
    settlement = settlement_save(fy=2024, by=staff)
    amounts = [Decimal(9_000_000), Decimal(3_000_001), Decimal(123), Decimal(77_777)]
    settlement_lines_replace(
        settlement=settlement,
        table=SettlementTable.EXPENDITURE_BY_PURPOSE,
        lines=[LineEntry(f"p{i}", f"費目{i}", amount) for i, amount in enumerate(amounts)],
        by=staff,
    )
    for tax in (1, 999, 54_321, 1_234_567):
        shares = tax_split(settlement=settlement, yearly_tax=tax)
        assert sum(share.amount for share in shares) == tax
        total = sum(amounts)
        for share, amount in zip(shares, amounts, strict=True):
            assert abs(share.amount - tax * amount / total) < 1  # never more than a yen off
