"""Template tags format what a view gave them; they never read the database (issue 9).

A query hidden in a tag runs once per use in a loop, escapes the view's query count and ties
the page to an app the view does not know about. The view (through a selector) reads the data
and passes it in the context; this test fails when a tag library imports models or selectors
or touches a manager.
"""

import ast
from pathlib import Path

import hoshin

ROOT = Path(hoshin.__file__).parent
FORBIDDEN_MODULES = (".models", ".selectors", "django.db")


def tag_libraries() -> list[Path]:
    return sorted(p for p in ROOT.glob("*/templatetags/*.py") if p.name != "__init__.py")


def reads_of(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            if any(marker in name for name in names for marker in FORBIDDEN_MODULES):
                found.append(f"line {node.lineno}: from {node.module} import …")
        elif isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


def test_there_are_tag_libraries_to_check():
    assert len(tag_libraries()) >= 4


def test_no_template_tag_reads_the_database():
    offenders = {
        str(path.relative_to(ROOT)): reads for path in tag_libraries() if (reads := reads_of(path))
    }
    assert offenders == {}
