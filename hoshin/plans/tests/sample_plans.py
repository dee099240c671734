"""A small ParsedPlan with every field filled, for format and round-trip tests."""

import datetime

from hoshin.plans.formats.base import (
    ParsedAction,
    ParsedKeyProject,
    ParsedNode,
    ParsedNote,
    ParsedPlan,
)
from hoshin.plans.models import PlanKind

# Characters that must survive every round trip (all four exist in CP932).
HARD_CHARACTERS = "①㈱髙﨑"


def full_plan() -> ParsedPlan:
    """Three levels, several departments per action, markers, key projects, notes everywhere."""
    return ParsedPlan(
        format_name="test",
        kind=PlanKind.COMPREHENSIVE,
        level_names=["柱", "方策", "手法"],
        action_level_name="主な取組事項",
        source_title="第2次総合計画 後期基本計画",
        owner_office="髙﨑市 総務課 行政管理係",
        contact="〒976-8601 相馬市中村字北町63-3\n電話番号:0244-37-2120",
        source_updated_on=datetime.date(2024, 3, 1),
        start_fy=2023,
        end_fy=2027,
        roots=[
            ParsedNode(
                title="自立できる 自治体経営の推進",
                depth=0,
                vision="市民とともに歩む市役所",
                notes=[ParsedNote("柱", "計画の最上位の区分")],
                children=[
                    ParsedNode(
                        title="開かれた市政を推進します",
                        depth=1,
                        number="方策1",
                        vision="市政に関する情報が広くわかりやすく広報されています。",
                        challenges=[
                            "広報紙やウェブサイトで市政情報を提供しています。",
                            "市民ニーズが多様化しています。\nこのため協働を広げる必要があります。",
                        ],
                        children=[
                            ParsedNode(
                                title="広報・広聴の充実",
                                depth=2,
                                number="手法1",
                                purpose="市政への関心を高めます。\n市民の声を市政へ反映します。",
                                actions=[
                                    ParsedAction(
                                        text="見やすく親しみやすい広報紙を目指します。",
                                        title="広報活動の推進",
                                        number="(1)",
                                        departments=["秘書課", f"{HARD_CHARACTERS}課", "全庁"],
                                        key_projects=[
                                            ParsedKeyProject("日曜窓口サービス", is_new=False),
                                            ParsedKeyProject("㈱との協働による配信①", is_new=True),
                                        ],
                                        notes=[
                                            ParsedNote(
                                                "PDCA マネジメントサイクル",
                                                "Plan（計画）→ Do（実行）→ Check（評価）→ Act（改善）",
                                            )
                                        ],
                                    ),
                                    ParsedAction(
                                        text="「げんきのたね」などを通して広聴活動の充実を図ります。",
                                        title="広聴活動の充実",
                                        number="(2)",
                                        departments=["関係各課など"],
                                    ),
                                ],
                            ),
                            ParsedNode(
                                title="3R推進の取組",  # starts like a number, has none
                                depth=2,
                                actions=[
                                    ParsedAction(
                                        text="ごみの減量と再資源化を進める。",
                                        departments=["生活環境課", "総務課", "教育委員会"],
                                    )
                                ],
                            ),
                        ],
                    ),
                    ParsedNode(
                        title="効率的な行財政の運営を推進します",
                        depth=1,
                        number="方策2",
                        actions=[
                            ParsedAction(text="方策に直接付いた取組。", departments=["財政課"])
                        ],
                        children=[ParsedNode(title="まだ取組のない手法", depth=2, number="手法1")],
                    ),
                ],
            ),
            ParsedNode(title="二つ目の柱", depth=0, number="2"),
        ],
    )


def without_lines(parsed: ParsedPlan) -> ParsedPlan:
    """The plan with source line numbers and format name blanked, for comparisons."""
    parsed.format_name = ""
    for node in parsed.walk():
        node.line = 0
        for action in node.actions:
            action.line = 0
    return parsed
