"""Give the demo realistic citizens' voices in every status, and ratings of published results.

    manage.py seed_demo_voices [--plan NAME]

Needs the demo users (create_demo_users) and the imported reform plan of seed 001; ratings
need its published results (seed_demo_evaluations), and are skipped with a message without.
Creates, through the same services staff use (intake, routing, replies, publication, ratings):

- the categories (防災, ごみ・環境, 子育て・教育, 福祉・健康, 道路・交通, 行政・財政, その他) and the
  districts (中村, 大野, 八幡, 日立木, 磯部, 玉野) that are missing;
- about sixty voices received between April 2025 and November 2026 by every channel, in every
  status: answered (after an approval by the department head and the public-hearing office,
  and by the mayor's office for flagged letters), closed without reply with the reason,
  forwarded to another body, and — the newest — received, assigned and being answered, some
  of them past their reply-by date; some linked to actions of the plan, some published on the
  portal with the writer's consent (personal details masked);
- ratings of published results: scores, and comments that are approved, pending or rejected.

The services stamp the current time; a demo needs a history, so each step is back-dated to the
day it happened in the story (voice events, reply approvals, audit entries, answered/closed/
sent/published times). Writers' names and contacts are invented (example.com addresses).

Idempotent with a fixed seed: every voice has a fixed submission key, so a second run finds
them and changes nothing; ratings are added only to a plan that has none.
"""

import datetime
import random
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Max

from hoshin.audit.services import audit_backdated
from hoshin.evaluations.models import EvaluationSheet
from hoshin.lib.business_days import add_business_days, is_office_closed
from hoshin.org.models import AgeBand, Department, District, Role, RoleAssignment, User
from hoshin.org.services import user_assign_role
from hoshin.plans.models import Action, Plan
from hoshin.voices.models import (
    Channel,
    CitizenVoice,
    PersonalDataView,
    RatingStatus,
    ReplyEvent,
    ResultRating,
    VoiceCategory,
    VoiceEvent,
    VoiceKind,
    VoicePublication,
    VoiceReply,
    VoiceStatus,
)
from hoshin.voices.services.intake import WriterDetails, voice_receive
from hoshin.voices.services.publication import publication_propose, publication_publish
from hoshin.voices.services.ratings import rating_moderate, rating_submit
from hoshin.voices.services.replies import reply_save, reply_send, reply_transition
from hoshin.voices.services.routing import (
    voice_close,
    voice_forward,
    voice_link_action,
    voice_route,
)

REFORM_PLAN = "第6次行財政改革大綱に基づく実施計画"
SEED = 20260401
KEY_NAMESPACE = uuid.UUID("4f1c2a9e-6b0d-4c55-9a57-1d2f3e4a5b6c")
TOKYO = ZoneInfo("Asia/Tokyo")
CATEGORIES = [
    "防災",
    "ごみ・環境",
    "子育て・教育",
    "福祉・健康",
    "道路・交通",
    "行政・財政",
    "その他",
]
DISTRICTS = ["中村", "大野", "八幡", "日立木", "磯部", "玉野"]
DEMO_DEPARTMENT = "地域防災対策室"  # answered by demo-editor and demo-head themselves
OFFICE_USER = "demo-voices-office"
DEPARTMENT_USER = "demo-departments"  # the same stand-in seed_demo_evaluations uses
# The story's calendar: FY2025 whole, FY2026 up to mid-November 2026.
FY2025_START, FY2025_END = datetime.date(2025, 4, 7), datetime.date(2026, 3, 27)
FY2026_START, FY2026_ANSWERED_END = datetime.date(2026, 4, 6), datetime.date(2026, 10, 2)
OPEN_START, OPEN_END = datetime.date(2026, 10, 19), datetime.date(2026, 11, 19)
MONTH_WEIGHTS = {4: 1.4, 5: 1.3, 6: 1.0, 7: 0.8, 8: 0.7, 9: 1.0, 10: 1.3, 11: 1.1, 12: 0.6,
                 1: 0.7, 2: 0.9, 3: 1.1}  # fmt: skip

# Short names for the story's tables below.
ANSWERED, CLOSED, FORWARDED = VoiceStatus.ANSWERED, VoiceStatus.CLOSED, VoiceStatus.FORWARDED
ANSWERING, ASSIGNED, RECEIVED = VoiceStatus.ANSWERING, VoiceStatus.ASSIGNED, VoiceStatus.RECEIVED
MAYOR_LETTER, OPINION, PROPOSAL = VoiceKind.MAYOR_LETTER, VoiceKind.OPINION, VoiceKind.PROPOSAL


@dataclass(frozen=True)
class Spec:
    """One voice of the story."""

    category: str
    department: str  # lead department ("" = not routed yet)
    kind: str
    channel: str
    subject: str
    body: str
    status: str
    reply: str = ""  # the reply (answered), the reason (closed) or where to (forwarded)
    action: str = ""  # a phrase of the plan action it is about
    publish: bool = False  # published on the portal (the writer consents)
    mayor: bool = False  # flagged for the mayor's approval
    co: tuple[str, ...] = ()  # co-departments
    days: int | None = None  # office days to the reply (None: drawn)
    stage: str = ""  # for ANSWERING: how far the draft got (draft / submitted / approved)


