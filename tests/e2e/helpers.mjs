// Shared pieces of the end-to-end tests: a static server for www/ on a free 127.0.0.1 port, headless
// Chromium (the system one, never a downloaded build), the ltv-lens CLI whose --json output the page must
// match, and readers for the data-kpi / data-value attributes the page puts on every value it shows.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const WWW = path.join(ROOT, "www");
export const OUT = path.join(ROOT, "target/e2e");
const CLI = path.join(ROOT, "target/release/ltv-lens");

for (const [file, build] of [
  [CLI, "cargo build --release --bin ltv-lens"],
  [path.join(WWW, "pkg/ltv_lens.js"), "make www"],
  [path.join(WWW, "vendor/echarts.esm.min.js"), "make www"],
  [path.join(WWW, "sample/sample-orders.csv"), "make www"],
]) {
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run \`${build}\` first`);
}
mkdirSync(OUT, { recursive: true });

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Serves www/ on 127.0.0.1 at a free port. Resolves with {origin, url, close()}. */
export async function startServer() {
  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url, "http://127.0.0.1");
    const relative = decodeURIComponent(pathname).replace(/\/$/, "/index.html");
    const file = path.join(WWW, path.normalize(relative));
    if (!file.startsWith(WWW + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const type = CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream";
      response.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: `${origin}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/**
 * Starts the static server and the browser before a test file's tests and stops them after. The
 * returned object's `server` and `browser` are set once the file's `before` hooks have run.
 */
export function pageSession() {
  const session = { server: null, browser: null };
  before(async () => {
    session.server = await startServer();
    session.browser = await launchBrowser();
  });
  after(async () => {
    await session.browser?.close();
    await session.server?.close();
  });
  return session;
}

/** Launches the system's headless Chromium. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

/**
 * Opens the page in a new context with `locale` and `viewport`. Every request of the context (page and
 * worker) is recorded in `requests`, and console errors, page errors and CSP violations in `problems`.
 */
export async function openPage(browser, server, { locale = "en-US", viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ locale, viewport, deviceScaleFactor: 1 });
  const requests = [];
  const problems = [];
  context.on("request", (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(server.url);
  await page.waitForSelector('body[data-state="idle"]'); // main.js has run
  return { context, page, requests, problems };
}

/** Runs the ltv-lens CLI and returns its standard output. */
export function cli(...args) {
  return execFileSync(CLI, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

/** The CLI's Report for `file` (extra CLI options such as "--f2-window", "90" may follow). */
export function cliReport(file, ...options) {
  return JSON.parse(cli("analyze", file, "--json", ...options));
}

/** The CLI's error sentence for an unusable `file` (its "error: …" line without the prefix). */
export function cliError(file) {
  const run = spawnSync(CLI, ["analyze", file, "--json"], { encoding: "utf8" });
  if (run.status !== 1) throw new Error(`expected ltv-lens to reject ${file}, got status ${run.status}`);
  return run.stderr.trim().replace(/^error: /, "");
}

/** Writes a sample export with the CLI into target/e2e/ and returns its path. */
export function sampleFile(customers, seed) {
  const file = path.join(OUT, `sample-${customers}-${seed}.csv`);
  cli("sample", "--customers", String(customers), "--seed", String(seed), "-o", file);
  return file;
}

/**
 * What the page must show for `report`, keyed by data-kpi: every KPI, the F2 numbers for the report's
 * window, the days-to-second quantiles, the funnel and the input counts.
 */
export function expectedValues(report) {
  const { kpis, input } = report;
  const values = {
    customers: kpis.customers,
    orders: kpis.orders,
    revenue: kpis.revenue,
    aov: kpis.aov,
    orders_per_customer: kpis.orders_per_customer,
    repeat_rate: kpis.repeat_rate,
    f2_rate: kpis.f2.rate,
    f2_eligible: kpis.f2.eligible,
    f2_converted: kpis.f2.converted,
    f2_window_days: kpis.f2.window_days,
    days_to_second_median: kpis.days_to_second.median,
    days_to_second_p25: kpis.days_to_second.p25,
    days_to_second_p75: kpis.days_to_second.p75,
    days_to_second_count: kpis.days_to_second.count,
    input_format: input.format,
    input_encoding: input.encoding,
    input_rows: input.rows,
    input_orders_seen: input.orders_seen,
    input_excluded_orders: input.excluded_orders,
    input_orders_without_customer: input.orders_without_customer,
    input_skipped_rows: input.skipped_rows,
  };
  for (const stage of report.funnel) {
    values[`funnel_${stage.stage}_customers`] = stage.customers;
    values[`funnel_${stage.stage}_next_rate`] = stage.next_rate;
  }
  return values;
}

/** {name: {value, text}} for every element with data-kpi on the page (value parsed from data-value). */
export function shownValues(page) {
  return page.$$eval("[data-kpi]", (nodes) =>
    Object.fromEntries(nodes.map((node) => [node.dataset.kpi, { value: JSON.parse(node.dataset.value), text: node.textContent }])),
  );
}

/** The raw values only, as expectedValues() has them. */
export async function shownRawValues(page) {
  const shown = await shownValues(page);
  return Object.fromEntries(Object.entries(shown).map(([name, { value }]) => [name, value]));
}

/** Waits until the page has finished an analysis: <body data-state> is "ready" or "error"; returns which. */
export async function settled(page) {
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]');
  return page.evaluate(() => document.body.dataset.state);
}

/** Chooses `file` through the file input (as the file button does) and waits for the result or error. */
export async function analyze(page, file) {
  await page.setInputFiles("#file-input", file);
  return settled(page);
}

/** The requests in `requests` that went anywhere but `origin`. */
export function foreignRequests(requests, origin) {
  return requests.filter((url) => new URL(url).origin !== origin);
}
