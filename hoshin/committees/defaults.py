"""The scoring sheet a committee starts from, and the judgement lists cities commonly use.

Like ``hoshin.evaluations.defaults``, every list is ``[{"code", "label", "meaning"}]``, so
forms, exports and the portal read them one way. The secretariat may change a committee's copy
until the first score is entered (``services.register.committee_configure``).

Viewpoint scale codes are whole numbers: the mean viewpoint score of a target is computed
from them (``aggregation.viewpoint_means``).
"""

from hoshin.evaluations import defaults as evaluation_defaults

DEFAULT_VIEWPOINTS = [
    {"code": "necessity", "label": "必要性", "meaning": "社会的な需要があり、続ける必要があるか"},
    {"code": "involvement", "label": "市の関与", "meaning": "市が実施する必要があるか"},
    {"code": "effectiveness", "label": "有効性", "meaning": "目的の達成に役立っているか"},
    {"code": "efficiency", "label": "効率性", "meaning": "費用に見合った成果が出ているか"},
    {"code": "fairness", "label": "公平性", "meaning": "受益と負担が公平か"},
]
# The same 4-step scale as the evaluation sheets, so members and departments read scores alike.
DEFAULT_VIEWPOINT_SCALE = evaluation_defaults.DEFAULT_VIEWPOINT_SCALE

# Judgement lists seen in real cities (DOMAIN.md): the city picks one or writes its own.
JUDGEMENTS_SEVEN = [
    {"code": "expand", "label": "拡充", "meaning": ""},
    {"code": "maintain", "label": "現状維持", "meaning": ""},
    {"code": "improve", "label": "改善", "meaning": ""},
    {"code": "reduce", "label": "縮小", "meaning": ""},
    {"code": "merge", "label": "統合", "meaning": ""},
    {"code": "suspend", "label": "休止", "meaning": ""},
    {"code": "abolish", "label": "廃止", "meaning": ""},
]
JUDGEMENTS_SCREENING = [
    {"code": "unnecessary", "label": "不要", "meaning": "事業そのものが不要"},
    {"code": "private", "label": "民間", "meaning": "民間に委ねるべき"},
    {"code": "wider", "label": "国・県・広域", "meaning": "国・県・広域で実施すべき"},
    {"code": "improve", "label": "要改善", "meaning": "市が実施するが改善が必要"},
    {"code": "as_is", "label": "現行どおり", "meaning": "市が現行どおり実施"},
]
JUDGEMENTS_THREE = [
    {"code": "continue", "label": "このまま継続", "meaning": ""},
    {"code": "improve", "label": "改善して継続", "meaning": ""},
    {"code": "end", "label": "終了", "meaning": ""},
]
DEFAULT_JUDGEMENTS = JUDGEMENTS_SEVEN

JUDGEMENTS_MIN = 3
JUDGEMENTS_MAX = 7
