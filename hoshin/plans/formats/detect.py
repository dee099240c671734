"""Choosing the import format for a file and parsing it."""

from django.conf import settings

from hoshin.plans.formats.base import ParsedPlan, PlanFormat, PlanFormatError, registered_formats


def detect_format(data: bytes, filename: str) -> PlanFormat:
    """The first registered format that recognises the file, or PlanFormatError."""
    if not data:
        raise PlanFormatError("ファイルが空です。", filename=filename)
    for plan_format in registered_formats():
        if plan_format.sniff(data, filename):
            return plan_format
    labels = "、".join(f.label for f in registered_formats())
    raise PlanFormatError(
        f"計画ファイルの形式を判別できません。対応形式: {labels}", filename=filename
    )


def parse_plan_file(data: bytes, filename: str, *, format_name: str | None = None) -> ParsedPlan:
    """Detect (or look up) the format and parse; every failure is a PlanFormatError."""
    limit = settings.PLAN_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise PlanFormatError(
            f"ファイルが大きすぎます（{len(data) / 2**20:.1f} MB、上限 {limit / 2**20:.0f} MB）。",
            filename=filename,
        )
    if format_name:
        matches = [f for f in registered_formats() if f.name == format_name]
        if not matches:
            raise PlanFormatError(f"形式「{format_name}」はありません。", filename=filename)
        plan_format = matches[0]
    else:
        plan_format = detect_format(data, filename)
    try:
        parsed = plan_format.parse(data, filename)
    except PlanFormatError as exc:
        exc.filename = exc.filename or filename
        raise
    if not parsed.roots:
        raise PlanFormatError("計画の階層が一つも見つかりません。", filename=filename)
    if not parsed.all_actions():
        raise PlanFormatError("取組（実施内容）が一つも見つかりません。", filename=filename)
    return parsed
