"""Give the demo a realistic evaluated history for the reform plan of seed 001.

    manage.py seed_demo_evaluations [--plan NAME]

Needs the plan imported (make demo-data: import_plan … --publish) and the demo users
(create_demo_users). Creates, through the same services staff use:

- the staff unit cost (人件費単価) of FY2024–FY2026;
- FY2024: every sheet filled, submitted, approved, reviewed and published;
- FY2025: carried over from FY2024 (start_fiscal_year), with sheets in every stage — most
  published, some final, approved, submitted, returned with a comment, and drafts — so each
  demo user has something to do: demo-editor (地域防災対策室) a draft to finish and submit,
  demo-head a submitted sheet to approve, demo-planning approved sheets to review and final
  sheets to publish.

Content is derived from each action's text (purpose = intent + means of the sentence) and a
profile chosen by keywords (indicators with units, costs with their funding, legal basis,
effect amounts), with a fixed random seed: the same plan always gets the same data.
Departments other than 地域防災対策室 have no demo users; their sheets are written by an
inactive user ``demo-departments`` (no password) holding their editor and head roles.

Idempotent: if the plan already has FY2024 or FY2025, nothing is changed.
"""

import datetime
import random
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from hoshin.evaluations.models import (
    EvaluationCycle,
    EvaluationSheet,
    StaffUnitCost,
    Stage,
)
from hoshin.evaluations.services.comments import sheet_comment_add
from hoshin.evaluations.services.cycle import cycle_set_due_dates, fiscal_year_start
from hoshin.evaluations.services.sheets import indicator_add, sheet_update
from hoshin.evaluations.services.templates import staff_unit_cost_set
from hoshin.evaluations.services.workflow import sheet_transition, sheets_publish
from hoshin.org.models import Department, Role, User
from hoshin.org.services import user_assign_role
from hoshin.plans.models import Plan

REFORM_PLAN = "第6次行財政改革大綱に基づく実施計画"
SEED = 20250401
UNIT_COSTS = {2024: 7900, 2025: 8000, 2026: 8100}  # 千円 per person-year
FIRST_FY, SECOND_FY = 2024, 2025
# The services check dates against "today": each year is written after it has ended.
OPENED = {FIRST_FY: datetime.date(2024, 4, 1), SECOND_FY: datetime.date(2025, 4, 1)}
WRITTEN = {FIRST_FY: datetime.date(2025, 5, 20), SECOND_FY: datetime.date(2026, 5, 20)}
DEPARTMENT_USER = "demo-departments"
WHOLE_UNITS = {"回", "人", "件", "部", "区画", "橋", "戸", "施設", "基", "時間", "分", "g"}


@dataclass(frozen=True)
class IndicatorSpec:
    kind: str  # activity / outcome
    name: str
    unit: str
    direction: str  # higher / lower
    baseline: float
    targets: tuple[float, float]  # FY2024, FY2025


@dataclass(frozen=True)
class Profile:
    """What a kind of action is measured by and costs, chosen by keywords in its text."""

    keywords: tuple[str, ...]
    target: str  # 対象
    indicators: tuple[IndicatorSpec, ...]
    improvement: str
    legal: str = ""
    method: str = "direct"
    cost: tuple[int, int] = (500, 2000)  # budget range, 千円
    funding: dict = field(default_factory=dict)  # share of national / prefectural / …
    person_years: tuple[float, float] = (0.2, 0.5)
    savings: tuple[int, int] | None = None  # effect amounts, 千円
    revenue: tuple[int, int] | None = None
    intent: str = ""  # when the sentence gives a reason rather than an aim


def _i(kind, name, unit, direction, baseline, t1, t2) -> IndicatorSpec:
    return IndicatorSpec(kind, name, unit, direction, baseline, (t1, t2))


ACT, OUT, H, L = "activity", "outcome", "higher", "lower"

