"""The staff menu: each entry is shown only to those who may open its page.

No entry carries a rule of its own: ``menu_for`` resolves the entry's URL and asks the view
(``hoshin.org.roles.view_allows``: the predicate its ``role_required`` decorator checks), so the
menu and the page can never disagree.
"""

from dataclasses import dataclass

from django.urls import resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hoshin.org.roles import view_allows


@dataclass(frozen=True)
class MenuEntry:
    key: str  # the page's ``nav_section`` (marks the current entry)
    label: str | Promise
    url_name: str


STAFF_MENU = (
    MenuEntry("tasks", _("マイタスク"), "backoffice:tasks"),
    MenuEntry("plans", _("計画一覧"), "backoffice:home"),
    MenuEntry("import", _("計画の取込"), "backoffice:plan_import"),
    MenuEntry("sheets", _("評価シート"), "evaluations:sheets"),
    MenuEntry("voices", _("市民の声"), "voices_staff:list"),
    MenuEntry("surveys", _("アンケート"), "surveys_staff:list"),
    MenuEntry("bulk", _("一括入力（Excel）"), "evaluations:bulk"),
    MenuEntry("dashboard", _("進捗ダッシュボード"), "evaluations:dashboard"),
    MenuEntry("cycles", _("評価年度の管理"), "evaluations:cycles"),
    MenuEntry("audit", _("操作記録"), "backoffice:audit_log"),
    MenuEntry("api_tokens", _("APIトークン"), "api_tokens:index"),
)
# Beside the user's name, with the logout button.
ACCOUNT_MENU = (MenuEntry("lockouts", _("ログインの停止と解除"), "accounts:lockouts"),)


@dataclass(frozen=True)
class MenuLink:
    key: str
    label: str
    url: str


def menu_for(*, user, entries=STAFF_MENU) -> list[MenuLink]:
    """The entries ``user`` may open, in menu order."""
    links = []
    for entry in entries:
        url = reverse(entry.url_name)
        if view_allows(resolve(url).func, user=user):
            links.append(MenuLink(entry.key, str(entry.label), url))
    return links
