"""Give the demo two surveys: a closed one with results and an open one.

    manage.py seed_demo_surveys

- 「令和7年度 市民満足度調査」: closed (October 2025), answered once per invitation code (250
  codes mailed, 200 answered). Sections 市政への満足度 / 行政サービス / 情報発信 / ご意見, with
  every kind of question (single, multiple, 1–5 scale, number, free text), and respondents
  spread over age bands and districts with realistic leanings (older respondents read the
  広報紙, younger ones the website and SNS).
- 「市ホームページの使いやすさに関するアンケート」: open from a week ago for 90 days, once per
  browser, with a few answers.

Everything goes through the same services staff and citizens use (so the rules and the audit
trail apply); only the closed survey's publication time is back-dated. Answers come from a
fixed random seed: the same database always gets the same figures. Districts it needs
(中村, 大野, 八幡 …) are created if missing.

Idempotent: a survey whose title already exists is left as it is.
"""

import datetime
import random
from dataclasses import dataclass

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from hoshin.org.models import AgeBand, District
from hoshin.surveys.models import AnswerLimit, QuestionKind, Survey, SurveyQuestion
from hoshin.surveys.services.answering import response_submit
from hoshin.surveys.services.editing import survey_create, survey_publish, survey_update
from hoshin.surveys.services.invitations import invitations_generate
from hoshin.surveys.services.questions import QuestionSpec, question_create, section_create

SEED = 20251001
JST = datetime.timezone(datetime.timedelta(hours=9))
CLOSED_TITLE = "令和7年度 市民満足度調査"
OPEN_TITLE = "市ホームページの使いやすさに関するアンケート"
CLOSED_OPENS = datetime.datetime(2025, 10, 1, 9, 0, tzinfo=JST)
CLOSED_CLOSES = datetime.datetime(2025, 10, 31, 17, 0, tzinfo=JST)
CLOSED_RESPONSES = 200
INVITATIONS = 250
OPEN_RESPONSES = 6

DISTRICTS = ["中村", "大野", "八幡", "日立木", "磯部", "山上", "玉野", "飯豊"]
DISTRICT_WEIGHTS = [40, 12, 10, 8, 9, 7, 4, 8]
AGE_BANDS = [
    (AgeBand.TEENS, 2),
    (AgeBand.TWENTIES, 7),
    (AgeBand.THIRTIES, 10),
    (AgeBand.FORTIES, 14),
    (AgeBand.FIFTIES, 16),
    (AgeBand.SIXTIES, 21),
    (AgeBand.SEVENTIES, 20),
    (AgeBand.EIGHTIES_PLUS, 7),
    (AgeBand.UNDISCLOSED, 3),
]
OLDER = {AgeBand.SIXTIES, AgeBand.SEVENTIES, AgeBand.EIGHTIES_PLUS}
YOUNGER = {AgeBand.TEENS, AgeBand.TWENTIES, AgeBand.THIRTIES}

COMMENTS = [
    "広報紙は毎月楽しみに読んでいます。文字をもう少し大きくしてもらえると助かります。",
    "市役所の窓口で、どの課に行けばよいのか分かりにくかったです。案内の表示を工夫してほしいです。",
    "子育て支援センターの職員の方がとても親切でした。土日も開いていると助かります。",
    "①冬の道路の除雪を早くしてほしい\n②通学路の街灯を増やしてほしい",
    "オンライン申請が増えて便利になりましたが、高齢の親には難しいようです。窓口も残してください。",
    "バスの本数が少なく、車がないと市役所へ行けません。デマンド型の乗合タクシーを広げてほしいです。",
    "防災行政無線が家の中では聞き取りにくいです。メールやアプリでも同じ内容を流してほしい。",
    "市のホームページで探している情報になかなかたどり着けません。検索を改善してほしいです。",
    "公民館の講座に参加しています。地域の人と知り合えるよい機会になっています。",
    "ごみの分別の説明をもっと分かりやすくしてほしいです。外国人の方向けの案内もあるとよいと思います。",
    "市の財政状況をもっと分かりやすく公表してほしい。どこにお金が使われているのか知りたいです。",
    "図書館の開館時間を平日の夜まで延ばしてほしいです。",
    "特にありません。いつもありがとうございます。",
    "健診の予約がインターネットでできるようになり、とても便利でした。",
    "空き家が増えていて心配です。地域と市で一緒に対策を考えてほしい。",
    "SNSでの情報発信は見やすいですが、大事なお知らせは広報紙にも必ず載せてください。",
    "窓口の待ち時間が長いときがあります。混雑状況がホームページで分かるとよいです。",
    "市長への手紙を出したところ、丁寧な回答をいただきました。",
    "公園の遊具が古くなっています。子どもが安心して遊べるよう点検をお願いします。",
    "地区の集会所のトイレを洋式にしてほしいです。高齢者が多いので。",
    "アンケートの結果がどう市政に生かされたのかを教えてほしいです。",
    "若い人が市内で働ける場所を増やしてほしい。",
    "<b>太字</b>のようなタグを書いても、そのまま文字として表示されるか確認しています。",
    "除雪・防災・子育て、どれも大切です。職員の皆さんお疲れさまです。",
]


