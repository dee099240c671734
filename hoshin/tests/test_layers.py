"""The layer contract (CONTRIBUTING.md) holds, and undoing one of the moves breaks it.

``make lint`` runs the same checks on the real tree; these tests show that the checks can fail:
a copy of the tree with one cross-layer import put back (at module level and inside a
function) or one template loading a higher app's tags is refused with a message naming it.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import check_layers  # noqa: E402

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_copy(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> subprocess.CompletedProcess:
    """Run import-linter on a copy of hoshin/ where ``edits`` replaced text in some files."""
    shutil.copytree(
        ROOT / "hoshin", tmp_path / "hoshin", ignore=shutil.ignore_patterns("migrations", "*.pyc")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for relative, (old, new) in edits.items():
        path = tmp_path / relative
        text = path.read_text()
        assert old in text, f"{relative} no longer contains {old!r}: update this test"
        path.write_text(text.replace(old, new, 1))
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_real_tree_keeps_the_contract(tmp_path):
    result = lint_copy(tmp_path, {})
    assert result.returncode == 0, result.stdout
    assert "Contracts: 1 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("relative", "old", "new", "message"),
    [
        # plans importing the portal's links again (the links moved down into plans).
        (
            "hoshin/plans/services.py",
            "from hoshin.plans import links",
            "from hoshin.plans import links\nfrom hoshin.portal import views  # noqa",
            "hoshin.plans is not allowed to import hoshin.portal",
        ),
        # evaluations calling voices inside a function (now a sheets_published receiver).
        (
            "hoshin/evaluations/services/workflow.py",
            "    sheets_published.send(sender=EvaluationSheet, sheet_ids=list(sheet_ids))",
            "    from hoshin.voices.services.loop import on_sheets_published\n\n"
            "    on_sheets_published(sheet_ids=sheet_ids)",
            "hoshin.evaluations is not allowed to import hoshin.voices",
        ),
        # surveys and voices are independent siblings (District moved down into org).
        (
            "hoshin/surveys/models.py",
            "from hoshin.org.models import TEXT_LIMIT, AgeBand, District",
            "from hoshin.voices.models import TEXT_LIMIT, AgeBand, District",
            "hoshin.surveys is not allowed to import hoshin.voices",
        ),
    ],
)
def test_undoing_a_move_breaks_the_contract(tmp_path, relative, old, new, message):
    result = lint_copy(tmp_path, {relative: (old, new)})
    assert result.returncode == 1
    assert message in result.stdout


def test_templates_keep_the_layers():
    assert check_layers.violations() == []


def test_a_template_loading_a_higher_apps_tags_is_refused(tmp_path):
    templates = tmp_path / "templates"
    (templates / "evaluations").mkdir(parents=True)
    (templates / "evaluations" / "page.html").write_text(
        "{% load i18n formatting %}\n{% load voice_ratings %}\n"
    )
    (templates / "base.html").write_text("{% load voice_ratings survey_tags %}")
    assert check_layers.violations(templates) == [
        "templates/evaluations/page.html:2: evaluations may not load 'voice_ratings' of voices "
        "(a layer above or an independent sibling)"
    ]
