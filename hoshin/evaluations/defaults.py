"""The default evaluation template a plan starts from (the planning office may change its copy).

Scales are lists of ``{"code", "label", "meaning"}`` so that templates, sheets' frozen copies,
exports and the portal all read them the same way.
"""

DEFAULT_VIEWPOINTS = [
    {"code": "necessity", "label": "必要性", "meaning": "市が関与し続ける必要があるか"},
    {"code": "effectiveness", "label": "有効性", "meaning": "目的の達成に役立っているか"},
    {"code": "efficiency", "label": "効率性", "meaning": "費用に見合った成果が出ているか"},
    {"code": "achievement", "label": "達成度", "meaning": "目標をどこまで達成したか"},
    {"code": "priority", "label": "優先度", "meaning": "他の取組と比べて優先すべきか"},
]
DEFAULT_VIEWPOINT_SCALE = [
    {"code": "4", "label": "4", "meaning": "高い"},
    {"code": "3", "label": "3", "meaning": "やや高い"},
    {"code": "2", "label": "2", "meaning": "やや低い"},
    {"code": "1", "label": "1", "meaning": "低い"},
]
DEFAULT_GRADES = [
    {"code": "A", "label": "A", "meaning": "順調に成果が上がっている"},
    {"code": "B", "label": "B", "meaning": "概ね順調"},
    {"code": "C", "label": "C", "meaning": "成果が十分でなく改善が必要"},
    {"code": "D", "label": "D", "meaning": "成果が上がっておらず抜本的な見直しが必要"},
]
DEFAULT_DIRECTIONS = [
    {"code": "expand", "label": "拡充", "meaning": ""},
    {"code": "continue", "label": "継続", "meaning": ""},
    {"code": "improve", "label": "改善", "meaning": ""},
    {"code": "reduce", "label": "縮小", "meaning": ""},
    {"code": "suspend", "label": "休止・廃止", "meaning": ""},
    {"code": "complete", "label": "完了", "meaning": ""},
    {"code": "merge", "label": "統合", "meaning": ""},
]
DEFAULT_PROGRESS_STATUSES = [
    {"code": "not_started", "label": "未着手", "meaning": ""},
    {"code": "in_progress", "label": "取組中", "meaning": ""},
    {"code": "done", "label": "完了", "meaning": ""},
]
DEFAULT_PROGRESS_GRADES = [
    {"code": "S", "label": "S", "meaning": "特に良好"},
    {"code": "A", "label": "A", "meaning": "良好"},
    {"code": "B", "label": "B", "meaning": "概ね進捗"},
    {"code": "C", "label": "C", "meaning": "課題あり"},
]
DEFAULT_BLOCKS = ["purpose", "indicators", "cost", "viewpoints", "progress"]
ALL_BLOCKS = {
    "purpose": "目的（対象・意図・手段）",
    "indicators": "指標",
    "cost": "コスト",
    "viewpoints": "評価の視点・総合評価・今後の方向性",
    "progress": "進捗状況・効果額（行財政改革）",
}
