"""Benchmark: the yearly evaluation cycle at the size of a large city.

Run with ``.venv/bin/python bench/evaluations.py``. It uses a throw-away SQLite database (or
DATABASE_URL if set), prints its figures and writes nothing else.

What it builds (rows are written directly with bulk_create and UPDATE, to be fast):
- a plan of 5,000 actions (10 top-level nodes × 10 sections × 50 actions) across 40
  departments, one of which (第1課) holds 300 actions;
- 5 fiscal years of sheets (25,000 sheets), each opened with ``fiscal_year_start`` (the same
  service as ``manage.py start_fiscal_year``), 2 indicators and 3 cost lines per sheet carried
  from year to year, values filled in with set-based UPDATEs (stages, grades, directions,
  effect amounts, actuals, costs varied by row);
- the same on a small plan of 200 actions (1,000 sheets), to compare query counts.

Figures:
- ``start_fiscal_year`` time for 5,000 actions (the last of the five years: with carry-over);
- dashboard render time (Django test Client GET as a planning-office user, median of 5) and its
  SQL query count, per department and per plan node, for the 1,000- and 25,000-sheet plans
  (the query counts must be equal);
- XLSX export, preview (read and check) and apply time for a department with 300 sheets, when
  the bulk module (``hoshin.evaluations.bulk``) is installed.
"""

import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="hoshin-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoshin.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("MEDIA_ROOT", f"{_tmp.name}/media")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import (  # noqa: E402
    Case,
    CharField,
    DecimalField,
    ExpressionWrapper,
    F,
    Value,
    When,
)
from django.db.models.functions import Mod  # noqa: E402
from django.db.models.lookups import Exact  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from hoshin.evaluations.models import (  # noqa: E402
    CostLine,
    EvaluationSheet,
    Indicator,
    IndicatorKind,
    StaffUnitCost,
    Stage,
)
from hoshin.evaluations.services.cycle import fiscal_year_start  # noqa: E402
from hoshin.lib.fiscal import fiscal_year_of  # noqa: E402
from hoshin.org.models import Department, DepartmentKind, Role, RoleAssignment, User  # noqa: E402
from hoshin.plans.models import Action, ActionDepartment, Plan, PlanKind, PlanNode  # noqa: E402

DEPARTMENTS = 40
BIG_DEPARTMENT_SHEETS = 300  # actions of 第1課: the department of the XLSX round trip
YEARS = 5
GRADES = ["A", "B", "C", "D", ""]
DIRECTIONS = ["expand", "continue", "improve", "reduce", "suspend", "complete", "merge", ""]
PROGRESS_GRADES = ["S", "A", "B", "C", ""]


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def make_departments() -> list[Department]:
    Department.objects.bulk_create(
        Department(name=f"第{i}課", kind=DepartmentKind.KA, position=i)
        for i in range(1, DEPARTMENTS + 1)
    )
    return list(Department.objects.order_by("position"))


