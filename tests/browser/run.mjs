// Browser tests of `jiaohe serve` in real headless Chromium, driven by
// playwright-core with Debian's /usr/bin/chromium.
//
//   node tests/browser/run.mjs            (from the repository root or this folder)
//
// Environment: JIAOHE_BIN (default target/debug/jiaohe), CHROMIUM (default
// /usr/bin/chromium), SCREENSHOTS (default target/screenshots). Exits 1 when any
// step fails and prints which; screenshots of the main views are saved.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const bin = process.env.JIAOHE_BIN || path.join(root, "target/debug/jiaohe");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = process.env.SCREENSHOTS || path.join(root, "target/screenshots");
const draftFile = path.join(root, "examples/shili-2025-draft.txt");
mkdirSync(shots, { recursive: true });
const work = mkdtempSync(path.join(tmpdir(), "jiaohe-browser-"));
const baseline = path.join(work, "reviewed.yaml");

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["serve", "--port", "0", "--no-config", "--baseline", baseline], {
      cwd: work,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error("server did not start: " + out)), 60000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1] }); }
    });
    child.stderr.on("data", (d) => { out += d; });
    child.on("exit", (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

const steps = [];
const step = (name, fn) => steps.push({ name, fn });

step("example: highlights and findings list", async ({ page }) => {
  await page.getByRole("button", { name: "载入示例" }).click();
  await page.waitForSelector("#findings li[data-id]");
  const n = await page.locator("#findings li[data-id]").count();
  assert(n >= 6, `expected ≥ 6 findings, got ${n}`);
  const errors = await page.locator("#doc mark.sev-error").count();
  assert(errors >= 5, `expected ≥ 5 error highlights, got ${errors}`);
  const warn = await page.locator("#doc mark.sev-warning").count();
  assert(warn >= 1, "a warning highlight (截止)");
  const summary = await page.locator("#summary").innerText();
  assert(/错误 \d+/.test(summary), "summary shows counts: " + summary);
  const cov = await page.locator("#coverage-text").innerText();
  assert(/个数字参与核对/.test(cov), "coverage: " + cov);
  await page.screenshot({ path: path.join(shots, "check.png"), fullPage: false });
});

step("click a finding: message, related figures, suggestion", async ({ page }) => {
  const li = page.locator("#findings li", { hasText: "A101" }).first();
  await li.click();
  const detail = await page.locator("#detail").innerText();
  assert(detail.includes("A101") && detail.includes("之和"), "detail shows A101: " + detail);
  assert(detail.includes("可能的更正"), "detail shows the suggestion");
  assert(await page.locator("#doc mark.current").count() >= 1, "the primary figure is marked current");
  assert(await page.locator("#doc .related").count() >= 3, "related figures highlighted");
  await page.screenshot({ path: path.join(shots, "finding.png") });
});

step("click a highlight in the text", async ({ page }) => {
  const mark = page.locator("#doc mark.sev-warning").first();
  await mark.click();
  const detail = await page.locator("#detail").innerText();
  assert(detail.includes("W409"), "clicking the 截止 highlight selects W409: " + detail);
});

step("keyboard: findings reachable and selectable", async ({ page }) => {
  await page.locator("#findings li[data-id]").first().focus();
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  const sel = await page.locator('#findings li[aria-selected="true"]').count();
  assert(sel === 1, "Enter selects the focused finding");
});

step("filter by severity and rule", async ({ page }) => {
  await page.getByLabel("错误", { exact: true }).uncheck();
  assert(await page.locator("#doc mark.sev-error").count() === 0, "error highlights hidden");
  const items = await page.locator("#findings li[data-id]").allInnerTexts();
  assert(items.every((t) => !t.includes("错误")), "no error rows: " + items.join("|"));
  await page.getByLabel("错误", { exact: true }).check();
  await page.locator("#rule-filter").selectOption("A108");
  const rows = await page.locator("#findings li[data-id]").count();
  assert(rows === 1, `one A108 finding, got ${rows}`);
  await page.locator("#rule-filter").selectOption("");
});

step("upload a file", async ({ page }) => {
  await page.locator("#input-file").setInputFiles(draftFile);
  await page.waitForFunction(() => document.querySelector("#summary")?.innerText.includes("shili-2025-draft.txt"));
  assert(await page.locator("#findings li[data-id]").count() >= 6, "findings from the uploaded file");
});

step("export the annotated HTML report", async ({ page }) => {
  const [dl] = await Promise.all([
    page.waitForEvent("download"),
    page.locator('[data-export="html"]').click(),
  ]);
  const file = path.join(work, dl.suggestedFilename());
  await dl.saveAs(file);
  const html = readFileSync(file, "utf8");
  assert(dl.suggestedFilename().endsWith(".html"), "name " + dl.suggestedFilename());
  assert(html.includes('<mark class="error"') && !html.includes("<script"), "self-contained annotated report");
});

step("mark a finding reviewed and save to the baseline", async ({ page }) => {
  await page.locator("#findings li", { hasText: "W409" }).first().click();
  await page.locator('#detail textarea[name="justification"]').fill("原稿如此，已与起草人确认");
  await page.locator('#detail input[name="reviewer"]').fill("审核员");
  await page.getByRole("button", { name: "标记为已复核" }).click();
  assert(!existsSync(baseline), "nothing written before the user saves");
  await page.getByRole("button", { name: "保存到基线文件" }).click();
  await page.waitForFunction(() => document.querySelector("#status")?.innerText.includes("已保存"));
  const saved = readFileSync(baseline, "utf8");
  assert(saved.includes("原稿如此，已与起草人确认") && saved.includes("W409"), "baseline written: " + saved);
});

step("figures table: rows, sort, export", async ({ page }) => {
  await page.getByRole("tab", { name: "数字表" }).click();
  const rows = await page.locator("#figures tbody tr").count();
  assert(rows >= 10, `expected ≥ 10 statements, got ${rows}`);
  await page.locator('#figures th button[data-sort="indicator"]').click();
  const sorted = await page.locator('#figures th button[data-sort="indicator"]').getAttribute("aria-sort");
  assert(sorted === "ascending", "sorted by indicator");
  await page.locator("#figures-filter").fill("工业投资");
  const filtered = await page.locator("#figures tbody tr").count();
  assert(filtered >= 1 && filtered < rows, `filter narrows the table (${filtered})`);
  await page.screenshot({ path: path.join(shots, "figures.png") });
  const [dl] = await Promise.all([page.waitForEvent("download"), page.locator('[data-export="xlsx"]').click()]);
  assert(dl.suggestedFilename().endsWith(".xlsx"), "xlsx download " + dl.suggestedFilename());
  await page.locator("#figures-filter").fill("");
});

step("rules: list, switch off, broken pack shows line and column", async ({ page }) => {
  await page.getByRole("tab", { name: "规则" }).click();
  await page.waitForSelector("#rule-A101");
  assert((await page.locator("#rules-list .rule").count()) >= 10, "rules listed");
  const bad = path.join(work, "broken.yaml");
  writeFileSync(bad, "rules:\n  - id: X901\n    name: my-rule\n    kind: nonsense\n    severity: error\n    message: 消息\n");
  await page.locator("#pack-file").setInputFiles(bad);
  await page.waitForSelector("#pack-errors:not([hidden])");
  const errs = await page.locator("#pack-errors").innerText();
  assert(/broken\.yaml:4:\d+/.test(errs) && errs.includes("nonsense"), "error with line and column: " + errs);
  await page.screenshot({ path: path.join(shots, "rules.png") });
  // Switch A101 off for the session; the check no longer reports it.
  await page.getByLabel("启用 A101").uncheck();
  await page.getByRole("tab", { name: "核对" }).click();
  await page.getByRole("button", { name: "核对" }).click();
  await page.waitForFunction(() => document.querySelector("#status")?.innerText.includes("核对完成"));
  const texts = await page.locator("#findings li[data-id]").allInnerTexts();
  assert(texts.every((t) => !t.includes("A101")), "A101 switched off");
  await page.getByRole("tab", { name: "规则" }).click();
  await page.getByLabel("启用 A101").check();
  await page.getByRole("tab", { name: "核对" }).click();
});

step("draft: choose a template, break a figure, see the self-check, download .docx", async ({ page }) => {
  await page.getByRole("tab", { name: "起草报告" }).click();
  await page.waitForSelector("#draft-template option", { state: "attached" });
  await page.locator("#draft-template").selectOption("quarterly-brief");
  await page.waitForFunction(() => document.querySelector("#draft-status")?.innerText.includes("预览已更新"));
  const preview = await page.locator("#draft-preview").innerText();
  assert(preview.includes("示例市") && preview.includes("958.3亿元"), "preview of the example: " + preview.slice(0, 200));
  assert(await page.locator("#draft-preview mark.sev-error").count() === 0, "the example has no self-check error");
  const rows = await page.locator("#draft-table tbody tr").count();
  assert(rows >= 5, `indicator rows in the table (${rows})`);
  // The rank of 规上工业增加值: 第18位 among 17 市州 cannot be true.
  const pos = page.getByLabel("第1行 位次", { exact: true });
  assert((await pos.inputValue()) === "5", "row 1 rank is 5");
  await pos.fill("18");
  await page.waitForSelector("#draft-preview mark.sev-error", { timeout: 10000 });
  const mark = page.locator("#draft-preview mark.sev-error").first();
  assert((await mark.innerText()).includes("18"), "the wrong rank is highlighted: " + (await mark.innerText()));
  await mark.click();
  const sel = await page.locator('#draft-findings li[aria-selected="true"]').innerText();
  assert(sel.includes("错误"), "clicking the highlight selects the finding: " + sel);
  const summary = await page.locator("#draft-summary").innerText();
  assert(/错误 [1-9]/.test(summary), "summary counts the error: " + summary);
  await page.screenshot({ path: path.join(shots, "draft.png") });
  // Download the Word file: a non-empty zip.
  const [dl] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Word（.docx）" }).click(),
  ]);
  assert(dl.suggestedFilename().endsWith(".docx"), "docx name " + dl.suggestedFilename());
  const file = path.join(work, "draft.docx");
  await dl.saveAs(file);
  const bytes = readFileSync(file);
  assert(bytes.length > 1000 && bytes[0] === 0x50 && bytes[1] === 0x4b, `a zip (PK), ${bytes.length} bytes`);
  // Add and remove a row; the preview follows the table.
  await page.getByRole("button", { name: "添加一行" }).click();
  const added = await page.locator("#draft-table tbody tr").count();
  assert(added === rows + 1, "a row added");
  await page.getByLabel(`第${added}行 指标名称`, { exact: true }).fill("工业技改投资");
  await page.getByLabel(`第${added}行 增速（%）`, { exact: true }).fill("21.5");
  await page.waitForFunction(() => document.querySelector("#draft-text")?.textContent.includes("21.5"), null, { timeout: 10000 }).catch(() => {});
  await page.getByRole("button", { name: `删除第${added}行` }).click();
  assert(await page.locator("#draft-table tbody tr").count() === rows, "the row removed");
  // Broken document fields: a Chinese message, no crash.
  await pos.fill("5");
  await page.locator("#draft-fields").fill("{ 地区: ");
  const err = await page.locator("#draft-fields-err").innerText();
  assert(err.includes("不是有效的 JSON"), "fields error: " + err);
});

