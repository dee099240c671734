"""The text of a reform implementation plan (行財政改革大綱に基づく実施計画) as a city prints it.

Layout (see ``seeds/001_…txt``)::

    第6次行財政改革大綱に基づく実施計画          ← document title
    1 市民参画・市民協働の一層の推進             ← 大項目 (depth 0)
    (1)行政情報の積極的開示、市民との共有化      ← 中項目 (depth 1)
    市民が市政に関心を寄せる情報発信の推進       ← 取組 (depth 2): the line before the header
    実施内容 担当課                              ← header row
    …を広く周知する。 地域防災対策室             ← action: text, last space, department
    …を図る。 総務課                             ← an action with several departments:
    保健福祉部                                      the extra ones follow, one a line
    この記事に関するお問い合わせ先               ← contact block (metadata, not content)
    総務課 行政管理係
    …
    更新日:2023年10月17日
"""

import re

from hoshin.plans.formats.base import (
    MARKER_LABELS,
    ParsedAction,
    ParsedNode,
    ParsedPlan,
    PlanFormat,
    PlanFormatError,
    Skipped,
    register,
)
from hoshin.plans.formats.textlines import (
    DIGITS,
    SPACE,
    Line,
    ascii_digits,
    decode_lines,
    next_text_line,
    parse_date,
    sniff_lines,
)
from hoshin.plans.models import PlanKind

HEADER = re.compile(rf"^実施内容{SPACE}+担当課$")
PILLAR = re.compile(rf"^({DIGITS}{{1,3}})[.．]?{SPACE}+(\S.*)$")
SECTION = re.compile(rf"^[(（]({DIGITS}{{1,3}})[)）]{SPACE}*(\S.*)$")
CONTACT_START = re.compile(r"^(この記事に関する)?(お)?問い?合わせ先")
UPDATED = re.compile(r"^更新日")
CONTACT_DETAIL = re.compile(
    r"^(〒|電話|TEL|ＴＥＬ|FAX|ＦＡＸ|ファクス|ファックス|メール|E-?mail|住所)", re.I
)
# The page's feedback widget: everything from here to 更新日 is chrome, not contact data.
FEEDBACK = re.compile(r"^(あなたの評価|このページ|この記事|ページの評価|より良いウェブサイト)")
LAST_SPACE = re.compile(rf"^(.*\S){SPACE}+(\S+)$")

# Endings of department names: 課, 室, 部, 係, 委員会, 事務局, 館 (図書館, 公民館, 市民会館) …
DEPARTMENT_ENDINGS = (
    "課",
    "室",
    "部",
    "係",
    "局",
    "委員会",
    "委員",
    "館",
    "センター",
    "所",
    "署",
    "院",
    "園",
    "班",
    "グループ",
    "担当",
)
SENTENCE_MARKS = re.compile(r"[。、，,「」！？!?：:]")

LEVEL_NAMES = ["大項目", "中項目", "取組"]


def looks_like_department(text: str) -> bool:
    """A short label ending like a department name (保健福祉部, 各地区公民館), or 全庁 / 関係各課など."""
    if text in MARKER_LABELS:
        return True
    return len(text) <= 30 and not SENTENCE_MARKS.search(text) and text.endswith(DEPARTMENT_ENDINGS)


def _departments_only(text: str) -> list[str] | None:
    """The department labels of a line naming only departments (保健福祉部 / 教育委員会 学校教育課)."""
    parts = re.split(rf"{SPACE}+", text)
    if len(parts) == 1:
        return [text] if looks_like_department(text) else None
    # 教育委員会 学校教育課: one department written with its parent; short parts only, so that
    # a short action text ending in 課 is not taken for a department.
    if all(len(part) <= 15 and looks_like_department(part) for part in parts):
        return [" ".join(parts)]
    return None


def _is_label(text: str) -> bool:
    """Short and not a sentence: a name of some kind rather than an action's text."""
    return len(text) <= 30 and not SENTENCE_MARKS.search(text) and not text.endswith("。")


