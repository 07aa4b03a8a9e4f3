// An accessibility audit run inside the page (as a string: the tests compile without the DOM's
// types). It reports, for the current page:
//   - unlabelled: form controls without an accessible name (label, aria-label(ledby), title);
//   - lowContrast: visible text whose colour against its effective background is below 4.5:1
//     (WCAG AA for normal text; 3:1 for large text, >= 24px or bold >= 18.66px).
export interface AuditResult {
  unlabelled: string[];
  lowContrast: Array<{ text: string; ratio: number; color: string; background: string }>;
  checkedText: number;
}

export const AUDIT_SCRIPT = `(() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const blend = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = blend(layer, result);
    return result;
  };
  const visible = (el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.visibility !== "hidden" && s.display !== "none" && r.width > 1 && r.height > 1 &&
      !(s.clip === "rect(0px, 0px, 0px, 0px)" || s.clipPath === "inset(50%)");
  };
  const lowContrast = [];
  let checkedText = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim() || !visible(el)) continue;
    seen.add(el);
    if (el.closest("[disabled],[aria-disabled=true]")) continue; // WCAG exempts inactive controls
    const s = getComputedStyle(el);
    const fg = blend(parse(s.color), background(el));
    const bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    checkedText++;
    if (ratio < (large ? 3 : 4.5))
      lowContrast.push({ text: n.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100, color: s.color, background: "rgb(" + bg.slice(0, 3).map(Math.round).join(", ") + ")" });
  }
  const unlabelled = [];
  for (const el of document.querySelectorAll("input, select, textarea, button")) {
    if (!visible(el) || el.type === "hidden") continue;
    const named = (el.labels && el.labels.length > 0) || el.getAttribute("aria-label") ||
      el.getAttribute("aria-labelledby") || el.getAttribute("title") ||
      (el.tagName === "BUTTON" && el.textContent.trim());
    if (!named) unlabelled.push(el.outerHTML.slice(0, 80));
  }
  return { unlabelled, lowContrast, checkedText };
})()`;
