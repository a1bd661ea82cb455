// List the words a page breaks inside (or lets overflow) because the box holding them is
// narrower than the word: each text is cut at the places a browser may break a line
// without cutting a word (spaces, after a hyphen or dash, around every CJK character),
// each piece is measured with a Range in the font it is drawn in, and compared with the
// content width of the box whose width sets its lines (the nearest ancestor that is not
// inline). A piece wider than the page's column has to break somewhere: not counted.
() => {
  const CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef";
  const PIECE = new RegExp(`[${CJK}]|[^\\s${CJK}]+?(?:[-\u2010\u2013\u2014](?=\\D)|(?=[\\s${CJK}])|$)`, "gu");
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "svg"]);

  const column = (() => {
    const main = document.querySelector("main") || document.body;
    const s = getComputedStyle(main);
    return main.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  })();

  function box(node) {
    let el = node.parentElement;
    while (el.parentElement && ["inline", "contents"].includes(getComputedStyle(el).display)) el = el.parentElement;
    return el;
  }

  function skipped(el) {
    for (let e = el; e; e = e.parentElement) if (SKIP.has(e.tagName) || e instanceof SVGElement) return true;
    const ws = getComputedStyle(el).whiteSpace;
    // Text that may not wrap at all (e.g. visually hidden labels) is never broken inside a word.
    return ws === "nowrap" || ws === "pre";
  }

  const found = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim() || skipped(node.parentElement)) continue;
    const holder = box(node);
    const s = getComputedStyle(holder);
    const room = holder.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    if (holder.clientWidth === 0) continue;  // not laid out (display: none, a closed <details>)
    for (const m of node.data.matchAll(PIECE)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0);
      const width = rects.reduce((sum, r) => sum + r.width, 0);
      // Half a pixel of slack: widths are fractional, and a word that fits exactly is fine.
      if (width <= room + 0.5 || width > column) continue;
      const where = holder.tagName.toLowerCase() + (holder.className && typeof holder.className === "string" ? "." + holder.className.trim().split(/\s+/).join(".") : "");
      const key = `${where}|${m[0]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(`"${m[0].trim()}" (${Math.round(width)} px) in <${where}> ${Math.round(room)} px wide`);
    }
  }
  return found;
}
