"""Fiscal years and Japanese eras (hoshin.lib.fiscal)."""

import datetime

import pytest

from hoshin.lib.fiscal import (
    EraYear,
    FiscalYearError,
    era_year_for_fiscal_year,
    era_year_of_date,
    fiscal_year_end,
    fiscal_year_of,
    fiscal_year_start,
    format_date,
    format_fiscal_year,
    format_fiscal_year_range,
    parse_fiscal_year,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (D(2026, 4, 1), 2026),
        (D(2026, 3, 31), 2025),
        (D(2026, 1, 1), 2025),
        (D(2025, 12, 31), 2025),
        (D(2019, 4, 30), 2019),  # last day of 平成 is already FY2019 (令和元年度)
        (D(2019, 5, 1), 2019),
    ],
)
def test_fiscal_year_of(day, fy):
    assert fiscal_year_of(day) == fy


def test_fiscal_year_bounds():
    assert fiscal_year_start(2026) == D(2026, 4, 1)
    assert fiscal_year_end(2026) == D(2027, 3, 31)
    for fy in (2019, 2020, 2024):
        assert fiscal_year_of(fiscal_year_start(fy)) == fy
        assert fiscal_year_of(fiscal_year_end(fy)) == fy


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2019, 4, 30), "平成31"),
        (D(2019, 5, 1), "令和元"),
        (D(2020, 1, 1), "令和2"),
        (D(1989, 1, 7), "昭和64"),
        (D(1989, 1, 8), "平成元"),
        (D(1926, 12, 24), "大正15"),
        (D(1926, 12, 25), "昭和元"),
        (D(1912, 7, 29), "明治45"),
        (D(1912, 7, 30), "大正元"),
    ],
)
def test_era_of_date_at_boundaries(day, expected):
    assert str(era_year_of_date(day)) == expected


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2026, "令和8年度（2026年度）"),
        (2019, "令和元年度（2019年度）"),
        (2018, "平成30年度（2018年度）"),
        (1989, "平成元年度（1989年度）"),
        (1988, "昭和63年度（1988年度）"),
        (2020, "令和2年度（2020年度）"),
    ],
)
def test_format_fiscal_year(fy, expected):
    assert format_fiscal_year(fy) == expected


def test_format_fiscal_year_without_western():
    assert format_fiscal_year(2026, western=False) == "令和8年度"
    assert era_year_for_fiscal_year(2019) == EraYear("令和", 1)


def test_format_fiscal_year_range():
    assert format_fiscal_year_range(None, None) == ""
    assert format_fiscal_year_range(2023, 2027) == "令和5年度（2023年度）～令和9年度（2027年度）"
    assert format_fiscal_year_range(2023, None) == "令和5年度（2023年度）"
    assert format_fiscal_year_range(None, 2027) == "令和9年度（2027年度）"
    assert format_fiscal_year_range(2024, 2024) == "令和6年度（2024年度）"


def test_format_date():
    assert format_date(D(2023, 10, 17)) == "令和5年10月17日（2023年10月17日）"
    assert format_date(D(2019, 5, 1)) == "令和元年5月1日（2019年5月1日）"
    assert format_date(D(2019, 4, 30)) == "平成31年4月30日（2019年4月30日）"


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("2026", 2026),
        ("2026年度", 2026),
        ("2026年", 2026),
        ("FY2026", 2026),
        ("fy2026", 2026),
        ("２０２６年度", 2026),  # full-width digits
        ("令和8年度", 2026),
        ("令和８年度", 2026),
        ("令和8", 2026),
        ("R8", 2026),
        ("r8", 2026),
        ("Ｒ８", 2026),
        ("令和元年度", 2019),
        ("令和元年", 2019),
        ("平成31年度", 2019),  # the form many documents of spring 2019 use
        ("H31", 2019),
        ("平成30年度", 2018),
        ("昭和64年度", 1989),
        ("昭和63年度", 1988),
        ("  令和 8 年度 ", 2026),
        ("令和8年度（2026年度）", 2026),
        ("令和8年度(2026年度)", 2026),
        ("令和元年度（2019年度）", 2019),
        ("㍻31年度", 2019),  # one-character era signs from Japanese fonts
        ("㋿8年度", 2026),
        ("明治元年", 1868),
    ],
)
def test_parse_fiscal_year_accepts_what_staff_type(text, fy):
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "空"),
        ("   ", "空"),
        ("来年度", "読めません"),
        ("令和", "読めません"),
        ("慶応3年", "元号"),
        ("X5", "元号"),
        ("平成32年度", "期間"),
        ("昭和65年", "期間"),
        ("令和0年度", "1以上"),
        ("令和8年度（2025年度）", "一致しません"),
        ("1800", "範囲外"),
        ("9999年度", "範囲外"),
    ],
)
def test_parse_fiscal_year_explains_what_is_wrong(text, message):
    with pytest.raises(FiscalYearError, match=message):
        parse_fiscal_year(text)


def test_parse_fiscal_year_none_is_an_error_not_a_crash():
    with pytest.raises(FiscalYearError):
        parse_fiscal_year(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("fy", range(1990, 2041))
def test_format_and_parse_round_trip(fy):
    label = format_fiscal_year(fy)
    assert parse_fiscal_year(label) == fy
    assert parse_fiscal_year(format_fiscal_year(fy, western=False)) == fy


def test_fiscal_year_before_meiji_is_refused():
    with pytest.raises(FiscalYearError):
        format_fiscal_year(1867)
