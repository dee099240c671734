"""What a comprehensive-plan chapter prints twice: the overview list and the summary tables.

Both repeat the body in short: 方策の展開 lists the 方策 of a 柱, and a table after a 方策 lists
its 手法 and actions (方策 / 手法 / 主な取り組み). The parser skips them as content but reads them
here and checks them against the body, so that a chapter whose summary disagrees with its text
is imported with a warning naming the line.
"""

import re
from dataclasses import dataclass, field

from hoshin.plans.formats.base import ParsedNode, ParsedPlan, PlanFormatError, Skipped
from hoshin.plans.formats.textlines import DIGITS, SPACE, Line, ascii_digits

# The header cells of the summary table printed for a 方策 (方策 / 手法 / 主な取り組み).
TABLE_HEADER = re.compile(r"^(方策|手法|主な取り組み|主な取組み?)$")
TABLE_METHOD = re.compile(rf"^({DIGITS}+)[.．]?{SPACE}+(\S.*)$")
TABLE_ACTION = re.compile(rf"^[-－−‐・]{SPACE}*[(（]({DIGITS}+)[)）]{SPACE}*(\S.*)$")


@dataclass
class TableMethod:
    line: Line
    number: str
    title: str
    actions: list[tuple[Line, str, str]] = field(default_factory=list)


@dataclass
class SummaryTable:
    """A summary table as printed, kept to check it against the body that follows."""

    policy: ParsedNode
    line: Line
    policy_title: tuple[Line, str] | None = None
    methods: list[TableMethod] = field(default_factory=list)

    def read_line(self, line: Line, plan: ParsedPlan) -> None:
        """Read one line of the table (it is skipped as content either way)."""
        plan.skipped.append(Skipped(line.number, line.text, "要約表"))
        text = line.text
        if TABLE_HEADER.match(text):
            return
        if match := TABLE_ACTION.match(text):
            if not self.methods:
                raise PlanFormatError(
                    "要約表の取組が手法の行（「1 …」）より前にあります。", where=line.where
                )
            number = f"({ascii_digits(match.group(1))})"
            self.methods[-1].actions.append((line, number, match.group(2).strip()))
        elif match := TABLE_METHOD.match(text):
            number = f"手法{ascii_digits(match.group(1))}"
            self.methods.append(TableMethod(line, number, match.group(2).strip()))
        elif self.policy_title is None and not self.methods:
            self.policy_title = (line, text)
        else:
            plan.warnings.append(f"{line.where}: 要約表の行「{text}」を読み取れません。")


def check_overview(plan: ParsedPlan, overview: list[tuple[Line, str]]) -> None:
    """Warn about an overview item (方策の展開) that names no 方策 of the body."""
    titles = {node.title for node in plan.walk() if node.depth == 1}
    for line, text in overview:
        if text not in titles:
            plan.warnings.append(
                f"{line.where}: 方策の展開の「{text}」に当たる方策が本文にありません。"
            )


def check_tables(plan: ParsedPlan, tables: list[SummaryTable]) -> None:
    """Warn about table rows that disagree with the body, and body 手法 a table leaves out."""
    for table in tables:
        policy = table.policy
        if table.policy_title is not None and table.policy_title[1] != policy.title:
            line, text = table.policy_title
            plan.warnings.append(
                f"{line.where}: 要約表の方策「{text}」が本文の「{policy.title}」と一致しません。"
            )
        methods = {method.number: method for method in policy.children}
        for entry in table.methods:
            method = methods.get(entry.number)
            if method is None or method.title != entry.title:
                plan.warnings.append(
                    f"{entry.line.where}: 要約表の「{entry.number} {entry.title}」が"
                    f"本文の{policy.number}にありません。"
                )
                continue
            actions = {action.number: action for action in method.actions}
            for line, number, title in entry.actions:
                action = actions.get(number)
                if action is None or action.title != title:
                    plan.warnings.append(
                        f"{line.where}: 要約表の取組「{number} {title}」が"
                        f"本文の{policy.number} {method.number}にありません。"
                    )
        listed = {entry.number for entry in table.methods}
        for method in policy.children:
            if table.methods and method.number not in listed:
                plan.warnings.append(
                    f"{method.line}行目: 「{method.number} {method.title}」が"
                    f"{table.line.where}からの要約表にありません。"
                )