PROFILES = (
    Profile(
        ("ハザードマップ",),
        "市民（特に沿岸部・河川沿いの浸水想定区域の住民）",
        (
            _i(ACT, "ハザードマップ出前講座・説明会の開催回数", "回", H, 4, 10, 12),
            _i(OUT, "避難場所を確認している市民の割合（市民意識調査）", "%", H, 45.0, 55.0, 60.0),
        ),
        "防災メールの登録促進と合わせて若い世代や転入者への周知を強化し、"
        "自主防災組織の訓練でハザードマップを使った避難経路の確認を行う。",
        legal="災害対策基本法、水防法",
        cost=(1500, 2500),
        funding={"prefectural": 0.3},
        person_years=(0.3, 0.5),
    ),
    Profile(
        ("防災訓練",),
        "自主防災組織・行政区",
        (
            _i(ACT, "防災訓練の実施回数（支援分）", "回", H, 18, 24, 26),
            _i(OUT, "防災訓練の参加者数", "人", H, 1800, 2400, 2600),
        ),
        "訓練を実施していない行政区へ働きかけ、夜間や要配慮者の避難を想定した訓練メニューを提案する。",
        legal="災害対策基本法",
        method="subsidy",
        cost=(3000, 5000),
        funding={"prefectural": 0.25},
        person_years=(0.4, 0.6),
    ),
    Profile(
        ("救命",),
        "市民・市内の事業所",
        (
            _i(ACT, "普通救命講習の開催回数", "回", H, 12, 16, 18),
            _i(OUT, "普通救命講習の修了者数", "人", H, 240, 360, 400),
        ),
        "事業所単位での受講を呼びかけ、応急手当普及員の養成も進める。",
        legal="消防法",
        method="subsidy",
        cost=(600, 1000),
        person_years=(0.1, 0.2),
        intent="地域で互いに助け合い、救急車が到着するまでの応急手当ができる体制をつくる",
    ),
    Profile(
        ("排水",),
        "浸水被害のおそれがある地区の住民",
        (
            _i(ACT, "排水ポンプ車の運用訓練の回数", "回", H, 2, 4, 4),
            _i(OUT, "排水施設の機能強化の進捗率", "%", H, 20.0, 40.0, 55.0),
        ),
        "排水ポンプ車の配備先と操作要員の体制を見直し、機能強化の優先順位を浸水実績に基づいて整理する。",
        legal="下水道法",
        method="outsourced",
        cost=(20000, 60000),
        funding={"national": 0.4, "municipal_bonds": 0.4},
        person_years=(0.5, 1.0),
    ),
    Profile(
        ("災害時",),
        "行政区長・市職員",
        (
            _i(ACT, "マニュアル改訂・調整会議の開催回数", "回", H, 2, 4, 4),
            _i(OUT, "情報伝達訓練に参加した行政区の割合", "%", H, 60.0, 75.0, 80.0),
        ),
        "改訂したマニュアルを使った情報伝達訓練を毎年度行い、課題を次の改訂に反映する。",
        legal="災害対策基本法",
        cost=(300, 1500),
        person_years=(0.2, 0.4),
        intent="災害時にも必要な行政サービスを途切れさせず、被害状況を迅速に把握できるようにする",
    ),
    Profile(
        ("財政状況",),
        "市民",
        (
            _i(ACT, "財政状況の公表回数（広報紙・ホームページ）", "回", H, 2, 4, 4),
            _i(OUT, "財政状況の公表ページの閲覧数", "件", H, 3000, 4000, 4500),
        ),
        "図表を増やした「わかりやすい財政のはなし」を作成し、出前講座でも説明する。",
        legal="地方自治法",
        cost=(200, 600),
        person_years=(0.3, 0.5),
    ),
    Profile(
        ("行政経営システム", "外部評価"),
        "市の事務事業",
        (
            _i(ACT, "外部評価委員会の開催回数", "回", H, 3, 4, 4),
            _i(OUT, "評価結果を翌年度の予算・事業に反映した割合", "%", H, 60.0, 70.0, 80.0),
        ),
        "評価結果と予算査定の日程を連動させ、改善策の実施状況を年度の途中にも確認する。",
        intent="事務事業の成果を検証し、行政サービスの質を高める",
        cost=(300, 800),
        person_years=(0.8, 1.5),
    ),
    Profile(
        ("市長への手紙", "投書箱"),
        "市民",
        (
            _i(ACT, "市長への手紙・投書箱の受付件数", "件", H, 150, 160, 170),
            _i(OUT, "10日以内に回答した割合", "%", H, 70.0, 85.0, 90.0),
        ),
        "受付から回答までの状況を関係課と共有し、回答までの期間を短縮する。",
        cost=(200, 500),
        person_years=(0.5, 0.8),
    ),
    Profile(
        ("研修", "育成", "接遇", "人事評価"),
        "市職員",
        (
            _i(ACT, "研修の実施回数", "回", H, 8, 12, 14),
            _i(OUT, "研修が業務に役立ったと答えた受講者の割合", "%", H, 70.0, 80.0, 85.0),
        ),
        "受講後の職場での実践状況を所属長と共有し、翌年度の研修内容に反映する。",
        intent="職員が状況の変化に対応し、学んだことを現場で生かせるようにする",
        legal="地方公務員法",
        cost=(800, 2000),
        person_years=(0.3, 0.6),
    ),
    Profile(
        ("市税", "納付", "納税"),
        "市税の納税義務者",
        (
            _i(ACT, "コンビニ・スマホ決済による納付件数", "件", H, 18000, 22000, 25000),
            # A maintenance target: the rate is already high; keeping it is the aim.
            _i(OUT, "市税収納率（現年度分）", "%", H, 99.1, 99.1, 99.1),
        ),
        "滞納の初期段階での納税勧奨を強化し、口座振替とスマホ決済の利用を促す。",
        legal="地方税法",
        cost=(2000, 4000),
        person_years=(1.5, 2.5),
        revenue=(3000, 9000),
    ),
    Profile(
        ("企業誘致", "工業団地"),
        "市内への立地を検討する企業",
        (
            _i(ACT, "企業訪問・誘致活動の件数", "件", H, 40, 50, 55),
            _i(OUT, "工業団地の分譲区画数（累計）", "区画", H, 12, 14, 16),
        ),
        "首都圏での企業説明会への参加を増やし、立地した企業の操業後のフォローアップを行う。",
        cost=(2000, 5000),
        person_years=(0.8, 1.2),
        revenue=(10000, 40000),
    ),
    Profile(
        ("財政", "歳出", "地方債", "公債費"),
        "市の予算・事業",
        (
            _i(ACT, "予算編成時に見直した事業の件数", "件", H, 20, 30, 35),
            _i(OUT, "実質公債費比率", "%", L, 9.8, 9.5, 9.2),
        ),
        "中長期の財政見通しを毎年度更新し、新規事業はスクラップ・アンド・ビルドを徹底する。",
        intent="将来にわたって健全な財政運営を維持する",
        legal="地方財政法",
        cost=(0, 0),
        person_years=(0.5, 1.0),
        savings=(20000, 80000),
    ),
    Profile(
        ("業務を集約", "採用", "職員配置", "組織"),
        "市の組織・職員",
        (
            _i(ACT, "見直しを行った組織・業務の件数", "件", H, 3, 5, 5),
            _i(OUT, "見直しによる業務時間の削減", "時間", H, 0, 600, 1000),
        ),
        "見直しの効果を職員アンケートと窓口の待ち時間で検証し、次年度の組織改正に反映する。",
        intent="限られた職員で質の高い行政サービスを提供できる体制をつくる",
        legal="地方自治法",
        cost=(0, 500),
        person_years=(0.5, 1.0),
        savings=(1000, 4000),
    ),
    Profile(
        ("ICT", "オンライン", "デジタル", "LoGo", "生成AI"),
        "市民・市職員",
        (
            _i(ACT, "オンラインで受け付けた申請・回答の件数", "件", H, 2500, 4000, 5500),
            _i(OUT, "業務時間の削減効果", "時間", H, 800, 1500, 2200),
        ),
        "削減効果の大きい手続から順にオンライン化し、操作に不安のある市民への窓口支援を続ける。",
        legal="情報通信技術を活用した行政の推進等に関する法律",
        method="outsourced",
        cost=(5000, 12000),
        funding={"national": 0.3},
        person_years=(0.5, 1.0),
        savings=(1500, 4500),
    ),
    Profile(
        ("行政区",),
        "行政区に加入していない世帯",
        (
            _i(ACT, "加入案内の件数（転入時など）", "件", H, 300, 400, 450),
            _i(OUT, "行政区加入率", "%", H, 72.0, 74.0, 75.0),
        ),
        "未加入の理由を聞き取り、加入しやすい会費や役割分担の工夫を行政区と検討する。",
        legal="地方自治法",
        cost=(300, 600),
        person_years=(0.3, 0.5),
    ),
    Profile(
        ("ごみ",),
        "市民・事業者",
        (
            _i(ACT, "分別・減量の出前講座の開催回数", "回", H, 10, 14, 16),
            _i(OUT, "1人1日当たりのごみ排出量", "g", L, 980, 950, 930),
        ),
        "分別アプリの周知と、事業系ごみの排出指導を強化する。",
        legal="廃棄物の処理及び清掃に関する法律",
        cost=(4000, 7000),
        person_years=(0.5, 0.8),
        savings=(800, 2500),
    ),
    Profile(
        ("議会",),
        "市民",
        (
            _i(ACT, "議会だより・議会報告会などによる発信回数", "回", H, 20, 24, 24),
            _i(OUT, "本会議映像配信の視聴回数", "回", H, 6000, 8000, 9000),
        ),
        "若い世代に届くよう、SNSでの発信と録画配信の見出し付けを進める。",
        intent="市民が市議会の活動を知り、関心を持つ",
        legal="地方自治法",
        cost=(3000, 4500),
        person_years=(0.6, 1.0),
    ),
    Profile(
        ("利用料金", "使用料"),
        "社会教育施設などの利用者",
        (
            _i(ACT, "施設の利用件数", "件", H, 5200, 5600, 5800),
            _i(OUT, "利用者満足度", "%", H, 72.0, 78.0, 80.0),
        ),
        "利用の少ない時間帯の割引を試行し、料金改定後の利用状況を検証する。",
        legal="地方自治法",
        method="designated_manager",
        cost=(15000, 25000),
        funding={"other": 0.3},
        person_years=(0.5, 0.8),
        savings=(500, 1500),
        revenue=(-600, -300),  # lower fees: a negative effect, printed △
    ),
    Profile(
        ("指定管理", "民間のノウハウ"),
        "公の施設とその利用者",
        (
            _i(ACT, "指定管理者制度を導入した施設数", "施設", H, 12, 13, 14),
            _i(OUT, "導入施設の利用者満足度", "%", H, 75.0, 80.0, 82.0),
        ),
        "モニタリングの評価項目を統一し、次期指定に向けて導入施設を拡大する。",
        legal="地方自治法第244条の2",
        method="designated_manager",
        cost=(80000, 120000),
        funding={"other": 0.2},
        person_years=(0.5, 1.0),
        savings=(8000, 20000),
    ),
    Profile(
        ("橋梁", "トンネル"),
        "市が管理する橋梁・トンネル",
        (
            _i(ACT, "橋梁の定期点検数", "橋", H, 30, 40, 40),
            _i(OUT, "長寿命化修繕を完了した橋梁数（累計）", "橋", H, 8, 11, 14),
        ),
        "点検結果の健全度に基づいて修繕の優先順位を見直し、新技術の活用で点検費用を抑える。",
        legal="道路法",
        method="outsourced",
        cost=(40000, 90000),
        funding={"national": 0.55, "municipal_bonds": 0.35},
        person_years=(1.0, 1.5),
        savings=(5000, 15000),
    ),
    Profile(
        ("市営住宅",),
        "市営住宅とその入居者",
        (
            _i(ACT, "計画的改修を行った住戸数", "戸", H, 20, 30, 30),
            _i(OUT, "市営住宅の入居率", "%", H, 88.0, 90.0, 92.0),
        ),
        "老朽化した団地の集約を検討し、改修と入居募集の時期を合わせる。",
        legal="公営住宅法",
        method="outsourced",
        cost=(20000, 50000),
        funding={"national": 0.45, "municipal_bonds": 0.3, "other": 0.1},
        person_years=(0.8, 1.2),
    ),
    Profile(
        ("下水道",),
        "下水道施設",
        (
            _i(ACT, "管路の調査延長", "km", H, 5, 8, 8),
            _i(OUT, "ストックマネジメント計画に対する改築の進捗率", "%", H, 30.0, 40.0, 50.0),
        ),
        "調査結果を計画に反映し、改築の時期を平準化する。",
        legal="下水道法",
        method="outsourced",
        cost=(30000, 70000),
        funding={"national": 0.5, "municipal_bonds": 0.45},
        person_years=(0.8, 1.2),
    ),
    Profile(
        ("遊具",),
        "小学校の児童",
        (
            _i(ACT, "遊具の点検件数", "件", H, 120, 120, 120),
            _i(OUT, "更新・修繕した遊具の数（累計）", "基", H, 0, 8, 14),
        ),
        "児童数の見通しに合わせて更新する遊具を絞り込み、維持管理費を抑える。",
        method="outsourced",
        cost=(5000, 9000),
        person_years=(0.2, 0.4),
    ),
    Profile(
        ("おくやみ",),
        "亡くなった方のご遺族",
        (
            _i(ACT, "おくやみコーナーの利用件数", "件", H, 350, 380, 400),
            _i(OUT, "手続に要する平均時間", "分", L, 120, 90, 75),
        ),
        "事前予約の案内を充実させ、関係課の書類をさらに共通化する。",
        cost=(200, 600),
        person_years=(0.5, 0.8),
        savings=(300, 900),
    ),
    Profile(
        ("障がい",),
        "障がいのある人とその家族",
        (
            _i(ACT, "協議会・部会の開催回数", "回", H, 6, 8, 8),
            _i(OUT, "相談支援の利用者数", "人", H, 180, 200, 210),
        ),
        "協議会で共有した課題を計画の見直しに反映し、相談支援事業所との連携を強化する。",
        legal="障害者総合支援法",
        cost=(1000, 3000),
        funding={"national": 0.5, "prefectural": 0.25},
        person_years=(0.5, 0.8),
    ),
    Profile(
        ("健診",),
        "国民健康保険の被保険者（40～74歳）",
        (
            _i(ACT, "受診勧奨の通知件数", "件", H, 3000, 3500, 3800),
            _i(OUT, "特定健診の受診率", "%", H, 42.0, 46.0, 50.0),
        ),
        "未受診者の理由に応じた勧奨はがきを作成し、休日健診の回数を増やす。",
        legal="高齢者の医療の確保に関する法律",
        method="outsourced",
        cost=(8000, 12000),
        funding={"national": 0.33, "prefectural": 0.33},
        person_years=(0.5, 1.0),
    ),
    Profile(
        ("放課後児童",),
        "就労などで昼間に保護者がいない小学生とその保護者",
        (
            _i(ACT, "放課後児童クラブの定員", "人", H, 400, 440, 480),
            _i(OUT, "放課後児童クラブの待機児童数", "人", L, 25, 10, 0),
        ),
        "利用希望の多い学区で実施場所を確保し、支援員の確保策を検討する。",
        legal="児童福祉法",
        method="outsourced",
        cost=(30000, 45000),
        funding={"national": 0.33, "prefectural": 0.33},
        person_years=(0.5, 1.0),
    ),
    Profile(
        ("高齢", "介護", "成年後見", "体操"),
        "高齢者とその家族",
        (
            _i(ACT, "講習会・教室の開催回数", "回", H, 30, 40, 45),
            _i(OUT, "講習会・教室の参加者数（延べ）", "人", H, 900, 1200, 1350),
        ),
        "地区の集会所での開催を増やし、参加者が自主的に続けられるよう指導者を養成する。",
        legal="介護保険法",
        method="outsourced",
        cost=(2000, 4000),
        funding={"national": 0.25, "prefectural": 0.125, "other": 0.25},
        person_years=(0.5, 0.8),
    ),
    Profile(
        ("読解力", "学力"),
        "市立小・中学校の児童生徒",
        (
            _i(ACT, "授業改善の研修・公開授業の実施回数", "回", H, 10, 14, 16),
            _i(OUT, "平均正答率が全国平均以上の教科の割合", "%", H, 40.0, 50.0, 60.0),
        ),
        "調査結果の分析を学校ごとに行い、授業改善の取組を学校間で共有する。",
        legal="学校教育法",
        cost=(1000, 3000),
        person_years=(0.5, 1.0),
    ),
    Profile(
        ("講座", "読み聞かせ", "図書館"),
        "市民（子どもから高齢者まで）",
        (
            _i(ACT, "講座・読み聞かせ会の開催回数", "回", H, 40, 48, 50),
            _i(OUT, "講座・読み聞かせ会の参加者数", "人", H, 1200, 1400, 1500),
        ),
        "参加者アンケートの結果をもとに、若い世代や親子で参加しやすい日時と内容に見直す。",
        legal="社会教育法",
        cost=(500, 1500),
        person_years=(0.3, 0.6),
    ),
    Profile(
        ("交通",),
        "市民（特に子どもと高齢者）",
        (
            _i(ACT, "交通安全教室・街頭活動の実施回数", "回", H, 60, 70, 72),
            _i(OUT, "市内の人身交通事故の件数", "件", L, 95, 85, 80),
        ),
        "事故の多い交差点での街頭活動を増やし、高齢者向けの交通安全教室を地区ごとに開く。",
        legal="交通安全対策基本法",
        cost=(800, 1500),
        person_years=(0.3, 0.5),
    ),
    Profile(
        ("アンケート", "意見", "ニーズ", "調査"),
        "市民・利用者",
        (
            _i(ACT, "アンケート・意見聴取の実施件数", "件", H, 3, 5, 6),
            _i(OUT, "調査結果を事業の見直しに活用した件数", "件", H, 1, 3, 4),
        ),
        "調査結果を公表し、事業の見直しにどう生かしたかを市民に伝える。",
        cost=(300, 1000),
        person_years=(0.2, 0.4),
    ),
    Profile(
        ("発信", "周知", "公表", "広報"),
        "市民",
        (
            _i(ACT, "広報紙・ホームページ・SNSでの発信回数", "回", H, 60, 80, 90),
            _i(OUT, "市の情報が分かりやすいと答えた市民の割合", "%", H, 55.0, 60.0, 65.0),
        ),
        "発信内容をテーマ別に整理し、SNSの閲覧数を分析して発信の時間帯と形式を見直す。",
        cost=(1500, 3000),
        person_years=(0.3, 0.6),
    ),
)
DEFAULT_PROFILE = Profile(
    (),
    "市民",
    (
        _i(ACT, "取組の実施件数", "件", H, 5, 8, 10),
        _i(OUT, "取組の目標に対する進捗率", "%", H, 30.0, 60.0, 80.0),
    ),
    "取組の成果を指標で確認し、課題のある部分から実施方法を見直す。",
    intent="計画に掲げた取組の成果を市民に届ける",
)