@dataclass(frozen=True)
class Q:
    section: str
    kind: str
    text: str
    required: bool = False
    choices: tuple[str, ...] = ()
    help_text: str = ""
    scale: tuple[str, str] = ("", "")
    number: tuple[int | None, int | None, str] = (None, None, "")
    text_max_length: int = 2000


SATISFACTION = [
    Q(
        "市政への満足度",
        QuestionKind.SCALE,
        "市政全般について、どの程度満足していますか。",
        required=True,
        scale=("不満", "満足"),
    ),
    Q(
        "市政への満足度",
        QuestionKind.SINGLE,
        "この1年間で、市の取組は良くなったと思いますか。",
        required=True,
        choices=(
            "良くなった",
            "やや良くなった",
            "変わらない",
            "やや悪くなった",
            "悪くなった",
            "わからない",
        ),
    ),
    Q(
        "行政サービス",
        QuestionKind.MULTIPLE,
        "この1年間に利用した市の施設・サービスをすべて選んでください。",
        choices=(
            "市役所の窓口（住民票・戸籍など）",
            "支所・出張所",
            "図書館",
            "公民館・市民センター",
            "子育て支援センター",
            "保健センター・健診",
            "オンライン申請",
            "利用していない",
        ),
    ),
    Q(
        "行政サービス",
        QuestionKind.SCALE,
        "窓口の対応（待ち時間、説明のわかりやすさ）に満足していますか。",
        scale=("不満", "満足"),
        help_text="窓口を利用していない方は、回答しなくて構いません。",
    ),
    Q(
        "行政サービス",
        QuestionKind.NUMBER,
        "ご自宅から市役所または支所の窓口まで、片道でおよそ何分かかりますか。",
        number=(0, 300, "分"),
    ),
    Q(
        "情報発信",
        QuestionKind.SINGLE,
        "市の情報を主に何から得ていますか。",
        required=True,
        choices=(
            "広報紙",
            "市ホームページ",
            "SNS（LINE・Xなど）",
            "防災行政無線",
            "回覧板",
            "新聞・テレビ",
            "その他",
        ),
    ),
    Q(
        "情報発信",
        QuestionKind.MULTIPLE,
        "今後、充実してほしい情報発信の方法をすべて選んでください。",
        choices=("広報紙", "市ホームページ", "SNS", "メール配信", "動画", "地区での説明会"),
    ),
    Q(
        "情報発信",
        QuestionKind.SCALE,
        "市の情報発信はわかりやすいと思いますか。",
        required=True,
        scale=("わかりにくい", "わかりやすい"),
    ),
    Q(
        "情報発信",
        QuestionKind.NUMBER,
        "この1年間に市のホームページを見た回数は、おおよそ何回ですか。",
        number=(0, 999, "回"),
    ),
    Q(
        "ご意見・ご要望",
        QuestionKind.TEXT,
        "市政へのご意見・ご要望を自由にお書きください。",
        help_text="お名前や連絡先など、個人が特定できる内容は書かないでください。",
    ),
]

WEBSITE = [
    Q(
        "ホームページについて",
        QuestionKind.SCALE,
        "市ホームページは使いやすいと思いますか。",
        required=True,
        scale=("使いにくい", "使いやすい"),
    ),
    Q(
        "ホームページについて",
        QuestionKind.SINGLE,
        "市ホームページを見るときに、主に使う機器はどれですか。",
        required=True,
        choices=("スマートフォン", "パソコン", "タブレット"),
    ),
    Q(
        "ホームページについて",
        QuestionKind.MULTIPLE,
        "よく見るページをすべて選んでください。",
        choices=("ごみ・環境", "子育て・教育", "健康・福祉", "防災・安全", "イベント", "市政情報"),
    ),
    Q(
        "ホームページについて",
        QuestionKind.NUMBER,
        "目的の情報を見つけるまで、およそ何分かかりましたか。",
        number=(0, 120, "分"),
    ),
    Q(
        "ホームページについて",
        QuestionKind.TEXT,
        "改善してほしい点があればお書きください。",
        text_max_length=1000,
    ),
]