# FY2025 and the answered part of FY2026, oldest first: their dates are spread evenly.
FY2025 = [
    Spec(
        "防災",
        "地域防災対策室",
        OPINION,
        Channel.WEB,
        "洪水ハザードマップを転入時に配ってほしい",
        "昨年引っ越してきましたが、洪水ハザードマップを持っていません。自宅が浸水想定区域に入るのか分からず不安です。転入の手続きの時に配ってもらえないでしょうか。",
        ANSWERED,
        "ご意見ありがとうございます。令和7年度から、市民課の転入手続きの窓口で津波・洪水ハザードマップをお渡ししています。市ホームページからも地区ごとに印刷できますので、ご活用ください。",
        action="ハザードマップ",
        publish=True,
    ),
    Spec(
        "ごみ・環境",
        "生活環境課",
        PROPOSAL,
        Channel.BOX,
        "ごみの分別が分かるアプリを",
        "ごみの分け方が細かく、毎回冊子で調べるのが大変です。他の市のように、品目を入れると出し方が分かるスマホのアプリを作ってはどうでしょうか。",
        ANSWERED,
        "ご提案ありがとうございます。現在、分別の検索ができるアプリの導入を検討しており、令和8年度中の配信開始を目指しています。それまでは市ホームページの「ごみ分別辞典」をご利用ください。",
        action="ごみの分別",
        publish=True,
    ),
    Spec(
        "道路・交通",
        "土木課",
        OPINION,
        Channel.PHONE,
        "市道の陥没（大野地区）",
        "大野地区の市道で、雨のあとにアスファルトがへこんで水たまりができている箇所があります。自転車で通る子どもが危ないので早めに直してください。",
        ANSWERED,
        "お知らせいただきありがとうございます。現地を確認し、翌週に舗装の補修を行いました。今後も道路パトロールで早期発見に努めます。",
        days=3,
    ),
    Spec(
        "子育て・教育",
        "こども家庭課",
        MAYOR_LETTER,
        Channel.LETTER,
        "放課後児童クラブの定員を増やしてほしい",
        "この春から仕事に復帰しましたが、小学1年生の子どもが放課後児童クラブに入れず待機になっています。働く親のために定員を増やしてください。",
        ANSWERED,
        "切実なお声をいただきありがとうございます。利用希望者数の調査を行い、令和8年度から中村第二小学校区で定員を20人増やすことにしました。待機中の方には個別にご案内しています。",
        action="放課後児童クラブ",
        publish=True,
        mayor=True,
        days=12,
    ),
    Spec(
        "福祉・健康",
        "保険年金課",
        OPINION,
        Channel.WEB,
        "特定健診を土日にも受けたい",
        "平日は仕事で休めず、国保の特定健診をここ数年受けられていません。土曜日や日曜日にも集団健診を実施してもらえませんか。",
        ANSWERED,
        "ご意見ありがとうございます。令和7年度は10月と11月に日曜日の集団健診を各1回実施しました。今後、受診しやすい日程について受診者アンケートの結果を踏まえて検討します。",
        action="特定健診",
    ),
    Spec(
        "行政・財政",
        "税務課",
        PROPOSAL,
        Channel.EMAIL,
        "市税をスマホ決済で納めたい",
        "固定資産税の納付書を持ってコンビニに行っていますが、スマホ決済で払えると助かります。若い世代の納付率も上がると思います。",
        ANSWERED,
        "ご提案ありがとうございます。令和7年度から、市県民税・固定資産税・軽自動車税・国民健康保険税をスマートフォン決済アプリで納付できるようになりました。納付書のバーコードを読み取ってご利用ください。",
        action="スマホ決済",
        publish=True,
        days=6,
    ),
    Spec(
        "防災",
        "地域防災対策室",
        OPINION,
        Channel.MEETING,
        "行政区の防災訓練への支援",
        "行政区で毎年防災訓練をしていますが、参加者が高齢化して内容がマンネリになっています。市から講師を派遣したり資機材を貸したりしてもらえないでしょうか。",
        ANSWERED,
        "地域の防災活動にご尽力いただきありがとうございます。自主防災組織の訓練には、市職員の派遣、簡易トイレや発電機など資機材の貸出を行っています。地域防災対策室までご相談ください。",
        action="自主防災組織",
    ),
    Spec(
        "その他",
        "生活環境課",
        OPINION,
        Channel.PHONE,
        "イノシシによる畑の被害（玉野地区）",
        "玉野地区でイノシシが畑を荒らしています。電気柵の補助などはありますか。",
        ANSWERED,
        "被害の状況をお知らせいただきありがとうございます。電気柵の設置には購入費の2分の1（上限3万円）を補助しています。捕獲についても猟友会と連携して対応しています。",
        days=5,
    ),
    Spec(
        "道路・交通",
        "",
        OPINION,
        Channel.LETTER,
        "国道6号の交差点の信号機",
        "国道6号の交差点で、右折の矢印信号がないため事故が起きそうになることが多いです。矢印信号を付けてください。",
        FORWARDED,
        "相馬警察署（信号機の設置は福島県公安委員会の所管です）",
    ),
    Spec(
        "行政・財政",
        "市民課",
        OPINION,
        Channel.COUNTER,
        "おくやみコーナーへのお礼",
        "父が亡くなった際、おくやみコーナーで手続きをまとめて案内していただき、何度も窓口を回らずに済みました。職員の方の丁寧な対応に感謝しています。",
        ANSWERED,
        "温かいお言葉をありがとうございます。いただいたお声は担当職員と共有しました。今後も、ご遺族の負担を少しでも減らせるよう手続きの改善を続けます。",
        action="おくやみコーナー",
        publish=True,
        days=4,
    ),
    Spec(
        "子育て・教育",
        "図書館",
        PROPOSAL,
        Channel.WEB,
        "読み聞かせ会を土曜日にも",
        "図書館の絵本の読み聞かせ会に子どもと参加したいのですが、平日の午前中なので行けません。土曜日にも開いてほしいです。",
        ANSWERED,
        "ご提案ありがとうございます。ボランティア団体「おはなしの部屋」のご協力で、令和7年10月から毎月第2土曜日にも読み聞かせ会を開いています。",
        action="読み聞かせ",
    ),
    Spec(
        "福祉・健康",
        "高齢福祉課",
        OPINION,
        Channel.MEETING,
        "骨太けんこう体操を地区の集会所で",
        "骨太けんこう体操に参加したいが、会場が遠くて通えない高齢者が多い。日立木地区の集会所でも教室を開いてほしい。",
        ANSWERED,
        "ご意見ありがとうございます。令和7年度後期から、日立木地区集会所で月2回の教室を始めました。リハビリテーション専門職も指導に加わっています。",
        action="骨太けんこう体操",
        publish=True,
    ),
    Spec(
        "その他",
        "",
        OPINION,
        Channel.PHONE,
        "隣家との境界のトラブル",
        "隣の家との土地の境界のことで揉めています。市で間に入って解決してもらえませんか。",
        CLOSED,
        "個人間の土地の境界についての争いは、市が判断・仲介できる内容ではないため、回答なしで終了しました。市の無料法律相談（毎月第3水曜日）をご案内しました。",
    ),
    Spec(
        "道路・交通",
        "土木課",
        OPINION,
        Channel.EMAIL,
        "橋の点検の結果を知りたい",
        "通勤で毎日通る橋が古く、ひびが入っているように見えます。点検はしているのでしょうか。結果は公表されていますか。",
        ANSWERED,
        "ご心配をおかけしています。市が管理する橋梁は5年に1度の法定点検を行っており、結果と修繕計画は市ホームページで公表しています。ご指摘の橋は令和8年度に補修工事を予定しています。",
        action="橋梁",
    ),
    Spec(
        "行政・財政",
        "財政課",
        OPINION,
        Channel.WEB,
        "市の財政状況を分かりやすく",
        "広報紙の財政状況のページは数字ばかりで分かりにくいです。家計に例えるなど、市民に分かる説明を工夫してください。",
        ANSWERED,
        "ご意見ありがとうございます。令和7年度の決算から、市の財政を家計に例えた説明とグラフを広報紙と市ホームページに掲載しています。",
        action="財政状況",
        publish=True,
    ),
    Spec(
        "ごみ・環境",
        "",
        OPINION,
        Channel.FAX,
        "県道沿いの不法投棄",
        "県道沿いの空き地に家電や家具が捨てられています。早く撤去してほしい。",
        FORWARDED,
        "福島県相双建設事務所（県道の管理者）",
    ),
    Spec(
        "子育て・教育",
        "教育部総務課",
        OPINION,
        Channel.LETTER,
        "小学校の遊具が古くて危ない",
        "子どもが通う小学校の校庭の遊具がさびていて、ぐらつくものもあります。事故が起きる前に直してください。",
        ANSWERED,
        "ご指摘ありがとうございます。学校遊具更新計画に基づき点検を行い、危険と判断した遊具2基を使用中止にしました。令和8年度に更新します。",
        action="学校遊具",
        days=9,
    ),
    Spec(
        "行政・財政",
        "情報政策課",
        PROPOSAL,
        Channel.WEB,
        "オンライン申請をもっと増やして",
        "住民票の写しはオンラインで申請できましたが、他の手続きはまだ窓口に行く必要があります。子育てや介護の手続きもオンラインでできるようにしてほしいです。",
        ANSWERED,
        "ご提案ありがとうございます。令和7年度は児童手当や介護保険など28の手続きをオンライン申請に加えました。今後も対象を広げていきます。",
        action="オンライン申請",
    ),
    Spec(
        "防災",
        "下水道課",
        OPINION,
        Channel.PHONE,
        "大雨のたびに道路が冠水する",
        "大雨になると家の前の道路が冠水し、車が出せなくなります。排水ポンプ車を早めに配置するなど対策をしてください。",
        ANSWERED,
        "ご不便をおかけしています。大雨の予報が出た段階で移動式排水ポンプ車を配置する体制に改めました。あわせて排水施設の能力向上を検討しています。",
        action="排水ポンプ車",
        co=("地域防災対策室",),
    ),
    Spec(
        "その他",
        "",
        OPINION,
        Channel.BOX,
        "同じ内容の投書（再送）",
        "以前にも投書しましたが、市役所の駐車場が狭いのでもっと広くしてください。",
        CLOSED,
        "同じ内容のご意見に、令和7年9月に回答済みのため、回答なしで終了しました。ご意見は担当課と改めて共有しています。",
    ),
    Spec(
        "福祉・健康",
        "社会福祉課",
        OPINION,
        Channel.EMAIL,
        "障がいのある人の就労支援",
        "障がいのある家族が働ける場所が少ないです。市として企業に働きかけたり、就労の場を増やしたりしてほしい。",
        ANSWERED,
        "ご意見ありがとうございます。相馬市・新地町地域自立支援協議会で、事業所と企業の情報交換会を年2回開いています。就労の相談は社会福祉課で受け付けています。",
        action="障がい者",
    ),
    Spec(
        "行政・財政",
        "総務課",
        OPINION,
        Channel.COUNTER,
        "窓口の職員の言葉遣い",
        "先日、税の窓口で職員から突き放すような言い方をされ、嫌な思いをしました。職員の教育をしっかりしてください。",
        ANSWERED,
        "ご不快な思いをおかけし、申し訳ありませんでした。該当する職場で指導を行うとともに、全職員を対象とした接遇研修の内容を見直しました。",
        action="接遇",
        co=("税務課",),
    ),
    Spec(
        "道路・交通",
        "",
        OPINION,
        Channel.EMAIL,
        "県道の草刈りをしてほしい",
        "県道の歩道に草が伸びて、通学の子どもが車道を歩いています。草刈りをお願いします。",
        FORWARDED,
        "福島県相双建設事務所（県道の管理者）",
    ),
    Spec(
        "子育て・教育",
        "こども家庭課",
        MAYOR_LETTER,
        Channel.LETTER,
        "子育て支援センターの駐車場",
        "子育て支援センターの駐車場が少なく、雨の日は遠くから子どもを抱いて歩かなければなりません。",
        ANSWERED,
        "ご意見ありがとうございます。隣接する市有地を整備し、令和8年4月から駐車場を12台分増やします。",
        mayor=True,
    ),
    Spec(
        "行政・財政",
        "総務課",
        OPINION,
        Channel.MEETING,
        "行政区に入らない世帯が増えている",
        "アパートの住民が行政区に入らず、ごみ集積所の管理や防犯灯の費用を一部の世帯だけで負担しています。市でも加入を呼びかけてほしい。",
        ANSWERED,
        "ご意見ありがとうございます。転入時の案内に行政区の役割と加入方法を記載したチラシを加えました。また、行政区長の皆さまから意見を伺い、加入しやすい仕組みを検討しています。",
        action="行政区未加入",
        publish=True,
    ),
    Spec(
        "その他",
        "",
        OPINION,
        Channel.LETTER,
        "年金の受給額について",
        "年金の受給額が思っていたより少ないです。計算が正しいか調べてください。",
        FORWARDED,
        "日本年金機構 相馬年金事務所（年金の決定は国の事務です）",
    ),
    Spec(
        "ごみ・環境",
        "生活環境課",
        OPINION,
        Channel.WEB,
        "資源ごみの回収日を増やしてほしい",
        "段ボールやペットボトルがすぐにたまります。資源ごみの回収を月1回から2回にしてもらえないでしょうか。",
        ANSWERED,
        "ご意見ありがとうございます。回収回数を増やすには費用の増加が見込まれるため、まずは市内6か所の資源物回収ステーション（24時間利用可）をご利用いただくようご案内しています。",
    ),
    Spec(
        "福祉・健康",
        "高齢福祉課",
        OPINION,
        Channel.PHONE,
        "成年後見制度の相談先",
        "認知症の母の財産管理が心配です。成年後見制度について、どこに相談すればよいですか。",
        ANSWERED,
        "ご相談ありがとうございます。高齢福祉課内の地域包括支援センターで、成年後見制度の利用について相談を受け付けています。必要に応じて専門職におつなぎします。",
        action="成年後見",
        days=4,
    ),
    Spec(
        "その他",
        "",
        OPINION,
        Channel.WEB,
        "匿名のご意見（連絡先なし）",
        "市役所の電話がなかなかつながりません。",
        CLOSED,
        "連絡先の記載がないため回答はしていません。ご意見は関係する課と共有しました。",
    ),
    Spec(
        "行政・財政",
        "企画政策課",
        PROPOSAL,
        Channel.MEETING,
        "外部評価委員会に市民を加えて",
        "市の事業を評価する外部評価委員会に、公募の市民委員を加えてはどうでしょうか。",
        ANSWERED,
        "ご提案ありがとうございます。令和8年度の外部評価委員会から、公募による市民委員2名に加わっていただくことにしました。",
        action="外部評価委員会",
        publish=True,
    ),
]

