"""Builders for the handling tests: departments, staff in every role, a received voice."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from hoshin.org.models import Department, District, Role, RoleAssignment, User
from hoshin.plans.models import Action, ActionDepartment, Plan, PlanNode
from hoshin.voices.models import (
    Channel,
    CitizenVoice,
    ReplyStage,
    VoiceCategory,
    VoiceKind,
    VoiceReply,
)
from hoshin.voices.services import intake, replies, routing

WRITER_NAME = "山田 太郎"
WRITER_EMAIL = "taro.yamada@example.jp"
WRITER_PHONE = "090-1234-5678"
WRITER_ADDRESS = "〒123-4567\n東京都みどり市中央町1丁目2番3号"
# Markers of the writer's personal details that must never appear where they are not allowed.
PERSONAL_MARKERS = ("山田", "太郎", WRITER_EMAIL, WRITER_PHONE, "123-4567", "中央町1丁目")
BODY = (
    "私は山田太郎と申します。駅前の通学路に歩道がなく、子どもたちが危険です。"
    "整備をお願いします。連絡は090-1234-5678までお願いします。"
)
RECEIVED_ON = datetime.date(2025, 6, 2)


def make_user(username: str, *, role: str | None = None, department=None, **fields) -> User:
    user = User.objects.create_user(
        username=username,
        password="pw",
        department=department,
        email=f"{username}@city.example.jp",
        **fields,
    )
    if role:
        scoped = role in (Role.DEPARTMENT_EDITOR, Role.DEPARTMENT_HEAD) or (
            role == Role.VIEWER and department is not None
        )
        RoleAssignment.objects.create(
            user=user, role=role, department=department if scoped else None
        )
    return user


@dataclass
class Staff:
    road: Department  # 道路課, the lead department in most tests
    road_unit: Department  # 道路維持係, under 道路課
    park: Department  # 公園緑地課, another department
    hearing_section: Department  # 広聴広報課
    category: VoiceCategory
    district: District
    office: User  # 広聴担当 (public-hearing office)
    admin: User
    editor: User  # 道路課 editor
    head: User  # 道路課 head
    unit_editor: User  # editor of 道路維持係 (below 道路課): does not cover 道路課
    parent_editor: User  # editor of 建設部 (above 道路課): covers it
    other_editor: User  # 公園緑地課 editor (a co-department in ``assigned``)
    other_head: User
    stranger: User  # 税務課 editor: another department with nothing to do with the voice
    viewer: User  # read-only, scoped to 道路課
    citywide_viewer: User
    mayor: User  # 市長公室
    planner: User  # 企画担当
    committee: User

    def user(self, name: str):
        return AnonymousUser() if name == "anonymous" else getattr(self, name)


def make_staff() -> Staff:
    construction = Department.objects.create(name="建設部", kind="bu")
    road = Department.objects.create(name="道路課", kind="ka", parent=construction)
    road_unit = Department.objects.create(name="道路維持係", kind="kakari", parent=road)
    park = Department.objects.create(name="公園緑地課", kind="ka", parent=construction)
    hearing = Department.objects.create(name="広聴広報課", kind="ka")
    tax = Department.objects.create(name="税務課", kind="ka")
    return Staff(
        road=road,
        road_unit=road_unit,
        park=park,
        hearing_section=hearing,
        category=VoiceCategory.objects.create(name="道路・交通", position=1),
        district=District.objects.create(name="中央地区", position=1),
        office=make_user("office", role=Role.PUBLIC_HEARING, department=hearing),
        admin=make_user("admin", role=Role.ADMIN),
        editor=make_user("editor", role=Role.DEPARTMENT_EDITOR, department=road),
        head=make_user("head", role=Role.DEPARTMENT_HEAD, department=road),
        unit_editor=make_user("unit_editor", role=Role.DEPARTMENT_EDITOR, department=road_unit),
        parent_editor=make_user(
            "parent_editor", role=Role.DEPARTMENT_EDITOR, department=construction
        ),
        other_editor=make_user("other_editor", role=Role.DEPARTMENT_EDITOR, department=park),
        other_head=make_user("other_head", role=Role.DEPARTMENT_HEAD, department=park),
        stranger=make_user("stranger", role=Role.DEPARTMENT_EDITOR, department=tax),
        viewer=make_user("viewer", role=Role.VIEWER, department=road),
        citywide_viewer=make_user("citywide_viewer", role=Role.VIEWER),
        mayor=make_user("mayor", role=Role.MAYOR_OFFICE),
        planner=make_user("planner", role=Role.PLANNING_OFFICE),
        committee=make_user("committee", role=Role.COMMITTEE_MEMBER),
    )


def receive(
    staff: Staff | None = None,
    *,
    body: str = BODY,
    subject: str = "通学路の歩道について",
    received_on: datetime.date = RECEIVED_ON,
    publish_consent: bool = True,
    notify_results: bool = True,
    wants_reply: bool = True,
    writer: intake.WriterDetails | None = None,
) -> CitizenVoice:
    """A voice from the web form with the writer's full details (as the intake stores it)."""
    if writer is None:
        writer = intake.WriterDetails(
            name=WRITER_NAME, email=WRITER_EMAIL, phone=WRITER_PHONE, postal_address=WRITER_ADDRESS
        )
    received = intake.voice_receive(
        channel=Channel.WEB,
        kind=VoiceKind.MAYOR_LETTER,
        subject=subject,
        body=body,
        received_on=received_on,
        writer=writer,
        category=staff.category if staff else None,
        age_band="40s",
        district=staff.district if staff else None,
        wants_reply=wants_reply,
        publish_consent=publish_consent,
        notify_results=notify_results,
    )
    return received.voice


