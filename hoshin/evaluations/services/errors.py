"""Errors the evaluation services raise; each carries what a person needs to fix it."""

from django.core.exceptions import PermissionDenied


class SheetPermissionError(PermissionDenied):
    """The user may not do this to this sheet (wrong role, department or stage)."""


class SheetValidationError(Exception):
    """Some values cannot be stored; ``errors`` maps each field path to its message."""

    def __init__(self, errors: dict[str, str], labels: dict[str, str] | None = None):
        self.errors = errors
        self.labels = labels or {}
        super().__init__("; ".join(f"{self.labels.get(p, p)}: {m}" for p, m in errors.items()))


class SheetConflictError(Exception):
    """The sheet changed since the user loaded it; ``revisions`` are the saves they missed."""

    def __init__(self, *, current_version: int, revisions: list):
        self.current_version = current_version
        self.revisions = revisions
        names = "、".join(sorted({str(r.by) for r in revisions if r.by})) or "他の職員"
        super().__init__(
            f"このシートは読み込んだ後に{names}が更新しました（現在 第{current_version}版）。"
            "変更内容を確認してから、もう一度入力してください。"
        )


class WorkflowError(Exception):
    """A transition that is not possible now (wrong stage, missing comment or fields)."""