@register
class ReformTextFormat(PlanFormat):
    name = "reform-text"
    label = "行財政改革実施計画（テキスト）"

    def sniff(self, data: bytes, filename: str) -> bool:
        lines = sniff_lines(data, filename)
        return lines is not None and any(HEADER.match(line.text) for line in lines)

    def parse(self, data: bytes, filename: str) -> ParsedPlan:
        return _Parser(decode_lines(data)).parse()


class _Parser:
    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.plan = ParsedPlan(
            format_name=ReformTextFormat.name,
            kind=PlanKind.REFORM,
            level_names=list(LEVEL_NAMES),
            action_level_name="実施内容",
        )
        self.pillar: ParsedNode | None = None
        self.section: ParsedNode | None = None
        self.measure: ParsedNode | None = None
        self.header_line: Line | None = None  # the 実施内容 担当課 row of the current measure
        self.in_rows = False
        self.last_action: ParsedAction | None = None

    def parse(self) -> ParsedPlan:
        index = self._read_title()
        while index < len(self.lines):
            line = self.lines[index]
            if CONTACT_START.match(line.text):
                self._close_measure()
                self._read_contact(index)
                break
            self._read_line(index, line)
            index += 1
        self._close_measure()
        if not self.plan.roots:
            first = next((line for line in self.lines if not line.blank), self.lines[0])
            raise PlanFormatError(
                "大項目（「1 市民参画の推進」のような番号付きの行）が見つかりません。"
                "行財政改革実施計画のテキストではないようです。",
                where=first.where,
            )
        self._warn_empty_nodes()
        return self.plan

    def _read_title(self) -> int:
        """The first non-blank line is the document title unless it is already structure."""
        for index, line in enumerate(self.lines):
            if line.blank:
                continue
            following = next_text_line(self.lines, index)
            is_structure = (
                PILLAR.match(line.text)
                or SECTION.match(line.text)
                or HEADER.match(line.text)
                or (following is not None and HEADER.match(following.text))
            )
            if is_structure:
                return index
            self.plan.source_title = line.text
            return index + 1
        raise PlanFormatError("ファイルに文字がありません。", where=self.lines[0].where)

    def _read_line(self, index: int, line: Line) -> None:
        text = line.text
        if line.blank:
            return
        if UPDATED.match(text):
            self._read_updated(line)
            return
        if HEADER.match(text):
            if line == self.header_line:
                return  # read together with the measure heading above it
            raise PlanFormatError(
                "「実施内容 担当課」の前に取組の見出しの行がありません。", where=line.where
            )
        if match := PILLAR.match(text):
            self._start_pillar(line, match)
            return
        if match := SECTION.match(text):
            self._start_section(line, match)
            return
        following = next_text_line(self.lines, index)
        if following is not None and HEADER.match(following.text):
            self._start_measure(line, following)
            return
        if self.in_rows:
            self._read_row(line)
            return
        if _departments_only(text):
            raise PlanFormatError(
                f"担当課だけの行があります（「{text}」）。前に実施内容の行が必要です。",
                where=line.where,
            )
        if LAST_SPACE.match(text):
            raise PlanFormatError(
                "「実施内容 担当課」の見出し行より前に実施内容の行があります。", where=line.where
            )
        raise PlanFormatError(
            f"この行を読み取れません（「{text[:30]}」）。大項目「1 …」、中項目「(1)…」、"
            "取組の見出し（次の行が「実施内容 担当課」）、実施内容のいずれでもありません。",
            where=line.where,
        )

    def _start_pillar(self, line: Line, match: re.Match) -> None:
        self._close_measure()
        number = ascii_digits(match.group(1))
        self._check_sequence(self.plan.roots, number, line)
        self.pillar = ParsedNode(
            title=match.group(2).strip(), depth=0, number=number, line=line.number
        )
        self.plan.roots.append(self.pillar)
        self.section = None

    def _start_section(self, line: Line, match: re.Match) -> None:
        self._close_measure()
        if self.pillar is None:
            raise PlanFormatError(
                "大項目（「1 …」の行）より前に中項目（「(1)…」の行）があります。",
                where=line.where,
            )
        number = f"({ascii_digits(match.group(1))})"
        self._check_sequence(self.pillar.children, number, line)
        self.section = ParsedNode(
            title=match.group(2).strip(), depth=1, number=number, line=line.number
        )
        self.pillar.children.append(self.section)

    def _start_measure(self, line: Line, header: Line) -> None:
        self._close_measure()
        if self.section is None:
            raise PlanFormatError(
                "中項目（「(1)…」の行）より前に取組の見出しがあります。", where=line.where
            )
        self.measure = ParsedNode(title=line.text, depth=2, line=line.number)
        self.section.children.append(self.measure)
        self.header_line = header
        self.in_rows = True
        self.last_action = None

    def _read_row(self, line: Line) -> None:
        text = line.text
        departments = _departments_only(text)
        if departments is not None:
            if self.last_action is None:
                raise PlanFormatError(
                    f"担当課だけの行があります（「{text}」）。前に実施内容の行が必要です。",
                    where=line.where,
                )
            self.last_action.departments.extend(departments)
            return
        match = LAST_SPACE.match(text)
        if not match and self.last_action is not None and _is_label(text):
            raise PlanFormatError(
                f"「{text}」が担当課なのか実施内容なのか分かりません。担当課なら「…課」「…部」"
                "「…室」などで終わる名前、実施内容なら行末に空白と担当課を書いてください。",
                where=line.where,
            )
        if not match:
            raise PlanFormatError(
                "実施内容の行に担当課がありません（内容と担当課の間に空白を入れてください）。",
                where=line.where,
            )
        body, department = match.group(1), match.group(2)
        if SENTENCE_MARKS.search(department) or len(department) > 40:
            raise PlanFormatError(
                f"行末の「{department[:20]}」は担当課に見えません"
                "（内容と担当課の間に空白を入れてください）。",
                where=line.where,
            )
        self.last_action = ParsedAction(text=body, departments=[department], line=line.number)
        self.measure.actions.append(self.last_action)

    def _close_measure(self) -> None:
        if self.measure is not None and not self.measure.actions:
            raise PlanFormatError(
                f"取組「{self.measure.title}」の「実施内容 担当課」の下に実施内容の行がありません。",
                where=self.header_line.where,
            )
        self.measure = None
        self.header_line = None
        self.in_rows = False
        self.last_action = None

    def _read_contact(self, start: int) -> None:
        """The contact block: owner office, address lines, feedback widget, 更新日."""
        contact: list[str] = []
        owner_seen = False
        in_feedback = False
        after_updated = False
        for line in self.lines[start + 1 :]:
            if line.blank:
                continue
            if after_updated:
                self.plan.skipped.append(Skipped(line.number, line.text, "ページの末尾"))
            elif UPDATED.match(line.text):
                self._read_updated(line)
                after_updated = True
            elif not owner_seen and not CONTACT_DETAIL.match(line.text):
                self.plan.owner_office = line.text
                owner_seen = True
            elif in_feedback or FEEDBACK.match(line.text):
                in_feedback = True
                self.plan.skipped.append(Skipped(line.number, line.text, "ページの評価欄"))
            else:
                owner_seen = True  # an office named after the address is just contact text
                contact.append(line.text)
        self.plan.contact = "\n".join(contact)

    def _read_updated(self, line: Line) -> None:
        try:
            day = parse_date(line.text)
        except ValueError as exc:
            raise PlanFormatError(f"更新日を読めません: {exc}", where=line.where) from None
        if day is None:
            raise PlanFormatError(
                f"更新日を読めません（「{line.text}」）。例: 更新日:2023年10月17日",
                where=line.where,
            )
        self.plan.source_updated_on = day

    def _check_sequence(self, siblings: list[ParsedNode], number: str, line: Line) -> None:
        expected = len(siblings) + 1
        if re.sub(r"\D", "", number) != str(expected):
            self.plan.warnings.append(
                f"{line.where}: 番号「{number}」は順番どおりではありません（{expected}番目）。"
            )

    def _warn_empty_nodes(self) -> None:
        for node in self.plan.walk():
            if node.depth < 2 and not node.children:
                self.plan.warnings.append(
                    f"{node.line}行目: 「{node.number} {node.title}」の下に取組がありません。"
                )