# How the year went: a share of the way from baseline to target, drawn per sheet.
OUTCOMES = [1.2, 1.1, 1.0, 1.0, 0.95, 0.9, 0.85, 0.75, 0.6, 0.45, 0.25]
GRADE_COMMENTS = {
    "A": "目標を上回る成果が上がっている。引き続き効率的な実施に努める。",
    "B": "概ね計画どおりに進んでいる。{weak}の向上が今後の課題である。",
    "C": "{weak}が目標を下回った。対象への働きかけの方法を見直す必要がある。",
    "D": "成果が十分に上がっていない。事業のあり方を含めて見直す。",
}
REVIEW_COMMENTS = {
    "A": "一次評価のとおり。成果が上がっており、現在の方法で継続することが妥当である。",
    "B": "一次評価のとおり。{weak}について、改善策の実施状況を年度の途中に確認する。",
    "C": "成果指標が目標を下回っている。改善策の具体的な工程を示し、次年度の予算要求に反映すること。",
    "D": "事業の必要性は認められるが、手法の抜本的な見直しが必要である。縮小を含めて検討すること。",
}
DIRECTIONS = {
    "A": ["継続", "継続", "拡充"],
    "B": ["継続", "改善"],
    "C": ["改善"],
    "D": ["改善", "縮小"],
}
PROGRESS_GRADE = {"A": "A", "B": "B", "C": "C", "D": "C"}

