"""Japanese PDFs with reportlab: the font, and paragraphs and tables that break Japanese lines.

The font is the one installed by ``scripts/setup.sh`` (Debian's fonts-noto-cjk: NotoSansCJK /
NotoSerifCJK ``.ttc``). Those fonts have PostScript (CFF) outlines, which reportlab cannot
embed, so the characters a document uses are cut out of the collection with fontTools and
converted to TrueType outlines (``font_subset``: about a second plus well under a millisecond
per character). The PDF therefore embeds exactly the glyphs it needs — no character of the
text ever prints as an empty box — and prints the same on any machine of a closed network.

Each document registers its own subset under a name of its own and removes it from reportlab's
process-wide registries afterwards (``japanese_font``), so concurrent requests never share or
leak fonts. ``JapaneseDocument`` does the bookkeeping for flowable documents: every text goes
through it while the story is built, so it knows which characters to cut before building.
"""

import io
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.fonts import _ps2tt_map, _tt2ps_map
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont
from reportlab.platypus import Paragraph, Table, TableStyle

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SANS = (FONT_DIR / "NotoSansCJK-Regular.ttc", FONT_DIR / "NotoSerifCJK-Regular.ttc")
SERIF = (FONT_DIR / "NotoSerifCJK-Regular.ttc", FONT_DIR / "NotoSansCJK-Regular.ttc")
FONT_FAMILY = "JP"  # the subfont of the collection for Japanese (Noto … CJK JP)

# Always in the subset: digits and signs that page numbers, TOC leaders and tables add at
# build time without passing through JapaneseDocument.text().
BASIC_CHARACTERS = (
    " 0123456789.,:;/-+%()[]#*" + "　、。・（）「」『』【】〈〉：；／－＋％△▲○●★※～…‥"
)

# Japanese line breaking (禁則): characters that must not begin a line.
NO_LINE_START = set(
    "、。，．・：；？！」』）】〉》ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々"
)


class JapaneseFontMissing(RuntimeError):
    """The Japanese font is not installed (or unreadable); the message says what to install."""


