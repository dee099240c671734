"""Minutes (会議録): draft → members comment → published; and the committee's overall remarks
and the date its report went to the mayor."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.committees.models import (
    Committee,
    CommitteeMember,
    HearingSession,
    Minutes,
    MinutesComment,
    MinutesStatus,
)
from hoshin.committees.services.errors import (
    CommitteePermissionError,
    CommitteeValidationError,
    next_version,
)
from hoshin.committees.services.register import require_secretariat

EDITABLE = (MinutesStatus.DRAFT, MinutesStatus.COMMENTING)


@transaction.atomic
def minutes_create(
    *,
    committee: Committee,
    title: str,
    held_on: datetime.date,
    by,
    place: str = "",
    session: HearingSession | None = None,
) -> Minutes:
    """Start the draft minutes of a meeting (optionally of a hearing session)."""
    require_secretariat(user=by)
    if not title.strip():
        raise CommitteeValidationError({"title": _("会議名を入力してください。")})
    if session is not None and session.committee_id != committee.pk:
        raise CommitteeValidationError({"session": _("この委員会のヒアリングではありません。")})
    minutes = Minutes.objects.create(
        committee=committee,
        session=session,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        updated_by=by,
    )
    audit_record(
        actor=by,
        verb="committee.minutes_create",
        target=minutes,
        summary=f"会議録「{minutes}」を作成",
    )
    return minutes


@transaction.atomic
def minutes_update(
    *,
    minutes: Minutes,
    by,
    expected_version: int,
    present: list[CommitteeMember],
    agenda: str,
    body: str,
    secretariat_attendees: str = "",
    observers: str = "",
) -> Minutes:
    """Write attendance and text while the minutes are a draft or with the members; present
    members must be the committee's and in term on the day. Stale versions are refused."""
    require_secretariat(user=by)
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(pk=minutes.pk)
    )
    if minutes.status not in EDITABLE:
        raise CommitteeValidationError({"status": _("公表した会議録は変更できません。")})
    version = next_version(
        minutes, expected_version=expected_version, last_author=minutes.updated_by
    )
    wrong = [
        m.name
        for m in present
        if m.committee_id != minutes.committee_id or not m.in_term(minutes.held_on)
    ]
    if wrong:
        raise CommitteeValidationError(
            {"present": _("この日の委員ではありません：%(names)s") % {"names": "、".join(wrong)}}
        )
    minutes.version = version
    minutes.agenda = agenda.strip()
    minutes.body = body.strip()
    minutes.secretariat_attendees = secretariat_attendees.strip()
    minutes.observers = observers.strip()
    minutes.updated_by = by
    minutes.save()
    minutes.present.set(present)
    audit_record(
        actor=by,
        verb="committee.minutes_update",
        target=minutes,
        summary=f"会議録「{minutes}」を更新",
        data={"version": version, "present": sorted(m.pk for m in present)},
    )
    return minutes


def _move(minutes: Minutes, *, by, to: str, allowed_from: tuple, verb: str, summary: str):
    require_secretariat(user=by)
    minutes = Minutes.objects.select_for_update(of=("self",)).get(pk=minutes.pk)
    if minutes.status not in allowed_from:
        raise CommitteeValidationError({"status": _("今の状態ではこの操作はできません。")})
    if to == MinutesStatus.PUBLISHED:
        if not minutes.body:
            raise CommitteeValidationError(
                {"body": _("議事の概要を入力してから公表してください。")}
            )
        minutes.published_at = timezone.now()
    minutes.status = to
    minutes.save(update_fields=["status", "published_at"])
    audit_record(actor=by, verb=verb, target=minutes, summary=f"会議録「{minutes}」{summary}")
    return minutes


@transaction.atomic
def minutes_send_for_comments(*, minutes: Minutes, by) -> Minutes:
    """Show the draft to the members for their comments."""
    return _move(
        minutes,
        by=by,
        to=MinutesStatus.COMMENTING,
        allowed_from=(MinutesStatus.DRAFT,),
        verb="committee.minutes_comments",
        summary="を委員の確認へ",
    )


@transaction.atomic
def minutes_publish(*, minutes: Minutes, by) -> Minutes:
    """Publish the minutes (their text and attendance; members' comments stay internal)."""
    return _move(
        minutes,
        by=by,
        to=MinutesStatus.PUBLISHED,
        allowed_from=EDITABLE,
        verb="committee.minutes_publish",
        summary="を公表",
    )


@transaction.atomic
def minutes_comment(*, minutes: Minutes, member: CommitteeMember, body: str, by) -> MinutesComment:
    """A member's comment on minutes sent to them, in their own name only."""
    minutes = Minutes.objects.select_for_update(of=("self",)).get(pk=minutes.pk)
    if member.committee_id != minutes.committee_id or member.user_id != getattr(by, "pk", None):
        raise CommitteePermissionError(_("コメントできるのはこの委員会の委員本人です。"))
    if minutes.status != MinutesStatus.COMMENTING:
        raise CommitteePermissionError(_("この会議録は今コメントを受け付けていません。"))
    if not body.strip():
        raise CommitteeValidationError({"body": _("コメントを入力してください。")})
    comment = MinutesComment.objects.create(minutes=minutes, member=member, body=body.strip())
    audit_record(
        actor=by,
        verb="committee.minutes_comment",
        target=comment,
        summary=f"会議録「{minutes}」に{member}委員がコメント",
    )
    return comment


@transaction.atomic
def committee_report_record(
    *, committee: Committee, by, remarks: str, submitted_on: datetime.date | None
) -> Committee:
    """The committee's overall remarks (総評) and the date its report went to the mayor."""
    require_secretariat(user=by)
    committee = Committee.objects.select_for_update(of=("self",)).get(pk=committee.pk)
    if submitted_on is not None and submitted_on.year < committee.fy:
        raise CommitteeValidationError(
            {"submitted_on": _("提出日が委員会の年度より前になっています。")}
        )
    committee.remarks = remarks.strip()
    committee.report_submitted_on = submitted_on
    committee.save(update_fields=["remarks", "report_submitted_on"])
    audit_record(
        actor=by,
        verb="committee.report",
        target=committee,
        summary=f"委員会「{committee}」の総評・報告書提出日を記録",
        data={"submitted_on": submitted_on},
    )
    return committee
