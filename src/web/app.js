/*
 * qcode serve: the page.  Plain script, no framework, nothing from the
 * network but this server's /api/.  Offsets from and to the server are
 * Unicode code points (as everywhere in qcode); the browser counts UTF-16
 * units; offsets() below is the one place that converts between them.
 */
"use strict";
performance.mark("qcode-start"); /* for make bench */

const S = {
  coder: "",          /* the server's coder: "mine" */
  docs: [],           /* the list's page of GET /api/documents?... */
  docsTotal: 0,       /* how many documents match the list's filters */
  codes: [],          /* rows of GET /api/codes */
  codeByPath: new Map(),
  doc: null,          /* GET /api/documents/ID */
  off: null,          /* offsets(doc.text) */
  view: "mine",       /* "mine", "all" or "coder:NAME" */
  pending: null,      /* the selection: {start, end, text} in code points */
  selected: null,     /* the coding shown in the coding panel (its id) */
  pins: [],           /* code paths on the keys 1-9 */
};

const $ = (sel) => document.querySelector(sel);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}

/*
 * Offsets: code points <-> UTF-16 positions in TEXT.  toU16(cp) is where
 * code point CP starts; toCp(u) the code point at or before UTF-16
 * position U (a position inside a surrogate pair rounds down, or up with
 * UP set).  Combining marks are code points of their own, as in qcode.
 */
function offsets(text) {
  const starts = new Uint32Array(text.length + 1);
  let cp = 0;
  for (let u = 0; u < text.length; cp++) {
    starts[cp] = u;
    const c = text.charCodeAt(u);
    u += c >= 0xd800 && c <= 0xdbff && u + 1 < text.length ? 2 : 1;
  }
  starts[cp] = text.length;
  const chars = cp;
  return {
    chars,
    toU16(p) {
      return starts[Math.max(0, Math.min(chars, p))];
    },
    toCp(u, up) {
      let lo = 0, hi = chars;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= u) lo = mid; else hi = mid - 1;
      }
      return up && starts[lo] < u ? lo + 1 : lo;
    },
  };
}

/* ---- talking to the server ---- */

function say(msg, error) {
  const s = $("#status");
  s.textContent = msg;
  s.classList.toggle("error", !!error);
}

/* The HTTP status of the last answer api() had (0: none came). */
let apiStatus = 0;

async function api(method, path, body) {
  const opt = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    opt.headers["Content-Type"] = "application/json";
    opt.body = JSON.stringify(body);
  }
  let res, data = null;
  apiStatus = 0;
  try {
    res = await fetch(path, opt);
    apiStatus = res.status;
    data = await res.json();
  } catch (e) {
    say("the server does not answer: " + e, true);
    return null;
  }
  if (!res.ok) {
    say((data && data.error) || "error " + res.status, true);
    return null;
  }
  return data;
}

/* ---- colours ---- */

const PALETTE = ["#2b6cb0", "#c05621", "#2f855a", "#b83280", "#6b46c1",
  "#b7791f", "#00838f", "#c53030", "#4a5568", "#2c7a7b"];

