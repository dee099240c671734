"""finance_export / finance_import: the templates through the command line, real files."""

import pytest
from django.core.management import CommandError, call_command

from hoshin.finance.models import Bond, BondInstalment
from hoshin.finance.tables.soundness import TITLES
from hoshin.finance.tests.factories import make_bond, make_finance_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_table_exported_to_a_file_imports_back(tmp_path, suffix):
    make_bond(make_finance_staff(), grace_years=2)
    path = tmp_path / f"地方債台帳.{suffix}"
    call_command("finance_export", "bonds", str(path), "--encoding", "cp932")
    Bond.objects.all().delete()
    call_command("finance_import", "bonds", str(path))
    assert [item.principal for item in BondInstalment.objects.all()] == [
        0,
        0,
        333_334,
        333_333,
        333_333,
    ]


def test_a_bad_cell_stops_the_import_naming_the_file_and_the_cell(tmp_path):
    path = tmp_path / "ratios.csv"
    path.write_text(",".join(TITLES) + "\n2024,実質赤字比率,,abc,,,速報値\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"ratios\.csv: 2行目 D列"):
        call_command("finance_import", "soundness", str(path))


def test_effects_need_a_plan_that_exists(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(CommandError, match="--plan"):
        call_command("finance_export", "effects", str(tmp_path / "e.csv"))
    with pytest.raises(CommandError, match="計画「ない計画」はありません"):
        call_command("finance_import", "effects", str(tmp_path / "e.csv"), "--plan", "ない計画")
