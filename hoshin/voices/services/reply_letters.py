"""The reply as a printed letter (A4 PDF, reportlab) with the city's letterhead text.

The letter carries the writer's postal address and name, the date in era form (令和…), the
receipt number, the subject, the reply and the answering department. Building it is a use of
personal details and is logged (PersonalDataView).

Fonts: the Japanese font installed by setup (fonts-noto-cjk), cut to the characters of each
letter by ``hoshin.lib.pdf.japanese_font`` (serif first, as letters are). The PDF embeds exactly
the glyphs it uses and prints the same on any machine of a closed network. If the font is
missing, building a letter fails with LetterFontMissing saying what to install.
"""

import datetime
import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from hoshin.lib.city import city_name, mayor_title
from hoshin.lib.fiscal import format_date
from hoshin.lib.pdf import SERIF, JapaneseFontMissing, japanese_font, wrap_lines
from hoshin.org.contact import department_contact
from hoshin.voices.models import ReplyStage, VoiceReply
from hoshin.voices.selectors.access import voice_access
from hoshin.voices.services.errors import LetterFontMissing, VoiceError, VoicePermissionError
from hoshin.voices.services.replies import personal_data_viewed, writer_of

FONT_CANDIDATES = SERIF  # a letter is set in Mincho (serif) when it is installed

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 25 * mm
FONT_SIZE = 10.5
LINE = FONT_SIZE * 1.75


def letter_lines(*, reply: VoiceReply, today: datetime.date) -> dict:
    """Everything printed on the letter, as text (also used by tests)."""
    voice = reply.voice
    writer = writer_of(voice)
    department = voice.lead_department
    contact = department_contact(department)
    return {
        "receipt": f"受付番号 {voice.receipt_number}",
        "date": format_date(today),
        "postal_address": (writer.postal_address if writer else "").splitlines(),
        "name": f"{writer.name} 様" if writer and writer.name else "投稿者 様",
        "sender": mayor_title(),
        "sender_department": f"（担当：{department.name}）" if department else "",
        "title": f"「{voice.subject}」について（回答）",
        "opening": (
            f"{format_date(voice.received_on)}にお寄せいただいたご意見について、"
            "次のとおり回答します。"
        ),
        "body": reply.body,
        "contact": (
            f"この回答についてのお問い合わせは、{department.name}へお願いします。"
            if department
            else ""
        ),
        "contact_details": contact.text_lines()[1:] if contact else [],
        "city": city_name(),
    }


def reply_letter_pdf(*, reply: VoiceReply, by, today: datetime.date | None = None) -> bytes:
    """The approved (or sent) reply as a printable letter; logs the use of the address."""
    voice = reply.voice
    if not voice_access(user=by, voice=voice).office:
        raise VoicePermissionError("回答文書の印刷は広聴担当だけが行えます。")
    if reply.stage not in (ReplyStage.APPROVED, ReplyStage.SENT):
        raise VoiceError("回答文書を印刷できるのは、承認が済んだ回答だけです。")
    if voice.personal_data_deleted_at:
        raise VoiceError("個人情報を削除したため、宛先のある回答文書は作れません。")
    today = today or timezone.localdate()
    parts = letter_lines(reply=reply, today=today)
    text = "".join(
        "".join(value) if isinstance(value, list) else str(value) for value in parts.values()
    )
    try:
        # One font per letter, forgotten afterwards (see hoshin.lib.pdf).
        with japanese_font(text, candidates=FONT_CANDIDATES, prefix="Letter") as font:
            pdf = _draw(parts, font, subject=voice.subject)
    except JapaneseFontMissing as exc:
        raise LetterFontMissing(str(exc)) from exc
    personal_data_viewed(voice=voice, by=by, purpose="回答文書（郵送用PDF）の作成")
    return pdf


def _draw(parts: dict, font: str, *, subject: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(parts["title"])
    pdf.setAuthor(parts["sender"])
    pdf.setSubject(subject)
    width = PAGE_WIDTH - 2 * MARGIN
    y = PAGE_HEIGHT - MARGIN

    def text_line(value: str, *, size: float = FONT_SIZE, align: str = "left") -> None:
        nonlocal y
        pdf.setFont(font, size)
        if align == "right":
            pdf.drawRightString(PAGE_WIDTH - MARGIN, y, value)
        elif align == "center":
            pdf.drawCentredString(PAGE_WIDTH / 2, y, value)
        else:
            pdf.drawString(MARGIN, y, value)
        y -= size * 1.75

    def new_page_if_needed() -> None:
        nonlocal y
        if y < MARGIN + LINE:
            pdf.showPage()
            y = PAGE_HEIGHT - MARGIN
            text_line(parts["receipt"], align="right")

    text_line(parts["receipt"], align="right")
    text_line(parts["date"], align="right")
    y -= LINE * 0.5
    for line in parts["postal_address"]:
        text_line(line)
    text_line(parts["name"], size=FONT_SIZE * 1.2)
    y -= LINE * 0.5
    text_line(parts["sender"], align="right")
    if parts["sender_department"]:
        text_line(parts["sender_department"], align="right")
    y -= LINE
    for line in wrap_lines(parts["title"], font, FONT_SIZE * 1.3, width):
        text_line(line, size=FONT_SIZE * 1.3, align="center")
    y -= LINE * 0.5
    for line in wrap_lines(parts["opening"], font, FONT_SIZE, width):
        text_line(line)
    y -= LINE * 0.5
    for line in wrap_lines(parts["body"], font, FONT_SIZE, width):
        new_page_if_needed()
        text_line(line)
    if parts["contact"]:
        y -= LINE
        new_page_if_needed()
        for line in wrap_lines(parts["contact"], font, FONT_SIZE, width):
            new_page_if_needed()
            text_line(line)
        for detail in parts["contact_details"]:
            for line in wrap_lines(detail, font, FONT_SIZE, width):
                new_page_if_needed()
                text_line(line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
