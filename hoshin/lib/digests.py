"""Daily reminder digests: the part every app's reminder e-mails share.

Why this exists: the evaluation sheets (hoshin.evaluations) and the citizens' voices
(hoshin.voices) both send each person one digest a day of what is overdue or due soon, and both
used to carry their own copy of the same machinery. The copies had to change together — the
once-per-person-per-day rule, the log row written in the same transaction as the e-mail, the
report a management command prints — so the machinery lives here once.

What stays in each app: who holds what (the items and their holders), the log model and its
count field, the e-mail templates and their context, the URLs and the audit record. This module
imports no models; the app passes its log model in.
"""

import datetime
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from hoshin.lib.fiscal import format_date


class _DueItem(Protocol):
    overdue: bool


T = TypeVar("T", bound=_DueItem)


def absolute_url(path: str) -> str:
    """``path`` on the site as staff reach it (HOSHIN_BASE_URL), for e-mails."""
    return settings.HOSHIN_BASE_URL.rstrip("/") + path


def reminder_days_before() -> int:
    """How many days before a due date reminders start (HOSHIN_REMINDER_DAYS_BEFORE)."""
    days = settings.HOSHIN_REMINDER_DAYS_BEFORE
    if days < 0:
        raise ImproperlyConfigured("HOSHIN_REMINDER_DAYS_BEFORE must be 0 or more")
    return days


class DueDates:
    """Mixin for a digest item with ``due`` and ``today`` dates: how late or how near it is."""

    due: datetime.date
    today: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due < self.today

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def days_over(self) -> int:
        return -self.days_left

    @property
    def due_label(self) -> str:
        return format_date(self.due)


@dataclass
class Digest(Generic[T]):
    """Everything one person is reminded of today: items that each say whether they are overdue."""

    user: Any
    items: list[T] = field(default_factory=list)

    @property
    def overdue(self) -> list[T]:
        return [item for item in self.items if item.overdue]

    @property
    def due_soon(self) -> list[T]:
        return [item for item in self.items if not item.overdue]

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass
class DigestReport(Generic[T]):
    """What one run did (or, in a dry run, would do) with each person's digest."""

    today: datetime.date
    days_before: int
    dry_run: bool
    sent: list[Digest[T]] = field(default_factory=list)  # would be sent, in a dry run
    already_sent: list[Digest[T]] = field(default_factory=list)  # got today's digest before
    no_email: list[Digest[T]] = field(default_factory=list)
    failed: list[tuple[Digest[T], str]] = field(default_factory=list)
    unassigned: list[T] = field(default_factory=list)  # nobody holds the role


def render_email(template: str, context: dict, to: str, *, html: bool) -> EmailMultiAlternatives:
    """An e-mail from ``{template}_subject.txt``, ``_body.txt`` and, with ``html``, ``_body.html``."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}_body.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    if html:
        message.attach_alternative(render_to_string(f"{template}_body.html", context), "text/html")
    return message


def digest_send(
    *,
    today: datetime.date,
    dry_run: bool,
    collect: Callable[..., tuple[list[Digest[T]], list[T]]],
    log_model,
    log_fields: Callable[[Digest[T]], dict],
    message: Callable[[Digest[T]], EmailMultiAlternatives],
    logger: logging.Logger,
    label: str,
) -> DigestReport[T]:
    """Send today's digests, at most one per person per day; ``dry_run`` only reports.

    ``collect(today=, days_before=)`` gives the digests and the items nobody holds. A row of
    ``log_model`` (``user``, ``day`` unique together, plus ``log_fields(digest)``) marks a sent
    digest; it is written in the same transaction as the e-mail, so a failed send leaves no row
    and the next run tries again.
    """
    days_before = reminder_days_before()
    report = DigestReport(today=today, days_before=days_before, dry_run=dry_run)
    digests, report.unassigned = collect(today=today, days_before=days_before)
    done = set(
        log_model.objects.filter(day=today, user__in=[d.user for d in digests]).values_list(
            "user_id", flat=True
        )
    )
    for digest in digests:
        if digest.user.pk in done:
            report.already_sent.append(digest)
        elif not digest.user.email:
            report.no_email.append(digest)
        elif dry_run:
            report.sent.append(digest)
        else:
            try:
                with transaction.atomic():
                    log_model.objects.create(user=digest.user, day=today, **log_fields(digest))
                    message(digest).send()
            except IntegrityError:
                # Another run sent this person's digest a moment ago.
                report.already_sent.append(digest)
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("%s to %s failed: %s", label, digest.user.username, exc)
                report.failed.append((digest, str(exc)))
            else:
                report.sent.append(digest)
    return report


def add_digest_arguments(parser) -> None:
    """The ``--dry-run`` and ``--today`` options of a reminder command."""
    parser.add_argument(
        "--dry-run", action="store_true", help="送信せず、誰に何が届くかを表示するだけ"
    )
    parser.add_argument("--today", help="基準日（YYYY-MM-DD、省略時は今日）")


def write_digest_report(
    command, report: DigestReport[T], *, title: str, line: Callable[[T], str], unassigned: str
) -> None:
    """Print ``report`` for a management command; raise CommandError if any send failed.

    ``title`` names the run (e.g. "2026-06-25 の督促"), ``line`` describes one item and
    ``unassigned`` prefixes the items nobody holds.
    """
    out, style = command.stdout, command.style
    verb = "送信予定" if report.dry_run else "送信"
    out.write(
        f"{title}（期限の{report.days_before}日前から）"
        + ("【確認のみ: メールは送信していません】" if report.dry_run else "")
    )
    for digest in report.sent:
        out.write(
            f"{verb}: {digest.user.username} <{digest.user.email}> "
            f"期限超過 {len(digest.overdue)} 件・期限間近 {len(digest.due_soon)} 件"
        )
        for item in digest.items:
            out.write("  " + line(item))
    for digest in report.already_sent:
        out.write(f"本日送信済み: {digest.user.username}（{digest.count} 件）")
    for digest in report.no_email:
        out.write(
            style.WARNING(
                f"メールアドレス未登録のため送れません: {digest.user.username}（{digest.count} 件）"
            )
        )
    for digest, error in report.failed:
        out.write(style.ERROR(f"送信失敗: {digest.user.username}: {error}"))
    for item in report.unassigned:
        out.write(style.WARNING(f"{unassigned}: {line(item)}"))
    out.write(
        f"{verb} {len(report.sent)} 通、本日送信済み {len(report.already_sent)} 人、"
        f"アドレスなし {len(report.no_email)} 人、失敗 {len(report.failed)} 人、"
        f"担当者なし {len(report.unassigned)} 件"
    )
    if report.failed:
        raise CommandError(f"{len(report.failed)} 人への送信に失敗しました。")