# FY2025: which sheets stay at which stage (the rest are published). Indexes into the list
# of sheets of departments without demo users, after a seeded shuffle.
FY2025_STAGES = (
    [Stage.DRAFT] * 3
    + [Stage.RETURNED] * 3
    + [Stage.SUBMITTED] * 3
    + [Stage.APPROVED] * 4
    + [Stage.FINAL] * 4
)
# 地域防災対策室, the demo users' department: something for each of them to do.
DEMO_DEPARTMENT = "地域防災対策室"
DEMO_STAGES = {"ハザードマップ": Stage.PUBLISHED, "防災訓練": Stage.DRAFT, "救命": Stage.SUBMITTED}
SEND_BACK_COMMENTS = [
    "成果指標が活動量の指標になっています。市民にとっての成果が分かる指標に見直してください。",
    "決算見込額が予算額と同額です。決算見込の数値を確認してください。",
    "改善策が昨年度と同じ内容です。今年度の評価を踏まえた具体的な改善策を記入してください。",
]
RETURN_COMMENT = "参加者数の実績値の根拠（参加者名簿の集計）を確認してから提出してください。"
STAFF_COMMENTS = [
    "指標の実績値は事業報告書の数値と一致しているか確認をお願いします。",
    "共同で担当している課の実績も含めています。内容の確認をお願いします。",
]