step("draft: a missing field is reported with its name", async ({ page }) => {
  await page.getByRole("button", { name: "恢复示例数据" }).click();
  await page.waitForFunction(() => document.querySelector("#draft-status")?.innerText.includes("预览已更新"));
  const fields = JSON.parse(await page.locator("#draft-fields").inputValue());
  delete fields.report.region;
  await page.locator("#draft-fields").fill(JSON.stringify(fields, null, 2));
  await page.waitForSelector("#draft-preview .render-error", { timeout: 10000 });
  const msg = await page.locator("#draft-preview .render-error").innerText();
  assert(msg.includes("region"), "the error names the field: " + msg);
  await page.getByRole("button", { name: "恢复示例数据" }).click();
  await page.waitForSelector("#draft-findings li");
});

step("draft: upload a YAML and a CSV data file", async ({ page }) => {
  // A YAML file naming its template: the template switches and the table fills.
  await page.locator("#draft-file").setInputFiles(path.join(root, "examples/render/shili-2025.yaml"));
  await page.waitForFunction(() => document.querySelector("#draft-template")?.value === "annual-review", null, { timeout: 10000 });
  await page.waitForFunction(() => document.querySelector("#draft-preview")?.innerText.includes("1286.4亿元"), null, { timeout: 10000 });
  const rows = await page.locator("#draft-table tbody tr").count();
  assert(rows >= 5, `rows from the file (${rows})`);
  // A CSV is edited as text.
  const csv = path.join(work, "示例县.csv");
  writeFileSync(csv, "# region: 示例市\n# year: 2025\n# period: 1-9月\n# date: 2025-10-20\nscope,name,value,unit,growth\n示例县,规模以上工业总产值,88.6,亿元,6.1\n");
  await page.locator("#draft-template").selectOption("quarterly-brief");
  await page.locator("#draft-file").setInputFiles(csv);
  await page.waitForSelector("#draft-raw-box:not([hidden])");
  await page.waitForFunction(() => document.querySelector("#draft-preview")?.innerText.includes("88.6亿元"), null, { timeout: 10000 });
  await page.getByRole("button", { name: "放弃此文件，改用表格编辑" }).click();
  assert(await page.locator("#draft-table-box").isVisible(), "back to the table");
  await page.getByRole("tab", { name: "核对" }).click();
});

