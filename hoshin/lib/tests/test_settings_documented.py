"""Settings without side doors (issue 9): every setting the code reads comes from the environment
through hoshin/settings.py and is listed in the README's configuration table.

A ``getattr(settings, "X", default)`` hides a second default outside settings.py and a name that
an operator cannot find; a test that sets a setting nobody reads tests nothing. So the code,
the tests included, is scanned for ``settings.<NAME>`` and each project setting (anything that
is not one of Django's own) must be assigned in settings.py from an ``env_*`` reader and named
in the README table.
"""

import ast
import re
from pathlib import Path

from django.conf import global_settings

import hoshin
from hoshin import settings as project_settings

ROOT = Path(hoshin.__file__).parent
SETTINGS_FILE = ROOT / "settings.py"
README = ROOT.parent / "README.md"
READ = re.compile(r"\bsettings\.([A-Z][A-Z0-9_]*)\b")
# Where the project lives on disk: derived from the file's location, not configuration.
NOT_CONFIGURATION = {"BASE_DIR"}
# Settings a library defines like Django's own (django-tasks' TASKS is in Django 6's
# global_settings); hoshin fills them from its own documented variables (HOSHIN_TASK_BACKEND).
LIBRARY_SETTINGS = {"TASKS"}


def python_files() -> list[Path]:
    """The code that reads settings: everything but settings.py, migrations and this test."""
    skipped = {SETTINGS_FILE, Path(__file__).resolve()}
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if path not in skipped and "migrations" not in path.parts
    )


def project_settings_read() -> dict[str, list[str]]:
    """Setting name → files reading it, for settings that are not Django's own."""
    found: dict[str, list[str]] = {}
    for path in python_files():
        for name in set(READ.findall(path.read_text(encoding="utf-8"))):
            if hasattr(global_settings, name) or name in NOT_CONFIGURATION | LIBRARY_SETTINGS:
                continue
            found.setdefault(name, []).append(str(path.relative_to(ROOT.parent)))
    return found


def settings_assignments() -> dict[str, ast.expr]:
    tree = ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"))
    return {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def env_calls(node: ast.AST) -> list[str]:
    """Names of the environment variables an expression reads with the hoshin.lib.env helpers."""
    return [
        call.args[0].value
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id.startswith("env_")
        and call.args
        and isinstance(call.args[0], ast.Constant)
    ]


def readme_variables() -> set[str]:
    """The backticked names in the first column of the README's configuration table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1]))
    return names


def test_the_scan_finds_the_project_settings():
    read = project_settings_read()
    assert {"HOSHIN_CITY_NAME", "HOSHIN_CLOSED_DAYS", "SHEET_UPLOAD_MAX_BYTES"} <= set(read)
    assert "DEBUG" not in read  # Django's own


def test_no_setting_is_read_with_a_default_of_its_own():
    offenders = [
        str(path.relative_to(ROOT.parent))
        for path in python_files()
        if re.search(r"getattr\(\s*settings\s*,", path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "read settings.X: the default belongs in hoshin/settings.py"


def test_every_project_setting_read_is_defined_from_the_environment():
    assignments = settings_assignments()
    problems = {}
    for name, files in sorted(project_settings_read().items()):
        if not hasattr(project_settings, name):
            problems[name] = f"not defined in hoshin/settings.py (read in {', '.join(files)})"
        elif not env_calls(assignments.get(name, ast.Constant(None))):
            problems[name] = "not read from an environment variable (hoshin.lib.env)"
    assert problems == {}


def test_every_project_setting_read_is_in_the_readme_table():
    documented = readme_variables()
    missing = {
        name: files
        for name, files in sorted(project_settings_read().items())
        if name not in documented
        # A setting built from several variables: HOSHIN_OPEN_DATA_LICENSE ← …_NAME, …_URL.
        and not any(variable.startswith(name + "_") for variable in documented)
    }
    assert missing == {}


def test_the_readme_table_and_the_environment_variables_agree():
    read = set(env_calls(ast.parse(SETTINGS_FILE.read_text(encoding="utf-8"))))
    documented = readme_variables()
    assert read - documented == set(), "read by settings.py but not in the README table"
    assert documented - read == set(), "in the README table but read nowhere"