def font_path(candidates: Iterable[Path] | None = None) -> Path:
    """The first installed candidate font (Sans first by default), or JapaneseFontMissing
    saying what to install."""
    candidates = tuple(SANS if candidates is None else candidates)
    for path in candidates:
        if path.exists():
            return path
    raise JapaneseFontMissing(
        "PDFに使う日本語フォントが見つかりません: "
        + "、".join(str(p) for p in candidates)
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
    raise JapaneseFontMissing(f"{path} に日本語（{FONT_FAMILY}）のフォントが含まれていません。")


def _cff_to_glyf(font) -> None:
    """Replace PostScript (cubic) outlines by TrueType (quadratic) ones, which reportlab embeds."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

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
    for attribute in (
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
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\0\1\0\0"


def font_subset(text: str, *, path: Path, tag: str) -> io.BytesIO:
    """A TrueType font with just the characters of ``text``, cut from the CJK collection.

    Its PostScript name gets ``tag``: reportlab shares one font object between fonts with the
    same face name, so every document's subset needs a name of its own.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(str(path), fontNumber=_japanese_subfont_index(str(path)), lazy=True)
    except OSError as exc:  # unreadable file
        raise JapaneseFontMissing(f"日本語フォント {path} を読み込めません: {exc}") from exc
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.layout_features = []
    options.drop_tables += ["VORG", "vhea", "vmtx", "GPOS", "GSUB", "GDEF", "BASE"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + BASIC_CHARACTERS)
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
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


def _forget_font(name: str) -> None:
    """Remove a font from reportlab's process-wide registries (they are plain dicts)."""
    font = pdfmetrics._fonts.pop(name, None)
    if font is not None and getattr(font, "face", None) is not None:
        pdfmetrics._dynFaceNames.pop(font.face.name, None)
    _ps2tt_map.pop(name.lower(), None)
    for bold in (0, 1):
        for italic in (0, 1):
            _tt2ps_map.pop((name.lower(), bold, italic), None)


@contextmanager
def japanese_font(
    text: str,
    *,
    candidates: Iterable[Path] | None = None,
    prefix: str = "JP",
    tag: str | None = None,
) -> Iterator[str]:
    """Register a subset of the Japanese font covering ``text``; yields its reportlab name.

    The font is forgotten on exit, so a long-running server does not accumulate fonts.
    Raises JapaneseFontMissing when the font is not installed.
    """
    tag = tag or uuid.uuid4().hex[:12]
    path = font_path(candidates)
    font = ReportlabTTFont(f"{prefix}-{tag}", font_subset(text, path=path, tag=tag))
    pdfmetrics.registerFont(font)
    try:
        yield font.fontName
    finally:
        _forget_font(font.fontName)


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most ``width`` points for canvas drawing; Japanese breaks anywhere, but not
    before 。、」 and the like (those hang on the line, as Japanese typesetting does)."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        line = ""
        for char in paragraph:
            if pdfmetrics.stringWidth(line + char, font, size) > width and line:
                if char in NO_LINE_START:
                    line += char
                    continue
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines


def markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, line breaks kept."""
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def paragraph_styles(font: str, *, size: float = 9.5) -> dict[str, ParagraphStyle]:
    """Styles for Japanese text: CJK line breaking (reportlab's wordWrap="CJK", with 禁則)."""
    base = ParagraphStyle("body", fontName=font, fontSize=size, leading=size * 1.55, wordWrap="CJK")

    def style(name: str, **kwargs) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kwargs)

    return {
        "body": base,
        "small": style(
            "small", fontSize=size * 0.85, leading=size * 0.85 * 1.5, spaceBefore=size * 0.3
        ),
        "cell": style("cell", fontSize=size * 0.9, leading=size * 0.9 * 1.4),
        "cell_right": style(
            "cell_right", fontSize=size * 0.9, leading=size * 0.9 * 1.4, alignment=TA_RIGHT
        ),
        "cell_center": style(
            "cell_center", fontSize=size * 0.9, leading=size * 0.9 * 1.4, alignment=TA_CENTER
        ),
        "title": style(
            "title", fontSize=size * 2.2, leading=size * 3, alignment=TA_CENTER, spaceAfter=size
        ),
        "subtitle": style("subtitle", fontSize=size * 1.4, leading=size * 2.2, alignment=TA_CENTER),
        "h1": style(
            "h1",
            fontSize=size * 1.6,
            leading=size * 2.2,
            spaceBefore=size * 0.5,
            spaceAfter=size * 0.6,
        ),
        "h2": style(
            "h2",
            fontSize=size * 1.25,
            leading=size * 1.8,
            spaceBefore=size * 0.8,
            spaceAfter=size * 0.3,
        ),
        "h3": style(
            "h3",
            fontSize=size * 1.05,
            leading=size * 1.6,
            spaceBefore=size * 0.6,
            spaceAfter=size * 0.2,
            textColor=colors.HexColor("#1a3a5c"),
        ),
    }


GRID = colors.HexColor("#555555")
HEADER_FILL = colors.HexColor("#e4ebf2")


class JapaneseDocument:
    """The text and font of one flowable document.

    Use it as a context manager; build the story with ``para``/``table``/``text`` (each records
    its characters), then build the document inside ``with document.font():`` — which
    registers a subset holding exactly the recorded characters — and nothing prints as an
    empty box. Leaving either block forgets the font.
    """

    def __init__(self, *, candidates: Iterable[Path] | None = None, size: float = 9.5):
        self.candidates = candidates
        self.tag = uuid.uuid4().hex[:12]
        self.font_name = f"JP-{self.tag}"
        self._characters: set[str] = set(BASIC_CHARACTERS)
        # Paragraphs resolve their font's family when they are created, before the subset can
        # be cut: map the name now (what registerFont would do); font() forgets it again.
        pdfmetrics.registerFontFamily(self.font_name)
        self.styles = paragraph_styles(self.font_name, size=size)

    def text(self, value) -> str:
        """``value`` as text, remembering its characters for the font subset."""
        value = "" if value is None else str(value)
        self._characters.update(value)
        return value

    def para(self, value, style: str | ParagraphStyle = "body") -> Paragraph:
        """A paragraph of plain text (escaped; line breaks kept; Japanese line breaking)."""
        style = self.styles[style] if isinstance(style, str) else style
        return Paragraph(markup(self.text(value)), style)

    def table(
        self,
        rows: list[list],
        *,
        col_widths: list[float] | None = None,
        header_rows: int = 0,
        header_cols: int = 0,
        right_cols: Iterable[int] = (),
        repeat_header: bool = True,
        extra_style: list | None = None,
    ) -> Table:
        """A ruled table; strings become wrapping paragraphs (numbers right-aligned in
        ``right_cols``), header rows/columns shaded. Flowables in ``rows`` are kept as they are."""
        right = set(right_cols)
        cells = [
            [
                cell
                if not isinstance(cell, str | int | float) and cell is not None
                else self.para(
                    cell,
                    "cell_right"
                    if column in right and row >= header_rows
                    else ("cell_center" if row < header_rows else "cell"),
                )
                for column, cell in enumerate(line)
            ]
            for row, line in enumerate(rows)
        ]
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if header_rows:
            commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
        if header_cols:
            commands.append(("BACKGROUND", (0, 0), (header_cols - 1, -1), HEADER_FILL))
        commands += extra_style or []
        return Table(
            cells,
            colWidths=col_widths,
            repeatRows=header_rows if repeat_header else 0,
            style=TableStyle(commands),
            hAlign="LEFT",
        )

    def __enter__(self) -> "JapaneseDocument":
        return self

    def __exit__(self, *exc_info) -> None:
        _forget_font(self.font_name)

    @property
    def characters(self) -> str:
        return "".join(sorted(self._characters))

    @contextmanager
    def font(self) -> Iterator[str]:
        """Register the subset of the recorded characters for the time of the build."""
        with japanese_font(
            self.characters, candidates=self.candidates, prefix="JP", tag=self.tag
        ) as name:
            yield name
