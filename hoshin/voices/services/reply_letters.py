"""The reply as a printed letter (A4 PDF, reportlab) with the city's letterhead text.

The letter carries the writer's postal address and name, the date in era form (令和…), the
receipt number, the subject, the reply and the answering department. Building it is a use of
personal details and is logged (PersonalDataView).

Fonts: the Japanese font installed by setup (fonts-noto-cjk, NotoSansCJK / NotoSerifCJK .ttc).
Those fonts have PostScript (CFF) outlines, which reportlab cannot embed, so the characters of
each letter are cut out of the font with fontTools and converted to TrueType outlines
(``_letter_font``, well under a second). The PDF therefore embeds exactly the glyphs it uses
and prints the same on any machine of a closed network. If the font is missing, building a
letter fails with LetterFontMissing saying what to install.
"""

import datetime
import io
import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont
from reportlab.pdfgen import canvas

from hoshin.lib.fiscal import format_date
from hoshin.voices.models import ReplyStage, VoiceReply
from hoshin.voices.selectors.access import voice_access
from hoshin.voices.services.errors import LetterFontMissing, VoiceError, VoicePermissionError
from hoshin.voices.services.replies import personal_data_viewed, writer_of

FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
FONT_FAMILY = "JP"  # the subfont of the collection for Japanese (Noto … CJK JP)

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 25 * mm
FONT_SIZE = 10.5
LINE = FONT_SIZE * 1.75


def letter_font_path() -> Path:
    """The first installed candidate font, or LetterFontMissing with what to install."""
    for path in FONT_CANDIDATES:
        if path.exists():
            return path
    raise LetterFontMissing(
        "回答文書（PDF）に使う日本語フォントが見つかりません: "
        + "、".join(str(p) for p in FONT_CANDIDATES)
        + "。サーバーに fonts-noto-cjk をインストールしてください（make setup）。"
    )


@lru_cache(maxsize=4)
def _japanese_subfont_index(path: str) -> int:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            family = font["name"].getDebugName(1) or ""
            if family.endswith(f"CJK {FONT_FAMILY}") or family.endswith(f"CJK{FONT_FAMILY}"):
                return index
    finally:
        collection.close()
    raise LetterFontMissing(f"{path} に日本語（{FONT_FAMILY}）のフォントが含まれていません。")


def _letter_font(text: str, *, tag: str) -> io.BytesIO:
    """A TrueType font with just the characters of ``text``, cut from the CJK collection.

    Its PostScript name gets ``tag``: reportlab shares one font object between fonts with the
    same face name, so every letter's subset needs a name of its own.
    """
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    path = str(letter_font_path())
    try:
        font = TTFont(path, fontNumber=_japanese_subfont_index(path), lazy=True)
    except OSError as exc:  # unreadable file
        raise LetterFontMissing(f"日本語フォント {path} を読み込めません: {exc}") from exc
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.layout_features = []
    options.drop_tables += ["VORG", "vhea", "vmtx", "GPOS", "GSUB", "GDEF", "BASE"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + " 0123456789")
    subsetter.subset(font)
    if "CFF " in font:
        # PostScript (cubic) outlines → TrueType (quadratic) outlines, which reportlab embeds.
        order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = {}
        for name in order:
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        del font["CFF "]
        font["glyf"] = glyf
        font["loca"] = newTable("loca")
        maxp = newTable("maxp")
        maxp.tableVersion = 0x00010000
        for attribute in [
            "maxZones",
            "maxTwilightPoints",
            "maxStorage",
            "maxFunctionDefs",
            "maxInstructionDefs",
            "maxStackElements",
            "maxSizeOfInstructions",
            "maxComponentElements",
            "maxPoints",
            "maxContours",
            "maxCompositePoints",
            "maxCompositeContours",
            "maxComponentDepth",
        ]:
            setattr(maxp, attribute, 0)
        maxp.maxZones = 1
        maxp.numGlyphs = len(order)
        font["maxp"] = maxp
        font["head"].glyphDataFormat = 0
        font["post"].formatType = 3.0
        font.sfntVersion = "\0\1\0\0"
    names = font["name"]
    postscript_name = f"{names.getDebugName(6) or 'NotoCJKjp'}-{tag}"[:63]
    for record in names.names:
        if record.nameID == 6:
            record.string = postscript_name
    buffer = io.BytesIO()
    font.save(buffer)
    font.close()
    buffer.seek(0)
    return buffer


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most ``width`` points; Japanese breaks anywhere, but not before 。、」 etc."""
    no_start = set("、。，．・：；？！」』）】〉》ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々")
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        line = ""
        for char in paragraph:
            if pdfmetrics.stringWidth(line + char, font, size) > width and line:
                if char in no_start:  # hang the punctuation on this line (禁則)
                    line += char
                    continue
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines


def letter_lines(*, reply: VoiceReply, today: datetime.date) -> dict:
    """Everything printed on the letter, as text (also used by tests)."""
    voice = reply.voice
    writer = writer_of(voice)
    city = settings.HOSHIN_CITY_NAME or ""
    department = voice.lead_department
    return {
        "receipt": f"受付番号 {voice.receipt_number}",
        "date": format_date(today),
        "postal_address": (writer.postal_address if writer else "").splitlines(),
        "name": f"{writer.name} 様" if writer and writer.name else "投稿者 様",
        "sender": f"{city}長" if city.endswith(("市", "町", "村", "区")) else f"{city}市長",
        "sender_department": f"（担当：{department.full_name}）" if department else "",
        "title": f"「{voice.subject}」について（回答）",
        "opening": (
            f"{format_date(voice.received_on)}にお寄せいただいたご意見について、"
            "次のとおり回答します。"
        ),
        "body": reply.body,
        "contact": (
            f"この回答についてのお問い合わせは、{department.full_name}へお願いします。"
            if department
            else ""
        ),
        "city": city,
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
    tag = uuid.uuid4().hex[:12]
    font = ReportlabTTFont(f"Letter-{tag}", _letter_font(text, tag=tag))
    pdfmetrics.registerFont(font)
    try:
        pdf = _draw(parts, font.fontName, subject=voice.subject)
    finally:
        # One font per letter: do not keep them in reportlab's process-wide registries.
        pdfmetrics._fonts.pop(font.fontName, None)
        pdfmetrics._dynFaceNames.pop(font.face.name, None)
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
    for line in _wrap(parts["title"], font, FONT_SIZE * 1.3, width):
        text_line(line, size=FONT_SIZE * 1.3, align="center")
    y -= LINE * 0.5
    for line in _wrap(parts["opening"], font, FONT_SIZE, width):
        text_line(line)
    y -= LINE * 0.5
    for line in _wrap(parts["body"], font, FONT_SIZE, width):
        new_page_if_needed()
        text_line(line)
    if parts["contact"]:
        y -= LINE
        new_page_if_needed()
        for line in _wrap(parts["contact"], font, FONT_SIZE, width):
            new_page_if_needed()
            text_line(line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
