"""Comments between staff on a sheet (never public)."""

from django.db import transaction

from hoshin.audit.services import audit_record
from hoshin.evaluations.models import EvaluationSheet, SheetComment
from hoshin.evaluations.selectors.access import can_comment
from hoshin.evaluations.services.errors import SheetPermissionError, SheetValidationError

MAX_LENGTH = SheetComment._meta.get_field("body").max_length


@transaction.atomic
def sheet_comment_add(*, sheet: EvaluationSheet, by, body: str) -> SheetComment:
    """Add a comment by its department, a co-responsible department or the planning office."""
    if not can_comment(user=by, sheet=sheet):
        raise SheetPermissionError("このシートにコメントする権限がありません。")
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise SheetValidationError({"body": "コメントを入力してください。"})
    if len(body) > MAX_LENGTH:
        raise SheetValidationError({"body": f"{len(body)}文字あります（上限{MAX_LENGTH}文字）。"})
    comment = SheetComment.objects.create(
        sheet=sheet, author=by, department=getattr(by, "department", None), body=body
    )
    audit_record(
        actor=by,
        verb="sheet.comment",
        target=sheet,
        summary=f"評価シート「{sheet}」にコメント",
        data={"comment": comment.pk},
    )
    return comment