def assigned(staff: Staff, voice: CitizenVoice | None = None, *, mayor_flag=False, **kw):
    voice = voice or receive(staff, **kw)
    return routing.voice_route(
        voice=voice,
        by=staff.office,
        category=staff.category,
        lead_department=staff.road,
        co_departments=[staff.park],
        mayor_flag=mayor_flag,
    )


REPLY_TEXT = "ご意見ありがとうございます。駅前の通学路には来年度に歩道を整備する予定です。"


def drafted(staff: Staff, voice: CitizenVoice | None = None, **kw) -> VoiceReply:
    voice = voice or assigned(staff, **kw)
    return replies.reply_save(voice=voice, by=staff.editor, body=REPLY_TEXT, expected_version=0)


def at_stage(reply: VoiceReply, stage: str) -> VoiceReply:
    VoiceReply.objects.filter(pk=reply.pk).update(stage=stage)
    reply.refresh_from_db()
    return reply


def approved(staff: Staff, **kw) -> VoiceReply:
    """A reply through every approval (the mayor's too when the voice is flagged)."""
    reply = drafted(staff, **kw)
    for name, by in (
        ("submit", staff.editor),
        ("approve_department", staff.head),
        ("approve_office", staff.office),
    ):
        reply = replies.reply_transition(reply=reply, by=by, name=name)
    if reply.stage == ReplyStage.OFFICE_APPROVED:
        reply = replies.reply_transition(reply=reply, by=staff.mayor, name="approve_mayor")
    return reply


def sent(staff: Staff, method: str = VoiceReply.Method.EMAIL, **kw) -> VoiceReply:
    reply = approved(staff, **kw)
    return replies.reply_send(reply=reply, by=staff.office, method=method)


def make_action(department: Department, text: str = "通学路の安全対策を進める。") -> Action:
    plan = Plan.objects.create(
        name="総合計画", kind="comprehensive", level_names=["施策"], is_published=True
    )
    node = PlanNode.objects.create(plan=plan, title="安全なまち", depth=0)
    action = Action.objects.create(plan=plan, node=node, text=text, title="通学路の安全対策")
    ActionDepartment.objects.create(action=action, position=0, department=department, is_lead=True)
    return action
