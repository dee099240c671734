"""A chapter of a comprehensive plan (総合計画) as text copied from the city's PDF.

Layout (see ``seeds/000_…txt``; blank lines separate the blocks)::

    方策の柱 / 自立できる 自治体経営の推進             ← 柱 (depth 0): title on the next line
    方策の展開 / - 開かれた市政を推進します …          ← overview list: skipped, cross-checked
    方策1 開かれた市政を推進します                      ← 方策 (depth 1)
    めざす姿 / <paragraph>                              ← vision of the 方策
    《 これまでの取り組みと今後の課題 》 / - … / - …    ← challenges (a bullet may wrap a line)
    市民懇談会                                          ← photo caption: skipped
    手法1 広報・広聴の充実 / <paragraph>                ← 手法 (depth 2) and its purpose
    主な取組事項 / (1) 広報活動の推進 / <paragraph>     ← actions: number, title, text
    主要事業 / ○日曜窓口サービス / ★…                   ← key projects of the action (★ new)
    ※PDCA マネジメントサイクル / <paragraph>            ← glossary note
    方策 / 手法 / 主な取り組み / … / - (1) …            ← summary table: skipped, cross-checked

The overview list and the summary tables are read and checked in ``comprehensive_summary``.
"""

import re

from hoshin.plans.formats.base import (
    ParsedAction,
    ParsedKeyProject,
    ParsedNode,
    ParsedNote,
    ParsedPlan,
    PlanFormat,
    PlanFormatError,
    Skipped,
    register,
)
from hoshin.plans.formats.comprehensive_summary import (
    TABLE_HEADER,
    SummaryTable,
    check_overview,
    check_tables,
)
from hoshin.plans.formats.textlines import (
    DIGITS,
    SPACE,
    Line,
    ascii_digits,
    decode_lines,
    sniff_lines,
)
from hoshin.plans.models import PlanKind

PILLAR = re.compile(rf"^方策の柱(?:{SPACE}+(\S.*))?$")
OVERVIEW = re.compile(r"^方策の展開$")
POLICY = re.compile(rf"^方策{SPACE}*({DIGITS}+){SPACE}+(\S.*)$")
METHOD = re.compile(rf"^手法{SPACE}*({DIGITS}+){SPACE}+(\S.*)$")
VISION = re.compile(r"^(めざす|目指す)姿$")
HEADING = re.compile(r"^《(.+)》$")
ACTIONS = re.compile(r"^主な取(り)?組(み)?事項$")
KEY_PROJECTS = re.compile(r"^主要事業$")
ACTION = re.compile(rf"^[(（]({DIGITS}+)[)）]{SPACE}*([^。]+)$")
KEY_PROJECT = re.compile(r"^([○◯〇★☆])" + rf"{SPACE}*(\S.*)$")
NOTE = re.compile(rf"^※{SPACE}*(\S.*)$")
BULLET = re.compile(rf"^[-－−‐・●]{SPACE}*(\S.*)$")
SENTENCE_END = ("。", "．", ".")

# A lone line this short, not a sentence and not structure, is a photo caption.
CAPTION_MAX_CHARS = 40

LEVEL_NAMES = ["柱", "方策", "手法"]


@register
class ComprehensiveTextFormat(PlanFormat):
    name = "comprehensive-text"
    label = "総合計画（テキスト）"

    def sniff(self, data: bytes, filename: str) -> bool:
        lines = sniff_lines(data, filename)
        if lines is None:
            return False
        texts = [line.text for line in lines]
        has_policy = any(POLICY.match(text) or PILLAR.match(text) for text in texts)
        return has_policy and any(re.match(rf"^手法{SPACE}*{DIGITS}+", text) for text in texts)

    def parse(self, data: bytes, filename: str) -> ParsedPlan:
        return _Parser(decode_lines(data)).parse()


