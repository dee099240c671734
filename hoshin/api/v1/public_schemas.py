"""Response shapes of the public detail endpoints (plans, actions, published sheets)."""

import datetime
from decimal import Decimal

from ninja import Field, Schema


class ScaleOut(Schema):
    code: str = Field(description="区分のコード（例: A）")
    label: str = Field(description="区分の表示名")
    meaning: str = Field("", description="区分の意味")


class DepartmentLineOut(Schema):
    department_id: int | None = Field(description="担当課のID（全庁・関係各課などはnull）")
    name: str = Field(description="担当課名、または「全庁」「関係各課など」")
    is_lead: bool = Field(description="主管課かどうか")


class KeyProjectOut(Schema):
    title: str
    status: str = Field(description="new（★新規）/ continuing（○継続）")


class ActionSummaryOut(Schema):
    id: int
    number: str
    title: str
    text: str
    departments: list[DepartmentLineOut]
    key_projects: list[KeyProjectOut]
    url: str = Field(description="公開サイトのページ")


class NodeOut(Schema):
    id: int
    depth: int
    level_name: str = Field(description="階層の名称（柱・方策・手法など）")
    number: str
    title: str
    vision: str = Field(description="めざす姿")
    challenges: list[str] = Field(description="これまでの取り組みと今後の課題")
    purpose: str
    action_count: int = Field(description="この節より下の取組の数")
    actions: list[ActionSummaryOut]
    children: list["NodeOut"]


NodeOut.model_rebuild()


class PlanOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    start_fy: int | None
    end_fy: int | None
    period_label: str
    description: str
    level_names: list[str]
    action_level_name: str
    owner_office: str
    contact: str
    source_title: str
    source_updated_on: datetime.date | None
    url: str
    nodes: list[NodeOut] = Field(description="計画の体系（木構造）")


# As the open-data indicators dataset documents them (hoshin.evaluations.figures.data_rate).
PROGRESS_RATE = (
    "進捗率：（実績値－基準値）÷（目標値－基準値）。比率で 1 が 100%。小数第4位まで。"
    "算出できない場合は null（note に理由）。"
)
ACHIEVEMENT_RATE = (
    "達成率：実績値÷目標値（低いほど良い指標は目標値÷実績値）。比率で 1 が 100%。小数第4位まで。"
)


class IndicatorOut(Schema):
    name: str
    unit: str
    kind: str
    kind_label: str
    direction: str = Field(description="higher（高いほどよい）/ lower（低いほどよい）")
    direction_label: str
    baseline: Decimal | None
    target: Decimal | None
    actual: Decimal | None
    progress_rate: Decimal | None = Field(description=PROGRESS_RATE)
    achievement_rate: Decimal | None = Field(description=ACHIEVEMENT_RATE)
    target_met: bool | None
    note: str = Field(description="率を示せない理由（維持目標、実績なし など）")


class CostColumnOut(Schema):
    label: str = Field(description="例: 令和7年度 決算")
    fy: int
    project_cost: Decimal = Field(description="事業費（千円）")
    person_years: Decimal = Field(description="人工（人）")
    staff_cost: Decimal | None = Field(description="人件費（千円）")
    total_cost: Decimal | None = Field(description="総コスト（千円）")
    unit_cost: Decimal | None = Field(
        description="単位コスト（千円、0.01千円単位）：決算の総コスト÷単位コストの基準とする指標の実績値"
    )
    funding: dict[str, Decimal] = Field(description="財源内訳（千円）")


class CostOut(Schema):
    columns: list[CostColumnOut]
    unit_cost_label: str


class ViewpointOut(Schema):
    viewpoint: ScaleOut
    score: ScaleOut | None


class PublicSheetOut(Schema):
    id: int
    plan_id: int
    action_id: int | None
    node_id: int | None
    fy: int = Field(description="年度（西暦、4月始まり）")
    fy_label: str = Field(description="例: 令和7年度（2025年度）")
    department_id: int | None
    department_name: str = Field(description="その年度の担当課")
    published_on: datetime.date | None
    purpose_target: str
    purpose_intent: str
    purpose_means: str
    legal_basis: str
    delivery_method: str
    activities: str
    indicators: list[IndicatorOut]
    cost: CostOut | None
    viewpoints: list[ViewpointOut]
    overall_grade: ScaleOut | None
    future_direction: ScaleOut | None
    department_comment: str
    improvement_plan: str
    review_comment: str
    progress_status: ScaleOut | None
    progress_grade: ScaleOut | None
    effect_savings: Decimal | None = Field(description="効果額：歳出削減（千円）")
    effect_revenue: Decimal | None = Field(description="効果額：歳入確保（千円）")


class SeriesPointOut(Schema):
    fy: int
    fy_label: str
    baseline: Decimal | None
    target: Decimal | None
    actual: Decimal | None
    achievement_rate: Decimal | None = Field(description=ACHIEVEMENT_RATE)
    note: str


class SeriesOut(Schema):
    key: str
    name: str
    unit: str
    direction: str
    kind_label: str
    points: list[SeriesPointOut]


class ActionOut(ActionSummaryOut):
    plan_id: int
    plan_name: str
    node_id: int
    results: list[PublicSheetOut] = Field(description="公表済みの評価結果（新しい年度から）")
    series: list[SeriesOut] = Field(description="指標の推移（公表済みの年度）")
