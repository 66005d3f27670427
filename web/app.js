// 校核工作台: the page over /api/. Plain JavaScript, no libraries, nothing fetched
// from outside this machine.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

const state = {
  doc: null,          // the document last checked: {name, text} or {name, data}
  result: null,       // /api/check answer
  selected: -1,       // index into result.diagnostics
  rules: [],          // /api/rules
  disabled: new Set(JSON.parse(sessionStorage.getItem("jiaohe.disabled") || "[]")),
  pack: sessionStorage.getItem("jiaohe.pack"),
  packName: sessionStorage.getItem("jiaohe.packName"),
  reviews: new Map(), // key → {rule, key, justification, reviewer, path}
  sort: { key: "line", dir: 1 },
  baselinePath: "",
};

const SEV_LABEL = { error: "错误", warning: "警告", info: "提示" };
const EXAMPLE = [
  "示例市2025年工业经济运行情况（征求意见稿）",
  "",
  "全年全市规上工业增加值增长7.9%，工业投资由120亿元增至138亿元，增长12.0%。截止11月底，汇总企业诉求共60条，其中融资类12条，用工类18条，审批类10条，其他类25条。",
  "全市新增高新技术企业58家，总数达到52家。全市40个工业行业中有30个行业增加值增长，增长面达80%。",
  "装备制造、食品加工、新材料产业产值分别增长11.2%、7.5%。全年签约项目20个，其中制造业项目13个，服务业项目9个。",
].join("\n");

// ---------- helpers ----------

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const res = await fetch("/api/" + path, init);
  const type = res.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await res.json() : await res.text();
  if (!res.ok) {
    const err = new Error((data && data.error) || (typeof data === "string" ? data : "请求失败"));
    err.data = data;
    err.status = res.status;
    throw err;
  }
  return data;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function status(msg, isErr = false) {
  const s = $("#status");
  s.textContent = msg;
  s.classList.toggle("err", isErr);
}

function bufferToBase64(buf) {
  const bytes = new Uint8Array(buf);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

function requestBody(extra = {}) {
  const body = Object.assign({}, state.doc, extra);
  const date = $("#input-date").value;
  if (date) body.date = date;
  if (state.disabled.size) body.disabled = Array.from(state.disabled);
  if (state.pack) { body.pack = state.pack; body.pack_name = state.packName || "上传的规则包.yaml"; }
  return body;
}

async function download(path, body) {
  const res = await fetch("/api/" + path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    let msg = "导出失败";
    try { msg = (await res.json()).error || msg; } catch (_) { /* not JSON */ }
    throw new Error(msg);
  }
  const cd = res.headers.get("Content-Disposition") || "";
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd);
  const name = m ? decodeURIComponent(m[1]) : "jiaohe-export";
  const blob = await res.blob();
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  return name;
}

// ---------- tabs ----------

function showView(name) {
  for (const b of $$("nav [role=tab]")) {
    const on = b.dataset.view === name;
    b.setAttribute("aria-selected", on ? "true" : "false");
    b.tabIndex = on ? 0 : -1;
    $("#view-" + b.dataset.view).hidden = !on;
  }
  if (name === "rules" && !state.rules.length) loadRules();
  if (name === "draft" && window.jiaoheDraft) window.jiaoheDraft.open();
}

function initTabs() {
  const tabs = $$("nav [role=tab]");
  for (const b of tabs) {
    b.addEventListener("click", () => showView(b.dataset.view));
    b.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(b);
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
        const j = (i + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length;
        tabs[j].focus();
        showView(tabs[j].dataset.view);
      }
    });
  }
}

// ---------- check ----------

async function runCheck() {
  const text = $("#input-text").value;
  if (!state.doc || state.doc.text !== undefined) {
    if (!text.trim()) { status("请先粘贴文本或选择文件", true); return; }
    state.doc = { name: "粘贴的文本.txt", text };
  }
  status("正在核对……");
  $("#btn-check").disabled = true;
  try {
    const r = await api("check", requestBody({ baseline: true }));
    state.result = r;
    state.selected = -1;
    renderResult();
    renderFigures();
    const s = r.summary;
    status(`核对完成：错误 ${s.errors} 处，警告 ${s.warnings} 处，提示 ${s.infos} 处`);
  } catch (e) {
    status(e.message, true);
  } finally {
    $("#btn-check").disabled = false;
  }
}

async function takeFile(file) {
  if (!file) return;
  const buf = await file.arrayBuffer();
  state.doc = { name: file.name, data: bufferToBase64(buf) };
  $("#file-name").textContent = `${file.name}（${Math.ceil(file.size / 1024)} KB）`;
  $("#input-text").value = "";
  $("#input-text").placeholder = `已选择文件：${file.name}。点“核对”开始；在此粘贴文本则改为核对文本。`;
  await runCheck();
}