class _Parser:
    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.plan = ParsedPlan(
            format_name=ComprehensiveTextFormat.name,
            kind=PlanKind.COMPREHENSIVE,
            level_names=list(LEVEL_NAMES),
            action_level_name="主な取組事項",
        )
        self.pillar: ParsedNode | None = None
        self.policy: ParsedNode | None = None
        self.method: ParsedNode | None = None
        self.action: ParsedAction | None = None
        # What the next paragraph is: (kind, line of the heading asking for it).
        self.expect: tuple[str, Line] | None = None
        # Where a further sentence paragraph goes: (object, attribute).
        self.last_field: tuple[object, str] | None = None
        self.note: ParsedNote | None = None
        self.mode = "body"  # body | challenges | overview | table
        self.paragraph: list[Line] = []
        self.bullet_open = False  # the previous line was a bullet item (or its continuation)
        self.overview: list[tuple[Line, str]] = []
        self.tables: list[SummaryTable] = []
        self.started = False

    # -- driver ---------------------------------------------------------------------------

    def parse(self) -> ParsedPlan:
        for line in self.lines:
            self._read_line(line)
        self._flush_paragraph()
        self._give_up_expectation()
        if not self.plan.roots:
            first = next((line for line in self.lines if not line.blank), self.lines[0])
            raise PlanFormatError(
                "「方策の柱」の行が見つかりません。総合計画（方策・手法）のテキストではないようです。",
                where=first.where,
            )
        self._check_tree()
        check_overview(self.plan, self.overview)
        check_tables(self.plan, self.tables)
        return self.plan

    def _read_line(self, line: Line) -> None:
        if line.blank:
            self._flush_paragraph()
            self.bullet_open = False
            return
        if self.mode == "table":
            if not self._ends_table(line.text):
                self.tables[-1].read_line(line, self.plan)
                return
            self.mode = "body"
        if self._read_structure(line):
            return
        if self.mode in ("challenges", "overview"):
            if match := BULLET.match(line.text):
                self._add_bullet(line, match.group(1))
                return
            if self.bullet_open:
                self._continue_bullet(line)
                return
            self.mode = "body"
        self.paragraph.append(line)

    # -- structure lines ------------------------------------------------------------------

    def _read_structure(self, line: Line) -> bool:
        text = line.text
        handlers = (
            (PILLAR, self._start_pillar),
            (OVERVIEW, self._start_overview),
            (POLICY, self._start_policy),
            (METHOD, self._start_method),
            (VISION, self._start_vision),
            (HEADING, self._start_heading),
            (ACTIONS, self._start_actions),
            (KEY_PROJECTS, self._start_key_projects),
            (ACTION, self._start_action),
            (KEY_PROJECT, self._add_key_project),
            (NOTE, self._start_note),
            (TABLE_HEADER, self._start_table),
        )
        for pattern, handler in handlers:
            match = pattern.match(text)
            if match:
                self._flush_paragraph()
                self._give_up_expectation()
                self.started = True
                self.mode = "body"
                self.bullet_open = False
                handler(line, match)
                return True
        return False

    def _start_pillar(self, line: Line, match: re.Match) -> None:
        self.policy = self.method = self.action = None
        self.last_field = None
        self.pillar = ParsedNode(title="", depth=0, line=line.number)
        self.plan.roots.append(self.pillar)
        if match.group(1):
            self.pillar.title = match.group(1).strip()
        else:
            self.expect = ("pillar_title", line)

    def _start_overview(self, line: Line, match: re.Match) -> None:
        self.plan.skipped.append(Skipped(line.number, line.text, "方策の展開（一覧）"))
        self.last_field = None
        self.mode = "overview"

    def _start_policy(self, line: Line, match: re.Match) -> None:
        if self.pillar is None:
            raise PlanFormatError(
                "「方策の柱」より前に方策があります（柱の行が抜けています）。", where=line.where
            )
        number = f"方策{ascii_digits(match.group(1))}"
        self._check_sequence(self.pillar.children, number, line)
        self.policy = ParsedNode(
            title=match.group(2).strip(), depth=1, number=number, line=line.number
        )
        self.pillar.children.append(self.policy)
        self.method = self.action = None
        self.last_field = None

    def _start_method(self, line: Line, match: re.Match) -> None:
        if self.policy is None:
            raise PlanFormatError(
                "方策（「方策1 …」の行）より前に手法があります（階層が一つ飛んでいます）。",
                where=line.where,
            )
        number = f"手法{ascii_digits(match.group(1))}"
        self._check_sequence(self.policy.children, number, line)
        self.method = ParsedNode(
            title=match.group(2).strip(), depth=2, number=number, line=line.number
        )
        self.policy.children.append(self.method)
        self.action = None
        self.last_field = None
        self.expect = ("purpose", line)

    def _start_vision(self, line: Line, match: re.Match) -> None:
        self._current_node(line, "めざす姿")
        self.action = None
        self.last_field = None
        self.expect = ("vision", line)

    def _start_heading(self, line: Line, match: re.Match) -> None:
        title = re.sub(rf"{SPACE}+", "", match.group(1))
        if "課題" not in title:
            raise PlanFormatError(
                f"見出し「{line.text}」には対応していません"
                "（《 これまでの取り組みと今後の課題 》のみ）。",
                where=line.where,
            )
        self._current_node(line, "これまでの取り組みと今後の課題")
        self.action = None
        self.last_field = None
        self.mode = "challenges"

    def _start_actions(self, line: Line, match: re.Match) -> None:
        if self.method is None:
            raise PlanFormatError(
                "「主な取組事項」が手法（「手法1 …」の行）の外にあります。", where=line.where
            )
        self.action = None
        self.last_field = None

    def _start_action(self, line: Line, match: re.Match) -> None:
        if self.method is None:
            raise PlanFormatError(
                f"取組「{line.text}」が手法（「手法1 …」の行）の外にあります。",
                where=line.where,
            )
        number = f"({ascii_digits(match.group(1))})"
        self._check_sequence(self.method.actions, number, line)
        self.action = ParsedAction(
            text="", title=match.group(2).strip(), number=number, line=line.number
        )
        self.method.actions.append(self.action)
        self.last_field = None
        self.expect = ("action_text", line)

    def _start_key_projects(self, line: Line, match: re.Match) -> None:
        if self.action is None:
            raise PlanFormatError(
                "「主要事業」が取組（「(1) …」の行）の外にあります。", where=line.where
            )
        self.last_field = None

    def _add_key_project(self, line: Line, match: re.Match) -> None:
        if self.action is None:
            raise PlanFormatError(
                f"主要事業「{line.text}」が取組（「(1) …」の行）の外にあります。",
                where=line.where,
            )
        self.action.key_projects.append(
            ParsedKeyProject(title=match.group(2).strip(), is_new=match.group(1) in "★☆")
        )
        self.last_field = None

    def _start_note(self, line: Line, match: re.Match) -> None:
        term = match.group(1).strip()
        body = ""
        inline = re.match(r"^(.+?)[：:](.+)$", term)
        if inline:
            term, body = inline.group(1).strip(), inline.group(2).strip()
        self.note = ParsedNote(term=term, body=body)
        if self.action is not None:
            self.action.notes.append(self.note)
        else:
            self._current_node(line, "※の注記").notes.append(self.note)
        if body:
            self.last_field = (self.note, "body")
        else:
            self.last_field = None
            self.expect = ("note_body", line)

    def _start_table(self, line: Line, match: re.Match) -> None:
        if self.policy is None:
            raise PlanFormatError(
                "要約表（方策 / 手法 / 主な取り組み）が方策の外にあります。", where=line.where
            )
        self.last_field = None
        self.tables.append(SummaryTable(policy=self.policy, line=line))
        self.mode = "table"
        self.tables[-1].read_line(line, self.plan)

    def _current_node(self, line: Line, what: str) -> ParsedNode:
        node = self.method or self.policy or self.pillar
        if node is None:
            raise PlanFormatError(
                f"「{what}」より前に方策の柱・方策がありません。", where=line.where
            )
        return node

    # -- paragraphs and bullets -----------------------------------------------------------

    def _flush_paragraph(self) -> None:
        if not self.paragraph:
            return
        lines, self.paragraph = self.paragraph, []
        first = lines[0]
        text = "\n".join(line.text for line in lines)
        if self.expect is not None:
            kind, _ = self.expect
            self.expect = None
            self._fill(kind, first, lines, text)
        elif not self.started:
            # Text above the first heading: the chapter's title, then any preface.
            if not self.plan.source_title and len(lines) == 1:
                self.plan.source_title = text
            else:
                for line in lines:
                    self.plan.skipped.append(Skipped(line.number, line.text, "前書き"))
        elif self._is_caption(lines):
            self.plan.skipped.append(Skipped(first.number, first.text, "写真の説明"))
        elif self.last_field is not None:
            target, attribute = self.last_field
            setattr(target, attribute, getattr(target, attribute) + "\n" + text)
        else:
            raise PlanFormatError(
                f"この文章がどの項目に属するか分かりません（「{first.text[:30]}」）。"
                "めざす姿・手法・取組・※の後に置いてください。",
                where=first.where,
            )

    def _fill(self, kind: str, first: Line, lines: list[Line], text: str) -> None:
        if kind == "pillar_title":
            self.pillar.title = "".join(line.text for line in lines)
            return
        if kind == "vision":
            target, attribute = self._current_node(first, "めざす姿"), "vision"
        elif kind == "purpose":
            target, attribute = self.method, "purpose"
        elif kind == "action_text":
            target, attribute = self.action, "text"
        else:
            target, attribute = self.note, "body"
        setattr(target, attribute, text)
        self.last_field = (target, attribute)

    def _give_up_expectation(self) -> None:
        """A heading that wanted a paragraph is followed by another heading instead."""
        if self.expect is None:
            return
        kind, line = self.expect
        self.expect = None
        if kind == "pillar_title":
            raise PlanFormatError("「方策の柱」の次の行に柱の名称がありません。", where=line.where)
        messages = {
            "vision": "「めざす姿」の文章がありません。",
            "purpose": f"「{line.text}」の説明文がありません。",
            "action_text": f"取組「{line.text}」の説明文がありません。",
            "note_body": f"「{line.text}」の説明文がありません。",
        }
        self.plan.warnings.append(f"{line.where}: {messages[kind]}")

    @staticmethod
    def _is_caption(lines: list[Line]) -> bool:
        text = lines[0].text
        return (
            len(lines) == 1 and len(text) <= CAPTION_MAX_CHARS and not text.endswith(SENTENCE_END)
        )

    def _add_bullet(self, line: Line, text: str) -> None:
        if self.mode == "challenges":
            self._current_node(line, "これまでの取り組みと今後の課題").challenges.append(text)
        else:
            self.overview.append((line, text))
            self.plan.skipped.append(Skipped(line.number, line.text, "方策の展開（一覧）"))
        self.bullet_open = True

    def _continue_bullet(self, line: Line) -> None:
        """A line right under a bullet, with no blank line between, wraps that bullet."""
        if self.mode == "challenges":
            challenges = self._current_node(line, "これまでの取り組みと今後の課題").challenges
            challenges[-1] += "\n" + line.text
        else:
            last_line, text = self.overview[-1]
            self.overview[-1] = (last_line, text + line.text)
            self.plan.skipped.append(Skipped(line.number, line.text, "方策の展開（一覧）"))

    # -- summary table --------------------------------------------------------------------

    @staticmethod
    def _ends_table(text: str) -> bool:
        return any(
            pattern.match(text)
            for pattern in (HEADING, METHOD, POLICY, PILLAR, ACTIONS, VISION, OVERVIEW)
        )

    # -- checks ---------------------------------------------------------------------------

    def _check_sequence(self, siblings: list, number: str, line: Line) -> None:
        expected = len(siblings) + 1
        if re.sub(r"\D", "", number) != str(expected):
            self.plan.warnings.append(
                f"{line.where}: 番号「{number}」は順番どおりではありません（{expected}番目）。"
            )

    def _check_tree(self) -> None:
        for node in self.plan.walk():
            label = f"{node.number} {node.title}".strip()
            if node.depth < 2 and not node.children:
                self.plan.warnings.append(f"{node.line}行目: 「{label}」の下に手法がありません。")
            if node.depth == 2 and not node.actions:
                self.plan.warnings.append(
                    f"{node.line}行目: 「{label}」の下に主な取組事項がありません。"
                )
            for action in node.actions:
                if not action.text:
                    # The leaf needs a text; the title is the best the document offers.
                    action.text = action.title
