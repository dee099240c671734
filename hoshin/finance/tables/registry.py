"""Every finance template by name: its export and its import, for the commands and (next) the
back office. Adding a table: a module like ``soundness.py``, an import service in
``services/imports.py``, and a line here."""

from collections.abc import Callable
from dataclasses import dataclass

from hoshin.finance.services import imports
from hoshin.finance.tables.bonds import bonds_export
from hoshin.finance.tables.effects import effects_export
from hoshin.finance.tables.funds import funds_export
from hoshin.finance.tables.outlook import outlook_export
from hoshin.finance.tables.settlement import settlement_lines_export, settlement_years_export
from hoshin.finance.tables.soundness import soundness_export


@dataclass(frozen=True)
class Template:
    name: str  # for commands and URLs
    label: str  # the file name people see (also the XLSX sheet)
    export: Callable[..., bytes]  # (encoding=None → XLSX) [+ plan=]
    load: Callable  # (data=, filename=, by=) [+ plan=]
    per_plan: bool = False


TEMPLATES = {
    template.name: template
    for template in (
        Template("soundness", "健全化判断比率", soundness_export, imports.soundness_import),
        Template(
            "settlement", "決算の指標", settlement_years_export, imports.settlement_years_import
        ),
        Template(
            "settlement_lines",
            "決算の内訳",
            settlement_lines_export,
            imports.settlement_lines_import,
        ),
        Template("funds", "基金", funds_export, imports.funds_import),
        Template("bonds", "地方債台帳", bonds_export, imports.bonds_import),
        Template("outlook", "中期財政見通し", outlook_export, imports.outlook_import),
        Template("effects", "効果額", effects_export, imports.effects_import, per_plan=True),
    )
}