async function main() {
  if (!existsSync(bin)) throw new Error(`no binary at ${bin}; run cargo build first`);
  if (!existsSync(browserPath)) throw new Error(`no Chromium at ${browserPath}`);
  const { child, url } = await startServer();
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  let failed = 0;
  try {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true, locale: "zh-CN" });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    // HTTP error answers are asserted by the steps (a broken pack gets a 422); any
    // other console error is a failure.
    page.on("console", (m) => {
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) consoleErrors.push(m.text());
    });
    await page.goto(url);
    for (const s of steps) {
      try {
        await s.fn({ page, url });
        console.log(`ok    ${s.name}`);
      } catch (e) {
        failed++;
        console.log(`FAIL  ${s.name}\n      ${e.message}`);
        await page.screenshot({ path: path.join(shots, `fail-${failed}.png`) }).catch(() => {});
      }
    }
    if (consoleErrors.length) {
      failed++;
      console.log("FAIL  the page logged errors:\n      " + consoleErrors.join("\n      "));
    }
    // High-DPI screen: the same page at device scale 2.
    const hi = await browser.newContext({ viewport: { width: 1366, height: 768 }, deviceScaleFactor: 2 });
    const p2 = await hi.newPage();
    await p2.goto(url);
    await p2.getByRole("button", { name: "载入示例" }).click();
    await p2.waitForSelector("#findings li[data-id]");
    await p2.screenshot({ path: path.join(shots, "check-hidpi.png") });
    console.log("ok    high-DPI screenshot");
  } finally {
    await browser.close();
    child.kill();
  }
  console.log(failed ? `${failed} step(s) failed` : `all ${steps.length} steps passed; screenshots in ${shots}`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