def make_plan(name: str, actions: int, departments: list[Department], fys: list[int]) -> Plan:
    """A reform plan: 10 pillars × 10 sections, actions spread evenly over the sections."""
    plan = Plan.objects.create(
        name=name,
        kind=PlanKind.REFORM,
        level_names=["大項目", "中項目"],
        start_fy=fys[0],
        end_fy=fys[-1] + 5,
        is_published=True,
    )
    pillars = PlanNode.objects.bulk_create(
        PlanNode(plan=plan, depth=0, position=p, number=str(p + 1), title=f"大項目{p + 1}")
        for p in range(10)
    )
    sections = PlanNode.objects.bulk_create(
        PlanNode(
            plan=plan,
            parent=pillar,
            depth=1,
            position=s,
            number=f"({s + 1})",
            title=f"中項目{pillar.position + 1}-{s + 1}",
        )
        for pillar in pillars
        for s in range(10)
    )
    rows = Action.objects.bulk_create(
        (
            Action(
                plan=plan,
                node=sections[i % len(sections)],
                position=i,
                text=f"取組{i}：市民サービスの向上と事務の効率化を図る。",
            )
            for i in range(actions)
        ),
        batch_size=1000,
    )
    # 第1課 holds the first BIG_DEPARTMENT_SHEETS actions (scaled for the small plan); the rest
    # are spread over the other departments.
    big = min(BIG_DEPARTMENT_SHEETS, actions * BIG_DEPARTMENT_SHEETS // 5000)
    ActionDepartment.objects.bulk_create(
        (
            ActionDepartment(
                action=action,
                department=departments[0] if i < big else departments[1 + i % (DEPARTMENTS - 1)],
                is_lead=True,
            )
            for i, action in enumerate(rows)
        ),
        batch_size=1000,
    )
    return plan


def _cycled(values: list, *, offset: int = 0) -> Case:
    """values[(id + action + offset) % len(values)] in SQL: varied data in one UPDATE (the
    action id is added because a department's sheets have ids a fixed stride apart)."""
    position = Mod(F("id") + F("action_id") + offset, len(values))
    return Case(
        *(When(Exact(position, i), then=Value(v)) for i, v in enumerate(values)),
        output_field=CharField(),
    )


def fill_year(plan: Plan, fy: int, index: int, latest: bool, big_department: Department) -> None:
    """Values of one year: stages, grades, effects, indicator actuals, costs.

    Set-based UPDATEs with expressions on the row id: bulk_update builds a CASE per row and
    field in Python, which took ~20 s a year here; these take well under a second.
    """
    sheets = EvaluationSheet.objects.filter(cycle__plan=plan, cycle__fy=fy)
    if latest:
        # This year is under way; 第1課 is still drafting (the round trip edits its sheets).
        stages = [Stage.DRAFT, Stage.SUBMITTED, Stage.APPROVED, Stage.FINAL, Stage.RETURNED]
        stage = Case(
            When(department=big_department, then=Value(Stage.DRAFT)), default=_cycled(stages)
        )
        published_at = None
    else:
        stage, published_at = Value(Stage.PUBLISHED), timezone.now()
    money = DecimalField(max_digits=15, decimal_places=0)
    sheets.update(
        stage=stage,
        published_at=published_at,
        purpose_target="市民",
        purpose_intent="手続が便利になる",
        purpose_means="オンライン化",
        overall_grade=_cycled(GRADES, offset=index),
        future_direction=_cycled(DIRECTIONS, offset=index),
        progress_status="in_progress",
        progress_grade=_cycled(PROGRESS_GRADES, offset=2 * index),
        effect_savings=ExpressionWrapper(Mod(F("id"), 17) * 100 - 300, output_field=money),
        effect_revenue=Case(
            When(Exact(Mod(F("id"), 3), 0), then=Value(None)),
            default=Mod(F("id"), 11) * 50,
            output_field=money,
        ),
    )
    quantity = DecimalField(max_digits=18, decimal_places=4)
    Indicator.objects.filter(sheet__cycle__plan=plan, sheet__cycle__fy=fy).update(
        target=ExpressionWrapper(F("baseline") + 100 + 10 * index, output_field=quantity),
        actual=ExpressionWrapper(
            F("baseline") + Mod(F("id") * 7 + index * 13, 130), output_field=quantity
        ),
    )
    CostLine.objects.filter(sheet__cycle__plan=plan, sheet__cycle__fy=fy).update(
        general=ExpressionWrapper(1000 + Mod(F("id"), 900), output_field=money),
        national=ExpressionWrapper(Mod(F("id"), 5) * 200, output_field=money),
        person_years=ExpressionWrapper(
            Value(Decimal("0.50")) + Mod(F("id"), 3) * Value(Decimal("0.25")),
            output_field=DecimalField(max_digits=7, decimal_places=2),
        ),
    )


def build(name: str, actions: int, departments, fys, planner) -> tuple[Plan, float]:
    """The plan with five years of sheets; returns the plan and the last year's opening time."""
    plan = make_plan(name, actions, departments, fys)
    last_open = 0.0
    for index, fy in enumerate(fys):
        opened, last_open = timed(fiscal_year_start, plan=plan, fy=fy, by=planner)
        assert opened.sheets == actions, (opened.sheets, actions)
        if index == 0:
            sheets = EvaluationSheet.objects.filter(cycle=opened.cycle).values_list("pk", flat=True)
            Indicator.objects.bulk_create(
                (
                    Indicator(
                        sheet_id=pk,
                        position=position,
                        kind=kind,
                        name=name,
                        unit=unit,
                        baseline=Decimal(100 * position),
                    )
                    for pk in sheets
                    for position, (kind, name, unit) in enumerate(
                        [
                            (IndicatorKind.ACTIVITY, "説明会の開催回数", "回"),
                            (IndicatorKind.OUTCOME, "オンライン申請の件数", "件"),
                        ]
                    )
                ),
                batch_size=2000,
            )
        fill_year(plan, fy, index, index == len(fys) - 1, departments[0])
    return plan, last_open


def dashboard_figures(client: Client, plan: Plan, fy: int, by: str) -> tuple[float, int, int]:
    """Median render time of 5 GETs, the SQL query count and the page size."""
    url = f"/staff/dashboard/?plan={plan.pk}&fy={fy}&by={by}"
    client.get(url)  # warm-up (templates, caches)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return statistics.median(times), len(queries.captured_queries), len(response.content)


def bulk_round_trip(plan: Plan, fy: int, department: Department, editor: User) -> None:
    try:
        from hoshin.evaluations import bulk
        from hoshin.evaluations.services.bulk import upload_apply
    except ImportError:
        print("XLSX round trip: skipped (bulk not available)")
        return
    import io

    from openpyxl import load_workbook

    sheets = EvaluationSheet.objects.filter(cycle__plan=plan, cycle__fy=fy, department=department)
    count = sheets.count()
    data, export_time = timed(bulk.export_workbook, plan=plan, fy=fy, department=department)
    print(
        f"XLSX export, {count} sheets of {department.name}: {export_time:6.2f} s "
        f"({len(data) / 1024:,.0f} KiB)"
    )
    # Fill in the workbook as a department would: an improvement plan on every sheet.
    workbook = load_workbook(io.BytesIO(data))
    tab = workbook["評価シート"]
    keys = {cell.value: cell.column for cell in tab[1] if cell.value}
    column = keys["improvement_plan"]
    for row in range(3, tab.max_row + 1):
        if tab.cell(row=row, column=1).value is not None:
            tab.cell(row=row, column=column, value=f"次年度は対象を拡大する（行{row}）")
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview, read_time = timed(
        bulk.read_upload, buffer.getvalue(), "sheets.xlsx", user=editor, plan=plan, fy=fy
    )
    assert preview.ok, [str(error) for error in preview.errors[:5]]
    print(
        f"XLSX import preview (read + check), {len(preview.sheets)} changed sheets: "
        f"{read_time:6.2f} s"
    )
    result, apply_time = timed(upload_apply, preview=preview, by=editor)
    print(
        f"XLSX import apply, {result.sheets} sheets / {result.fields} fields: "
        f"{apply_time:6.2f} s  (import total {read_time + apply_time:.2f} s)"
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    current = fiscal_year_of(timezone.localdate())
    fys = list(range(current - YEARS + 1, current + 1))
    for amount, fy in zip([6800, 7000, 7200, 7400, 7600], fys, strict=True):
        StaffUnitCost.objects.create(fy=fy, amount=amount)
    departments = make_departments()
    planner = User.objects.create_user("bench-planner", password="x")
    RoleAssignment.objects.create(user=planner, role=Role.PLANNING_OFFICE)
    editor = User.objects.create_user("bench-editor", password="x", department=departments[0])
    RoleAssignment.objects.create(
        user=editor, role=Role.DEPARTMENT_EDITOR, department=departments[0]
    )

    (small, _small_open), small_time = timed(build, "ベンチ小計画", 200, departments, fys, planner)
    (big, big_open), big_time = timed(build, "ベンチ大計画", 5000, departments, fys, planner)
    sheets = EvaluationSheet.objects.filter(cycle__plan=big).count()
    print(
        f"generated: {sheets:,} sheets ({big.actions.count():,} actions × {YEARS} years, "
        f"{Indicator.objects.filter(sheet__cycle__plan=big).count():,} indicators, "
        f"{CostLine.objects.filter(sheet__cycle__plan=big).count():,} cost lines) "
        f"in {big_time:.1f} s; small plan {EvaluationSheet.objects.filter(cycle__plan=small).count():,} "
        f"sheets in {small_time:.1f} s"
    )
    print(f"start_fiscal_year, 5,000 actions (FY{fys[-1]}, with carry-over): {big_open:6.2f} s")

    client = Client()
    client.force_login(planner)
    for by in ("department", "node"):
        figures = {}
        for label, plan in (("1,000", small), ("25,000", big)):
            median, queries, size = dashboard_figures(client, plan, fys[-1], by)
            figures[label] = queries
            print(
                f"dashboard by {by:<10} {label:>6}-sheet plan: {median * 1000:7.1f} ms median of 5, "
                f"{queries} SQL queries, {size / 1024:,.0f} KiB HTML"
            )
        same = "equal" if len(set(figures.values())) == 1 else "DIFFERENT"
        print(f"dashboard by {by}: query counts {same} at both sizes")

    bulk_round_trip(big, fys[-1], departments[0], editor)


if __name__ == "__main__":
    main()
