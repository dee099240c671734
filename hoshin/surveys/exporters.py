"""Raw answers of a survey as CSV (UTF-8 with BOM, or CP932 on request) and XLSX.

One row per response, one column per question (問1 …), after the response number, the time
and the respondent attributes the survey asks. Multiple choices are joined with 「、」. Numbers
stay numbers. Encodings, the CP932 refusal and formula escaping are ``hoshin.lib.spreadsheets``:
a citizen's "=…" never becomes a formula, in CSV (an apostrophe in front) or XLSX (a text cell).

The invitation code of a response is never exported: a city that mailed the codes knows who
received which one, and the answers must stay anonymous.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from hoshin.lib.spreadsheets import UTF8_BOM, CsvWriter, xlsx_put
from hoshin.surveys.models import QuestionKind, Survey, SurveyAnswer
from hoshin.surveys.selectors.public import NumberedQuestion, survey_questions

JOIN = "、"


@dataclass
class Table:
    header: list[str]
    rows: Iterator[list[str | int | None]]


def question_heading(numbered: NumberedQuestion) -> str:
    """``問3 市の情報発信に満足していますか`` — the column title of a question."""
    return f"問{numbered.number} {numbered.question.text}"


def answers_table(*, survey: Survey) -> Table:
    """The header and a lazy iterator of rows (responses read in chunks, answers prefetched)."""
    questions = survey_questions(survey=survey)
    header = ["回答番号", "回答日時"]
    if survey.asks_age_band:
        header.append("年代")
    if survey.asks_district:
        header.append("地区")
    header += [question_heading(numbered) for numbered in questions]
    responses = (
        survey.responses.select_related("district")
        .order_by("submitted_at", "id")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=SurveyAnswer.objects.select_related("choice").order_by(
                    "question_id", "choice__position", "choice_id", "id"
                ),
            )
        )
    )

    def rows() -> Iterator[list]:
        for index, response in enumerate(responses.iterator(chunk_size=1000), 1):
            by_question: dict[int, list[SurveyAnswer]] = {}
            for answer in response.answers.all():
                by_question.setdefault(answer.question_id, []).append(answer)
            row: list = [
                index,
                timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M:%S"),
            ]
            if survey.asks_age_band:
                row.append(response.get_age_band_display() if response.age_band else "")
            if survey.asks_district:
                row.append(response.district.name if response.district else "")
            for numbered in questions:
                row.append(_cell(numbered.question.kind, by_question.get(numbered.question.pk, [])))
            yield row

    return Table(header=header, rows=rows())


def _cell(kind: str, answers: list[SurveyAnswer]) -> str | int | None:
    if not answers:
        return None
    if kind in QuestionKind.with_choices():
        return JOIN.join(answer.choice.label for answer in answers)
    if kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        return answers[0].number
    return answers[0].text


# ---- CSV ----------------------------------------------------------------------------------


def export_csv(*, survey: Survey, encoding: str = UTF8_BOM) -> bytes:
    """The raw answers as CSV for Excel (CRLF line ends).

    ``encoding`` is ``utf-8-sig`` (every character) or ``cp932`` (Shift_JIS; raises
    CsvEncodingError naming the line, column and response of the first character it cannot hold).
    """
    table = answers_table(survey=survey)
    writer = CsvWriter(encoding=encoding, header=table.header)
    lines = [writer.row(table.header, label="見出し")]
    lines.extend(writer.row(cells, label=f"回答番号 {cells[0]}") for cells in table.rows)
    return writer.encode("".join(lines))


# ---- XLSX ---------------------------------------------------------------------------------


def export_xlsx(*, survey: Survey) -> bytes:
    """The raw answers as an Excel workbook: sheet 回答 (the table) and sheet 設問 (the key)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    table = answers_table(survey=survey)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "回答"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def put(ws, row: int, column: int, value) -> None:
        if value is None:
            return
        cell = xlsx_put(ws, row, column, value)
        if isinstance(value, str) and "\n" in value:
            cell.alignment = wrap

    for column, title in enumerate(table.header, 1):
        put(sheet, 1, column, title)
        sheet.cell(row=1, column=column).font = bold
        sheet.column_dimensions[get_column_letter(column)].width = 12 if column <= 2 else 24
    for row_index, cells in enumerate(table.rows, 2):
        for column, value in enumerate(cells, 1):
            put(sheet, row_index, column, value)
    sheet.freeze_panes = "C2"

    key = workbook.create_sheet("設問")
    for column, title in enumerate(("設問", "種類", "必須", "選択肢・範囲"), 1):
        put(key, 1, column, title)
        key.cell(row=1, column=column).font = bold
    for row_index, numbered in enumerate(survey_questions(survey=survey), 2):
        question = numbered.question
        put(key, row_index, 1, question_heading(numbered))
        put(key, row_index, 2, question.get_kind_display())
        put(key, row_index, 3, "必須" if question.required else "")
        put(key, row_index, 4, _question_key(question))
    for letter, width in zip("ABCD", (50, 12, 8, 50), strict=True):
        key.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _question_key(question) -> str:
    if question.has_choices:
        return JOIN.join(choice.label for choice in question.choices.all())
    if question.kind == QuestionKind.SCALE:
        low = f"1={question.scale_min_label}" if question.scale_min_label else "1"
        high = f"5={question.scale_max_label}" if question.scale_max_label else "5"
        return f"{low}～{high}"
    if question.kind == QuestionKind.NUMBER:
        low = "" if question.number_min is None else f"{question.number_min:,}"
        high = "" if question.number_max is None else f"{question.number_max:,}"
        return f"{low}～{high}{question.number_unit}" if low or high else question.number_unit
    return f"{question.text_max_length:,}文字以内"
