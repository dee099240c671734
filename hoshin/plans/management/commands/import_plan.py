"""Import a plan file (reform/comprehensive text, CSV, XLSX, JSON) as a Plan.

    manage.py import_plan FILE --plan NAME [--dry-run] [--create-departments]
                               [--replace] [--publish] [--format NAME]

All or nothing: any problem is reported with the file and its line (or sheet/cell) and the
database is left as it was.
"""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from hoshin.lib.fiscal import FiscalYearError, format_fiscal_year_range, parse_fiscal_year
from hoshin.org.selectors import departments_match
from hoshin.plans.formats.base import (
    MARKER_LABELS,
    ParsedNode,
    ParsedPlan,
    PlanFormatError,
    registered_formats,
)
from hoshin.plans.formats.detect import parse_plan_file
from hoshin.plans.models import Plan, PlanKind
from hoshin.plans.services import PlanImportError, plan_import, plan_import_check

# Long texts are cut in the dry-run tree; the tree is for checking structure, not proofreading.
PREVIEW_CHARS = 70
MB = 1024 * 1024  # the unit of PLAN_IMPORT_MAX_BYTES in the README (20 MB = 20 × 1024²)


class Command(BaseCommand):
    help = "計画ファイル（テキスト・CSV・XLSX・JSON）を計画として取り込みます。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="取り込むファイル")
        parser.add_argument(
            "--plan", required=True, help="計画名（例: 第6次行財政改革大綱に基づく実施計画）"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="読み取った内容を表示するだけで何も変更しない"
        )
        parser.add_argument(
            "--create-departments", action="store_true", help="部署マスタにない部署を作成する"
        )
        parser.add_argument("--replace", action="store_true", help="同じ名前の計画を置き換える")
        parser.add_argument("--publish", action="store_true", help="取り込んだ計画を公開する")
        parser.add_argument(
            "--format",
            dest="format_name",
            choices=[f.name for f in registered_formats()],
            help="形式を指定する（省略時は自動判別）",
        )
        parser.add_argument(
            "--start-fy", help="計画期間の開始年度（例: 2023、令和5年度、R5）。ファイルの値より優先"
        )
        parser.add_argument("--end-fy", help="計画期間の終了年度（例: 2027、令和9年度）")

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except BrokenPipeError:
            # Output piped into `head` or `less` that quit early: not an error worth a traceback.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(1) from None

    def handle(self, *args, file, plan, dry_run, create_departments, replace, publish, **options):
        path = Path(file)
        if not plan.strip():
            raise CommandError("--plan に計画名を指定してください。")
        data = self._read(path)
        try:
            parsed = parse_plan_file(data, str(path), format_name=options["format_name"])
        except PlanFormatError as exc:
            raise CommandError(str(exc)) from None
        self._apply_period(parsed, options["start_fy"], options["end_fy"])
        name = plan.strip()
        if dry_run:
            self._dry_run(parsed, name, create_departments=create_departments, replace=replace)
            return
        replacing = replace and Plan.objects.filter(name=name).exists()
        try:
            summary = plan_import(
                parsed=parsed,
                name=name,
                create_departments=create_departments,
                replace=replace,
                publish=publish,
                source_filename=path.name,
            )
        except PlanImportError as exc:
            raise CommandError(f"{path}: {exc}") from None
        except DatabaseError as exc:
            # E.g. a value longer than its column on PostgreSQL; the import rolled back whole.
            raise CommandError(
                f"{path}: データベースに書き込めませんでした（{exc}）。データベースは変更していません。"
            ) from None
        self._report(parsed, summary, path=path, replaced=replacing)

    def _apply_period(self, parsed, start: str | None, end: str | None) -> None:
        """Staff may type either form (2023 / 令和5年度 / R5); the documents rarely state it."""
        for option, text, attribute in (
            ("--start-fy", start, "start_fy"),
            ("--end-fy", end, "end_fy"),
        ):
            if text is None:
                continue
            try:
                setattr(parsed, attribute, parse_fiscal_year(text))
            except FiscalYearError as exc:
                raise CommandError(f"{option}: {exc}") from None
        if parsed.start_fy and parsed.end_fy and parsed.end_fy < parsed.start_fy:
            raise CommandError(
                f"計画期間の終了年度（{parsed.end_fy}）が開始年度（{parsed.start_fy}）より前です。"
            )

    def _read(self, path: Path) -> bytes:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CommandError(f"{path}: ファイルを開けません（{exc.strerror}）。") from None
        if not path.is_file():
            raise CommandError(f"{path}: ファイルではありません。")
        limit = settings.PLAN_IMPORT_MAX_BYTES
        # Checked before reading, so a huge file is refused at once and never loaded.
        if size > limit:
            raise CommandError(
                f"{path}: ファイルが大きすぎます（{size / MB:.1f} MB、上限 {limit / MB:.0f} MB）。"
                "上限は環境変数 PLAN_IMPORT_MAX_BYTES で変えられます。"
            )
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: ファイルを読めません（{exc.strerror}）。") from None

    # -- dry run

    def _dry_run(self, parsed: ParsedPlan, name: str, *, create_departments: bool, replace: bool):
        out = self.stdout.write
        out(
            f"ドライラン: 計画「{name}」（形式: {parsed.format_name}）。データベースは変更しません。"
        )
        out(f"種別: {PlanKind(parsed.kind).label}")
        out(f"階層: {' > '.join([*parsed.level_names, parsed.action_level_name])}")
        for label, value in (
            ("原資料の表題", parsed.source_title),
            ("担当", parsed.owner_office),
            ("原資料の更新日", parsed.source_updated_on and parsed.source_updated_on.isoformat()),
            ("計画期間", _period(parsed)),
        ):
            if value:
                out(f"{label}: {value}")
        out("")
        for root in parsed.roots:
            self._print_node(parsed, root)

        if parsed.skipped:
            out("")
            out(f"読み飛ばした行（{len(parsed.skipped)}）:")
            for skipped in parsed.skipped:
                out(f"  {skipped.line}行目: {_short(skipped.text)} — {skipped.reason}")
        if parsed.warnings:
            out("")
            out(f"警告（{len(parsed.warnings)}）:")
            for warning in parsed.warnings:
                out(f"  {warning}")

        check = plan_import_check(parsed=parsed, name=name)
        labels = parsed.department_labels()
        matched = departments_match(labels=labels).found
        out("")
        out(f"部署（{len(labels)}）:" if labels else "部署: なし（担当課の記載がありません）")
        for label, department in matched.items():
            full = department.full_name
            out(f"  一致: {label}" + (f" → {full}" if full != label else ""))
        for label in check.unknown_departments:
            action = "作成します" if create_departments else "--create-departments で作成"
            out(f"  未登録: {label}（{action}）")
        for label, names in check.ambiguous_departments.items():
            out(f"  複数に一致: {label} → {'、'.join(names)}")
        markers = sorted(
            {
                label
                for a in parsed.all_actions()
                for label in a.departments
                if label in MARKER_LABELS
            }
        )
        if markers:
            out(f"  区分（部署ではない）: {'、'.join(markers)}")

        out("")
        out(_counts(parsed))
        if check.existing_plan is not None and replace:
            out(f"既存の計画「{check.existing_plan.name}」を置き換えます。")
        problems = check.problems(create_departments=create_departments, replace=replace)
        if problems:
            raise CommandError(
                "ドライラン: このままでは取り込めません。\n" + "\n".join(f"  {p}" for p in problems)
            )
        out("ドライラン: 問題はありません。--dry-run を外すと取り込みます。")

    def _print_node(self, parsed: ParsedPlan, node: ParsedNode) -> None:
        out = self.stdout.write
        indent = "  " * node.depth
        level = parsed.level_names[node.depth] if node.depth < len(parsed.level_names) else ""
        out(
            f"{indent}{level or f'第{node.depth + 1}階層'} {' '.join(filter(None, [node.number, node.title]))}"
        )
        inner = indent + "  "
        if node.vision:
            out(f"{inner}めざす姿: {_short(node.vision)}")
        for challenge in node.challenges:
            out(f"{inner}課題: {_short(challenge)}")
        if node.purpose:
            out(f"{inner}目的: {_short(node.purpose)}")
        for note in node.notes:
            out(f"{inner}※{note.term}: {_short(note.body)}")
        for action in node.actions:
            heading = " ".join(filter(None, [action.number, action.title]))
            departments = f" 〔{'、'.join(action.departments)}〕" if action.departments else ""
            out(
                f"{inner}- {parsed.action_level_name}: {heading + ' ' if heading else ''}{_short(action.text)}{departments}"
            )
            for project in action.key_projects:
                out(f"{inner}    主要事業: {'★' if project.is_new else '○'}{project.title}")
            for note in action.notes:
                out(f"{inner}    ※{note.term}: {_short(note.body)}")
        for child in node.children:
            self._print_node(parsed, child)

    # -- summary

    def _report(self, parsed: ParsedPlan, summary, *, path: Path, replaced: bool) -> None:
        out = self.stdout.write
        plan = summary.plan
        out(
            self.style.SUCCESS(
                f"計画「{plan.name}」を取り込みました（{path.name}、形式: {parsed.format_name}）。"
            )
        )
        out(
            f"  節 {summary.nodes}、{parsed.action_level_name} {summary.actions}、"
            f"担当課 {summary.responsibilities}、主要事業 {summary.key_projects}、注記 {summary.notes}"
        )
        if replaced:
            out("  同じ名前の既存の計画を置き換えました。")
        if summary.created_departments:
            out(f"  作成した部署: {'、'.join(summary.created_departments)}")
        if parsed.skipped:
            out(f"  読み飛ばした行: {len(parsed.skipped)}（内容は --dry-run で確認できます）")
        for warning in parsed.warnings:
            out(f"  警告: {warning}")
        if plan.is_published:
            out("  公開しました。ポータルに表示されます。")
        else:
            out(
                "  まだ公開していません。公開するには、バックオフィスまたは管理画面で公開するか、"
                "--replace --publish を付けて取り込み直してください。"
            )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + "…"


def _period(parsed: ParsedPlan) -> str:
    return format_fiscal_year_range(parsed.start_fy, parsed.end_fy)


def _counts(parsed: ParsedPlan) -> str:
    actions = parsed.all_actions()
    return (
        f"集計: 節 {sum(1 for _ in parsed.walk())}、{parsed.action_level_name} {len(actions)}、"
        f"担当課 {sum(len(a.departments) for a in actions)}、"
        f"主要事業 {sum(len(a.key_projects) for a in actions)}、"
        f"注記 {sum(len(n.notes) for n in parsed.walk()) + sum(len(a.notes) for a in actions)}"
    )
