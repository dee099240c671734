"""Publishing a committee year: nothing of it is public before, and the portal reads it through
``public.py`` only."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.committees.models import Committee, RoundKind, TargetResult
from hoshin.committees.services.errors import CommitteeValidationError
from hoshin.committees.services.register import require_secretariat


@transaction.atomic
def committee_publish(*, committee: Committee, by) -> Committee:
    """Publish the committee year: members (names and categories), targets with their reasons,
    the final round's results, opinions, responses — and individual scores as the committee's
    ``score_disclosure`` says. Refused until the final round is closed and aggregated."""
    require_secretariat(user=by)
    committee = Committee.objects.select_for_update(of=("self",)).get(pk=committee.pk)
    if committee.published_at is not None:
        raise CommitteeValidationError({"committee": _("すでに公表しています。")})
    final = committee.rounds.filter(kind=RoundKind.FINAL).first()
    if final is None or not final.is_closed:
        raise CommitteeValidationError(
            {"committee": _("本評価の回を締め切ってから公表してください。")}
        )
    aggregated = TargetResult.objects.filter(round=final).values("target_id")
    if committee.targets.exclude(pk__in=aggregated).exists():
        raise CommitteeValidationError({"committee": _("本評価を集計してから公表してください。")})
    committee.published_at = timezone.now()
    committee.save(update_fields=["published_at"])
    audit_record(
        actor=by,
        verb="committee.publish",
        target=committee,
        summary=f"委員会「{committee}」を公表",
        data={"score_disclosure": committee.score_disclosure},
    )
    return committee


@transaction.atomic
def committee_unpublish(*, committee: Committee, by, reason: str) -> Committee:
    """Withdraw a committee year from the public site, with the reason."""
    require_secretariat(user=by)
    if not reason.strip():
        raise CommitteeValidationError({"reason": _("公表を取り下げる理由を入力してください。")})
    committee = Committee.objects.select_for_update(of=("self",)).get(pk=committee.pk)
    committee.published_at = None
    committee.save(update_fields=["published_at"])
    audit_record(
        actor=by,
        verb="committee.unpublish",
        target=committee,
        summary=f"委員会「{committee}」の公表を取り下げ",
        data={"reason": reason.strip()},
    )
    return committee