function visible(d) {
  const sev = new Set($$(".sev-filter").filter((c) => c.checked).map((c) => c.value));
  const rule = $("#rule-filter").value;
  return sev.has(d.severity) && (!rule || d.rule === rule);
}

// Cuts the text at every span boundary; each piece knows which findings cover it
// (as primary span) and which findings point at it as a related figure.
function segments(text, diags) {
  const cuts = new Set([0, text.length]);
  diags.forEach((d) => {
    cuts.add(d.at[0]); cuts.add(d.at[1]);
    d.related_at.forEach((r) => { cuts.add(r[0]); cuts.add(r[1]); });
  });
  const pts = Array.from(cuts).filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    const [a, b] = [pts[i], pts[i + 1]];
    if (a === b) continue;
    const primary = [], related = [];
    diags.forEach((d, k) => {
      if (d.at[0] <= a && b <= d.at[1]) primary.push(k);
      if (d.related_at.some((r) => r[0] <= a && b <= r[1])) related.push(k);
    });
    out.push({ a, b, primary, related });
  }
  return out;
}

const SEV_RANK = { info: 0, warning: 1, error: 2 };

function renderResult() {
  const r = state.result;
  $("#results").hidden = false;
  const s = r.summary;
  const sum = $("#summary");
  sum.replaceChildren(...[
    el("span", {}, r.path),
    el("span", { class: "n-error" }, `错误 ${s.errors}`),
    el("span", { class: "n-warning" }, `警告 ${s.warnings}`),
    el("span", { class: "n-info" }, `提示 ${s.infos}`),
    s.reviewed ? el("span", { class: "muted" }, `已复核 ${s.reviewed}`) : null,
  ].filter(Boolean));
  const pct = r.coverage.figures ? Math.round((100 * r.coverage.checked) / r.coverage.figures) : 0;
  $("#coverage-fill").style.width = pct + "%";
  $("#coverage-bar").setAttribute("aria-valuenow", String(pct));
  $("#coverage-text").textContent = `${r.coverage.checked}/${r.coverage.figures} 个数字参与核对（${pct}%）`
    + (r.coverage.unread_at.length ? `；${r.coverage.unread_at.length} 处含数字的分句未能读懂` : "");
  const rules = Array.from(new Set(r.diagnostics.map((d) => d.rule))).sort();
  const sel = $("#rule-filter");
  const keep = sel.value;
  sel.replaceChildren(el("option", { value: "" }, "全部"), ...rules.map((x) => el("option", { value: x }, x)));
  sel.value = rules.includes(keep) ? keep : "";
  renderDoc();
  renderFindings();
  renderDetail();
  renderReviews();
}

function renderDoc() {
  const r = state.result;
  const doc = $("#doc");
  const frag = document.createDocumentFragment();
  for (const seg of segments(r.text, r.diagnostics)) {
    const piece = r.text.slice(seg.a, seg.b);
    const shown = seg.primary.filter((k) => visible(r.diagnostics[k]));
    const isRelated = state.selected >= 0 && seg.related.includes(state.selected);
    if (!shown.length) {
      if (isRelated) frag.append(el("span", { class: "related" }, piece));
      else if (seg.related.length) frag.append(el("span", { "data-rel": seg.related.join(",") }, piece));
      else frag.append(piece);
      continue;
    }
    const worst = shown.reduce((w, k) => (SEV_RANK[r.diagnostics[k].severity] > SEV_RANK[w] ? r.diagnostics[k].severity : w), "info");
    const titles = shown.map((k) => `${r.diagnostics[k].rule} ${SEV_LABEL[r.diagnostics[k].severity]}：${r.diagnostics[k].message}`);
    const cls = ["sev-" + worst];
    if (shown.includes(state.selected)) cls.push("current");
    if (isRelated) cls.push("related");
    const m = el("mark", {
      class: cls.join(" "),
      title: titles.join("\n"),
      tabindex: "0",
      "data-ids": shown.join(","),
      "aria-label": titles.join("；"),
    }, piece);
    frag.append(m);
  }
  doc.replaceChildren(frag);
}

