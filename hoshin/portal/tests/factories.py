"""Small builders for portal tests: departments, plans, nodes and actions through the ORM."""

import datetime
from dataclasses import dataclass, field

from hoshin.org.models import Department, DepartmentChange, DepartmentKind
from hoshin.plans.models import (
    Action,
    ActionDepartment,
    DepartmentMarker,
    KeyProject,
    Note,
    Plan,
    PlanKind,
    PlanNode,
)

HAZARD_MAP_TEXT = (
    "市民一人一人が水害の危険箇所を認識し、常日頃より防災意識を持つよう、"
    "津波ハザードマップおよび洪水ハザードマップを広報紙や防災メール、"
    "自主防災組織の訓練を通して広く周知する。"
)
DRILL_TEXT = (
    "市民が安心して地域で生活できるよう、防災訓練の実施を支援するなど自主防災組織との"
    "積極的な連携を通じ、地域の防災力向上を図る。"
)
LIFESAVING_TEXT = (
    "人命救助には、地域の救急・救助体制の整備が重要であるため、関係団体と連携して"
    "普通救命講習の実施を支援することで、互いに助け合える体制を構築する。"
)
SECRETARY_TEXT = (
    "市の取り組みなどに対する市民の理解を深めるため、多様な媒体や機会を利用し、"
    "地域経営および自治体経営に関する市長の考えについて情報発信を行う。"
)
TRAFFIC_TEXT = (
    "交通事故の発生を防ぐため、市民と地域ボランティアが一体となって交通安全に関する"
    "普及活動を行い、市民一人一人の交通事故対策への関心を高めていく。"
)
DISASTER_DEPARTMENT = "地域防災対策室"


def department(name: str, **fields) -> Department:
    fields.setdefault("kind", DepartmentKind.guess(name))
    return Department.objects.create(name=name, **fields)


def plan(name: str = "第6次行財政改革大綱に基づく実施計画", *, published: bool = True, **fields):
    fields.setdefault("kind", PlanKind.REFORM)
    fields.setdefault("level_names", ["大項目", "中項目", "取組"])
    return Plan.objects.create(name=name, is_published=published, **fields)


def node(plan: Plan, title: str, *, parent: PlanNode | None = None, **fields) -> PlanNode:
    depth = parent.depth + 1 if parent else 0
    fields.setdefault("position", PlanNode.objects.filter(plan=plan, parent=parent).count())
    return PlanNode.objects.create(plan=plan, parent=parent, depth=depth, title=title, **fields)


def action(
    node: PlanNode,
    text: str,
    *,
    departments: list[Department | str] = (),
    key_projects: list[tuple[str, bool]] = (),
    notes: list[tuple[str, str]] = (),
    **fields,
) -> Action:
    """An action; ``departments`` may hold Department rows or marker labels (全庁 / 関係各課など)."""
    fields.setdefault("position", Action.objects.filter(node=node).count())
    created = Action.objects.create(plan=node.plan, node=node, text=text, **fields)
    markers = {m.label: m.value for m in DepartmentMarker}
    lead_taken = False
    for position, item in enumerate(departments):
        if isinstance(item, Department):
            ActionDepartment.objects.create(
                action=created, position=position, department=item, is_lead=not lead_taken
            )
            lead_taken = True
        else:
            ActionDepartment.objects.create(action=created, position=position, marker=markers[item])
    for position, (title, is_new) in enumerate(key_projects):
        status = KeyProject.Status.NEW if is_new else KeyProject.Status.CONTINUING
        KeyProject.objects.create(action=created, position=position, title=title, status=status)
    for position, (term, body) in enumerate(notes):
        Note.objects.create(node=node, action=created, position=position, term=term, body=body)
    return created


def plan_of_size(name: str, *, sections: int, actions_per_section: int, departments) -> Plan:
    """A published plan with ``sections`` pillars × 2 levels, to compare query counts."""
    built = plan(name)
    for s in range(sections):
        pillar = node(built, f"柱{s}", number=str(s + 1), vision="めざす姿の説明")
        section = node(built, f"節{s}", parent=pillar, number=f"({s + 1})")
        Note.objects.create(node=section, term="用語", body="説明")
        for a in range(actions_per_section):
            action(
                section,
                f"取組{s}-{a}",
                departments=[departments[(s + a) % len(departments)], departments[0], "全庁"],
                key_projects=[("事業A", True), ("事業B", False)],
                notes=[("注", "注の説明")],
            )
    return built


