"""Check the audit trail's hash chain.

    python manage.py audit_verify [--since SEQUENCE]

Exits 0 when every entry verifies and the last one is the one the chain head records; exits 1
naming the FIRST broken entry (a changed field, a removed, reordered or inserted row, rows
removed at the end) otherwise. The last line of a good run gives the newest sequence number
and hash: keep it outside the database (the scheduler's log, a printout), so that rows removed
at the end together with a rolled-back head can be noticed later (docs/audit-log.md).
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError

from hoshin.audit.selectors import chain_verify

logger = logging.getLogger("hoshin.audit")


class Command(BaseCommand):
    help = "操作記録のハッシュチェーンを検証します（改ざん・削除があれば最初の記録を示して終了コード1）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=int,
            default=None,
            metavar="SEQUENCE",
            help="この通番から検証する（それより前は前回の検証を信頼する）",
        )

    def handle(self, *args, since=None, **options):
        started = time.monotonic()
        report = chain_verify(since=since)
        seconds = time.monotonic() - started
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if not report.ok:
            message = f"操作記録の検証に失敗しました。最初の異常: {report.broken.message()}"
            logger.error(message)
            raise CommandError(message, returncode=1)
        line = (
            f"操作記録 {report.checked:,} 件を検証しました（{seconds:.2f} 秒）。"
            f"最新: 通番 {report.last_sequence} ハッシュ {report.last_hash}"
        )
        logger.info(line)
        self.stdout.write(self.style.SUCCESS(line))
