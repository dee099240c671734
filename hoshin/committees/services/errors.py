"""Errors the committee services raise; each message says what to fix."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class CommitteePermissionError(PermissionDenied):
    """The user may not do this (not the secretariat, not this member)."""


class CommitteeValidationError(Exception):
    """Values the committee's rules refuse; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class CommitteeConflictError(Exception):
    """Someone saved the same score or opinion since it was loaded; nothing was overwritten."""

    def __init__(self, *, current_version: int, by=None):
        self.current_version = current_version
        self.by = by
        super().__init__(
            _(
                "読み込んだ後に%(who)sが更新しました（現在 第%(version)s版）。"
                "最新の内容を確認してから、もう一度入力してください。"
            )
            % {"who": str(by) if by else _("他の利用者"), "version": current_version}
        )


def next_version(stored, *, expected_version: int | None, last_author=None) -> int:
    """The optimistic lock of scores, opinions and responses, in one place: ``stored`` is the
    row as it is now (None when there is none yet) and ``expected_version`` the version the
    writer loaded (None for a new one). Returns the version the row has after this write;
    raises ``CommitteeConflictError`` when someone saved in between (or created it first)."""
    if stored is None:
        if expected_version is not None:
            raise CommitteeConflictError(current_version=0)
        return 1
    if expected_version != stored.version:
        raise CommitteeConflictError(current_version=stored.version, by=last_author)
    return stored.version + 1
