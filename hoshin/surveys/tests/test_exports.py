"""Raw answers as CSV (UTF-8 with BOM, CP932) and XLSX, read back the way Excel users open them."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hoshin.lib.spreadsheets import CsvEncodingError, cp932_message
from hoshin.surveys.exporters import export_csv, export_xlsx
from hoshin.surveys.models import AnswerLimit
from hoshin.surveys.services.invitations import invitations_generate

from . import factories as f

pytestmark = pytest.mark.django_db

RARE = "①㈱髙﨑"
HEADER = [
    "回答番号",
    "回答日時",
    "年代",
    "地区",
    "問1 市の情報を主に何から得ていますか",
    "問2 利用した施設をすべて選んでください",
    "問3 市政に満足していますか",
    "問4 窓口まで何分かかりますか",
    "問5 ご意見をどうぞ",
]


@pytest.fixture
def answered(sample, districts):
    sample.answer(
        single="広報紙",
        multiple=["窓口", "図書館"],
        scale="4",
        number="15",
        text=f"{RARE}の件\n二行目",
        age_band="40s",
        district=districts[0],
    )
    sample.answer(scale="2", text='=HYPERLINK("http://example.com")')
    return sample


def read_csv(data: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_csv_reads_back_with_rare_characters(answered, encoding):
    data = export_csv(survey=answered.survey, encoding=encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    rows = read_csv(data, encoding)
    assert rows[0] == HEADER
    first = rows[1]
    assert first[0] == "1" and first[2:4] == ["40代", "中村"]
    # Multiple choices joined with 「、」 in the order of the choices.
    assert first[4:9] == ["広報紙", "図書館、窓口", "4", "15", f"{RARE}の件\n二行目"]
    second = rows[2]
    assert second[2:8] == ["", "", "", "", "2", ""]
    # A citizen's text never becomes a formula in Excel.
    assert second[8] == '\'=HYPERLINK("http://example.com")'
    assert len(rows) == 3


def test_csv_lines_end_with_crlf(answered):
    data = export_csv(survey=answered.survey)
    assert data.count(b"\r\n") >= 3


def test_cp932_refuses_characters_it_cannot_hold_naming_where(sample):
    sample.answer(text="𠮷野家の件")
    data = export_csv(survey=sample.survey, encoding="utf-8-sig")
    assert "𠮷野家の件" in data.decode("utf-8-sig")
    with pytest.raises(CsvEncodingError) as caught:
        export_csv(survey=sample.survey, encoding="cp932")
    # The one message of every CSV: line, column (title), the response and the character.
    assert str(caught.value) == cp932_message(
        line=2, column=9, title=HEADER[8], label="回答番号 1", char="𠮷"
    )
    assert "2行目 9列目(問5 ご意見をどうぞ)（回答番号 1）" in str(caught.value)


def test_xlsx_reads_back_with_types_and_rare_characters(answered):
    answered.answer(text="𠮷と😀")
    workbook = load_workbook(io.BytesIO(export_xlsx(survey=answered.survey)))
    sheet = workbook["回答"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[1][0] == 1 and rows[1][2:8] == ["40代", "中村", "広報紙", "図書館、窓口", 4, 15]
    assert rows[1][8] == f"{RARE}の件\n二行目"
    assert rows[2][8] == '=HYPERLINK("http://example.com")'
    assert sheet.cell(row=3, column=9).data_type == "s"  # text, not a formula
    assert rows[3][8] == "𠮷と😀"
    key = workbook["設問"]
    assert key.cell(row=2, column=1).value == HEADER[4]
    assert key.cell(row=2, column=4).value == "広報紙、ホームページ、SNS"


@pytest.mark.parametrize("text", ["-5", "@市民", "+81", "=1+1"])
def test_text_is_escaped_but_numbers_are_not(sample, text):
    sample.answer(number="15", text=text)
    (row,) = read_csv(export_csv(survey=sample.survey), "utf-8-sig")[1:]
    assert row[7] == "15" and row[8] == "'" + text
    sheet = load_workbook(io.BytesIO(export_xlsx(survey=sample.survey)))["回答"]
    number, answer = sheet.cell(row=2, column=8), sheet.cell(row=2, column=9)
    assert (number.value, number.data_type) == (15, "n")
    assert (answer.value, answer.data_type) == (text, "s")


def test_attributes_not_asked_are_not_columns(districts):
    sample = f.make_sample(asks_age_band=False, asks_district=False)
    sample.answer(scale="3")
    rows = read_csv(export_csv(survey=sample.survey), "utf-8-sig")
    assert rows[0][:3] == ["回答番号", "回答日時", "問1 市の情報を主に何から得ていますか"]


def test_invitation_codes_are_never_exported(districts):
    sample = f.make_sample(answer_limit=AnswerLimit.TOKEN)
    (code,) = invitations_generate(survey=sample.survey, count=1)
    sample.answer(scale="3", token=code.token)
    assert code.token.encode() not in export_csv(survey=sample.survey)
    workbook = load_workbook(io.BytesIO(export_xlsx(survey=sample.survey)))
    values = {v for row in workbook["回答"].iter_rows(values_only=True) for v in row}
    assert code.token not in values


# ---- the download views -------------------------------------------------------------------


def test_download_views(answered, hearing_client):
    url = reverse("surveys_staff:export", args=[answered.survey.pk])
    xlsx = hearing_client.get(url, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(xlsx.content))["回答"].max_row == 3
    utf8 = hearing_client.get(url)
    assert utf8["Content-Type"] == "text/csv; charset=utf-8"
    assert utf8["Content-Disposition"].endswith('answers.csv"')
    sjis = hearing_client.get(url, {"format": "csv", "encoding": "cp932"})
    assert read_csv(sjis.content, "cp932")[1][8] == f"{RARE}の件\n二行目"


def test_cp932_failure_goes_back_to_results_with_the_message(sample, hearing_client):
    sample.answer(text="𠮷")
    url = reverse("surveys_staff:export", args=[sample.survey.pk])
    response = hearing_client.get(url, {"format": "csv", "encoding": "cp932"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "surveys_staff:results", args=[sample.survey.pk]
    )
    assert "Shift_JIS（CP932）で書けません" in response.content.decode()


def test_invitation_csv_has_codes_and_urls_but_not_who_answered(districts, hearing_client):
    sample = f.make_sample(answer_limit=AnswerLimit.TOKEN)
    codes = invitations_generate(survey=sample.survey, count=3)
    sample.answer(token=codes[0].token)
    response = hearing_client.get(reverse("surveys_staff:invitations_csv", args=[sample.survey.pk]))
    rows = read_csv(response.content, "utf-8-sig")
    assert rows[0] == ["招待コード", "回答用URL"]
    assert [row[0] for row in rows[1:]] == [c.display_token for c in codes]
    assert rows[1][1].endswith(f"/surveys/{sample.survey.pk}/?token={codes[0].token}")
    assert all(len(row) == 2 for row in rows)


def test_exports_of_answers_and_codes_are_recorded_in_the_audit_trail(districts, hearing_client):
    """Issue 10 ("What to build" 4): exports of personal data are audited. Raw answers hold
    respondents' attributes and free text; invitation codes pair with a mailing list."""
    from hoshin.audit.models import AuditEntry

    sample = f.make_sample(answer_limit=AnswerLimit.TOKEN)
    invitations_generate(survey=sample.survey, count=2)
    survey_id = sample.survey.pk
    hearing_client.get(reverse("surveys_staff:export", args=[survey_id]), {"format": "xlsx"})
    hearing_client.get(reverse("surveys_staff:export", args=[survey_id]), {"encoding": "cp932"})
    hearing_client.get(reverse("surveys_staff:invitations_csv", args=[survey_id]))
    entries = AuditEntry.objects.filter(target_id=str(survey_id), verb__startswith="survey.export")
    assert [(e.verb, e.data) for e in entries.order_by("sequence")] == [
        ("survey.export_answers", {"format": "xlsx"}),
        ("survey.export_answers", {"format": "csv", "encoding": "cp932"}),
        ("survey.export_invitations", {"rows": 2}),
    ]
    assert all(e.actor_id is not None for e in entries)