class Command(BaseCommand):
    help = "Create a closed survey with ~200 responses and an open one (idempotent)."

    def handle(self, *args, **options):
        rng = random.Random(SEED)
        districts = self._districts()
        if Survey.objects.filter(title=CLOSED_TITLE).exists():
            self.stdout.write(f"「{CLOSED_TITLE}」は既にあります（変更しません）。")
        else:
            survey = self._closed_survey(rng, districts)
            self.stdout.write(
                f"「{survey.title}」を作成しました（受付終了、回答{survey.responses.count()}件）。"
            )
        if Survey.objects.filter(title=OPEN_TITLE).exists():
            self.stdout.write(f"「{OPEN_TITLE}」は既にあります（変更しません）。")
        else:
            survey = self._open_survey(rng, districts)
            self.stdout.write(
                f"「{survey.title}」を作成しました（回答受付中、回答{survey.responses.count()}件）。"
            )

    def _districts(self) -> list[District]:
        found = []
        for position, name in enumerate(DISTRICTS, 1):
            district, _ = District.objects.get_or_create(name=name, defaults={"position": position})
            found.append(district)
        return found

    def _build(self, survey: Survey, questions: list[Q]) -> list[SurveyQuestion]:
        sections: dict = {}
        created = []
        for q in questions:
            if q.section not in sections:
                sections[q.section] = section_create(survey=survey, title=q.section)
            spec = QuestionSpec(
                kind=q.kind,
                text=q.text,
                required=q.required,
                help_text=q.help_text,
                choices=list(q.choices),
                scale_min_label=q.scale[0],
                scale_max_label=q.scale[1],
                number_min=q.number[0],
                number_max=q.number[1],
                number_unit=q.number[2],
                text_max_length=q.text_max_length,
            )
            created.append(question_create(section=sections[q.section], spec=spec))
        return created

    @transaction.atomic
    def _closed_survey(self, rng: random.Random, districts: list[District]) -> Survey:
        survey = survey_create(
            title=CLOSED_TITLE,
            description=(
                "市では、市民の皆さんの市政に対する満足度や、行政サービス・情報発信についての"
                "ご意見をお聞きし、今後の市政運営に生かすため、無作為に選んだ18歳以上の市民"
                f"{INVITATIONS}人の方にこの調査をお願いしています。\n"
                "所要時間は10分程度です。回答は統計的に処理し、個人が特定されることはありません。"
            ),
            answer_limit=AnswerLimit.TOKEN,
            opens_at=CLOSED_OPENS,
            # Published while still open (the service refuses to publish an ended survey);
            # the real end date is set once the answers are in.
            closes_at=timezone.now() + datetime.timedelta(days=1),
        )
        questions = self._build(survey, SATISFACTION)
        survey = survey_publish(survey=survey)
        invitations = invitations_generate(survey=survey, count=INVITATIONS)
        span = (CLOSED_CLOSES - CLOSED_OPENS).total_seconds()
        # Most answers arrive in the first two weeks after the letters, a few near the end.
        moments = sorted(
            CLOSED_OPENS
            + datetime.timedelta(seconds=min(rng.expovariate(1 / (span / 4)), span - 60))
            for _ in range(CLOSED_RESPONSES)
        )
        choice_ids = [{c.label: str(c.pk) for c in q.choices.all()} for q in questions]
        for invitation, when in zip(invitations, moments, strict=False):
            age_band, district = self._respondent(rng, districts)
            response_submit(
                survey=survey,
                raw_answers=self._satisfaction_answers(rng, questions, choice_ids, age_band),
                age_band=age_band,
                district_id=district.pk if district else None,
                invitation_token=invitation.token,
                when=when,
            )
        survey = survey_update(
            survey=survey,
            title=survey.title,
            description=survey.description,
            opens_at=CLOSED_OPENS,
            closes_at=CLOSED_CLOSES,
            answer_limit=survey.answer_limit,
            asks_age_band=survey.asks_age_band,
            asks_district=survey.asks_district,
            results_public=True,  # citizens see how the city did
        )
        Survey.objects.filter(pk=survey.pk).update(
            published_at=CLOSED_OPENS - datetime.timedelta(days=7)
        )
        return survey

    @staticmethod
    def _respondent(rng: random.Random, districts: list[District]):
        bands, weights = zip(*AGE_BANDS, strict=True)
        age_band = rng.choices(bands, weights=weights)[0]
        district = (
            None if rng.random() < 0.04 else rng.choices(districts, weights=DISTRICT_WEIGHTS)[0]
        )
        return str(age_band), district

    @staticmethod
    def _scale(rng: random.Random, shift: float = 0.0) -> str:
        weights = [6, 14, 38, 32, 10]
        if shift:  # tilt the distribution towards 5 (shift > 0) or towards 1
            weights = [max(1.0, w * (1 + shift * (i - 2) / 2)) for i, w in enumerate(weights)]
        return str(rng.choices(range(1, 6), weights=weights)[0])

    def _satisfaction_answers(
        self,
        rng: random.Random,
        questions: list[SurveyQuestion],
        ids: list[dict[str, str]],
        age_band: str,
    ) -> dict:
        """Raw answers of one respondent, leaning by age as such surveys do."""
        older, younger = age_band in OLDER, age_band in YOUNGER
        overall = self._scale(rng, 0.3 if older else -0.2 if younger else 0.0)
        improved = rng.choices(
            list(ids[1].values()),
            weights=[8, 22, 42, 10, 4, 14] if int(overall) >= 3 else [2, 8, 40, 22, 14, 14],
        )[0]
        services = [
            label
            for label in list(ids[2])[:-1]
            if rng.random() < (0.55 if "窓口" in label else 0.22)
        ]
        if younger and rng.random() < 0.5:
            services.append("オンライン申請")
        if "子育て支援センター" in services and older:
            services.remove("子育て支援センター")
        if not services:
            services = ["利用していない"]
        counter = self._scale(rng, 0.2) if "利用していない" not in services else ""
        minutes = rng.choice([5, 10, 10, 15, 15, 15, 20, 20, 25, 30, 30, 40, 45, 60])
        if older:
            source_weights = [55, 5, 2, 10, 18, 8, 2]
        elif younger:
            source_weights = [12, 30, 40, 3, 2, 8, 5]
        else:
            source_weights = [35, 25, 15, 6, 8, 8, 3]
        source = rng.choices(list(ids[5].values()), weights=source_weights)[0]
        wanted = [
            label
            for label, p in zip(
                ids[6],
                (
                    0.5 if older else 0.25,
                    0.35,
                    0.55 if younger else 0.15,
                    0.25,
                    0.2 if younger else 0.05,
                    0.2 if older else 0.05,
                ),
                strict=True,
            )
            if rng.random() < p
        ]
        clarity = self._scale(rng, 0.1)
        visits = (
            0
            if older and rng.random() < 0.5
            else rng.choice([1, 2, 3, 5, 5, 10, 12, 20, 24, 30, 50])
        )
        raw = {
            questions[0].pk: overall,
            questions[1].pk: improved,
            questions[2].pk: [ids[2][label] for label in services],
            questions[3].pk: counter,
            questions[4].pk: str(minutes) if rng.random() < 0.93 else "",
            questions[5].pk: source,
            questions[6].pk: [ids[6][label] for label in wanted],
            questions[7].pk: clarity,
            questions[8].pk: str(visits) if rng.random() < 0.9 else "",
            questions[9].pk: rng.choice(COMMENTS) if rng.random() < 0.35 else "",
        }
        return raw

    @transaction.atomic
    def _open_survey(self, rng: random.Random, districts: list[District]) -> Survey:
        now = timezone.now()
        survey = survey_create(
            title=OPEN_TITLE,
            description=(
                "市ホームページをより使いやすくするため、ご意見をお聞かせください。"
                "所要時間は3分程度です。"
            ),
            answer_limit=AnswerLimit.BROWSER,
            opens_at=now - datetime.timedelta(days=7),
            closes_at=now + datetime.timedelta(days=90),
        )
        questions = self._build(survey, WEBSITE)
        survey = survey_publish(survey=survey)
        for index in range(OPEN_RESPONSES):
            age_band, district = self._respondent(rng, districts)
            device_ids = [str(c.pk) for c in questions[1].choices.all()]
            page_ids = [str(c.pk) for c in questions[2].choices.all()]
            response_submit(
                survey=survey,
                raw_answers={
                    questions[0].pk: self._scale(rng),
                    questions[1].pk: rng.choices(device_ids, weights=[6, 3, 1])[0],
                    questions[2].pk: rng.sample(page_ids, k=rng.randint(1, 3)),
                    questions[3].pk: str(rng.choice([1, 2, 3, 5, 10])),
                    questions[4].pk: rng.choice(
                        ["", "", "トップページの文字を大きくしてほしいです。"]
                    ),
                },
                age_band=age_band,
                district_id=district.pk if district else None,
                browser_id=f"demo-browser-{index}",
                when=now - datetime.timedelta(days=6 - index, hours=rng.randint(0, 8)),
            )
        return survey
