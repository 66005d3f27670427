// 起草报告: pick a template, edit its data (a table of indicator rows plus the
// document fields), preview the draft with its self-check, download it.
// Uses the helpers of app.js (el, api, download, segments, SEV_LABEL, SEV_RANK).
"use strict";

(function () {
  // Columns of the indicator table: [key, header, kind]. `rank.pos` edits the
  // rank's position inside the row's `rank` object; other nested fields of a row
  // (compare, target, parts …) are kept as they are.
  const COLUMNS = [
    ["group", "分组", "text"],
    ["name", "指标名称", "text"],
    ["scope", "范围", "text"],
    ["value", "数值", "num"],
    ["unit", "单位", "text"],
    ["prev", "上期数值", "num"],
    ["growth", "增速（%）", "num"],
    ["rank.pos", "位次", "num"],
  ];

  const draft = {
    ready: false,
    templates: [],
    template: "",
    fields: {},       // everything in the data but `indicators`
    rows: [],         // the indicator records
    raw: null,        // {text, format} when editing a data file as text (CSV)
    result: null,
    selected: -1,
    seq: 0,
    timer: 0,
  };

  const q = (id) => document.getElementById(id);

  function setStatus(msg, isErr = false) {
    const s = q("draft-status");
    s.textContent = msg;
    s.classList.toggle("err", isErr);
  }

  function build() {
    const root = q("draft-root");
    root.replaceChildren(
      el("div", { class: "toolbar" },
        el("div", { class: "row" },
          el("label", {}, "模板 ", el("select", { id: "draft-template" })),
          el("label", { class: "file" }, "上传数据文件…",
            el("input", { type: "file", id: "draft-file", accept: ".yaml,.yml,.json,.csv" })),
          el("button", { type: "button", id: "draft-reset" }, "恢复示例数据"),
          el("span", { id: "draft-status", role: "status", "aria-live": "polite" })),
        el("div", { class: "exports" }, "下载：",
          el("button", { type: "button", "data-dl": "docx" }, "Word（.docx）"),
          el("button", { type: "button", "data-dl": "md" }, "Markdown（.md）"),
          el("button", { type: "button", "data-dl": "txt" }, "纯文本（.txt）"))),
      el("div", { class: "draft" },
        el("div", { class: "pane", id: "draft-editor" },
          el("div", { id: "draft-table-box" },
            el("h3", {}, "指标数据"),
            el("div", { class: "table-scroll" },
              el("table", { id: "draft-table" },
                el("thead", {}, el("tr", {},
                  ...COLUMNS.map(([, h]) => el("th", { scope: "col" }, h)),
                  el("th", { scope: "col" }, "其他"),
                  el("th", { scope: "col" }, el("span", { class: "sr" }, "操作")))),
                el("tbody", {}))),
            el("p", {}, el("button", { type: "button", id: "draft-add" }, "添加一行")),
            el("details", { open: true },
              el("summary", {}, "文档字段（JSON：地区、年份、期间、各部分标题等）"),
              el("textarea", { id: "draft-fields", rows: "9", spellcheck: "false", "aria-label": "文档字段（JSON）" }),
              el("p", { id: "draft-fields-err", class: "err" }))),
          el("div", { id: "draft-raw-box", hidden: true },
            el("h3", {}, "数据文件（原文）"),
            el("p", { class: "muted", id: "draft-raw-note" }),
            el("textarea", { id: "draft-raw", rows: "18", spellcheck: "false", "aria-label": "数据文件原文" }),
            el("p", {}, el("button", { type: "button", id: "draft-raw-leave" }, "放弃此文件，改用表格编辑"))),
          el("details", {},
            el("summary", {}, "模板需要的字段"),
            el("pre", { id: "draft-doc", class: "doc-text" }))),
        el("div", { class: "pane", id: "draft-out" },
          el("div", { id: "draft-summary", class: "summary" }),
          el("ul", { id: "draft-issues", class: "issues", "aria-label": "数据中的问题" }),
          el("div", { id: "draft-preview", class: "preview", "aria-label": "草稿预览（自查发现的问题已标出）" }),
          el("h3", {}, "自查结果"),
          el("ol", { id: "draft-findings", class: "findings", role: "listbox", "aria-label": "草稿自查问题列表" }),
          el("details", {},
            el("summary", {}, "排版后的全文（Markdown，含表格）"),
            el("pre", { id: "draft-text", class: "doc-text" })))));

    q("draft-template").addEventListener("change", (e) => choose(e.target.value, true));
    q("draft-reset").addEventListener("click", () => choose(draft.template, true));
    q("draft-add").addEventListener("click", () => {
      draft.rows.push({ name: "" });
      renderTable();
      const inputs = q("draft-table").querySelectorAll("tbody tr:last-child input");
      if (inputs.length) inputs[1].focus();
    });
    q("draft-fields").addEventListener("input", () => {
      try {
        const v = JSON.parse(q("draft-fields").value || "{}");
        if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("应为一个 JSON 对象 {…}");
        draft.fields = v;
        q("draft-fields-err").textContent = "";
        schedule();
      } catch (e) {
        q("draft-fields-err").textContent = "文档字段不是有效的 JSON：" + e.message;
      }
    });
    q("draft-raw").addEventListener("input", () => {
      if (draft.raw) { draft.raw.text = q("draft-raw").value; schedule(); }
    });
    q("draft-raw-leave").addEventListener("click", () => { draft.raw = null; showMode(); schedule(0); });
    q("draft-file").addEventListener("change", (e) => takeFile(e.target.files[0]));
    for (const b of document.querySelectorAll("#draft-root [data-dl]")) {
      b.addEventListener("click", () => save(b.dataset.dl));
    }
    const tbody = q("draft-table").querySelector("tbody");
    tbody.addEventListener("input", (e) => edit(e.target));
    tbody.addEventListener("click", (e) => {
      const b = e.target.closest("button[data-remove]");
      if (!b) return;
      draft.rows.splice(Number(b.dataset.remove), 1);
      renderTable();
      schedule(0);
    });
    const pick = (target) => {
      const m = target.closest("[data-ids]");
      if (!m) return;
      const ids = m.dataset.ids.split(",").map(Number);
      const i = ids.indexOf(draft.selected);
      selectFinding(ids[(i + 1) % ids.length]);
    };
    q("draft-preview").addEventListener("click", (e) => pick(e.target));
    q("draft-preview").addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(e.target); }
    });
    q("draft-findings").addEventListener("click", (e) => {
      const li = e.target.closest("li[data-id]");
      if (li) selectFinding(Number(li.dataset.id));
    });
    q("draft-findings").addEventListener("keydown", (e) => {
      const li = e.target.closest("li[data-id]");
      if (!li) return;
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); selectFinding(Number(li.dataset.id)); }
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const sib = e.key === "ArrowDown" ? li.nextElementSibling : li.previousElementSibling;
        if (sib) sib.focus();
      }
    });
  }

  // ---------- data ----------

  function getPath(row, key) {
    const [a, b] = key.split(".");
    const v = b ? (row[a] || {})[b] : row[a];
    return v === undefined || v === null ? "" : String(v);
  }

  function setPath(row, key, kind, text) {
    const t = text.trim();
    let v = t;
    if (kind === "num" && t !== "" && /^[-+]?\d+(\.\d+)?$/.test(t)) v = Number(t);
    const [a, b] = key.split(".");
    if (!b) {
      if (t === "") delete row[a]; else row[a] = v;
      return;
    }
    if (t === "") {
      if (row[a] && typeof row[a] === "object") {
        delete row[a][b];
        if (!Object.keys(row[a]).length) delete row[a];
      }
      return;
    }
    if (!row[a] || typeof row[a] !== "object") row[a] = {};
    row[a][b] = v;
  }

  function others(row) {
    const shown = new Set(COLUMNS.map(([k]) => k.split(".")[0]));
    return Object.keys(row).filter((k) => !shown.has(k) || (k === "rank" && Object.keys(row.rank || {}).some((x) => x !== "pos")));
  }

  function renderTable() {
    const tbody = q("draft-table").querySelector("tbody");
    tbody.replaceChildren(...draft.rows.map((row, i) => el("tr", {},
      ...COLUMNS.map(([key, head, kind]) => el("td", {},
        el("input", {
          type: "text",
          value: getPath(row, key),
          "data-row": String(i),
          "data-key": key,
          "data-kind": kind,
          inputmode: kind === "num" ? "decimal" : null,
          "aria-label": `第${i + 1}行 ${head}`,
        }))),
      el("td", { class: "muted other", title: JSON.stringify(Object.fromEntries(others(row).map((k) => [k, row[k]]))) },
        others(row).join("、")),
      el("td", {}, el("button", {
        type: "button", class: "remove", "data-remove": String(i), "aria-label": `删除第${i + 1}行`, title: "删除此行",
      }, "×")))));
  }

  function edit(input) {
    const i = Number(input.dataset.row);
    if (!draft.rows[i]) return;
    setPath(draft.rows[i], input.dataset.key, input.dataset.kind, input.value);
    schedule();
  }

  function setData(data) {
    const d = data && typeof data === "object" ? JSON.parse(JSON.stringify(data)) : {};
    draft.rows = Array.isArray(d.indicators) ? d.indicators : [];
    delete d.indicators;
    draft.fields = d;
    q("draft-fields").value = JSON.stringify(d, null, 2);
    q("draft-fields-err").textContent = "";
    renderTable();
  }

  function showMode() {
    q("draft-table-box").hidden = !!draft.raw;
    q("draft-raw-box").hidden = !draft.raw;
    if (draft.raw) {
      q("draft-raw").value = draft.raw.text;
      q("draft-raw-note").textContent = `正在编辑上传的 ${draft.raw.name}（${draft.raw.format.toUpperCase()}）；修改后预览自动更新。`;
    }
  }

  function choose(name, reset) {
    const t = draft.templates.find((x) => x.name === name) || draft.templates[0];
    if (!t) return;
    draft.template = t.name;
    q("draft-template").value = t.name;
    q("draft-doc").textContent = t.fields;
    if (reset) {
      draft.raw = null;
      setData(t.example || { report: {}, indicators: [] });
      showMode();
    }
    schedule(0);
  }

  async function takeFile(file) {
    if (!file) return;
    const ext = (file.name.split(".").pop() || "").toLowerCase();
    const format = ext === "yml" ? "yaml" : ext;
    if (!["yaml", "json", "csv"].includes(format)) {
      setStatus("只能上传 .yaml、.yml、.json 或 .csv 数据文件", true);
      return;
    }
    const text = await file.text();
    if (format === "csv") {
      draft.raw = { name: file.name, text, format };
      showMode();
      schedule(0);
      return;
    }
    // YAML/JSON: the server reads it and sends it back as JSON for the table; the
    // template named in the file (report.template) is used, else the chosen one.
    try {
      const req = { data_text: text, data_format: format, format: "md" };
      const r = await api("render", req).catch((e) => {
        if (e.status === 400) return api("render", Object.assign({ template: draft.template }, req));
        throw e;
      });
      draft.raw = null;
      setData(r.input);
      const named = r.template;
      if (named && draft.templates.some((t) => t.name === named)) {
        draft.template = named;
        q("draft-template").value = named;
        q("draft-doc").textContent = draft.templates.find((t) => t.name === named).fields;
      }
      showMode();
      schedule(0);
      setStatus("已载入 " + file.name);
    } catch (e) {
      draft.raw = { name: file.name, text, format };
      showMode();
      showError(e.message);
    }
  }

  function requestBody(format) {
    const body = { template: draft.template, format };
    if (draft.raw) {
      body.data_text = draft.raw.text;
      body.data_format = draft.raw.format;
    } else {
      body.data = Object.assign({}, draft.fields, { indicators: draft.rows });
    }
    return body;
  }

  // ---------- preview ----------

  function schedule(delay = 400) {
    clearTimeout(draft.timer);
    draft.timer = setTimeout(preview, delay);
  }

  async function preview() {
    const seq = ++draft.seq;
    setStatus("正在生成预览……");
    try {
      const r = await api("render", requestBody("md"));
      if (seq !== draft.seq) return;
      draft.result = r;
      draft.selected = -1;
      renderResult();
      const s = r.summary;
      setStatus(`预览已更新：自查错误 ${s.errors} 处，警告 ${s.warnings} 处；数据问题 ${r.issues.length} 条`);
    } catch (e) {
      if (seq !== draft.seq) return;
      showError(e.message);
    }
  }

  function showError(msg) {
    draft.result = null;
    setStatus("无法生成草稿", true);
    q("draft-summary").replaceChildren(el("span", { class: "n-error" }, "无法生成草稿"));
    q("draft-issues").replaceChildren();
    q("draft-preview").replaceChildren(el("p", { class: "err render-error" }, msg));
    q("draft-findings").replaceChildren();
    q("draft-text").textContent = "";
  }

  function renderResult() {
    const r = draft.result;
    const s = r.summary;
    q("draft-summary").replaceChildren(
      el("span", { class: "n-error" }, `错误 ${s.errors}`),
      el("span", { class: "n-warning" }, `警告 ${s.warnings}`),
      el("span", { class: "n-info" }, `提示 ${s.infos}`),
      r.computed.length ? el("span", { class: "muted", title: r.computed.join("\n") }, `推算数字 ${r.computed.length} 个`) : null);
    q("draft-issues").replaceChildren(...r.issues.map((i) => el("li", {},
      el("span", { class: "badge " + i.severity }, i.severity_label), " ", i.indicator, "：", i.message)));
    q("draft-text").textContent = r.text;
    renderPreview();
    renderFindings();
  }

  function renderPreview() {
    const r = draft.result;
    const frag = document.createDocumentFragment();
    for (const seg of segments(r.prose, r.diagnostics)) {
      const piece = r.prose.slice(seg.a, seg.b);
      const isRelated = draft.selected >= 0 && seg.related.includes(draft.selected);
      if (!seg.primary.length) {
        frag.append(isRelated ? el("span", { class: "related" }, piece) : piece);
        continue;
      }
      const ds = seg.primary.map((k) => r.diagnostics[k]);
      const worst = ds.reduce((w, d) => (SEV_RANK[d.severity] > SEV_RANK[w] ? d.severity : w), "info");
      const titles = ds.map((d) => `${d.rule} ${SEV_LABEL[d.severity]}：${d.message}`);
      const cls = ["sev-" + worst];
      if (seg.primary.includes(draft.selected)) cls.push("current");
      if (isRelated) cls.push("related");
      frag.append(el("mark", {
        class: cls.join(" "),
        title: titles.join("\n"),
        tabindex: "0",
        "data-ids": seg.primary.join(","),
        "aria-label": titles.join("；"),
      }, piece));
    }
    q("draft-preview").replaceChildren(frag);
  }

  function renderFindings() {
    const r = draft.result;
    const items = r.diagnostics.map((d, k) => el("li", {
      tabindex: "0",
      role: "option",
      "data-id": String(k),
      "aria-selected": k === draft.selected ? "true" : "false",
    },
    el("span", { class: "badge " + d.severity }, SEV_LABEL[d.severity]),
    el("span", { class: "code" }, `${d.rule} ${d.span.line}:${d.span.column}`),
    el("span", {}, d.message,
      k === draft.selected && d.suggestion ? el("span", { class: "sugg" }, " 可能的更正：" + d.suggestion) : null,
      k === draft.selected && d.help ? el("span", { class: "muted" }, " 建议：" + d.help) : null)));
    if (!items.length) items.push(el("li", { class: "muted" }, "自查没有发现问题"));
    q("draft-findings").replaceChildren(...items);
  }

  function selectFinding(k) {
    draft.selected = k;
    renderPreview();
    renderFindings();
    const m = q("draft-preview").querySelector("mark.current");
    if (m) m.scrollIntoView({ block: "nearest" });
    const li = q("draft-findings").querySelector(`li[data-id="${k}"]`);
    if (li) li.focus();
  }

  // ---------- download ----------

  async function save(format) {
    try {
      const name = await download("render/download", requestBody(format));
      setStatus("已下载：" + name);
    } catch (e) {
      setStatus(e.message, true);
    }
  }

  async function open() {
    if (draft.ready) return;
    draft.ready = true;
    build();
    try {
      const r = await api("templates");
      draft.templates = r.templates;
      q("draft-template").replaceChildren(...r.templates.map((t) =>
        el("option", { value: t.name }, `${t.title}（${t.name}）`)));
      choose(r.templates[0] && r.templates[0].name, true);
    } catch (e) {
      draft.ready = false;
      setStatus("无法载入模板：" + e.message, true);
    }
  }

  window.jiaoheDraft = { open };
})();