FY2026_ANSWERED = [
    Spec(
        "道路・交通",
        "生活環境課",
        OPINION,
        Channel.WEB,
        "通学路にガードレールを",
        "八幡地区の通学路は歩道が狭く、車がすぐ横を通ります。ガードレールを設置してほしいです。",
        ANSWERED,
        "ご意見ありがとうございます。通学路合同点検で現地を確認し、土木課と連携して令和8年度中に防護柵を設置します。あわせて交通安全協会と見守り活動を行っています。",
        action="交通安全",
        co=("土木課",),
    ),
    Spec(
        "ごみ・環境",
        "生活環境課",
        OPINION,
        Channel.PHONE,
        "粗大ごみの戸別収集の予約",
        "粗大ごみの戸別収集の予約電話がいつも話し中です。インターネットで予約できるようにしてください。",
        ANSWERED,
        "ご不便をおかけしています。令和8年7月から、粗大ごみ戸別収集のインターネット予約を始めました。24時間受け付けています。",
        action="ごみの分別",
        days=7,
    ),
    Spec(
        "防災",
        "地域防災対策室",
        OPINION,
        Channel.EMAIL,
        "防災メールの登録方法",
        "防災メールに登録したいのですが、方法が分かりません。離れて暮らす高齢の親の分も登録できますか。連絡は090-1234-5678にお願いします。",
        ANSWERED,
        "お問い合わせありがとうございます。防災メールは登録用アドレスに空メールを送るだけで登録でき、ご家族の分も登録できます。各地区の出前講座でも登録のお手伝いをしています。",
        action="ハザードマップ",
        publish=True,
        days=3,
    ),
    Spec(
        "子育て・教育",
        "学校教育課",
        OPINION,
        Channel.LETTER,
        "中学校の部活動の地域移行",
        "中学校の部活動が地域のクラブに移ると聞きました。送迎や費用の負担が心配です。",
        ANSWERED,
        "ご心配をおかけしています。地域移行は段階的に進め、当面は休日の活動から始めます。保護者の負担については、説明会でご意見を伺いながら支援策を検討します。",
    ),
    Spec(
        "福祉・健康",
        "高齢福祉課",
        PROPOSAL,
        Channel.MEETING,
        "高齢者の買い物支援（日立木地区）",
        "日立木地区にはスーパーがなく、車を運転しない高齢者が買い物に困っています。移動販売を呼んでもらえないでしょうか。",
        ANSWERED,
        "ご提案ありがとうございます。令和8年9月から、事業者と協定を結び日立木地区で週1回の移動販売を始めました。",
        publish=True,
        mayor=True,
    ),
    Spec(
        "行政・財政",
        "市民課",
        OPINION,
        Channel.COUNTER,
        "窓口の待ち時間が長い",
        "年度初めの市民課の窓口で1時間以上待ちました。待ち人数が家から分かるようにしてほしいです。",
        ANSWERED,
        "お待たせして申し訳ありませんでした。令和8年10月から、窓口の待ち人数を市ホームページで確認できるようにしました。",
    ),
    Spec(
        "行政・財政",
        "商工観光課",
        PROPOSAL,
        Channel.EMAIL,
        "工業団地への企業誘致",
        "若い人が市内で働ける場所を増やすため、工業団地への企業誘致にもっと力を入れてほしい。",
        ANSWERED,
        "ご意見ありがとうございます。令和8年度は2社の立地が決まり、未分譲区画は残り3区画になりました。引き続き企業訪問と優遇制度の周知に取り組みます。",
        action="企業誘致",
    ),
    Spec(
        "その他",
        "秘書課",
        OPINION,
        Channel.WEB,
        "広報紙の文字を大きく",
        "広報紙の文字が小さく、高齢者には読みにくいです。もう少し大きくできませんか。",
        ANSWERED,
        "ご意見ありがとうございます。令和8年8月号から本文の文字を一回り大きくし、音声読み上げ版も市ホームページに掲載しています。",
        action="情報発信",
        publish=True,
    ),
    Spec(
        "道路・交通",
        "土木課",
        OPINION,
        Channel.PHONE,
        "街路灯が消えている",
        "磯部地区の海沿いの道の街路灯が3本続けて消えていて、夜は真っ暗です。",
        ANSWERED,
        "お知らせいただきありがとうございます。現地を確認し、照明器具をLEDに交換して復旧しました。",
        days=2,
    ),
    Spec(
        "子育て・教育",
        "生涯学習課",
        OPINION,
        Channel.WEB,
        "市民会館の利用料金",
        "市民会館のホールを発表会で使いたいのですが、利用料金が高く、練習にも使えません。",
        ANSWERED,
        "ご意見ありがとうございます。利用料金の見直しの中で、令和9年度から平日の練習利用の料金を設ける方向で検討しています。",
        action="利用料金",
    ),
    Spec(
        "その他",
        "",
        OPINION,
        Channel.EMAIL,
        "国道の騒音",
        "国道6号を通る大型トラックの騒音と振動で夜眠れません。",
        FORWARDED,
        "国土交通省 磐城国道事務所（国道6号の管理者）",
    ),
    Spec(
        "防災",
        "地域防災対策室",
        MAYOR_LETTER,
        Channel.LETTER,
        "普通救命講習を休日にも",
        "AEDの使い方を学びたいが、普通救命講習は平日しかありません。休日にも開催してください。",
        ANSWERED,
        "ご意見ありがとうございます。消防本部と連携し、令和8年度から偶数月の日曜日にも講習を開催しています。",
        action="普通救命講習",
    ),
    Spec(
        "その他",
        "",
        OPINION,
        Channel.PHONE,
        "民間の賃貸契約のトラブル",
        "アパートの敷金が返ってきません。市から大家に言ってもらえませんか。",
        CLOSED,
        "民間の契約に関する内容で、市が当事者の間に入ることはできないため、回答なしで終了しました。消費生活センターをご案内しました。",
    ),
    Spec(
        "行政・財政",
        "中央公民館",
        PROPOSAL,
        Channel.BOX,
        "公民館講座の内容",
        "公民館の講座は昼間の趣味のものが多いので、働く世代向けに夜のパソコン講座などを開いてほしい。",
        ANSWERED,
        "ご提案ありがとうございます。講座の受講者アンケートを踏まえ、令和8年度後期から夜間のスマートフォン・パソコン講座を開いています。",
        action="公民館",
    ),
    Spec(
        "福祉・健康",
        "建築課",
        OPINION,
        Channel.LETTER,
        "市営住宅の修繕が遅い",
        "市営住宅の浴室の給湯器が壊れて1か月になりますが、まだ直りません。",
        ANSWERED,
        "ご不便をおかけし申し訳ありません。修繕の順番を見直し、すぐに交換しました。今後は修繕の受付から完了までの目安をお知らせします。",
        action="市営住宅",
        days=8,
    ),
]