function codeColor(path) {
  const c = S.codeByPath.get(path);
  if (c && c.color && /^#[0-9a-fA-F]{6}$/.test(c.color)) return c.color;
  let h = 0;
  for (const ch of path) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

function tint(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/* The class that gives highlights and stripes COLOR: one rule per colour
 * in a stylesheet of the page's own (CSSOM), not a style on each of the
 * thousands of elements of a long transcript (that made its rendering
 * three times slower). */
const colorSheet = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, colorSheet];
const colorClasses = new Map();
function colorClass(color) {
  let k = colorClasses.get(color);
  if (!k) {
    k = "k" + colorClasses.size;
    colorClasses.set(color, k);
    colorSheet.insertRule(`mark.${k} { --c: ${color}; --bgc: ${tint(color, 0.22)}; }`);
    colorSheet.insertRule(`.stripe.${k} { background: ${color}; }`);
  }
  return k;
}

/* ---- documents ---- */

/* The filters' choices: the survey questions and case attributes
 * (GET /api/filters), kept selected when still there. */
async function loadFilters() {
  const f = await api("GET", "/api/filters");
  if (!f) return;
  const qsel = $("#doc-question"), asel = $("#doc-attr");
  const q0 = qsel.value, a0 = asel.value;
  qsel.replaceChildren(el("option", { value: "", text: "any question" }),
    ...f.questions.map((q) => el("option", { value: q, text: q })));
  qsel.value = f.questions.includes(q0) ? q0 : "";
  const list = [];
  for (const a of f.attributes) for (const v of a.values) list.push([a.name, v]);
  asel.replaceChildren(el("option", { value: "", text: "any case" }),
    ...list.map(([k, v]) => {
      const o = el("option", { text: k + "=" + v });
      o.value = JSON.stringify([k, v]);
      return o;
    }));
  asel.value = list.some(([k, v]) => JSON.stringify([k, v]) === a0) ? a0 : "";
}

/* The document list: the first DOCS_SHOWN documents that match its
 * filters, asked of the server (a survey may hold 200,000 answers). */
let docsGen = 0;
async function loadDocs() {
  const gen = ++docsGen;
  const args = new URLSearchParams({ limit: DOCS_SHOWN });
  const f = $("#doc-filter").value.trim(), q = $("#doc-question").value;
  const a = $("#doc-attr").value, coded = $("#doc-coded").value;
  if (f) args.set("name", f);
  if (q) args.set("question", q);
  if (a) {
    const [k, v] = JSON.parse(a);
    args.set("attribute", k);
    args.set("value", v);
  }
  if (coded) args.set("coded", coded === "coded" ? "yes" : "no");
  const page = await api("GET", "/api/documents?" + args);
  if (!page || gen !== docsGen) return;
  S.docs = page.documents;
  S.docsTotal = page.total;
  if (S.doc) countDoc(S.doc);
  renderDocs();
}

/* Ask for the list again a moment after the filters stop changing. */
let docsTimer = 0;
function filterDocs() {
  clearTimeout(docsTimer);
  docsTimer = setTimeout(loadDocs, 150);
}

function renderDocs() {
  const ul = $("#doc-list");
  ul.replaceChildren();
  for (const d of S.docs) {
    const sub = [d.case, d.question,
      `${d.segments} segment${d.segments === 1 ? "" : "s"}`,
      `${d.my_codings} mine / ${d.codings} all codings`].filter(Boolean).join(" · ");
    const li = el("li", { "data-doc": d.id, dir: "auto" },
      el("div", { text: d.name, dir: "auto" }),
      el("div", { class: "sub", text: sub, dir: "auto" }));
    if (S.doc && S.doc.id === d.id) li.classList.add("current");
    li.addEventListener("click", () => openDoc(d.id));
    ul.append(li);
  }
  const more = S.docsTotal - S.docs.length;
  if (more > 0) {
    ul.append(el("li", { class: "more", text: `… and ${more} more: filter by name, case, question or attribute` }));
  }
}

/* Mark the open document in the list. */
function markCurrentDoc() {
  for (const li of $("#doc-list").children) {
    li.classList.toggle("current", !!S.doc && li.dataset.doc === String(S.doc.id));
  }
}
const DOCS_SHOWN = 200;

/* The list's counts of document D after its codings changed here
 * (not rejected, as GET /api/documents counts them). */
function countDoc(d) {
  const row = S.docs.find((x) => x.id === d.id);
  if (!row) return;
  const live = d.codings.filter((c) => c.status !== "rejected");
  row.codings = live.length;
  row.my_codings = live.filter((c) => c.coder === S.coder).length;
}

async function openDoc(id, keepScroll, fetching) {
  const d = await (fetching || api("GET", "/api/documents/" + id));
  if (!d) return;
  performance.mark("qcode-document"); /* for make bench: it came */
  const reader = $("#reader"), top = reader.scrollTop;
  const changed = !S.doc || S.doc.id !== d.id;
  S.doc = d;
  countDoc(d);
  S.off = offsets(d.text);
  if (changed) {
    clearPending();
    S.selected = null;
  }
  if (S.selected && !d.codings.some((c) => c.id === S.selected)) S.selected = null;
  history.replaceState(null, "", "#doc=" + d.id);
  $("#doc-title").textContent = d.name;
  $("#doc-meta").textContent = [d.case && "case " + d.case,
    d.question && "question " + d.question,
    `${S.off.chars} characters`].filter(Boolean).join(" · ");
  fillViews();
  /* A document opened anew shows its first screen at once and the rest
   * right after; redrawn after a change, it is drawn whole, so that the
   * reader keeps its place. */
  const rest = renderDoc(keepScroll ? 0 : -1);
  markCurrentDoc();
  showCoding();
  if (keepScroll) reader.scrollTop = top;
  /* For make bench: the document's first screen laid out with its
   * highlights, the first frame painted after it, and the whole document
   * drawn (ms since the navigation began).  The rest is drawn only after
   * that frame, so that it does not hold the first screen back. */
  void $("#document").offsetHeight;
  performance.mark("qcode-rendered", { detail: $("#document").children.length });
  await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0)));
  performance.mark("qcode-painted");
  await rest();
  performance.mark("qcode-complete");
}

