"""One display rule for department names: the short name on pages, e-mails, letters."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# Where the full name is the point: telling candidates apart (see Department's docstring).
FULL_NAME_ALLOWED = {
    "templates/admin/org/department/reorganize.html",
    "hoshin/org/selectors.py",
    "hoshin/org/services.py",
    "hoshin/org/models.py",
    "hoshin/plans/services.py",
    "hoshin/plans/selectors.py",
    "hoshin/plans/management/commands/import_plan.py",
    "hoshin/backoffice/views.py",
    "hoshin/evaluations/management/commands/export_sheets.py",
    "hoshin/org/management/commands/create_demo_users.py",
}


def test_pages_letters_and_mails_use_the_short_name():
    found = []
    for path in [*ROOT.glob("templates/**/*"), *ROOT.glob("hoshin/**/*.py")]:
        relative = path.relative_to(ROOT).as_posix()
        if not path.is_file() or "/tests/" in relative or relative in FULL_NAME_ALLOWED:
            continue
        if re.search(r"\bfull_name\b", path.read_text(encoding="utf-8", errors="ignore")):
            found.append(relative)
    assert found == []