# The newest voices, still open (received in the last weeks of the story), oldest first.
OPEN = [
    Spec(
        "防災",
        "地域防災対策室",
        OPINION,
        Channel.WEB,
        "避難所の段ボールベッド",
        "避難所に段ボールベッドや間仕切りがあるのか知りたいです。ないなら備えてほしい。",
        ANSWERING,
        "ご意見ありがとうございます。市内の指定避難所には、協定先の事業者から段ボールベッドと間仕切りが届く体制を整えています。",
        action="自主防災組織",
        stage="approved",
    ),
    Spec(
        "子育て・教育",
        "こども家庭課",
        OPINION,
        Channel.EMAIL,
        "放課後児童クラブの夏休みの開所時間",
        "夏休みの放課後児童クラブは朝8時からですが、仕事に間に合いません。7時半から開けてもらえませんか。",
        ANSWERING,
        "ご意見ありがとうございます。来年の夏休みから、希望の多いクラブで7時30分からの開所を試行します。",
        action="放課後児童クラブ",
        stage="submitted",
    ),
    Spec(
        "道路・交通",
        "企画政策課",
        PROPOSAL,
        Channel.MEETING,
        "市内循環バスの増便",
        "市内循環バスが1日4便しかなく、通院に使えません。せめて午前中の便を増やしてほしい。",
        ANSWERING,
        "ご意見ありがとうございます。",
        stage="draft",
    ),
    Spec(
        "ごみ・環境",
        "生活環境課",
        OPINION,
        Channel.PHONE,
        "野良猫への餌やり",
        "近所で野良猫に餌をやる人がいて、ふん尿の被害に困っています。",
        ANSWERING,
        "ご迷惑をおかけしています。",
        stage="draft",
    ),
    Spec(
        "行政・財政",
        "情報政策課",
        PROPOSAL,
        Channel.WEB,
        "アンケートをスマホで答えたい",
        "市のアンケートが紙で届きますが、スマートフォンから答えられるようにしてほしい。",
        ANSWERING,
        "ご提案ありがとうございます。LoGoフォームを使ったオンライン回答を進めています。",
        action="LoGoフォーム",
        stage="submitted",
    ),
    Spec(
        "福祉・健康",
        "高齢福祉課",
        MAYOR_LETTER,
        Channel.LETTER,
        "介護保険の手続きを簡単に",
        "介護保険の更新のたびに書類が多くて大変です。手続きを簡単にしてください。",
        ANSWERING,
        "ご意見ありがとうございます。",
        stage="draft",
        mayor=True,
    ),
    Spec(
        "道路・交通",
        "土木課",
        OPINION,
        Channel.PHONE,
        "冬の路面凍結",
        "毎年冬になると坂道が凍結してスリップ事故が起きます。融雪剤を早めにまいてほしい。",
        ASSIGNED,
    ),
    Spec(
        "その他",
        "商工観光課",
        OPINION,
        Channel.EMAIL,
        "相馬野馬追の臨時駐車場",
        "相馬野馬追の時、臨時駐車場の場所が分かりにくかったです。案内を増やしてください。",
        ASSIGNED,
    ),
    Spec(
        "子育て・教育",
        "教育部総務課",
        OPINION,
        Channel.WEB,
        "給食費の支援を続けてほしい",
        "給食費の無償化がとても助かっています。来年度以降も続けてください。",
        ASSIGNED,
    ),
    Spec(
        "防災",
        "総務課",
        OPINION,
        Channel.MEETING,
        "行政区長との災害時の連絡",
        "災害の時、行政区長に市からの情報が遅れて届きます。区長に一斉に連絡できる仕組みを作ってほしい。",
        ASSIGNED,
        action="行政区長",
    ),
    Spec(
        "ごみ・環境",
        "",
        OPINION,
        Channel.BOX,
        "公園のごみ箱",
        "公園のごみ箱が撤去されてから、ごみのポイ捨てが増えたように思います。",
        RECEIVED,
    ),
    Spec(
        "福祉・健康",
        "",
        OPINION,
        Channel.WEB,
        "予防接種の予約",
        "子どもの予防接種の予約がなかなか取れません。",
        RECEIVED,
    ),
    Spec(
        "行政・財政",
        "",
        PROPOSAL,
        Channel.WEB,
        "ふるさと納税の返礼品",
        "相馬の魚介類をもっとふるさと納税の返礼品に加えてはどうでしょうか。",
        RECEIVED,
    ),
    Spec(
        "道路・交通",
        "",
        OPINION,
        Channel.FAX,
        "歩道の段差",
        "駅前の歩道に段差があり、車いすで通れません。",
        RECEIVED,
    ),
    Spec(
        "その他",
        "",
        OPINION,
        Channel.PHONE,
        "市役所の電話がつながらない",
        "市役所の代表電話に何度かけてもつながりません。",
        RECEIVED,
    ),
]

SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "渡辺",
    "伊藤",
    "菅野",
    "斎藤",
    "遠藤",
    "阿部",
    "髙橋",
    "佐々木",
    "吉田",
    "山﨑",
    "大槻",
    "門馬",
    "荒",
    "今野",
    "只野",
]
GIVEN = [
    "一郎",
    "和子",
    "健太",
    "美紀",
    "浩二",
    "さくら",
    "正男",
    "由美",
    "大輔",
    "恵子",
    "翔太",
    "陽子",
    "誠",
    "明美",
]
AGE_BANDS = [
    AgeBand.TWENTIES,
    AgeBand.THIRTIES,
    AgeBand.FORTIES,
    AgeBand.FIFTIES,
    AgeBand.SIXTIES,
    AgeBand.SEVENTIES,
    AgeBand.EIGHTIES_PLUS,
    AgeBand.UNDISCLOSED,
]
RATING_COMMENTS = {
    5: [
        "取組の成果が数字で示されていて分かりやすかったです。",
        "地区の訓練に参加しました。今後も続けてください。",
        "窓口の手続きが本当に楽になりました。",
    ],
    4: [
        "成果は出ていると思いますが、もう少し周知に力を入れてほしいです。",
        "目標に向けて着実に進んでいることが分かりました。",
    ],
    3: [
        "評価の理由がもう少し具体的だと良いと思います。",
        "コストに見合った効果があるのか、判断が難しいです。",
    ],
    2: ["目標値が低すぎるのではないでしょうか。", "市民への説明が足りないと感じます。"],
    1: ["実感としては何も変わっていません。"],
}
REJECTED_COMMENT = "担当の○○という職員の対応が悪い。名前を公表しろ。"