/* The coder views: mine, all, and each other coder of this document. */
function fillViews() {
  const sel = $("#view");
  const others = [...new Set(S.doc.codings.map((c) => c.coder))]
    .filter((c) => c !== S.coder).sort();
  const cur = S.view;
  sel.replaceChildren(el("option", { value: "mine", text: `mine (${S.coder})` }),
    el("option", { value: "all", text: "all coders'" }),
    ...others.map((c) => el("option", { value: "coder:" + c, text: c + "'s" })));
  sel.value = [...sel.options].some((o) => o.value === cur) ? cur : "mine";
  S.view = sel.value;
}

/* The codings the reader shows: rejected ones never; suggestions always
 * (anyone may decide on them); the others by the coder view. */
function visibleCodings() {
  return S.doc.codings.filter((c) => {
    if (c.status === "rejected") return false;
    if (c.status === "suggested") return true;
    if (S.view === "all") return true;
    if (S.view === "mine") return c.coder === S.coder;
    return c.coder === S.view.slice(6);
  });
}

function fmtTime(ms) {
  const s = Math.floor(ms / 1000);
  const p = (n) => String(n).padStart(2, "0");
  return `${Math.floor(s / 3600)}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

function codingLabel(c) {
  const lines = [`${c.code}`, `${c.coder} · ${c.origin}${c.rule ? " (" + c.rule + ")" : ""} · ${c.status}`];
  if (c.memo) lines.push("memo: " + c.memo);
  return lines.join("\n");
}

/* How many of SEGS fill the reader's first screen, reckoned from their
 * lengths without asking for a layout: the text column is at most 52em
 * (less the stripes) of the window's width less the two side panes, a
 * character some 8 px wide at most, a line 22 px high, and a turn takes
 * a line and a half more for its speaker and margins; half a screen more
 * for safety, and at least 5 turns. */
function screenful(segs) {
  const width = Math.min(780, innerWidth - 588) - 48;
  const perLine = Math.max(20, width / 8), lines = 1.5 * innerHeight / 22;
  let n = 0, have = 0;
  while (n < segs.length && (n < 5 || have < lines)) {
    have += 1.5 + Math.ceil((segs[n].end - segs[n].start) / perLine);
    n++;
  }
  return n;
}

/* Render the document: segments in order, each split into paragraphs at
 * its newlines and into runs at coding boundaries; a run sits inside one
 * <mark data-coding> per coding that covers it.  FIRST segments (all
 * when 0, a screenful when -1) are drawn now; returns a function that
 * draws the others in pieces of 100, each in a task of its own (so that
 * a long transcript's first screen shows without waiting for its last),
 * and returns a promise of the whole. */
let renderGen = 0;
function renderDoc(first) {
  const gen = ++renderGen;
  const d = S.doc, off = S.off, box = $("#document");
  const vis = visibleCodings();
  const segs = d.segments.length ? d.segments
    : [{ index: 0, start: 0, end: off.chars, speaker: null, time_start: null }];
  /* Each coding into the list of every segment it overlaps (segments
   * are in text order): a binary search per coding, not a pass over all
   * codings per segment. */
  const bySeg = segs.map(() => []);
  vis.sort((x, y) => x.start - y.start || y.end - x.end || x.id - y.id);
  for (const c of vis) {
    let lo = 0, hi = segs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid].end <= c.start) lo = mid + 1; else hi = mid;
    }
    for (let i = lo; i < segs.length && segs[i].start < c.end; i++) {
      if (segs[i].end > c.start) bySeg[i].push(c);
    }
  }
  const row = (si) => {
    const s = segs[si], mine = bySeg[si];
    const stripes = el("div", { class: "stripes" });
    for (const c of mine) {
      stripes.append(el("div", { class: "stripe " + colorClass(codeColor(c.code)) +
        (c.status === "suggested" ? " suggested" : ""),
        "data-stripe": c.id, title: codingLabel(c) }));
    }
    const seg = el("div", { class: "seg", "data-segment": s.index,
      "data-start": s.start, "data-end": s.end });
    const who = [s.speaker, s.time_start !== null && s.time_start !== undefined
      ? fmtTime(s.time_start) : null].filter(Boolean).join(" · ");
    if (who) seg.append(el("div", { class: "who", dir: "auto", text: who }));
    /* paragraphs */
    const u0 = off.toU16(s.start), u1 = off.toU16(s.end);
    let pu = u0;
    while (pu <= u1) {
      let nl = d.text.indexOf("\n", pu);
      if (nl < 0 || nl > u1) nl = u1;
      if (nl > pu) seg.append(paragraph(off.toCp(pu), off.toCp(nl), mine));
      pu = nl + 1;
    }
    return el("div", { class: "seg-row" }, stripes, seg);
  };
  let i = 0;
  const draw = (n) => {
    const frag = document.createDocumentFragment();
    for (const end = Math.min(segs.length, i + n); i < end; i++) frag.append(row(i));
    return frag;
  };
  box.replaceChildren(draw(first < 0 ? screenful(segs) : first || segs.length));
  markSelected();
  return () => new Promise((resolve) => {
    const more = () => {
      if (gen !== renderGen) return resolve(); /* another document since */
      if (i >= segs.length) return resolve();
      box.append(draw(100));
      if (i < segs.length) return setTimeout(more, 0);
      markSelected();
      resolve();
    };
    more();
  });
}

function paragraph(a, b, codings) {
  const d = S.doc, off = S.off;
  const p = el("p", { dir: "auto" });
  const cuts = new Set([a, b]);
  const here = codings.filter((c) => c.start < b && c.end > a);
  for (const c of here) {
    if (c.start > a && c.start < b) cuts.add(c.start);
    if (c.end > a && c.end < b) cuts.add(c.end);
  }
  const pts = [...cuts].sort((x, y) => x - y);
  for (let i = 0; i + 1 < pts.length; i++) {
    const x = pts[i], y = pts[i + 1];
    const ux = off.toU16(x), uy = off.toU16(y);
    let node = el("span", { class: "run", "data-u": ux });
    node.textContent = d.text.slice(ux, uy);
    const cover = here.filter((c) => c.start <= x && c.end >= y);
    for (let k = cover.length - 1; k >= 0; k--) {
      const c = cover[k];
      const cls = [colorClass(codeColor(c.code)), c.status === "suggested" ? "suggested" : "",
        c.coder !== S.coder && c.status !== "suggested" ? "other" : ""].join(" ").trim();
      const m = el("mark", { "data-coding": c.id, class: cls });
      m.append(node);
      node = m;
    }
    p.append(node);
  }
  return p;
}

/* ---- the selection ---- */

/* The UTF-16 position in the document's text of a DOM boundary point:
 * inside a run, exact; elsewhere (a speaker label, between paragraphs)
 * the start of the next run (START) or the end of the previous one. */
function boundary(node, offset, start) {
  const run = node.nodeType === Node.TEXT_NODE ? node.parentElement
    : node.classList && node.classList.contains("run") ? node : null;
  if (run && run.classList.contains("run")) {
    const len = run.textContent.length;
    if (node === run) offset = offset > 0 ? len : 0;
    return +run.dataset.u + Math.min(offset, len);
  }
  const pt = document.createRange();
  pt.setStart(node, offset);
  const runs = $("#document").querySelectorAll(".run");
  if (start) {
    for (const r of runs) if (pt.comparePoint(r, 0) >= 0) return +r.dataset.u;
    return S.doc.text.length;
  }
  let last = 0;
  for (const r of runs) {
    if (pt.comparePoint(r, r.childNodes.length) <= 0) last = +r.dataset.u + r.textContent.length;
    else break;
  }
  return last;
}

/* The selection as code points, without white space at its ends, or
 * null: the part of the browser's selection inside the document (a
 * selection that goes on past the document's end, as a triple click on
 * its last paragraph or Shift+Ctrl+End makes, or into another pane, ends
 * where the document does); null when nothing of the document is
 * selected. */
function selectionSpan() {
  const sel = getSelection();
  if (!S.doc || !sel.rangeCount) return null;
  const r = sel.getRangeAt(0);
  if (r.collapsed) return null;
  const box = $("#document"), runs = box.getElementsByClassName("run");
  if (!runs.length) return null;
  const all = document.createRange();
  all.selectNodeContents(box);
  const from = all.comparePoint(r.startContainer, r.startOffset);
  const to = all.comparePoint(r.endContainer, r.endOffset);
  if (from > 0 || to < 0) return null; /* wholly after or before it */
  const t = S.doc.text, last = runs[runs.length - 1];
  let a = from < 0 ? +runs[0].dataset.u : boundary(r.startContainer, r.startOffset, true);
  let b = to > 0 ? +last.dataset.u + last.textContent.length
    : boundary(r.endContainer, r.endOffset, false);
  while (a < b && /\s/.test(t[a])) a++;
  while (b > a && /\s/.test(t[b - 1])) b--;
  if (a >= b) return null;
  const start = S.off.toCp(a), end = S.off.toCp(b, true);
  return { start, end, text: t.slice(S.off.toU16(start), S.off.toU16(end)) };
}

/* The selection bar is always there (showing it only with a selection
 * moved the text down under the second click of a double click). */
function showPending() {
  const bar = $("#selection-bar");
  bar.classList.toggle("empty", !S.pending);
  $("#new-code").disabled = !S.pending;
  if (S.pending) {
    const t = S.pending.text;
    /* An English sentence: the selected words and the span each in an
     * isolate of their own, so that Hebrew words neither turn the
     * sentence right to left nor show the span as "420–401". */
    $("#selection-text").replaceChildren("“",
      el("bdi", { text: t.length > 80 ? t.slice(0, 80) + "…" : t }), "” (",
      el("bdi", { dir: "ltr", text: `${S.pending.start}–${S.pending.end}` }),
      "): pick a code");
  } else {
    $("#selection-text").textContent = "select text in the document to code it";
  }
}

/* What is selected in the document is what a code applies to; a
 * selection elsewhere, or none, leaves nothing to code.  Only the code
 * box keeps it: focused, it holds the browser's selection, while the
 * code typed there is for the document's; leaving it gives the document
 * its selection back. */
let keptRange = null;
function clearPending() {
  getSelection().removeAllRanges();
  S.pending = null;
  keptRange = null;
  showPending();
}

function updatePending() {
  if (document.activeElement === $("#code-filter")) return;
  S.pending = selectionSpan();
  keptRange = S.pending ? getSelection().getRangeAt(0).cloneRange() : null;
  showPending();
}
document.addEventListener("selectionchange", updatePending);

/* Leaving the code box with Enter or Escape gives the document its
 * selection back; leaving it with a click, the click says what is
 * selected (looked at once the click has done its work). */
function restoreSelection() {
  if (!S.pending || !keptRange) return;
  getSelection().removeAllRanges();
  getSelection().addRange(keptRange);
}
$("#code-filter").addEventListener("blur", () => setTimeout(updatePending, 0));

/* ---- coding ---- */

async function applyCode(path, create) {
  if (!S.pending || !S.doc) {
    say("select some text in the document first", true);
    return;
  }
  const c = S.codeByPath.get(path);
  if (c && !c.codable) {
    say(`'${path}' only groups other codes; pick one of its sub-codes`, true);
    return;
  }
  const body = { document: S.doc.id, start: S.pending.start, end: S.pending.end, code: path };
  if (create) body.create = true;
  const row = await api("POST", "/api/codings", body);
  if (!row) return;
  clearPending();
  say(`coded “${row.text.length > 40 ? row.text.slice(0, 40) + "…" : row.text}” as ${row.code}`);
  await refresh();
}

async function newCode() {
  if (!S.pending) {
    say("select some text for the new code first", true);
    return;
  }
  const path = prompt("New code (a path such as Parent/Child):", S.pending.text.slice(0, 40));
  if (path && path.trim()) await applyCode(path.trim(), true);
}

function codingById(id) {
  return S.doc && S.doc.codings.find((c) => c.id === id);
}

function markSelected() {
  for (const m of document.querySelectorAll("mark.selected")) m.classList.remove("selected");
  if (S.selected) {
    for (const m of document.querySelectorAll(`mark[data-coding="${S.selected}"]`)) m.classList.add("selected");
  }
}

function showCoding() {
  const c = S.selected && codingById(S.selected);
  const panel = $("#coding-panel");
  panel.hidden = !c;
  markSelected();
  if (!c) return;
  const info = $("#coding-info");
  info.replaceChildren(
    el("div", { dir: "auto" }, el("span", { class: "swatch" }), " ", el("strong", { text: c.code })),
    el("div", {}, el("bdi", { text: c.coder }),
      ` · ${c.origin}`, c.rule ? " (" : null, c.rule ? el("bdi", { text: c.rule }) : null,
      c.rule ? ")" : null, ` · ${c.status} · `,
      el("bdi", { dir: "ltr", text: `${c.start}–${c.end}` })),
    el("div", { dir: "auto", text: "“" + (c.text.length > 160 ? c.text.slice(0, 160) + "…" : c.text) + "”" }));
  info.querySelector(".swatch").style.setProperty("background", codeColor(c.code));
  $("#suggestion-actions").hidden = c.status !== "suggested";
  $("#memo").value = c.memo || "";
}

function selectCoding(id, scroll) {
  S.selected = id;
  showCoding();
  if (scroll) {
    const m = document.querySelector(`mark[data-coding="${id}"]`);
    if (m) m.scrollIntoView({ block: "center" });
  }
}

/* After a change to a coding failed: when the server has no such
 * coding (removed elsewhere, as by 'qcode undo'), show the document's
 * codings as they are now. */
async function changeFailed() {
  if (apiStatus !== 404) return;
  const msg = $("#status").textContent;
  await refresh();
  say(`${msg}; reloaded the document's codings`, true);
}

