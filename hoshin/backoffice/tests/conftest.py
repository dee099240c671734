"""Fixtures of the back-office tests: one user per role, a tiny plan format, a media dir."""

import pytest

from hoshin.org.models import Role
from hoshin.org.tests.factories import make_department, make_user
from hoshin.plans.formats import base
from hoshin.plans.formats.base import (
    ParsedAction,
    ParsedNode,
    ParsedPlan,
    PlanFormat,
    PlanFormatError,
)


class LinesFormat(PlanFormat):
    """``node<TAB>action text<TAB>dept, dept`` per line; a test double for a real format.

    The back office must not depend on how a real parser reads a real document, except in
    the end-to-end test, which uses the reform seed.
    """

    name = "test-lines"
    label = "テスト用（タブ区切り）"

    def sniff(self, data: bytes, filename: str) -> bool:
        return filename.endswith(".testplan")

    def parse(self, data: bytes, filename: str) -> ParsedPlan:
        text = data.decode("utf-8")
        lines = text.splitlines()
        plan = ParsedPlan(
            format_name=self.name,
            kind="reform",
            level_names=["大項目"],
            source_title=lines[0].strip() if lines else "",
            start_fy=2023,
            end_fy=2027,
        )
        nodes: dict[str, ParsedNode] = {}
        for number, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                raise PlanFormatError("タブで区切られた3列が必要です。", where=f"{number}行目")
            title, text, departments = parts
            node = nodes.get(title)
            if node is None:
                node = nodes[title] = ParsedNode(title=title, depth=0, line=number)
                plan.roots.append(node)
            node.actions.append(
                ParsedAction(
                    text=text,
                    departments=[d.strip() for d in departments.split(",") if d.strip()],
                    line=number,
                )
            )
        return plan


@pytest.fixture(autouse=True)
def _media_and_formats(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(base, "_REGISTRY", [LinesFormat(), *base.registered_formats()])


@pytest.fixture
def bousai(db):
    return make_department("地域防災対策室")


@pytest.fixture
def zaisei(db):
    return make_department("財政課")


@pytest.fixture
def planner(db):
    return make_user("planner", role=Role.PLANNING_OFFICE)


@pytest.fixture
def sysadmin(db):
    return make_user("sysadmin", role=Role.ADMIN)


@pytest.fixture
def viewer(db):
    return make_user("viewer", role=Role.VIEWER)


@pytest.fixture
def other_editor(zaisei):
    return make_user("zaisei-editor", role=Role.DEPARTMENT_EDITOR, department=zaisei)


TEST_PLAN = "テスト実施計画\n市民協働\t防災訓練を支援する。\t地域防災対策室\n市民協働\t財政状況を公表する。\t財政課, 全庁\n"


@pytest.fixture
def test_plan_bytes() -> bytes:
    return TEST_PLAN.encode("utf-8")