@dataclass
class Story:
    """Who plays which part in the demo's history."""

    office: User
    mayor: User
    editors: dict[int, User] = field(default_factory=dict)  # department id → drafter
    heads: dict[int, User] = field(default_factory=dict)


class Command(BaseCommand):
    help = "Create realistic citizens' voices in every status and ratings of published results."

    def add_arguments(self, parser):
        parser.add_argument("--plan", default=REFORM_PLAN, help="the imported reform plan")

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
        self.plan = target
        self.planner = users["demo-planning"]
        self.rng = random.Random(SEED)
        with transaction.atomic():
            categories = self._categories()
            districts = self._districts()
            if CitizenVoice.objects.filter(submission_key=_key(0)).exists():
                self.stdout.write("デモの市民の声は作成済みです（変更しませんでした）。")
            else:
                story = self._cast(users)
                self._voices(story, categories, districts)
            self._ratings()

    # ---- masters ------------------------------------------------------------------------------

    def _categories(self) -> dict[str, VoiceCategory]:
        found = {}
        for position, name in enumerate(CATEGORIES, start=1):
            found[name], _created = VoiceCategory.objects.get_or_create(
                name=name, defaults={"position": position}
            )
        return found

    def _districts(self) -> list[District]:
        # Created only if missing: the surveys demo uses the same districts.
        return [
            District.objects.get_or_create(name=name, defaults={"position": position})[0]
            for position, name in enumerate(DISTRICTS, start=1)
        ]

    def _department(self, name: str) -> Department | None:
        if not name:
            return None
        return Department.objects.current().filter(name=name).order_by("id").first()

    def _cast(self, users: dict[str, User]) -> Story:
        """The public-hearing office, the mayor's office and the departments' writers.

        Real demo users play their parts where they exist (a user holding the public-hearing
        or mayor's-office role; demo-editor and demo-head for 地域防災対策室); the rest is
        played by inactive stand-ins nobody can log in as.
        """
        office = _holder(Role.PUBLIC_HEARING) or _stand_in(
            OFFICE_USER, "広聴担当（デモデータ）", [Role.PUBLIC_HEARING]
        )
        mayor = _holder(Role.MAYOR_OFFICE) or _stand_in(
            OFFICE_USER, "広聴担当（デモデータ）", [Role.PUBLIC_HEARING, Role.MAYOR_OFFICE]
        )
        departments_user = _stand_in(DEPARTMENT_USER, "各課の担当者（デモデータ）", [])
        story = Story(office=office, mayor=mayor)
        names = {s.department for s in (*FY2025, *FY2026_ANSWERED, *OPEN) if s.department}
        for name in sorted(names):
            department = self._department(name)
            if department is None:
                continue
            if name == DEMO_DEPARTMENT:
                story.editors[department.pk] = users["demo-editor"]
                story.heads[department.pk] = users["demo-head"]
                continue
            for role in (Role.DEPARTMENT_EDITOR, Role.DEPARTMENT_HEAD):
                user_assign_role(user=departments_user, role=role, department=department, by=None)
            story.editors[department.pk] = story.heads[department.pk] = departments_user
        return story

    # ---- voices -------------------------------------------------------------------------------

    def _schedule(self) -> list[tuple[Spec, datetime.date]]:
        """Every voice with its date received, oldest first."""
        dated = []
        for specs, start, end in (
            (FY2025, FY2025_START, FY2025_END),
            (FY2026_ANSWERED, FY2026_START, FY2026_ANSWERED_END),
            (OPEN, OPEN_START, OPEN_END),
        ):
            span = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
            if specs is OPEN:  # evenly: the older the open voice, the further it got
                step = (len(span) - 1) / max(len(specs) - 1, 1)
                days = [span[round(index * step)] for index in range(len(specs))]
            else:  # more letters in spring and autumn, fewer at the year end
                weights = [MONTH_WEIGHTS[day.month] for day in span]
                days = self.rng.choices(span, weights=weights, k=len(specs))
            # The story keeps its order, so dates are given in order.
            for spec, day in zip(specs, sorted(days), strict=True):
                if spec.channel != Channel.WEB:  # letters and calls are logged on office days
                    while is_office_closed(day):
                        day += datetime.timedelta(days=1)
                dated.append((spec, day))
        return dated

    def _voices(self, story: Story, categories, districts) -> None:
        keys = []
        for index, (spec, received_on) in enumerate(self._schedule()):
            self._voice(index, spec, received_on, story, categories, districts)
            keys.append(_key(index))
        created = CitizenVoice.objects.filter(submission_key__in=keys)
        counts = dict(created.values_list("status").annotate(n=Count("pk")).order_by())
        summary = "、".join(
            f"{status.label} {counts[status]}件" for status in VoiceStatus if counts.get(status)
        )
        published = VoicePublication.objects.published().filter(voice__in=created).count()
        self.stdout.write(
            f"市民の声を{created.count()}件作成しました（{summary}。うち公表 {published}件）。"
        )

    def _writer(self, spec: Spec, index: int, districts: list[District]):
        rng = self.rng
        anonymous = spec.subject.startswith("匿名")
        name = "" if anonymous else f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
        with_mail = spec.channel in (Channel.WEB, Channel.EMAIL) and not anonymous
        postal = (
            ""
            if anonymous or (with_mail and rng.random() < 0.5)
            else f"福島県相馬市{districts[index % len(districts)].name}字北町{index + 1}番地"
        )
        return WriterDetails(
            name=name,
            email=f"demo-writer{index + 1:02d}@example.com" if with_mail else "",
            phone="" if anonymous else f"090-0000-{index + 1:04d}",
            postal_address=postal,
        )

    def _voice(self, index, spec: Spec, received_on, story, categories, districts):
        rng = self.rng
        writer = self._writer(spec, index, districts)
        # Most writers who leave a contact want a reply; fewer among those closed or forwarded.
        likely = 0.5 if spec.status in (VoiceStatus.CLOSED, VoiceStatus.FORWARDED) else 0.9
        wants_reply = bool(writer.email or writer.postal_address) and rng.random() < likely
        from_citizen = spec.channel == Channel.WEB
        moment = _at(received_on, 9 + index % 7, (index * 7) % 60)
        with _backdated(moment):
            voice = voice_receive(
                channel=spec.channel,
                kind=spec.kind,
                subject=spec.subject,
                body=spec.body,
                received_on=received_on,
                writer=writer,
                # Citizens choose a category on the web form; staff classify the others.
                category=categories[spec.category] if from_citizen else None,
                age_band=rng.choice(AGE_BANDS),
                district=rng.choice(districts) if rng.random() < 0.85 else None,
                wants_reply=wants_reply,
                publish_consent=spec.publish or rng.random() < 0.4,
                notify_results=bool(spec.action) and rng.random() < 0.5,
                submission_key=_key(index),
                by=None if from_citizen else story.office,
            ).voice
        CitizenVoice.objects.filter(pk=voice.pk).update(created_at=moment)
        if spec.status == VoiceStatus.RECEIVED:
            return voice

        days = spec.days if spec.days is not None else rng.choice([4, 5, 6, 7, 8, 9, 10, 11, 14])
        day = lambda offset, hour=10: _at(add_business_days(received_on, offset), hour)  # noqa: E731
        department = self._department(spec.department)
        if spec.status in (VoiceStatus.CLOSED, VoiceStatus.FORWARDED):
            with _backdated(day(1, 11)):
                voice_route(
                    voice=voice,
                    by=story.office,
                    category=categories[spec.category],
                    lead_department=None,
                )
                if spec.status == VoiceStatus.CLOSED:
                    voice = voice_close(voice=voice, by=story.office, reason=spec.reply)
                else:
                    voice = voice_forward(voice=voice, by=story.office, to=spec.reply)
            CitizenVoice.objects.filter(pk=voice.pk).update(closed_at=day(1, 11))
            return voice

        with _backdated(day(1)):
            voice = voice_route(
                voice=voice,
                by=story.office,
                category=categories[spec.category],
                lead_department=department,
                co_departments=[d for d in map(self._department, spec.co) if d],
                mayor_flag=spec.mayor,
            )
            action = self._action(spec.action)
            if action is not None:
                voice_link_action(voice=voice, by=story.office, action=action)
        if spec.status == VoiceStatus.ASSIGNED:
            return voice

        editor, head = story.editors[department.pk], story.heads[department.pk]
        draft_day = min(2, days - 1)
        with _backdated(day(draft_day, 14)):
            reply = reply_save(voice=voice, by=editor, body=spec.reply, expected_version=0)
        stage = spec.stage if spec.status == VoiceStatus.ANSWERING else "sent"
        if stage == "draft":
            return voice
        with _backdated(day(max(draft_day, days - 3), 15)):
            reply = reply_transition(reply=reply, by=editor, name="submit")
        if stage == "submitted":
            return voice
        with _backdated(day(max(draft_day, days - 2), 11)):
            reply = reply_transition(reply=reply, by=head, name="approve_department")
        with _backdated(day(max(draft_day, days - 1), 10)):
            reply = reply_transition(reply=reply, by=story.office, name="approve_office")
        if spec.mayor:
            with _backdated(day(max(draft_day, days - 1), 16)):
                reply = reply_transition(reply=reply, by=story.mayor, name="approve_mayor")
        if stage == "approved":
            return voice

        sent = day(days, 15)
        method = VoiceReply.Method.LETTER if writer.postal_address else VoiceReply.Method.OTHER
        with _backdated(sent):
            reply_send(reply=reply, by=story.office, method=method)
        CitizenVoice.objects.filter(pk=voice.pk).update(answered_at=sent, closed_at=sent)
        VoiceReply.objects.filter(pk=reply.pk).update(sent_at=sent)
        voice.refresh_from_db()
        if spec.publish:
            published = day(days + 8, 10)
            with _backdated(published):
                proposal = publication_propose(voice=voice, by=story.office)
                publication_publish(publication=proposal.publication, by=story.office)
            VoicePublication.objects.filter(voice=voice).update(published_at=published)
        return voice

    def _action(self, phrase: str) -> Action | None:
        if not phrase:
            return None
        return Action.objects.filter(plan=self.plan, text__contains=phrase).order_by("pk").first()

    # ---- ratings ------------------------------------------------------------------------------

    def _ratings(self) -> None:
        sheets = list(
            EvaluationSheet.objects.published()
            .filter(cycle__plan=self.plan, action__isnull=False)
            .order_by("cycle__fy", "action__position", "pk")
        )
        if not sheets:
            self.stdout.write(
                "公表済みの評価結果がないため、満足度は作成しませんでした"
                "（seed_demo_evaluations のあとに実行してください）。"
            )
            return
        if ResultRating.objects.filter(sheet__cycle__plan=self.plan).exists():
            self.stdout.write("評価結果への満足度は作成済みです（変更しませんでした）。")
            return
        rng = random.Random(SEED + 1)
        chosen = rng.sample(sheets, min(14, len(sheets)))
        created = pending = 0
        for number, sheet in enumerate(chosen):
            # Better grades get better scores, with the spread real ratings have.
            centre = {"A": 4.2, "S": 4.4, "B": 3.4, "C": 2.6, "D": 2.0}.get(
                sheet.overall_grade or sheet.progress_grade, 3.3
            )
            for _index in range(rng.randint(2, 9)):
                score = min(5, max(1, round(rng.gauss(centre, 0.9))))
                comment = ""
                if rng.random() < 0.35:
                    comment = rng.choice(RATING_COMMENTS[score])
                rating = rating_submit(sheet_id=sheet.pk, score=score, comment=comment)
                created += 1
                if not comment:
                    continue
                if rng.random() < 0.7:
                    rating_moderate(rating=rating, decision=RatingStatus.APPROVED, by=self.planner)
                else:
                    pending += 1
            if number == 0:
                rejected = rating_submit(sheet_id=sheet.pk, score=1, comment=REJECTED_COMMENT)
                rating_moderate(rating=rejected, decision=RatingStatus.REJECTED, by=self.planner)
                created += 1
        self.stdout.write(
            f"評価結果への満足度を{created}件作成しました（{len(chosen)}件の評価結果、"
            f"確認待ちのコメント {pending}件）。"
        )