/* Accept or reject the selected coding: a suggestion only (the buttons
 * show for suggestions alone; the keys a and r say so for others). */
async function decide(status) {
  const c = S.selected && codingById(S.selected);
  if (!c) {
    say("click a suggestion first (n and p walk them)", true);
    return;
  }
  if (c.status !== "suggested") {
    say(`the coding of ${c.code} is ${c.status}, not a suggestion: only suggestions are accepted or rejected`, true);
    return;
  }
  const next = nextSuggestion(c.id, 1);
  if (!await api("POST", "/api/codings/" + c.id, { status })) return changeFailed();
  say(`${status} the coding of ${c.code}`);
  S.selected = next ? next.id : c.id;
  await refresh();
}

async function saveMemo() {
  const c = S.selected && codingById(S.selected);
  if (!c) return;
  if (!await api("POST", "/api/codings/" + c.id, { memo: $("#memo").value })) return changeFailed();
  say("memo saved");
  await refresh();
}

async function removeCoding() {
  const c = S.selected && codingById(S.selected);
  if (!c) return;
  if (!await api("DELETE", "/api/codings/" + c.id)) return changeFailed();
  say(`removed the coding of ${c.code}`);
  S.selected = null;
  await refresh();
}

/* The suggestion after (DIR 1) or before (-1) coding ID, in text order. */
function nextSuggestion(id, dir) {
  const list = visibleCodings().filter((c) => c.status === "suggested")
    .sort((x, y) => x.start - y.start || x.end - y.end || x.id - y.id);
  if (!list.length) return null;
  const i = list.findIndex((c) => c.id === id);
  if (i < 0) return dir > 0 ? list[0] : list[list.length - 1];
  const j = i + dir;
  return j >= 0 && j < list.length ? list[j] : null;
}

