"""Errors the handling services raise (routing, replies, publication); each says what to fix."""

from django.core.exceptions import PermissionDenied


class VoicePermissionError(PermissionDenied):
    """The user may not do this to this voice (wrong role or department)."""


class VoiceError(Exception):
    """A step that is not possible now (wrong status, missing reason …)."""


class ReplyConflictError(VoiceError):
    """The reply changed since the user loaded it."""

    def __init__(self, *, current_version: int, by: str = ""):
        self.current_version = current_version
        who = by or "他の職員"
        super().__init__(
            f"この回答は読み込んだ後に{who}が更新しました（現在 第{current_version}版）。"
            "最新の内容を確認してから、もう一度保存してください。"
        )


class ReplySendError(VoiceError):
    """The reply could not be sent (no address, the mail server refused …)."""


class ConsentError(VoiceError):
    """The writer did not agree to publication."""


class PublicationCheckError(VoiceError):
    """Personal details were still found in the text about to be published."""

    def __init__(self, findings):
        self.findings = findings
        found = "、".join(f"{f.label}「{f.original}」" for f in findings[:5])
        super().__init__(
            f"公表する文章に個人情報と思われる語句が残っています: {found}。"
            "直すか、個人情報ではないことを確認したうえで公表してください。"
        )


class LetterFontMissing(VoiceError):
    """The Japanese font for printed letters is not installed."""