function renderFindings() {
  const r = state.result;
  const list = $("#findings");
  const items = [];
  r.diagnostics.forEach((d, k) => {
    if (!visible(d)) return;
    items.push(el("li", {
      tabindex: "0",
      role: "option",
      "data-id": String(k),
      "aria-selected": k === state.selected ? "true" : "false",
      class: d.reviewed || state.reviews.has(d.key) ? "reviewed" : null,
    },
    el("span", { class: "badge " + d.severity }, SEV_LABEL[d.severity]),
    el("span", { class: "code" }, `${d.rule} ${d.span.line}:${d.span.column}`),
    el("span", {}, d.message)));
  });
  if (!items.length) items.push(el("li", { class: "muted" }, r.diagnostics.length ? "筛选后没有问题" : "没有发现问题"));
  list.setAttribute("role", "listbox");
  list.replaceChildren(...items);
}

function ruleInfo(id) {
  return state.rules.find((x) => x.id === id);
}

function renderDetail() {
  const box = $("#detail");
  const r = state.result;
  if (!r || state.selected < 0) {
    box.replaceChildren(el("p", { class: "muted" }, "点文中标出的数字或右侧列表中的一条问题查看详情。"));
    return;
  }
  const d = r.diagnostics[state.selected];
  const info = ruleInfo(d.rule);
  const rel = d.related.map((x, i) => el("li", {},
    el("button", { class: "link", type: "button", onclick: () => flash(d.related_at[i]) }, x.label),
    ` （第${x.span.line}行第${x.span.column}列）`));
  const reviewed = d.reviewed || (state.reviews.get(d.key) || {}).justification;
  box.replaceChildren(...[
    el("h3", {}, el("span", { class: "badge " + d.severity }, SEV_LABEL[d.severity]), " ", el("span", { class: "code" }, `${d.rule} ${d.name}`)),
    el("p", { class: "msg" }, d.message),
    el("p", { class: "muted" }, `第${d.span.line}行第${d.span.column}列${d.place ? "（" + d.place + "）" : ""}：`,
      el("button", { class: "link", type: "button", onclick: () => flash(d.at) }, d.label || "定位")),
    rel.length ? el("div", {}, "相关数字：", el("ul", {}, rel)) : null,
    d.suggestion ? el("p", { class: "sugg" }, "可能的更正：" + d.suggestion) : null,
    d.help ? el("p", {}, "建议：" + d.help) : null,
    info && info.doc ? el("details", {}, el("summary", {}, "规则说明"), el("div", { class: "doc-text" }, info.doc),
      info.wrong ? el("p", { class: "ex" }, el("b", {}, "错误示例 "), info.wrong) : null,
      info.right ? el("p", { class: "ex" }, el("b", {}, "正确示例 "), info.right) : null) : null,
    reviewed
      ? el("p", { class: "muted" }, "已复核：" + reviewed)
      : el("form", { class: "review-form", onsubmit: (e) => { e.preventDefault(); markReviewed(d, e.target); } },
        el("label", {}, "复核说明（上报说明）", el("textarea", { name: "justification", rows: "2", required: true })),
        el("label", {}, "复核人 ", el("input", { name: "reviewer", type: "text", size: "8" })),
        " ",
        el("button", { type: "submit" }, "标记为已复核")),
  ].filter(Boolean));
}

// Scrolls a pane (not the page) so that `target` is in view.
function reveal(target, center = true) {
  const pane = target.closest(".doc, .findings, .table-wrap");
  if (!pane) return;
  const p = pane.getBoundingClientRect();
  const t = target.getBoundingClientRect();
  if (center) pane.scrollTop += t.top - p.top - pane.clientHeight / 2;
  else if (t.top < p.top) pane.scrollTop += t.top - p.top;
  else if (t.bottom > p.bottom) pane.scrollTop += t.bottom - p.bottom;
}

function flash(at) {
  // Scrolls the document to a span and marks it briefly.
  const doc = $("#doc");
  let offset = 0;
  for (const node of doc.childNodes) {
    const len = node.textContent.length;
    if (offset + len > at[0]) {
      const target = node.nodeType === Node.TEXT_NODE ? null : node;
      if (target) {
        reveal(target);
        target.classList.add("flash");
        setTimeout(() => target.classList.remove("flash"), 1200);
      } else {
        const span = el("span", { class: "flash" });
        node.parentNode.insertBefore(span, node);
        reveal(span);
        setTimeout(() => span.remove(), 1200);
      }
      return;
    }
    offset += len;
  }
}

function select(k, scroll = true) {
  state.selected = k;
  renderDoc();
  renderFindings();
  renderDetail();
  if (scroll) {
    const m = $(`#doc mark.current`);
    if (m) reveal(m);
    const li = $(`#findings li[data-id="${k}"]`);
    if (li) reveal(li, false);
  }
}