async function undo() {
  const r = await api("POST", "/api/undo");
  if (!r) return;
  say(`undid: qcode ${r.command}`);
  await refresh(true);
}

/* ---- codes ---- */

async function loadCodes() {
  const rows = await api("GET", "/api/codes");
  if (!rows) return;
  S.codes = rows;
  S.codeByPath = new Map(rows.map((c) => [c.path, c]));
  let pins = null;
  try {
    pins = JSON.parse(localStorage.getItem("qcode-pins") || "null");
  } catch (e) {
    pins = null;
  }
  S.pins = Array.isArray(pins) ? pins.filter((p) => S.codeByPath.has(p)).slice(0, 9)
    : rows.filter((c) => c.codable).slice(0, 9).map((c) => c.path);
  renderCodes();
}

function togglePin(path) {
  const i = S.pins.indexOf(path);
  if (i >= 0) S.pins.splice(i, 1);
  else if (S.pins.length < 9) S.pins.push(path);
  else {
    say("nine codes are pinned already; unpin one first", true);
    return;
  }
  try {
    localStorage.setItem("qcode-pins", JSON.stringify(S.pins));
  } catch (e) { /* private mode */ }
  renderCodes();
}

function renderCodes() {
  const ul = $("#code-tree");
  const byId = new Map(S.codes.map((c) => [c.id, c]));
  const depth = (c) => {
    let n = 0;
    for (let p = c.parent; p !== null && byId.has(p); p = byId.get(p).parent) n++;
    return n;
  };
  ul.replaceChildren();
  for (const c of S.codes) {
    const pin = S.pins.indexOf(c.path);
    const sw = el("span", { class: "swatch" });
    sw.style.setProperty("background", codeColor(c.path));
    const li = el("li", { "data-code": c.path, class: c.codable ? null : "group",
      title: c.path },
      sw,
      el("span", { class: "name", dir: "auto", text: c.name }),
      el("span", { class: "pin", "data-pin": c.path, title: "pin to a key 1–9",
        text: pin >= 0 ? String(pin + 1) : "☆" }),
      el("span", { class: "count", text: `${c.cases} of ${c.n}` }));
    li.style.setProperty("padding-inline-start", (4 + 14 * depth(c)) + "px");
    if (!c.codable) li.querySelector(".pin").remove();
    ul.append(li);
  }
  filterCodes();
}