def profile_for(text: str) -> Profile:
    for profile in PROFILES:
        if any(keyword in text for keyword in profile.keywords):
            return profile
    return DEFAULT_PROFILE


_AIM = re.compile(r"^(?P<aim>.+?)(?:ため、|ため|よう、|に向け、|に向けて、)(?P<means>.+)$", re.S)


def purpose_of(text: str, profile: Profile) -> tuple[str, str]:
    """(intent, means) from an action sentence: "Xため、Y。" → X is the aim, Y the means."""
    text = text.strip()
    match = _AIM.match(text)
    if not match:
        return profile.intent or DEFAULT_PROFILE.intent, text
    aim, means = match.group("aim").strip("、 "), match.group("means").strip()
    if aim.endswith("の"):
        aim = aim[:-1] + "を図る"
    elif aim.endswith("にする"):
        aim = aim[: -len("にする")] + "にする"
    if profile.intent and ("重要" in aim or "必要" in aim):
        aim = profile.intent
    return aim, means


_PAST = [
    ("していく。", "してきた。"),
    ("して行く。", "してきた。"),
    ("ていく。", "てきた。"),
    ("する。", "した。"),
    ("図る。", "図った。"),
    ("行う。", "行った。"),
    ("進める。", "進めた。"),
    ("努める。", "努めた。"),
    ("目指す。", "目指した。"),
    ("取り組む。", "取り組んだ。"),
    ("つなげる。", "つなげた。"),
    ("増やす。", "増やした。"),
]


