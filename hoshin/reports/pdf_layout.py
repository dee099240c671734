"""The page frame shared by the reports: A4, a footer with "n / N", PDF outline and TOC entries.

Both reports are built with ``multiBuild``: the table of contents and the total page count
("n / N") are only known after a pass, so reportlab builds again until both are stable. The
contents are seeded with every heading (page numbers unknown) before the first pass, so the
first pass already has the final layout and two passes are enough.
"""

from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import BaseDocTemplate, IndexingFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from hoshin.lib.city import city_name
from hoshin.lib.pdf import JapaneseDocument

MARGIN = 15 * mm
FOOTER_Y = 8 * mm


TOC_TEXT = 42  # characters: a longer entry would leave no room for its page number


def toc_text(text: str) -> str:
    """A heading as the contents list it: on one line, so its page number always shows."""
    return text if len(text) <= TOC_TEXT else text[: TOC_TEXT - 1] + "…"


class PageTotal(IndexingFlowable):
    """Knows the page count of the previous pass; unsatisfied until two passes agree."""

    def __init__(self):
        super().__init__()
        self.previous: int | None = None
        self.current = 0

    def beforeBuild(self) -> None:
        self.previous, self.current = self.current or None, 0

    def isSatisfied(self) -> bool:
        return self.previous == self.current

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self) -> None:
        pass


class ReportDocTemplate(BaseDocTemplate):
    """A4 portrait with the report's footer; headings in ``outline_levels`` go to the TOC.

    ``outline_levels`` maps a paragraph style name to its level in the PDF outline (bookmarks)
    and the table of contents. ``cover`` leaves the first page without a footer.
    """

    def __init__(
        self,
        target,
        *,
        document: JapaneseDocument,
        title: str,
        footer: str,
        outline_levels: dict[str, int],
        cover: bool = False,
    ):
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + 4 * mm,
            title=title,
            author=city_name(),
            creator="hoshin",
            lang="ja",
        )
        self.document = document
        # Every page says whose report it is: a printed page travels without its cover.
        footer = f"{city_name()}　{footer}" if city_name() else footer
        self.footer = document.text(footer if len(footer) <= 70 else footer[:69] + "…")
        self.outline_levels = outline_levels
        self.cover = cover
        self.page_total = PageTotal()
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._draw_footer)])

    def beforeDocument(self) -> None:
        self._heading_number = 0

    def afterPage(self) -> None:
        self.page_total.current = self.page

    def afterFlowable(self, flowable) -> None:
        """Register headings in the PDF outline and in the table of contents."""
        if not isinstance(flowable, Paragraph):
            return
        level = self.outline_levels.get(flowable.style.name)
        if level is None:
            return
        self._heading_number += 1
        key = f"heading-{self._heading_number}"
        text = flowable.getPlainText()
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, escape(toc_text(text)), self.page, key))

    def _draw_footer(self, canvas, doc) -> None:
        if self.cover and doc.page == 1:
            return
        font = self.document.font_name
        canvas.saveState()
        canvas.setFont(font, 8)
        total = self.page_total.previous or self.page_total.current or doc.page
        canvas.drawRightString(A4[0] - MARGIN, FOOTER_Y, f"{doc.page} / {total}")
        canvas.setFont(font, 7)
        canvas.drawString(MARGIN, FOOTER_Y, self.footer)
        canvas.restoreState()

    def _headings(self, story: list) -> list[tuple[int, str, int, str]]:
        """TOC entries of the story's headings, in order, with unknown (0) page numbers."""
        entries = []
        for flowable in story:
            if isinstance(flowable, Paragraph) and flowable.style.name in self.outline_levels:
                level = self.outline_levels[flowable.style.name]
                key = f"heading-{len(entries) + 1}"  # as afterFlowable numbers them
                entries.append((level, escape(toc_text(flowable.getPlainText())), 0, key))
        return entries

    def build_story(self, story: list) -> None:
        """Build with as many passes as the TOC and the page count need (usually two)."""
        for flowable in story:
            if isinstance(flowable, TableOfContents):
                flowable.addEntries(self._headings(story))
        self.multiBuild([self.page_total, *story])


def add_report_styles(document: JapaneseDocument) -> None:
    """Heading styles of the reports: a group of sheets (top-level node) and a sheet's title."""
    styles = document.styles
    styles["group"] = styles["h1"].clone("group", fontSize=styles["h1"].fontSize * 0.85)
    styles["sheet_title"] = styles["h2"].clone("sheet_title", spaceBefore=2, spaceAfter=4)


def table_of_contents(document: JapaneseDocument) -> TableOfContents:
    """A TOC in the document's font, with dotted leaders to the page numbers."""
    toc = TableOfContents(dotsMinLevel=0)
    body = document.styles["body"]
    toc.levelStyles = [
        document.styles["body"].clone(
            "toc0", fontSize=body.fontSize * 1.1, leftIndent=0, firstLineIndent=0, spaceBefore=4
        ),
        document.styles["body"].clone("toc1", leftIndent=12, firstLineIndent=0),
        document.styles["body"].clone(
            "toc2", fontSize=body.fontSize * 0.9, leftIndent=24, firstLineIndent=0
        ),
    ]
    return toc