/* Show the codes matching the filter box (and their parents); the first
 * codable match is what Enter applies. */
function filterCodes() {
  const f = $("#code-filter").value.trim().toLowerCase();
  const byPath = S.codeByPath;
  const keep = new Set();
  let first = null;
  for (const c of S.codes) {
    if (!f || c.path.toLowerCase().includes(f)) {
      keep.add(c.path);
      if (f && !first && c.codable) first = c.path;
      let p = c.parent;
      while (p !== null) {
        const parent = S.codes.find((x) => x.id === p);
        if (!parent) break;
        keep.add(parent.path);
        p = parent.parent;
      }
    }
  }
  S.firstMatch = first;
  for (const li of $("#code-tree").children) {
    const path = li.dataset.code;
    li.classList.toggle("hidden", !keep.has(path) || !byPath.has(path));
    li.classList.toggle("first-match", path === first);
  }
}

async function showQuotes(path) {
  const rows = await api("GET", "/api/quotes?code=" + encodeURIComponent(path));
  if (!rows) return;
  $("#quotes-panel").hidden = false;
  $("#quotes-title").textContent = `${path}: ${rows.length} quote${rows.length === 1 ? "" : "s"}`;
  const ol = $("#quotes");
  ol.replaceChildren();
  for (const q of rows) {
    const li = el("li", { dir: "auto" },
      el("div", { dir: "auto", text: q.text }),
      el("div", { class: "src", dir: "auto", text: `${q.attribution} · ${q.document}${q.speaker ? " · " + q.speaker : ""}` }));
    li.addEventListener("click", () => goTo(q.document, q.start));
    ol.append(li);
  }
}