@dataclass
class ReformSample:
    """The published reform plan the browser and view tests share, modelled on seed 001."""

    plan: Plan
    disaster: Department
    secretary: Department
    environment: Department
    general_affairs: Department
    former_disaster: Department
    hazard_map: Action
    disaster_actions: list[Action] = field(default_factory=list)
    other_actions: list[Action] = field(default_factory=list)


def reform_sample() -> ReformSample:
    """A published plan (大項目 → 中項目 → 取組 → 実施内容) shaped like the reform seed."""
    general = department("総務部", position=1)
    general_affairs = department("総務課", parent=general, position=1)
    disaster = department(DISASTER_DEPARTMENT, parent=general, position=2, valid_from_fy=2023)
    former = department("防災安全課", parent=general, position=3, valid_until_fy=2022)
    change = DepartmentChange.objects.create(
        kind=DepartmentChange.Kind.RENAME, effective_fy=2023, note="防災安全課を改称"
    )
    change.predecessors.add(former)
    change.successors.add(disaster)
    secretary = department("秘書課", position=4)
    environment = department("生活環境課", position=5)
    welfare = department("保健福祉部", position=6)
    education = department("教育委員会", position=7)

    reform = plan(
        start_fy=2023,
        end_fy=2027,
        action_level_name="実施内容",
        owner_office="総務課 行政管理係",
        contact="〒976-8601 福島県相馬市中村字北町63-3 市役所庁舎3階\n電話番号:0244-37-2120",
        source_title="第6次行財政改革大綱に基づく実施計画",
        source_updated_on=datetime.date(2023, 10, 17),
    )
    pillar = node(reform, "市民参画・市民協働の一層の推進", number="1")
    disclosure = node(reform, "行政情報の積極的開示、市民との共有化", parent=pillar, number="(1)")
    publicity = node(reform, "市民が市政に関心を寄せる情報発信の推進", parent=disclosure)
    hazard_map = action(
        publicity,
        HAZARD_MAP_TEXT,
        departments=[disaster],
        key_projects=[("防災メール配信事業", True), ("自主防災組織育成事業", False)],
        notes=[("自主防災組織", "住民が自主的に結成する防災活動の組織。")],
    )
    secretary_action = action(publicity, SECRETARY_TEXT, departments=[secretary])
    participation = node(reform, "市民参画・連携・協働の推進と適正化", parent=pillar, number="(2)")
    npo = node(reform, "NPO法人や地域団体との連携強化", parent=participation)
    drill = action(npo, DRILL_TEXT, departments=[disaster])
    lifesaving = action(npo, LIFESAVING_TEXT, departments=[disaster])
    traffic = action(npo, TRAFFIC_TEXT, departments=[environment])

    pillar2 = node(reform, "自治体経営の基盤強化", number="2")
    organisation = node(reform, "組織の効率的運営", parent=pillar2, number="(2)")
    Note.objects.create(node=organisation, term="定員管理", body="職員の数を適正に保つこと。")
    review = node(reform, "組織機構の積極的な見直しと部門間連携の強化", parent=organisation)
    children = action(
        review,
        "市民の行政手続きなどにおけるサービス向上につなげるため、こどもに関する業務を集約する"
        "とともに部門間の連携を図る。",
        departments=[general_affairs, welfare, education],
    )
    ict = action(
        review,
        "業務の迅速化と効率化のため、生成AIをはじめとしたICT技術などを積極的に活用する。",
        departments=["全庁"],
    )
    designated = action(
        review,
        "民間のノウハウを活かした手法を積極的に活用し、業務の効率化および市民サービスの向上を図る。",
        departments=["関係各課など"],
    )
    return ReformSample(
        plan=reform,
        disaster=disaster,
        secretary=secretary,
        environment=environment,
        general_affairs=general_affairs,
        former_disaster=former,
        hazard_map=hazard_map,
        disaster_actions=[hazard_map, drill, lifesaving],
        other_actions=[secretary_action, traffic, children, ict, designated],
    )


@dataclass
class DraftSample:
    plan: Plan
    node: PlanNode
    action: Action
    draft_only_department: Department


DRAFT_ACTION_TEXT = "未公表の検討中の取組：庁舎移転の候補地を比較する。"


def draft_sample(*, shared_department: Department) -> DraftSample:
    """An unpublished plan naming ``shared_department`` and a department only it uses."""
    draft = plan("第7次行財政改革大綱（案）", published=False, start_fy=2028, end_fy=2032)
    pillar = node(draft, "非公開の大項目", number="1")
    only = department("庁舎移転準備室")
    draft_action = action(pillar, DRAFT_ACTION_TEXT, departments=[shared_department, only])
    return DraftSample(plan=draft, node=pillar, action=draft_action, draft_only_department=only)