function markReviewed(d, form) {
  const justification = form.justification.value.trim();
  if (!justification) return;
  state.reviews.set(d.key, {
    rule: d.rule,
    key: d.key,
    justification,
    reviewer: form.reviewer.value.trim() || undefined,
    date: new Date().toISOString().slice(0, 10),
    path: `${state.result.path}:${d.span.line}`,
  });
  renderFindings();
  renderDetail();
  renderReviews();
}

function renderReviews() {
  const box = $("#review");
  box.hidden = state.reviews.size === 0;
  $("#baseline-path").textContent = state.baselinePath;
  $("#review-list").replaceChildren(...Array.from(state.reviews.values()).map((e) =>
    el("li", {}, `${e.rule}：${e.justification}`)));
}

async function saveReviews() {
  try {
    const r = await api("baseline", { entries: Array.from(state.reviews.values()) });
    state.reviews.clear();
    await runCheck();
    status(`已保存 ${r.written} 条复核记录到 ${r.path}（共 ${r.total} 条）`);
  } catch (e) {
    status(e.message, true);
  }
}

function initCheck() {
  $("#btn-check").addEventListener("click", runCheck);
  $("#btn-example").addEventListener("click", () => {
    $("#input-text").value = EXAMPLE;
    state.doc = null;
    $("#file-name").textContent = "";
    runCheck();
  });
  $("#input-text").addEventListener("input", () => {
    if (state.doc && state.doc.data !== undefined) { state.doc = null; $("#file-name").textContent = ""; }
  });
  $("#input-file").addEventListener("change", (e) => takeFile(e.target.files[0]));
  const area = $("#input-area");
  ["dragenter", "dragover"].forEach((t) => area.addEventListener(t, (e) => { e.preventDefault(); area.classList.add("drag"); }));
  ["dragleave", "drop"].forEach((t) => area.addEventListener(t, () => area.classList.remove("drag")));
  area.addEventListener("drop", (e) => { e.preventDefault(); takeFile(e.dataTransfer.files[0]); });
  $$(".sev-filter").forEach((c) => c.addEventListener("change", () => { renderDoc(); renderFindings(); }));
  $("#rule-filter").addEventListener("change", () => { renderDoc(); renderFindings(); });
  const pick = (target) => {
    const m = target.closest("mark[data-ids]");
    if (!m) return;
    const ids = m.dataset.ids.split(",").map(Number);
    // Clicking a piece covered by several findings cycles through them.
    const i = ids.indexOf(state.selected);
    select(ids[(i + 1) % ids.length], false);
    const again = $(`#doc mark.current`);
    if (again) again.focus();
  };
  $("#doc").addEventListener("click", (e) => pick(e.target));
  $("#doc").addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(e.target); } });
  const list = $("#findings");
  list.addEventListener("click", (e) => {
    const li = e.target.closest("li[data-id]");
    if (li) select(Number(li.dataset.id));
  });
  list.addEventListener("keydown", (e) => {
    const li = e.target.closest("li[data-id]");
    if (!li) return;
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(Number(li.dataset.id)); }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const sib = e.key === "ArrowDown" ? li.nextElementSibling : li.previousElementSibling;
      if (sib) sib.focus();
    }
  });
  $$("[data-export]").forEach((b) => b.addEventListener("click", async () => {
    if (!state.doc) { status("请先核对一份文档", true); return; }
    try {
      const name = await download("export/" + b.dataset.export, requestBody({ baseline: true }));
      status("已导出：" + name);
    } catch (e) { status(e.message, true); }
  }));
  $("#btn-save-review").addEventListener("click", saveReviews);
}

// ---------- figures ----------

function renderFigures() {
  const r = state.result;
  const table = $("#figures");
  if (!r) return;
  $("#figures-empty").hidden = true;
  table.hidden = false;
  const q = $("#figures-filter").value.trim();
  const rows = r.rows.filter((x) => !q || [x.indicator, x.scope, x.period, x.value, x.change, x.text].some((v) => v && v.includes(q)));
  const { key, dir } = state.sort;
  const num = (v) => { const m = /-?\d+(\.\d+)?/.exec(v || ""); return m ? parseFloat(m[0]) : NaN; };
  rows.sort((a, b) => {
    if (key === "line") return dir * (a.line - b.line || a.column - b.column);
    const [x, y] = [a[key] || "", b[key] || ""];
    if (key === "value" || key === "change") {
      const [nx, ny] = [num(x), num(y)];
      if (!isNaN(nx) && !isNaN(ny) && nx !== ny) return dir * (nx - ny);
    }
    return dir * x.localeCompare(y, "zh-CN");
  });
  $$("#figures th button").forEach((b) => {
    b.setAttribute("aria-sort", b.dataset.sort === key ? (dir > 0 ? "ascending" : "descending") : "none");
  });
  $("#figures-count").textContent = `${rows.length} 条指标陈述`;
  $("tbody", table).replaceChildren(...rows.map((x) => el("tr", {
    class: x.parent !== null && x.parent !== undefined ? "part" : null,
    tabindex: "0",
    title: x.text,
    onclick: () => { showView("check"); flash(x.at); },
    onkeydown: (e) => { if (e.key === "Enter") { showView("check"); flash(x.at); } },
  },
  el("td", { class: "code" }, `${x.line}:${x.column}`),
  el("td", {}, x.period), el("td", {}, x.scope), el("td", {}, x.indicator),
  el("td", {}, x.value), el("td", {}, x.change), el("td", {}, x.rank), el("td", {}, x.notes))));
}