/* Open document NAME at code point START. */
async function goTo(name, start) {
  let d = S.docs.find((x) => x.name === name);
  if (!d) {
    const page = await api("GET", "/api/documents?" +
      new URLSearchParams({ name, limit: 1000 }));
    d = page && page.documents.find((x) => x.name === name);
  }
  if (!d) return;
  if (!S.doc || S.doc.id !== d.id) await openDoc(d.id);
  for (const seg of document.querySelectorAll("#document [data-segment]")) {
    if (+seg.dataset.start <= start && start < +seg.dataset.end) {
      seg.scrollIntoView({ block: "center" });
      seg.classList.remove("flash");
      void seg.offsetWidth;
      seg.classList.add("flash");
      break;
    }
  }
}

/* After a change: the code tree and the open document again.  The
 * document list (all of a project's documents, 200,000 answers in a big
 * survey) only after an undo, which may touch any document; openDoc()
 * updates the open document's counts in it. */
async function refresh(all) {
  const jobs = [loadCodes()];
  if (all) jobs.push(loadDocs(), loadFilters());
  if (S.doc) jobs.push(openDoc(S.doc.id, true));
  await Promise.all(jobs);
}

/* ---- events ---- */

function typing(e) {
  const t = e.target;
  return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
}

document.addEventListener("keydown", (e) => {
  if (e.target === $("#code-filter")) {
    if (e.key === "Enter" && S.firstMatch) {
      e.preventDefault();
      const path = S.firstMatch;
      $("#code-filter").value = "";
      filterCodes();
      restoreSelection();
      $("#code-filter").blur();
      applyCode(path);
    } else if (e.key === "Escape") {
      $("#code-filter").value = "";
      filterCodes();
      restoreSelection();
      $("#code-filter").blur();
    }
    return;
  }
  if (typing(e) || e.altKey || e.metaKey) return;
  if (e.ctrlKey) {
    if (e.key === "z") {
      e.preventDefault();
      undo();
    }
    return;
  }
  if (e.key >= "1" && e.key <= "9") {
    const path = S.pins[+e.key - 1];
    if (path) {
      e.preventDefault();
      applyCode(path);
    }
  } else if (e.key === "/") {
    e.preventDefault();
    $("#code-filter").focus();
  } else if (e.key === "c") {
    newCode();
  } else if (e.key === "n" || e.key === "p") {
    const s = nextSuggestion(S.selected, e.key === "n" ? 1 : -1);
    if (s) selectCoding(s.id, true);
    else say("no more suggestions");
  } else if (e.key === "a") {
    decide("accepted");
  } else if (e.key === "r") {
    decide("rejected");
  } else if (e.key === "Delete") {
    removeCoding();
  } else if (e.key === "u") {
    undo();
  } else if (e.key === "Escape") {
    clearPending();
    S.selected = null;
    showCoding();
  }
});

