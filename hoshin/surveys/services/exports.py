"""Exports of what respondents sent (raw answers, invitation codes): each one is recorded.

The files hold respondents' attributes and free text (which may name a person) or the codes a
city mailed to named residents, so who took them out is kept in the audit trail (issue 10).
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from hoshin.audit.services import audit_record
from hoshin.lib.spreadsheets import UTF8_BOM, CsvWriter
from hoshin.surveys.exporters import export_csv, export_xlsx
from hoshin.surveys.models import Survey


def survey_answers_export(*, survey: Survey, by, kind: str, encoding: str = UTF8_BOM) -> bytes:
    """The raw answers as XLSX (``kind="xlsx"``) or CSV in ``encoding``; recorded.

    ``CsvEncodingError`` (CP932 cannot hold a character) passes through, nothing recorded.
    """
    with transaction.atomic():
        if kind == "xlsx":
            body = export_xlsx(survey=survey)
        else:
            body = export_csv(survey=survey, encoding=encoding)
        audit_record(
            actor=by,
            verb="survey.export_answers",
            target=survey,
            summary=f"アンケート「{survey.title}」の回答データを書き出し",
            data={"format": kind, **({"encoding": encoding} if kind != "xlsx" else {})},
        )
    return body


def survey_invitations_export(*, survey: Survey, by) -> bytes:
    """Every invitation code with its answer URL as CSV (UTF-8 with BOM) for a mail merge;
    recorded.

    Whether a code has been used is left out on purpose: with the mailing list, it would tell
    who answered.
    """
    base = settings.HOSHIN_BASE_URL.rstrip("/") + reverse("surveys:answer", args=[survey.pk])
    writer = CsvWriter()
    lines = [writer.row(["招待コード", "回答用URL"])]
    for invitation in survey.invitations.order_by("id").iterator(chunk_size=2000):
        lines.append(writer.row([invitation.display_token, f"{base}?token={invitation.token}"]))
    audit_record(
        actor=by,
        verb="survey.export_invitations",
        target=survey,
        summary=f"アンケート「{survey.title}」の招待コード {len(lines) - 1:,} 件を書き出し",
        data={"rows": len(lines) - 1},
    )
    return writer.encode("".join(lines))