def in_past(sentence: str) -> str:
    for present, past in _PAST:
        if sentence.endswith(present):
            return sentence[: -len(present)] + past
    return sentence.rstrip("。") + "ことに取り組んだ。"


def rounded(value: float, unit: str) -> Decimal:
    if unit in WHOLE_UNITS:
        return Decimal(round(value))
    return Decimal(str(round(value, 1)))


def text_of(value) -> str:
    return "" if value is None else format(Decimal(value).normalize(), "f")


@dataclass
class YearValues:
    """What one sheet's year came to: actual values and the grade they earn."""

    actuals: list[Decimal | None]
    grade: str
    weak: str  # the indicator that did worst, for the comments


class Command(BaseCommand):
    help = "デモ用に、行財政改革の実施計画の評価結果（令和6年度・令和7年度）を作成します。"

    def add_arguments(self, parser):
        parser.add_argument("--plan", default=REFORM_PLAN, help=f"計画名（既定: {REFORM_PLAN}）")

    def handle(self, *args, plan: str, **options):
        target = Plan.objects.filter(name=plan).first()
        if target is None:
            raise CommandError(
                f"計画「{plan}」がありません。先に make demo-data（import_plan）で取り込んでください。"
            )
        users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
        missing = {"demo-planning", "demo-editor", "demo-head"} - set(users)
        if missing:
            raise CommandError(
                f"デモユーザー（{'、'.join(sorted(missing))}）がいません。"
                "先に python manage.py create_demo_users を実行してください。"
            )
        existing = EvaluationCycle.objects.filter(plan=target, fy__in=[FIRST_FY, SECOND_FY])
        if existing.exists():
            self.stdout.write(
                f"「{target.name}」の評価データは作成済みです（変更しませんでした）。"
            )
            return
        self.planner = users["demo-planning"]
        self.editor, self.head = users["demo-editor"], users["demo-head"]
        self.rng = random.Random(SEED)
        self.weak: dict[int, str] = {}
        with transaction.atomic():
            self._unit_costs()
            self.department_user = self._department_user(target)
            first = self._first_year(target)
            second = self._second_year(target, first)
        self._report(target, second)

    # ---- setup ------------------------------------------------------------------------------

    def _unit_costs(self) -> None:
        for fy, amount in UNIT_COSTS.items():
            if not StaffUnitCost.objects.filter(fy=fy).exists():
                staff_unit_cost_set(fy=fy, amount=amount, by=self.planner)

    def _department_user(self, plan: Plan) -> User:
        """The writer of departments that have no demo users (inactive: nobody logs in as it)."""
        user = User.objects.filter(username=DEPARTMENT_USER).first()
        if user is None:
            user = User(username=DEPARTMENT_USER, display_name="各課の担当者（デモデータ）")
            user.set_unusable_password()
            user.is_active = False
            user.save()
        departments = Department.objects.filter(
            responsibilities__action__plan=plan, valid_until_fy__isnull=True
        ).distinct()
        for department in departments:
            for role in (Role.DEPARTMENT_EDITOR, Role.DEPARTMENT_HEAD):
                user_assign_role(user=user, role=role, department=department, by=None)
        return user

    def _writers(self, sheet: EvaluationSheet) -> tuple[User, User]:
        """(editor, head) of a sheet: the demo users, the planning office or the others."""
        if sheet.department_id is None:
            return self.planner, self.planner
        if sheet.department.name == DEMO_DEPARTMENT:
            return self.editor, self.head
        return self.department_user, self.department_user

    # ---- the years ----------------------------------------------------------------------------

    def _sheets(self, cycle: EvaluationCycle) -> list[EvaluationSheet]:
        return list(
            cycle.sheets.select_related("action", "department", "cycle").order_by(
                "action__node__depth", "action__node__position", "action__position", "action_id"
            )
        )

    def _first_year(self, plan: Plan) -> EvaluationCycle:
        cycle = fiscal_year_start(
            plan=plan, fy=FIRST_FY, by=self.planner, today=OPENED[FIRST_FY]
        ).cycle
        cycle_set_due_dates(
            cycle=cycle,
            by=self.planner,
            submit_due=datetime.date(2025, 6, 30),
            approve_due=datetime.date(2025, 7, 15),
            review_due=datetime.date(2025, 7, 31),
        )
        for sheet in self._sheets(cycle):
            profile = profile_for(sheet.action.text)
            for spec in profile.indicators:
                indicator_add(
                    sheet=sheet,
                    by=self._writers(sheet)[0],
                    name=spec.name,
                    unit=spec.unit,
                    kind=spec.kind,
                    expected_version=_version(sheet),
                )
            self._fill(sheet, profile, fy=FIRST_FY, first_year=True)
            self._move(sheet, Stage.FINAL)
        sheets_publish(cycle=cycle, by=self.planner)
        return cycle

    def _second_year(self, plan: Plan, first: EvaluationCycle) -> EvaluationCycle:
        cycle = fiscal_year_start(
            plan=plan, fy=SECOND_FY, by=self.planner, today=OPENED[SECOND_FY]
        ).cycle
        today = datetime.date.today()
        cycle_set_due_dates(
            cycle=cycle,
            by=self.planner,
            submit_due=today + datetime.timedelta(days=7),
            approve_due=today + datetime.timedelta(days=14),
            review_due=today + datetime.timedelta(days=28),
        )
        sheets = self._sheets(cycle)
        stages = self._stages_for(sheets)
        for sheet in sheets:
            profile = profile_for(sheet.action.text)
            stage = stages[sheet.pk]
            self._fill(sheet, profile, fy=SECOND_FY, first_year=False, partial=stage == Stage.DRAFT)
        # Publish first, then move the others: sheets_publish takes every final sheet.
        for sheet in sheets:
            if stages[sheet.pk] == Stage.PUBLISHED:
                self._move(sheet, Stage.FINAL)
        sheets_publish(cycle=cycle, by=self.planner)
        returned = 0
        for sheet in sheets:
            stage = stages[sheet.pk]
            if stage in (Stage.SUBMITTED, Stage.APPROVED, Stage.FINAL):
                self._move(sheet, stage)
            elif stage == Stage.RETURNED:
                self._return(sheet, number=returned)
                returned += 1
        for sheet, body in zip(
            [s for s in sheets if stages[s.pk] in (Stage.SUBMITTED, Stage.RETURNED)],
            STAFF_COMMENTS,
            strict=False,
        ):
            sheet_comment_add(sheet=sheet, by=self.planner, body=body)
        return cycle

    def _stages_for(self, sheets: list[EvaluationSheet]) -> dict[int, str]:
        stages = {}
        others = []
        for sheet in sheets:
            if sheet.department_id and sheet.department.name == DEMO_DEPARTMENT:
                stages[sheet.pk] = next(
                    (s for key, s in DEMO_STAGES.items() if key in sheet.action.text),
                    Stage.PUBLISHED,
                )
            else:
                others.append(sheet)
        self.rng.shuffle(others)
        for index, sheet in enumerate(others):
            stages[sheet.pk] = (
                FY2025_STAGES[index] if index < len(FY2025_STAGES) else Stage.PUBLISHED
            )
        return stages

    # ---- one sheet ----------------------------------------------------------------------------

    def _year_values(self, sheet, profile: Profile, fy: int) -> YearValues:
        index = fy - FIRST_FY
        actuals, scores = [], []
        for spec in profile.indicators:
            target, base = spec.targets[index], spec.baseline
            if "ハザードマップ" in sheet.action.text:
                # The flagship of the demo: fixed numbers, and no survey in FY2025 (biennial).
                value = {FIRST_FY: [9, 51.2], SECOND_FY: [14, None]}[fy][len(actuals)]
                actual = None if value is None else rounded(value, spec.unit)
            elif target == base:
                actual = rounded(base + self.rng.choice([-0.2, 0.1, 0.2]), spec.unit)
            else:
                share = self.rng.choice(OUTCOMES)
                actual = rounded(base + share * (target - base), spec.unit)
            actuals.append(actual)
            if actual is not None and target != base:
                scores.append(float(actual - Decimal(str(base))) / (target - base))
            elif actual is not None:
                scores.append(1.0)
        mean = sum(scores) / len(scores) if scores else 0.8
        grade = "A" if mean >= 0.95 else "B" if mean >= 0.7 else "C" if mean >= 0.4 else "D"
        weakest = min(
            range(len(scores)), key=lambda i: scores[i], default=len(profile.indicators) - 1
        )
        return YearValues(actuals=actuals, grade=grade, weak=profile.indicators[weakest].name)

    def _fill(
        self, sheet, profile: Profile, *, fy: int, first_year: bool, partial: bool = False
    ) -> None:
        editor = self._writers(sheet)[0]
        sheet.refresh_from_db()
        indicators = list(sheet.indicators.order_by("position", "id"))
        year = self._year_values(sheet, profile, fy)
        self.weak[sheet.pk] = year.weak
        raw: dict[str, object] = {}
        if first_year:
            intent, means = purpose_of(sheet.action.text, profile)
            raw.update(
                purpose_target=profile.target,
                purpose_intent=intent + "。",
                purpose_means=means,
                legal_basis=profile.legal,
                delivery_method=profile.method,
            )
        index = fy - FIRST_FY
        for spec, indicator, actual in zip(
            profile.indicators, indicators, year.actuals, strict=False
        ):
            prefix = f"indicator.{indicator.pk}."
            raw[prefix + "kind"] = spec.kind
            raw[prefix + "direction"] = spec.direction
            raw[prefix + "baseline"] = text_of(rounded(spec.baseline, spec.unit))
            raw[prefix + "target"] = text_of(rounded(spec.targets[index], spec.unit))
            raw[prefix + "actual"] = text_of(actual)
            if partial:
                break  # a draft in progress: the first actual typed, the rest to do
        raw.update(self._costs(sheet, profile, first_year=first_year))
        if partial:
            sheet_update(
                sheet=sheet,
                by=editor,
                raw=raw,
                expected_version=sheet.version,
                today=WRITTEN[fy],
            )
            return
        raw.update(self._judgement(sheet, profile, year, first_year=first_year))
        sheet_update(
            sheet=sheet, by=editor, raw=raw, expected_version=sheet.version, today=WRITTEN[fy]
        )
        # No service sets the unit-cost basis yet (the sheet form may); the output indicator.
        if profile.cost[1] and indicators and indicators[0].unit in WHOLE_UNITS:
            EvaluationSheet.objects.filter(pk=sheet.pk).update(unit_cost_indicator=indicators[0])

    def _costs(self, sheet, profile: Profile, *, first_year: bool) -> dict:
        low, high = profile.cost
        raw = {}
        budget_total = self.rng.randint(low, high) // 10 * 10 if high else 0
        if not first_year:
            # This year's budget was carried over from last year's estimate.
            budget = {line.kind: line for line in sheet.costs.all()}.get("budget")
            if budget is not None and budget.project_cost:
                budget_total = int(budget.project_cost)
        years = round(self.rng.uniform(*profile.person_years), 1)
        totals = {
            "budget": budget_total,
            "actual": int(budget_total * self.rng.uniform(0.86, 1.0)),
            "next_budget": int(budget_total * self.rng.uniform(0.95, 1.08)) // 10 * 10,
        }
        for kind, total in totals.items():
            rest = total
            for name, share in profile.funding.items():
                amount = int(total * share)
                raw[f"cost.{kind}.{name}"] = str(amount)
                rest -= amount
            raw[f"cost.{kind}.general"] = str(rest)
            spent = (
                years
                if kind != "actual"
                else max(0.1, round(years + self.rng.uniform(-0.1, 0.1), 1))
            )
            raw[f"cost.{kind}.person_years"] = str(spent)
        return raw

    def _judgement(self, sheet, profile, year: YearValues, *, first_year: bool) -> dict:
        grade = year.grade
        achievement = {"A": "4", "B": "3", "C": "2", "D": "1"}[grade]
        scores = {
            "viewpoint.necessity": self.rng.choice(["4", "4", "3"]),
            "viewpoint.effectiveness": achievement if grade != "A" else self.rng.choice(["4", "3"]),
            "viewpoint.efficiency": self.rng.choice(["4", "3", "3", "2"]),
            "viewpoint.achievement": achievement,
            "viewpoint.priority": self.rng.choice(["4", "3", "3", "2"]),
        }
        lines = [in_past(purpose_of(sheet.action.text, profile)[1])]
        for spec, actual in zip(profile.indicators, year.actuals, strict=False):
            index = 0 if first_year else 1
            if actual is None:
                lines.append(f"{spec.name}は、調査が隔年実施のため今年度の実績値はない。")
            else:
                lines.append(
                    f"{spec.name}は{text_of(actual)}{spec.unit}"
                    f"（目標{text_of(rounded(spec.targets[index], spec.unit))}{spec.unit}）となった。"
                )
        direction = self.rng.choice(DIRECTIONS[grade])
        progress_grade = PROGRESS_GRADE[grade]
        if grade == "A" and self.rng.random() < 0.4:
            progress_grade = "S"
        raw = {
            **scores,
            "activities": "".join(lines),
            "overall_grade": grade,
            "future_direction": direction,
            "department_comment": GRADE_COMMENTS[grade].format(weak=year.weak),
            "improvement_plan": profile.improvement,
            "progress_status": "完了"
            if not first_year and grade in "AB" and self.rng.random() < 0.15
            else "取組中",
            "progress_grade": progress_grade,
        }
        for name, bounds in (
            ("effect_savings", profile.savings),
            ("effect_revenue", profile.revenue),
        ):
            if bounds is not None:
                raw[name] = str(self.rng.randint(*bounds) // 10 * 10)
        return raw

    def _move(self, sheet: EvaluationSheet, stage: str) -> None:
        """Submit, approve and review a filled sheet up to ``stage``."""
        editor, head = self._writers(sheet)
        steps = [("submit", editor, Stage.SUBMITTED), ("approve", head, Stage.APPROVED)]
        steps.append(("finalize", self.planner, Stage.FINAL))
        for name, user, reached in steps:
            if name == "finalize":
                grade = sheet.overall_grade or "B"
                comment = REVIEW_COMMENTS[grade].format(weak=self.weak.get(sheet.pk, "指標"))
                sheet = sheet_transition(sheet=sheet, by=user, name=name, review_comment=comment)
            else:
                sheet = sheet_transition(sheet=sheet, by=user, name=name)
            if reached == stage:
                return

    def _return(self, sheet: EvaluationSheet, *, number: int) -> None:
        """Send a sheet back with a comment: the first by its head, the others by planning."""
        editor, head = self._writers(sheet)
        if number == 0:
            sheet = sheet_transition(sheet=sheet, by=editor, name="submit")
            sheet_transition(sheet=sheet, by=head, name="return_to_editor", comment=RETURN_COMMENT)
            return
        self._move(sheet, Stage.APPROVED)
        comment = SEND_BACK_COMMENTS[(number - 1) % len(SEND_BACK_COMMENTS)]
        sheet_transition(sheet=sheet, by=self.planner, name="send_back", comment=comment)

    def _report(self, plan: Plan, cycle: EvaluationCycle) -> None:
        counts = dict(
            cycle.sheets.values("stage").annotate(n=Count("id")).values_list("stage", "n")
        )
        summary = "、".join(f"{Stage(s).label} {counts.get(s, 0)}件" for s in Stage.values)
        self.stdout.write(
            self.style.SUCCESS(
                f"「{plan.name}」の評価データを作成しました。"
                f"令和6年度: すべて公表／令和7年度: {summary}"
            )
        )


def _version(sheet: EvaluationSheet) -> int:
    return EvaluationSheet.objects.values_list("version", flat=True).get(pk=sheet.pk)