$("#document").addEventListener("click", (e) => {
  const m = e.target.closest("mark[data-coding]");
  if (!m || !getSelection().isCollapsed) return;
  selectCoding(+m.dataset.coding, false);
});

$("#document").addEventListener("mouseover", (e) => {
  const tip = $("#tip");
  let m = e.target.closest("mark[data-coding]");
  if (!m) {
    tip.hidden = true;
    return;
  }
  const lines = [];
  for (; m; m = m.parentElement.closest("mark[data-coding]")) {
    const c = codingById(+m.dataset.coding);
    if (c) lines.push(codingLabel(c));
  }
  tip.textContent = lines.join("\n\n");
  tip.hidden = false;
});
$("#document").addEventListener("mousemove", (e) => {
  const tip = $("#tip");
  tip.style.setProperty("left", Math.min(e.clientX + 14, innerWidth - 300) + "px");
  tip.style.setProperty("top", (e.clientY + 16) + "px");
});
$("#document").addEventListener("mouseleave", () => { $("#tip").hidden = true; });

$("#code-tree").addEventListener("click", (e) => {
  const pin = e.target.closest("[data-pin]");
  if (pin) {
    togglePin(pin.dataset.pin);
    return;
  }
  const li = e.target.closest("li[data-code]");
  if (!li) return;
  if (S.pending && S.codeByPath.get(li.dataset.code).codable) applyCode(li.dataset.code);
  else showQuotes(li.dataset.code);
});
/* Keep the document's selection when a code is clicked. */
$("#code-tree").addEventListener("mousedown", (e) => e.preventDefault());

$("#code-filter").addEventListener("input", filterCodes);
for (const id of ["#doc-filter", "#doc-question", "#doc-attr", "#doc-coded"]) {
  $(id).addEventListener("input", filterDocs);
}
$("#view").addEventListener("change", () => {
  S.view = $("#view").value;
  if (S.doc) renderDoc();
});
$("#undo").addEventListener("click", undo);
$("#new-code").addEventListener("mousedown", (e) => e.preventDefault());
$("#new-code").addEventListener("click", newCode);
for (const b of document.querySelectorAll("[data-action]")) {
  b.addEventListener("click", () => decide(b.dataset.action === "accept" ? "accepted" : "rejected"));
}
$("#save-memo").addEventListener("click", saveMemo);
$("#remove-coding").addEventListener("click", removeCoding);

async function start() {
  /* What the page needs first is asked for before anything else: the
   * document named in the address, the coder and the code tree (its
   * colours); the document is drawn as soon as they are in.  The
   * document list and the filters' choices come after it, so that they
   * hold neither the server (one request at a time) nor the page back. */
  const m = /#doc=(\d+)/.exec(location.hash);
  const fetching = m ? api("GET", "/api/documents/" + m[1]) : null;
  const session = api("GET", "/api/session");
  const codes = loadCodes();
  const listing = m ? null : loadDocs();
  const [s] = await Promise.all([session, codes]);
  if (!s) return;
  S.coder = s.coder;
  showPending();
  $("#project").textContent = `${s.project} · coding as ${s.coder}`;
  let opened = null;
  if (m) {
    opened = openDoc(+m[1], false, fetching);
    await fetching;
    await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0)));
    await loadDocs();
  } else {
    await listing;
    if (S.docs.length) opened = openDoc(S.docs[0].id);
  }
  await Promise.all([opened, loadFilters()]);
  document.body.dataset.ready = "1";
}

/* For tests and the console. */
window.qcode = { offsets, state: S, selectionSpan };
start();
