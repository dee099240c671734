"""Create (or refresh) one demo user per role, with the departments they need.

    python manage.py create_demo_users [--password PW] [--allow-production]

Idempotent: departments are reused by name, users by username, roles are assigned only once;
running it again resets the demo users' password. A known password on a production server is
a hole, so with DEBUG off the command refuses unless --allow-production is given.
"""

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hoshin.org.demo import demo_user_steps
from hoshin.org.demo_contacts import demo_contacts_fill
from hoshin.org.models import Department, DepartmentKind, Role, User
from hoshin.org.services import department_create, department_update, user_assign_role

DEFAULT_PASSWORD = "hoshin-demo"

# (name, kind, parent name): the planning office sits in 総務課 行政管理係 as in the reform plan.
DEPARTMENTS = [
    ("総務部", DepartmentKind.BU, None),
    ("総務課", DepartmentKind.KA, "総務部"),
    ("行政管理係", DepartmentKind.KAKARI, "総務課"),
    ("地域防災対策室", DepartmentKind.SHITSU, "総務部"),
    ("財政課", DepartmentKind.KA, "総務部"),
    # Citizens' voices: the public-hearing office (広聴) under the mayor's office (市長公室).
    ("市長公室", DepartmentKind.SHITSU, None),
    ("広聴広報課", DepartmentKind.KA, "市長公室"),
]

# Kana readings of the demo's departments (those above and those the seed plans' import
# creates), so that pull-downs and lists come out in あいうえお順 as a city's would. The seed
# text names departments without readings; a department that already has one keeps it.
READINGS = {
    "市長公室": "しちょうこうしつ",
    "広聴広報課": "こうちょうこうほうか",
    "秘書課": "ひしょか",
    "総務部": "そうむぶ",
    "総務課": "そうむか",
    "行政管理係": "ぎょうせいかんりがかり",
    "地域防災対策室": "ちいきぼうさいたいさくしつ",
    "財政課": "ざいせいか",
    "税務課": "ぜいむか",
    "企画政策課": "きかくせいさくか",
    "情報政策課": "じょうほうせいさくか",
    "市民課": "しみんか",
    "生活環境課": "せいかつかんきょうか",
    "保健福祉部": "ほけんふくしぶ",
    "社会福祉課": "しゃかいふくしか",
    "高齢福祉課": "こうれいふくしか",
    "こども家庭課": "こどもかていか",
    "保険年金課": "ほけんねんきんか",
    "商工観光課": "しょうこうかんこうか",
    "土木課": "どぼくか",
    "建築課": "けんちくか",
    "下水道課": "げすいどうか",
    "教育委員会": "きょういくいいんかい",
    "教育部総務課": "きょういくぶそうむか",
    "学校教育課": "がっこうきょういくか",
    "生涯学習課": "しょうがいがくしゅうか",
    "中央公民館": "ちゅうおうこうみんかん",
    "各地区公民館": "かくちくこうみんかん",
    "図書館": "としょかん",
    "市民会館": "しみんかいかん",
    "議会事務局": "ぎかいじむきょく",
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    department: str | None  # the user's own department (所属)
    scoped: bool = False  # the role acts for that department only


DEMO_USERS = [
    DemoUser("demo-admin", "デモ システム管理者", Role.ADMIN, "行政管理係"),
    DemoUser("demo-planning", "デモ 企画担当", Role.PLANNING_OFFICE, "行政管理係"),
    DemoUser("demo-editor", "デモ 防災担当者", Role.DEPARTMENT_EDITOR, "地域防災対策室", True),
    DemoUser("demo-head", "デモ 防災室長", Role.DEPARTMENT_HEAD, "地域防災対策室", True),
    DemoUser("demo-committee", "デモ 外部評価委員", Role.COMMITTEE_MEMBER, None),
    DemoUser("demo-viewer", "デモ 閲覧者", Role.VIEWER, "財政課"),
    DemoUser("demo-hearing", "デモ 広聴担当", Role.PUBLIC_HEARING, "広聴広報課"),
    DemoUser("demo-mayor-office", "デモ 市長公室", Role.MAYOR_OFFICE, "市長公室"),
]


class Command(BaseCommand):
    help = "Create one demo user per role (idempotent) and print their usernames and password."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help="password for all demo users"
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="run even with DEBUG off (the password is printed and well known)",
        )

    def handle(self, *args, password: str, allow_production: bool, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off: demo users with a known password do not belong on a production "
                "server. Pass --allow-production if this really is a demo server."
            )
        if not password:
            raise CommandError("--password must not be empty.")
        with transaction.atomic():
            departments = self._departments()
            self._readings()
            rows = [self._user(demo, departments, password) for demo in DEMO_USERS]
            users = list(User.objects.filter(username__in=[d.username for d in DEMO_USERS]))
            users.sort(key=lambda user: [d.username for d in DEMO_USERS].index(user.username))
            extra = [line for step in demo_user_steps() for line in step(users)]
            filled = demo_contacts_fill()
        if filled:
            self.stdout.write(f"部署の連絡先（架空）を設定: {filled}件")
        self._print_table(rows)
        for line in extra:
            self.stdout.write(line)

    def _departments(self) -> dict[str, Department]:
        found: dict[str, Department] = {}
        for name, kind, parent_name in DEPARTMENTS:
            parent = found.get(parent_name) if parent_name else None
            # Reuse a department of that name, preferably under the expected parent.
            candidates = Department.objects.current().filter(name=name).order_by("id")
            existing = candidates.filter(parent=parent).first() or candidates.first()
            if existing is None:
                existing = department_create(name=name, kind=kind, parent=parent, by=None)
                self.stdout.write(f"部署を作成: {existing.full_name}")
            found[name] = existing
        return found

    def _readings(self) -> None:
        """Give the demo's departments their readings (see READINGS); set ones are kept."""
        for department in Department.objects.filter(name__in=READINGS, reading=""):
            department_update(department=department, reading=READINGS[department.name], by=None)

    def _user(self, demo: DemoUser, departments: dict[str, Department], password: str):
        department = departments[demo.department] if demo.department else None
        user = User.objects.filter(username=demo.username).first() or User(username=demo.username)
        user.display_name = demo.display_name
        user.department = department
        user.is_active = True
        user.is_staff = user.is_superuser = demo.role == Role.ADMIN
        user.set_password(password)
        user.save()
        user_assign_role(
            user=user, role=demo.role, department=department if demo.scoped else None, by=None
        )
        role_label = str(Role(demo.role).label)
        if demo.scoped:
            role_label += f"（{department.name}）"
        return (demo.username, role_label, department.name if department else "—", password)

    def _print_table(self, rows: list[tuple[str, str, str, str]]) -> None:
        header = ("ユーザー名", "役割", "所属", "パスワード")
        table = [header, *rows]
        widths = [max(_width(row[i]) for row in table) for i in range(len(header))]
        for index, row in enumerate(table):
            self.stdout.write(
                "  ".join(
                    _pad(cell, width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))


def _width(text: str) -> int:
    """Display width in a terminal: East Asian wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
