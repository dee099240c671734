"""Invitation codes (招待コード) for a survey answered once per code, printed on letters."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hoshin.audit.services import audit_record
from hoshin.surveys.models import AnswerLimit, Survey, SurveyInvitation

MAX_INVITATIONS_PER_BATCH = 5_000
# Invitation codes are typed from a printed letter: no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes.
TOKEN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
TOKEN_LENGTH = 12  # 25**12 ≈ 6e16: not guessable by trying


def _new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


@transaction.atomic
def invitations_generate(*, survey: Survey, count: int, by=None) -> list[SurveyInvitation]:
    """Issue ``count`` new invitation codes for a survey answered once per code."""
    if survey.answer_limit != AnswerLimit.TOKEN:
        raise ValidationError("招待コードは「招待コードごとに1回」のアンケートにだけ発行できます。")
    if not 1 <= count <= MAX_INVITATIONS_PER_BATCH:
        raise ValidationError(
            {"count": f"1回に発行できるのは1～{MAX_INVITATIONS_PER_BATCH:,}件です。"}
        )
    if survey.phase() == "closed":
        raise ValidationError("受付を終了したアンケートには招待コードを発行できません。")
    created: list[SurveyInvitation] = []
    while len(created) < count:
        batch = [
            SurveyInvitation(survey=survey, token=_new_token()) for _ in range(count - len(created))
        ]
        try:
            with transaction.atomic():
                created += SurveyInvitation.objects.bulk_create(batch)
        except IntegrityError:  # a code already issued (vanishingly rare): draw the batch again
            continue
    audit_record(
        actor=by,
        verb="survey.invitations_generate",
        target=survey,
        summary=f"アンケート「{survey}」の招待コードを{count}件発行",
    )
    return created
