"""The writer's view of what became of their voice: each step once, each explained.

The staff log records every routing change, link and publication; most of them keep the
status and mean nothing to the writer. The timeline shows a step when the status changes (or
when a status comes back, saying why), and a step that keeps the status only when staff wrote
something for the writer (``public_note``) or it is one the writer should know of (a new lead
department, a reopening, the publication). Internal notes and who acted are never read here.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.voices.models import CitizenVoice, VoiceEvent, VoiceEventStep, VoiceStatus

# What each status means for the writer, and what happens next.
STATUS_EXPLANATIONS = {
    VoiceStatus.RECEIVED: _(
        "市民の声を受け付けました。次に、広聴担当が内容を確認して、担当する課を決めます。"
    ),
    VoiceStatus.ASSIGNED: _(
        "担当する課が決まりました。次に、担当課が内容を確認して、回答を作ります。"
    ),
    VoiceStatus.ANSWERING: _(
        "担当課が回答を作っています。市の中で確認が済むと、回答をお送りします。"
    ),
    VoiceStatus.ANSWERED: _("回答をお送りしました。回答はこのページでも読めます。"),
    VoiceStatus.CLOSED: _("回答はせずに対応を終えました。理由はこのページに示しています。"),
    VoiceStatus.FORWARDED: _(
        "市の担当ではないため、ほかの機関にお送りしました。今後はその機関から対応があります。"
    ),
}

# A status seen before comes back: say why rather than repeat its name.
RECURRING_LABELS = {
    VoiceStatus.RECEIVED: _("担当課を決め直しています"),
    VoiceStatus.ASSIGNED: _("担当課を変更しました"),
    VoiceStatus.ANSWERING: _("回答を作り直しています"),
    VoiceStatus.ANSWERED: _("回答を改めてお送りしました"),
    VoiceStatus.CLOSED: _("改めて対応を終えました"),
    VoiceStatus.FORWARDED: _("改めてほかの機関にお送りしました"),
}

STEP_EXPLANATIONS = {
    VoiceEventStep.REROUTED: _(
        "内容により、担当する課を変えました。新しい担当課が回答を作ります。"
    ),
    VoiceEventStep.REOPENED: _("終えていた対応を、もう一度始めました。"),
    VoiceEventStep.PUBLISHED: _("公表に同意いただいたご意見として、市民の声のページに載りました。"),
    VoiceEventStep.WITHDRAWN: _("市民の声のページには、もう載っていません。"),
}


@dataclass(frozen=True)
class TimelineStep:
    day: datetime.date
    label: str
    explanation: str
    note: str  # what staff wrote for the writer (public_note), never the internal note


def status_timeline(*, voice: CitizenVoice) -> list[TimelineStep]:
    """The steps of ``voice`` the writer sees, oldest first."""
    events = VoiceEvent.objects.filter(voice=voice).only("status", "step", "public_note", "at")
    steps: list[TimelineStep] = []
    seen: set[str] = set()
    previous = None
    for event in events:
        day = timezone.localdate(event.at)
        status = VoiceStatus(event.status)
        if event.step:  # it says why by itself, even when the status changed with it
            step = VoiceEventStep(event.step)
            label, explanation = step.label, STEP_EXPLANATIONS[step]
        elif status != previous:
            label = RECURRING_LABELS[status] if status in seen else status.label
            explanation = STATUS_EXPLANATIONS[status]
        elif event.public_note:
            label, explanation = _("お知らせ"), ""
        else:
            continue  # a staff-only change (a link, a memo, a co-department)
        steps.append(TimelineStep(day, str(label), str(explanation), event.public_note))
        seen.add(status)
        previous = status
    return steps