# ---- helpers ------------------------------------------------------------------------------------


def _key(index: int) -> uuid.UUID:
    return uuid.uuid5(KEY_NAMESPACE, f"demo-voice-{index}")


def _at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


def _holder(role: str) -> User | None:
    """An active user holding ``role`` (a demo user for it, if the demo has one)."""
    assignment = (
        RoleAssignment.objects.filter(role=role, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return assignment.user if assignment else None


def _stand_in(username: str, display_name: str, roles: list[str]) -> User:
    """An inactive user (no password) that plays a part in the demo's history."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, display_name=display_name, is_active=False)
        user.set_unusable_password()
        user.save()
    for role in roles:
        user_assign_role(user=user, role=role, department=None, by=None)
    return user


@contextmanager
def _backdated(moment: datetime.datetime):
    """Move the history rows written inside the block (events, approvals, personal-data views)
    to ``moment``: the day it happened in the demo's story. Audit entries are written with that
    time (``audit_backdated``): their time is part of the hash chain, moving them afterwards
    would break it."""
    models = (VoiceEvent, ReplyEvent, PersonalDataView)
    marks = {model: model.objects.aggregate(last=Max("pk"))["last"] or 0 for model in models}
    with audit_backdated(moment):
        yield
    for model, mark in marks.items():
        model.objects.filter(pk__gt=mark).update(at=moment)