function initFigures() {
  $("#figures-filter").addEventListener("input", renderFigures);
  $$("#figures th button").forEach((b) => b.addEventListener("click", () => {
    state.sort = { key: b.dataset.sort, dir: state.sort.key === b.dataset.sort ? -state.sort.dir : 1 };
    renderFigures();
  }));
}

// ---------- rules ----------

async function loadRules() {
  try {
    const r = await api("rules");
    state.rules = r.rules;
    renderRules();
  } catch (e) {
    $("#rules-list").replaceChildren(el("p", { class: "err" }, e.message));
  }
}

function renderRules() {
  $("#rules-list").replaceChildren(...state.rules.map((x) => {
    const on = !state.disabled.has(x.id);
    return el("article", { class: "rule" + (on ? "" : " off"), id: "rule-" + x.id },
      el("header", {},
        el("label", {}, el("input", {
          type: "checkbox", checked: on, "aria-label": `启用 ${x.id}`,
          onchange: (e) => {
            if (e.target.checked) state.disabled.delete(x.id); else state.disabled.add(x.id);
            sessionStorage.setItem("jiaohe.disabled", JSON.stringify(Array.from(state.disabled)));
            renderRules();
          },
        }), " ", el("b", { class: "code" }, x.id)),
        el("span", { class: "code" }, x.name),
        el("span", { class: "badge " + x.severity }, x.severity_label),
        el("span", { class: "muted" }, `类型 ${x.kind} · ${x.source}`)),
      x.doc ? el("div", { class: "doc-text" }, x.doc) : null,
      x.wrong ? el("p", { class: "ex" }, el("b", {}, "错误示例"), x.wrong) : null,
      x.right ? el("p", { class: "ex" }, el("b", {}, "正确示例"), x.right) : null);
  }));
}

async function takePack(file) {
  if (!file) return;
  const text = await file.text();
  const box = $("#pack-errors");
  try {
    const r = await api("rules/validate", { name: file.name, text });
    state.pack = text;
    state.packName = file.name;
    sessionStorage.setItem("jiaohe.pack", text);
    sessionStorage.setItem("jiaohe.packName", file.name);
    box.hidden = true;
    $("#pack-status").textContent = `已载入 ${file.name}：${r.rules.length} 条规则，核对时一并使用`;
    $("#btn-pack-clear").hidden = false;
    const all = await api("rules");
    state.rules = all.rules.concat(r.rules);
    renderRules();
  } catch (e) {
    const errs = (e.data && e.data.errors) || [];
    box.hidden = false;
    box.replaceChildren(
      el("p", { class: "err" }, `规则包 ${file.name} 有 ${errs.length || 1} 处问题，未载入：`),
      el("ul", {}, errs.length
        ? errs.map((x) => el("li", {}, `${x.path}:${x.line}:${x.column}: ${x.message}`))
        : [el("li", {}, e.message)]));
    $("#pack-status").textContent = "";
  }
}

function initRules() {
  $("#pack-file").addEventListener("change", (e) => { takePack(e.target.files[0]); e.target.value = ""; });
  $("#btn-pack-clear").addEventListener("click", () => {
    state.pack = null;
    state.packName = null;
    sessionStorage.removeItem("jiaohe.pack");
    sessionStorage.removeItem("jiaohe.packName");
    $("#btn-pack-clear").hidden = true;
    $("#pack-status").textContent = "已停用上传的规则包";
    loadRules();
  });
  if (state.pack) {
    $("#btn-pack-clear").hidden = false;
    $("#pack-status").textContent = `使用中：${state.packName}`;
  }
}

// ---------- start ----------

async function start() {
  initTabs();
  initCheck();
  initFigures();
  initRules();
  renderDetail();
  try {
    const b = await api("baseline");
    state.baselinePath = b.path;
  } catch (_) { /* shown when saving */ }
  loadRules();
}

document.addEventListener("DOMContentLoaded", start);
