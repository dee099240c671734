"""Scores on paper or in Excel: the secretariat downloads a round's workbook (one row per member
and assigned target), types what members wrote, and uploads it. Every row goes through
``score_save`` — the same refusals as the form — and the file is applied all or nothing, with
every problem named by its row.

Columns: 評価対象ID, 評価対象, 委員ID, 委員, one per viewpoint (code or label of the scale),
判定 (code or label), コメント, 版 (the score's version when the workbook was made; blank for a
new score, so that an edit made since is refused, not overwritten). Rows with nothing entered
are skipped. Files are written and read through ``hoshin.lib.spreadsheets``.
"""

import io
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.committees.models import CommitteeMember, ReviewTarget, Score, ScoringRound
from hoshin.committees.selectors import targets_for_member
from hoshin.committees.services.errors import (
    CommitteeConflictError,
    CommitteePermissionError,
    CommitteeValidationError,
)
from hoshin.committees.services.register import require_secretariat
from hoshin.committees.services.scoring import score_save
from hoshin.lib.spreadsheets import xlsx_append, xlsx_open


class ScoreImportError(Exception):
    """The workbook was not applied; ``problems`` lists (row, message) for every bad row."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__(
            "\n".join(_("%(row)s行目: %(message)s") % {"row": r, "message": m} for r, m in problems)
        )


@dataclass
class ImportSummary:
    saved: int
    skipped: int


def _headers(scoring_round: ScoringRound) -> list[str]:
    committee = scoring_round.committee
    return [
        _("評価対象ID"),
        _("評価対象"),
        _("委員ID"),
        _("委員"),
        *[v["label"] for v in committee.viewpoints],
        _("判定"),
        _("コメント"),
        _("版"),
    ]


def scores_workbook(*, scoring_round: ScoringRound, by) -> bytes:
    """The round's scoring workbook: a row per member and assigned target, filled with the
    scores entered so far (labels, as members read them)."""
    require_secretariat(user=by)
    import openpyxl

    committee = scoring_round.committee
    scale = {s["code"]: s["label"] for s in committee.viewpoint_scale}
    scores = {(s.target_id, s.member_id): s for s in Score.objects.filter(round=scoring_round)}
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("評価")
    xlsx_append(sheet, _headers(scoring_round))
    for member in committee.members.all():
        for target in targets_for_member(member=member).select_related("sheet__action"):
            score = scores.get((target.pk, member.pk))
            values = score.viewpoint_scores if score else {}
            xlsx_append(
                sheet,
                [
                    target.pk,
                    str(target),
                    member.pk,
                    member.name,
                    *[scale.get(values.get(v["code"], ""), "") for v in committee.viewpoints],
                    committee.judgement_label(score.judgement) if score and score.judgement else "",
                    score.comment if score else "",
                    score.version if score else None,
                ],
            )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _code(raw, items: list[dict]) -> str:
    """A code of ``items`` from what was typed (code or label, full-width or not); the text
    itself when it matches none, so that ``score_save`` names it."""
    text = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # Excel turns a typed 3 into 3.0
    for item in items:
        if text in (item["code"], unicodedata.normalize("NFKC", item["label"])):
            return item["code"]
    return text


def _int(raw) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(float(raw))
    except (TypeError, ValueError):
        return -1


@transaction.atomic
def scores_import(*, scoring_round: ScoringRound, data: bytes, by, today=None) -> ImportSummary:
    """Apply a filled scoring workbook, all or nothing; raises ``ScoreImportError`` naming every
    bad row (unknown target or member, a target not the member's, a value outside the lists, a
    closed round, a member outside their term, a score changed since the workbook was made)."""
    require_secretariat(user=by)
    committee = scoring_round.committee
    rows = list(xlsx_open(data).active.iter_rows(values_only=True))
    if not rows or [str(c or "") for c in rows[0]] != _headers(scoring_round):
        raise ScoreImportError([(1, _("見出しがこの回の評価の様式と一致しません。"))])
    targets = {t.pk: t for t in ReviewTarget.objects.filter(committee=committee)}
    members = {m.pk: m for m in CommitteeMember.objects.filter(committee=committee)}
    n_viewpoints = len(committee.viewpoints)
    problems, saved, skipped = [], 0, 0
    for number, row in enumerate(rows[1:], start=2):
        row = list(row) + [None] * (len(rows[0]) - len(row))
        marks = row[4 : 4 + n_viewpoints]
        judgement, comment, version = row[4 + n_viewpoints : 7 + n_viewpoints]
        if all(v in (None, "") for v in [*marks, judgement, comment]):
            skipped += 1
            continue
        target = targets.get(_int(row[0]))
        member = members.get(_int(row[2]))
        if target is None:
            problems.append(
                (
                    number,
                    _("評価対象ID「%(id)s」はこの委員会の評価対象ではありません。")
                    % {"id": row[0]},
                )
            )
            continue
        if member is None:
            problems.append(
                (number, _("委員ID「%(id)s」はこの委員会の委員ではありません。") % {"id": row[2]})
            )
            continue
        viewpoint_scores = {
            v["code"]: _code(mark, committee.viewpoint_scale)
            for v, mark in zip(committee.viewpoints, marks, strict=True)
            if mark not in (None, "")
        }
        try:
            score_save(
                scoring_round=scoring_round,
                target=target,
                member=member,
                by=by,
                viewpoint_scores=viewpoint_scores,
                judgement=_code(judgement, committee.judgements),
                comment=str(comment or ""),
                expected_version=_int(version),
                today=today,
            )
        except CommitteeValidationError as refused:
            problems.extend((number, message) for message in refused.errors.values())
        except (CommitteeConflictError, CommitteePermissionError) as refused:
            problems.append((number, str(refused)))
        else:
            saved += 1
    if problems:
        raise ScoreImportError(problems)
    audit_record(
        actor=by,
        verb="committee.scores_import",
        target=scoring_round,
        summary=f"「{scoring_round}」の評価をExcelから取込（{saved}件）",
        data={"saved": saved, "skipped": skipped},
    )
    return ImportSummary(saved=saved, skipped=skipped)
