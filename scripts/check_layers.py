"""The layer contract for what import-linter cannot see: templates' ``{% load %}``.

    .venv/bin/python scripts/check_layers.py        (run by `make lint` after lint-imports)

A template under ``templates/<app>/`` belongs to ``<app>``; it may load a tag library of its own
app or of an app in a lower layer, never one above it or an independent sibling on the same
layer (the same rule import-linter applies to Python, read from the same list in
pyproject.toml). Templates outside an app folder (``base.html``, ``403.html``, ``admin/``) belong
to the project and may load anything. Exits 1 and names each file, line and library otherwise.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def layers(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, tuple[int, bool]]:
    """App → (layer index, 0 = top; whether its layer's apps are independent of each other)."""
    config = tomllib.loads(pyproject.read_text())["tool"]["importlinter"]["contracts"]
    contract = next(c for c in config if c.get("id") == "layers")
    result = {}
    for index, line in enumerate(contract["layers"]):
        independent = "|" in line
        for app in re.split(r"[|:]", line):
            result[app.strip()] = (index, independent)
    return result


def library_apps() -> dict[str, str | None]:
    """Tag library name → the hoshin app that defines it (None: Django's or lib's)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
    import django
    from django.template import engines

    django.setup()
    found = {}
    for name, module in engines["django"].engine.libraries.items():
        parts = module.split(".")
        found[name] = parts[1] if parts[0] == "hoshin" and parts[1] != "lib" else None
    return found


def violations(templates: Path = ROOT / "templates") -> list[str]:
    """Every ``{% load %}`` of a library from an app its template's app may not use."""
    order = layers()
    libraries = library_apps()
    problems = []
    for path in sorted(templates.rglob("*.html")):
        owner = path.relative_to(templates).parts[0]
        if owner not in order:
            continue  # the project's own templates sit above every app
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in LOAD.finditer(line):
                names = match.group(1).split()
                if "from" in names:  # {% load tag from library %}
                    names = names[names.index("from") + 1 :]
                for name in names:
                    app = libraries.get(name)
                    if app is None or app == owner:
                        continue
                    mine, independent = order[owner]
                    theirs = order[app][0]
                    if theirs < mine or (theirs == mine and independent):
                        problems.append(
                            f"{path.relative_to(templates.parent)}:{number}: {owner} may not load "
                            f"'{name}' of {app} (a layer above or an independent sibling)"
                        )
    return problems


def main() -> int:
    problems = violations()
    for problem in problems:
        print(problem)
    print(f"templates: {len(problems)} layer violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
