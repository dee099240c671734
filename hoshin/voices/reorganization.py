"""What a reorganisation of departments does to citizens' voices (registered with ``hoshin.org``).

A voice the city still owes an answer (``VoiceStatus.open()``) follows its department: the lead
department and the co-departments (関係課) pass to the heir (the first successor), so the letter
stays in someone's inbox. Answered and closed voices keep the department of their time, like
last year's sheets. An abolition is refused while an open voice is led by the department (the
public-hearing office re-routes it first); co-department links of open voices simply end.
"""

from django.core.exceptions import ValidationError

from hoshin.org.models import Department
from hoshin.org.reorganization import Reorganization
from hoshin.voices.models import CitizenVoice, VoiceStatus


def _open_voices():
    return CitizenVoice.objects.filter(status__in=VoiceStatus.open())


def voices_handover(reorganization: Reorganization) -> int:
    """Move open voices led by (or shared with) a predecessor to the heir; return how many
    voices changed."""
    predecessor_ids = reorganization.predecessor_ids
    heir = reorganization.heir
    changed: set[int] = set()
    if heir is not None:
        led = _open_voices().filter(lead_department__in=predecessor_ids)
        changed.update(led.values_list("pk", flat=True))
        led.update(lead_department=heir)
    through = CitizenVoice.co_departments.through
    links = through.objects.filter(
        department_id__in=predecessor_ids, citizenvoice__status__in=VoiceStatus.open()
    )
    voice_ids = set(links.values_list("citizenvoice_id", flat=True))
    changed |= voice_ids
    links.delete()
    if heir is not None and voice_ids:
        # The heir becomes a co-department unless it already is one (ignore_conflicts) or leads
        # the voice; one insert however many voices.
        not_led = CitizenVoice.objects.filter(pk__in=voice_ids).exclude(lead_department=heir)
        through.objects.bulk_create(
            [
                through(citizenvoice_id=pk, department_id=heir.pk)
                for pk in not_led.values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )
    return len(changed)


def voices_abolish_check(predecessors: list[Department], names: str) -> None:
    """Refuse to abolish a department that still leads a voice the city owes an answer."""
    if _open_voices().filter(lead_department__in=predecessors).exists():
        raise ValidationError(
            f"「{names}」が主管課の回答待ちの市民の声があります。先に主管課を変更してください。"
        )
