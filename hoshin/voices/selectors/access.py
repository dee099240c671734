"""Who sees which voice, and how much of it.

The rules (README "Who sees what"):

- **Public-hearing office (広聴担当) and administrators** see every voice with everything,
  including the writer's personal details (VoiceWriter, attachments). Personal details are
  never on a page by default: they are opened on purpose (``writer`` page, attachment, letter)
  and every opening is logged in PersonalDataView.
- **The lead department** (editors, heads, department viewers of it or of a unit above it)
  sees its voices, their history and the reply, **never** the personal details: the reply is
  sent (e-mail or printed letter) by the public-hearing office, which holds the address, so no
  department role needs it. The letter's salutation and address are filled in by the letter
  generator, so the draft needs no name either. Text the writer typed is shown with their own
  contact details and any phone number, e-mail or postal code masked (``department_text``).
- **Co-departments** (関係課) see the voice text only (same masking): no reply, no history.
- **Mayor's office** (市長公室) sees voices flagged for the mayor: text, history and reply for
  its approval, no personal details.
- **Planning office and city-wide viewers** see every voice like a co-department (text only),
  for linking voices to the plan; nothing personal.
- Everyone else (another department's staff, committee members) sees nothing: such a voice
  answers 404, exactly like an id that does not exist.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hoshin.org.models import Role
from hoshin.org.roles import (
    departments_for_role,
    is_mayor_office,
    is_public_hearing_office,
    user_has_role,
    user_roles,
)
from hoshin.voices.models import CitizenVoice, ReplyStage, VoiceReply


def sees_all_voice_texts(*, user) -> bool:
    """Planning office and city-wide viewers read every voice's text (nothing personal)."""
    if user_has_role(user=user, role=Role.PLANNING_OFFICE):
        return True
    return any(a.role == Role.VIEWER and a.department_id is None for a in user_roles(user=user))


def member_department_ids(*, user) -> set[int]:
    """Departments (with sub-units) whose voices the user reads as a department member."""
    ids: set[int] = set()
    for role in (Role.DEPARTMENT_EDITOR, Role.DEPARTMENT_HEAD, Role.VIEWER):
        ids |= departments_for_role(user=user, role=role)
    return ids


def voices_visible_to(*, user) -> QuerySet[CitizenVoice]:
    """Voices the user may open at all (the list and every staff page start here)."""
    voices = CitizenVoice.objects.all()
    if not user.is_authenticated:
        return voices.none()
    if is_public_hearing_office(user=user) or sees_all_voice_texts(user=user):
        return voices
    condition = Q(pk__in=[])
    ids = member_department_ids(user=user)
    if ids:
        condition |= Q(lead_department_id__in=ids) | Q(co_departments__in=ids)
    if is_mayor_office(user=user):
        condition |= Q(mayor_flag=True)
    if condition == Q(pk__in=[]):
        return voices.none()
    # A subquery keeps the outer query free of the co-department join (no duplicates).
    return voices.filter(pk__in=CitizenVoice.objects.filter(condition).values("pk"))


@dataclass(frozen=True)
class VoiceAccess:
    """What one user may see and do with one voice; built once per request."""

    visible: bool = False
    personal: bool = False  # may open the writer's details (logged)
    history: bool = False  # events with staff notes, the reply and its approvals
    route: bool = False  # classify, assign, link actions, flag, close, forward
    draft: bool = False  # write and submit the reply
    approve_department: bool = False
    approve_mayor: bool = False
    office: bool = False  # public-hearing office: approve, send, publish

    @property
    def lead_member(self) -> bool:
        return self.draft or self.approve_department


def voice_access(*, user, voice: CitizenVoice) -> VoiceAccess:
    """The user's rights on ``voice`` (see the module docstring)."""
    if not user.is_authenticated:
        return VoiceAccess()
    if is_public_hearing_office(user=user):
        return VoiceAccess(
            visible=True,
            personal=True,
            history=True,
            route=True,
            office=True,
            # The office may answer a voice itself when it is the lead department.
            draft=_in(voice.lead_department_id, user, Role.DEPARTMENT_EDITOR),
            approve_department=_in(voice.lead_department_id, user, Role.DEPARTMENT_HEAD),
            approve_mayor=voice.mayor_flag and is_mayor_office(user=user),
        )
    lead = voice.lead_department_id is not None and voice.lead_department_id in (
        member_department_ids(user=user)
    )
    mayor = voice.mayor_flag and is_mayor_office(user=user)
    visible = lead or mayor or sees_all_voice_texts(user=user) or _co_member(user=user, voice=voice)
    return VoiceAccess(
        visible=visible,
        history=lead or mayor,
        draft=_in(voice.lead_department_id, user, Role.DEPARTMENT_EDITOR),
        approve_department=_in(voice.lead_department_id, user, Role.DEPARTMENT_HEAD),
        approve_mayor=mayor,
    )


def _in(department_id: int | None, user, role: str) -> bool:
    return department_id is not None and department_id in departments_for_role(user=user, role=role)


def _co_member(*, user, voice: CitizenVoice) -> bool:
    ids = member_department_ids(user=user)
    return bool(ids) and voice.co_departments.filter(pk__in=ids).exists()


def replies_waiting_for(*, user) -> QuerySet[VoiceReply]:
    """Replies whose next step is the user's (for the staff list's "my tasks" view)."""
    replies = VoiceReply.objects.select_related("voice")
    if not user.is_authenticated:
        return replies.none()
    condition = Q(pk__in=[])
    editor = departments_for_role(user=user, role=Role.DEPARTMENT_EDITOR)
    head = departments_for_role(user=user, role=Role.DEPARTMENT_HEAD)
    if editor:
        condition |= Q(stage=ReplyStage.DRAFT, voice__lead_department_id__in=editor)
    if head:
        condition |= Q(stage=ReplyStage.SUBMITTED, voice__lead_department_id__in=head)
    if is_public_hearing_office(user=user):
        condition |= Q(stage__in=[ReplyStage.DEPARTMENT_APPROVED, ReplyStage.APPROVED])
    if is_mayor_office(user=user):
        condition |= Q(stage=ReplyStage.OFFICE_APPROVED)
    return replies.filter(condition)
