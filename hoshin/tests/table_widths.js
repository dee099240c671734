// Measures a page's tables as rendered (hoshin/tests/test_tables_browser.py reads this file
// and evaluates it through the DevTools protocol: it is never served to the site's visitors).
//
// A cell is squeezed when its content box is narrower than the longest word of its label:
// then the label itself (in the header above) had to break inside a word, and so does any
// cell text of that kind. The label of a cell is its column's header in <thead>, or the
// data-label its stacked row shows above it; a header cell (th) is also the label of its
// row, so it must hold the longest word of its own text. Words are Intl.Segmenter's Japanese
// words (ICU's dictionary: 国庫|支出|金, ハザード|マップ): a line may break between them, never
// inside. A word's width is measured where it is rendered (a Range over it, summing its pieces
// if a line break cuts it), in the header's own font; a data-label in the ::before box's font.
// 1.5 px of slack absorbs sub-pixel rounding and the half of a collapsed border inside the
// cell; a squeezed column misses by at least one character (~15 px).
//
// Also: the page itself must not scroll sideways, and whatever scrolls sideways must be a
// labelled region a keyboard can reach (role=region, a name, tabindex=0).
() => {
  const TOLERANCE = 1.5;
  const segmenter = new Intl.Segmenter("ja", {granularity: "word"});
  // Shown on screen: neither itself nor inside something clipped to a dot (visually hidden).
  const visible = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const r = e.getBoundingClientRect();
      if ((r.width < 2 || r.height < 2) && (e === el || getComputedStyle(e).overflow !== "visible")) return false;
    }
    return true;
  };
  // Every word of el's text as rendered, with its natural width.
  const words = (el) => {
    const found = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const seg of segmenter.segment(node.data)) {
        if (!seg.segment.trim()) continue;
        const range = document.createRange();
        range.setStart(node, seg.index);
        range.setEnd(node, seg.index + seg.segment.length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        if (!rects.length) continue;
        found.push({word: seg.segment, width: rects.reduce((sum, r) => sum + r.width, 0)});
      }
    }
    return found;
  };
  const probe = document.createElement("span");
  probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap;left:0;top:0";
  document.body.appendChild(probe);
  const probeWords = (text, style) => {
    probe.style.font = style.font;
    probe.style.letterSpacing = style.letterSpacing;
    return [...segmenter.segment(text)].filter((s) => s.segment.trim()).map((s) => {
      probe.textContent = s.segment;
      return {word: s.segment, width: probe.getBoundingClientRect().width};
    });
  };
  const contentWidth = (cell) => {
    const s = getComputedStyle(cell);
    return cell.getBoundingClientRect().width - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  };
  const longest = (list) => list.reduce((a, b) => (b.width > a.width ? b : a), {word: "", width: 0});
  const problems = [];
  let cells = 0;
  document.querySelectorAll("table").forEach((table, index) => {
    if (!visible(table)) return;
    const name = (table.caption && table.caption.textContent.trim()) || `table ${index + 1}`;
    // The table's grid (rowspan and colspan): which header cell heads each column.
    const grid = [];
    const heads = [];
    [...table.rows].forEach((row, y) => {
      let x = 0;
      for (const cell of row.cells) {
        while (grid[y] && grid[y][x]) x++;
        for (let dy = 0; dy < cell.rowSpan; dy++)
          for (let dx = 0; dx < cell.colSpan; dx++) (grid[y + dy] = grid[y + dy] || [])[x + dx] = cell;
        if (row.parentElement.tagName === "THEAD") for (let dx = 0; dx < cell.colSpan; dx++) heads[x + dx] = cell;
        cell._column = x;
        x += cell.colSpan;
      }
    });
    for (const row of table.rows) for (const cell of row.cells) {
      if (!visible(cell)) continue;
      cells++;
      const where = `${name} / ${cell.textContent.trim().slice(0, 24)}`;
      const labels = [];
      const before = getComputedStyle(cell, "::before");
      const head = heads[cell._column];
      if (cell.dataset.label && before.content !== "none" && before.content !== "normal") labels.push(longest(probeWords(cell.dataset.label, before)));
      else if (head && head !== cell && visible(head)) labels.push(longest(words(head)));
      if (cell.tagName === "TH") labels.push(longest(words(cell)));
      const width = contentWidth(cell);
      for (const label of labels)
        if (width + TOLERANCE < label.width) problems.push(`${where}: ${width.toFixed(0)}px wide, narrower than its label's word 「${label.word}」 (${label.width.toFixed(0)}px)`);
    }
  });
  probe.remove();
  const root = document.documentElement;
  const scrollers = [...document.querySelectorAll("body *")].filter((el) => {
    const s = getComputedStyle(el);
    return ["auto", "scroll"].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
  });
  for (const el of scrollers) {
    const named = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
    if (el.getAttribute("role") !== "region" || !named || el.getAttribute("tabindex") !== "0")
      problems.push(`scrolls sideways outside a labelled region (role=region, a name, tabindex=0): ${el.outerHTML.slice(0, 120)}`);
  }
  return {cells, regions: scrollers.length, overflow: root.scrollWidth - root.clientWidth, problems};
}
