// Shared pieces of the end-to-end tests: a static server for www/ on a free 127.0.0.1 port, headless
// Chromium (the system one, never a downloaded build), the ltv-lens CLI whose --json output the page must
// match, and readers for the data-kpi / data-value attributes the page puts on every Report value it shows.
// data-kpi is the value's path in the Report, so the tests look each shown value up in the CLI's Report
// instead of restating the Report's fields here.
import assert from "node:assert/strict";
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
// LTV_LENS_CLI points the tests at another build of the CLI (e.g. one in a separate CARGO_TARGET_DIR).
const CLI = process.env.LTV_LENS_CLI ?? path.join(ROOT, "target/release/ltv-lens");

for (const [file, build] of [
  [CLI, "cargo build --release -p ltv-lens-cli"],
  [path.join(WWW, "pkg/ltv_lens.js"), "make www"],
  [path.join(WWW, "pkg/vendor/echarts.js"), "make www"],
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
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
};

/**
 * Serves www/ (or another copy of the page, `www`) on 127.0.0.1 at a free port, with the headers of its
 * _headers file on every response as `make serve` (tools/serve.py) and hosts that read the file send them.
 * Resolves with {origin, url, close()}.
 */
export async function startServer(www = WWW) {
  // www/_headers, in the Netlify / Cloudflare Pages format: a path pattern at the start of a line ("*" matches
  // anything, ":name" one segment), then indented "Name: value" lines; "#" starts a comment.
  const rules = [];
  for (const line of (await readFile(path.join(www, "_headers"), "utf8")).split(/\r?\n/)) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      const pattern = line
        .trim()
        .split(/(\*|:[A-Za-z_]\w*)/)
        .map((part) => (part === "*" ? ".*" : part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("");
      rules.push({ pattern: new RegExp(`^${pattern}$`), headers: [] });
      continue;
    }
    const colon = line.indexOf(":");
    if (rules.length === 0 || colon < 0 || line.slice(0, colon).trim() === "") {
      throw new Error(`www/_headers: expected a path, or "Name: value" under one: ${JSON.stringify(line)}`);
    }
    rules.at(-1).headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const headersFor = (pathname) => rules.filter(({ pattern }) => pattern.test(pathname)).flatMap(({ headers }) => headers);

  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url, "http://127.0.0.1");
    for (const [name, value] of headersFor(pathname)) response.setHeader(name, value);
    const relative = decodeURIComponent(pathname).replace(/\/$/, "/index.html");
    const file = path.join(www, path.normalize(relative));
    if (!file.startsWith(www + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    if (path.basename(file) === "_headers") {
      response.writeHead(404).end(); // it configures the server and is not published, as on the hosts that read it
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
 * Opens the page in a new context with `locale` and `viewport`. Every request of the context (page,
 * worker and service worker) is recorded in `requests`, those of the page and its worker alone (not the
 * service worker's, which fetches every file of the page at install) in `pageRequests`, and console
 * errors, page errors and CSP violations in `problems`.
 */
export async function openPage(browser, server, { locale = "en-US", viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ locale, viewport, deviceScaleFactor: 1 });
  const requests = [];
  const pageRequests = [];
  const problems = [];
  context.on("request", (request) => {
    requests.push(request.url());
    if (!request.serviceWorker()) pageRequests.push(request.url());
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(server.url);
  await page.waitForSelector('ltv-lens[data-state="idle"]'); // the element has started
  return { context, page, requests, pageRequests, problems };
}

/** Runs the ltv-lens CLI and returns its standard output. */
export function cli(...args) {
  return execFileSync(CLI, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

/** Runs the ltv-lens CLI and returns its standard output as bytes (a Buffer). */
export function cliBytes(...args) {
  return execFileSync(CLI, args, { maxBuffer: 256 * 1024 * 1024 });
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

/** Writes a subscription export (`ltv-lens sample --subscriptions`) into target/e2e/ and returns its path. */
export function subscriptionFile(customers = 400, seed = 3) {
  const file = path.join(OUT, `subscriptions-${customers}-${seed}.csv`);
  cli("sample", "--subscriptions", "--customers", String(customers), "--seed", String(seed), "-o", file);
  return file;
}

/** The value at `path` in `report`: "kpis.f2.rate", "rfm.rf_grid.4.0.customers", "lapse.days_since_last_over.30". */
export function valueAt(report, path) {
  return path.split(".").reduce((value, key) => (value == null ? undefined : value[key]), report);
}

/** The Report's value for every path in `shown` (what shownRawValues() read): compare the two with deepEqual. */
export function reportValues(report, shown) {
  return Object.fromEntries(Object.keys(shown).map((path) => [path, valueAt(report, path)]));
}

/** Every leaf path under `prefix` in `report` ("rfm" → "rfm.r_counts.0", …, "rfm.segments.8.revenue"). */
export function leafPaths(report, prefix) {
  const walk = (value, path) =>
    value !== null && typeof value === "object" ? Object.entries(value).flatMap(([key, inner]) => walk(inner, `${path}.${key}`)) : [path];
  return walk(valueAt(report, prefix), prefix);
}

/** What the overview promises to show: every KPI, the funnel and the counts of the file summary. */
/** Values under `models` the predicted-value view does not mark with data-kpi (a path or a prefix), and why. */
export const MODELS_NOT_SHOWN = [
  "models.holdout.note", // null when the check could be made; shown when it is not (predicted.test.mjs)
  "models.notes", // each note is shown as one sentence; its data-kpi models.notes.N holds the whole {code, args, message}
  "models.horizon_days", // the echo of the horizon used: shown as models.totals.horizon_days and in the form
  "models.margin", // the echo of the margin used: in the form, as the percentage typed
  "models.annual_discount_rate", // the echo of the discount rate used: in the form, as the percentage typed
  // Per candidate: the standard errors are for analysts reading the JSON; the holdout's predicted and
  // actual counts are the detailed check's (shown for the chosen model); a note is null for a fitted
  // model and shown in place of its BIC when it is not (models.test.mjs).
  ...[0, 1, 2].flatMap((i) => [`models.candidates.${i}.se`, `models.candidates.${i}.holdout.predicted`, `models.candidates.${i}.holdout.actual`, `models.candidates.${i}.note`]),
];

/** Whether `path` is `prefix` or under it. */
export function isUnder(path, prefix) {
  return path === prefix || path.startsWith(`${prefix}.`);
}

export const OVERVIEW = [
  "kpis", "funnel", "input.format", "input.encoding", "input.rows", "input.orders_seen", "input.excluded_orders",
  "input.orders_without_customer", "input.skipped_rows",
];

/**
 * Asserts that the page shows exactly the CLI's value wherever it shows a Report value (the models' fits
 * and predictions included: the core computes them with the same elementary functions natively and in
 * wasm, so they agree to the last bit), and that it shows every value under each of `sections` (Report
 * paths such as "kpis", "rfm", "lapse").
 */
export function assertShowsReport(shown, report, sections = [], message = "") {
  const expected = reportValues(report, shown);
  assert.deepEqual(shown, expected, message);
  const missing = sections.flatMap((section) => leafPaths(report, section)).filter((path) => !(path in shown));
  assert.deepEqual(missing, [], `${message} values the page does not show`);
}

/** {path: {value, text}} for every element with data-kpi on the page (value parsed from data-value). */
export function shownValues(page) {
  return page.$$eval("[data-kpi]", (nodes) =>
    Object.fromEntries(nodes.map((node) => [node.dataset.kpi, { value: JSON.parse(node.dataset.value), text: node.textContent }])),
  );
}

/** {path: raw value} for every element with data-kpi on the page. */
export async function shownRawValues(page) {
  const shown = await shownValues(page);
  return Object.fromEntries(Object.entries(shown).map(([name, { value }]) => [name, value]));
}

/**
 * Waits until the page has finished an analysis: <ltv-lens data-state> is "ready", "error" or "columns" (the
 * Columns screen opened for a file whose columns were not recognised); returns which.
 */
export async function settled(page) {
  await page.waitForSelector('ltv-lens[data-state="ready"], ltv-lens[data-state="error"], ltv-lens[data-state="columns"]');
  return page.evaluate(() => document.querySelector("ltv-lens").dataset.state);
}

/** Chooses `file` through the file input (as the file button does) and waits for the result or error. */
export async function analyze(page, file) {
  await page.setInputFiles("#file-input", file);
  return settled(page);
}

/**
 * Clicks the tab of view `id`, waits until its panel shows and every chart in it has finished drawing
 * (`data-drawn`, set by js/charts/common.js when ECharts reports the drawing finished).
 */
export async function openView(page, id) {
  await page.click(`#tab-${id}`);
  await page.waitForSelector(`#panel-${id}:not([hidden])`);
  await page.waitForFunction(
    (panel) => [...document.querySelector("ltv-lens").shadowRoot.querySelectorAll(`#panel-${panel} [_echarts_instance_]`)].every((el) => el.dataset.drawn === "true"),
    id,
  );
}

/**
 * Makes the pages of `context` hold back the worker's "section" message for the models, and every message
 * after it, until `window.releaseModels()` is called (in order); the "fitting" messages before it pass and
 * are recorded in `window.fittingSteps` as [done, total]. Takes effect on the next load of a page.
 */
export function holdModelsSection(context) {
  return context.addInitScript(() => {
    let release;
    const held = new Promise((resolve) => (release = resolve));
    window.releaseModels = () => release();
    window.fittingSteps = [];
    window.Worker = class extends Worker {
      set onmessage(handler) {
        let gate = null;
        super.onmessage =
          handler &&
          ((event) => {
            if (event.data?.type === "fitting") window.fittingSteps.push([event.data.done, event.data.total]);
            if (event.data?.type === "section" && event.data.name === "models") gate = held;
            return gate ? gate.then(() => handler(event)) : handler(event);
          });
      }
      get onmessage() {
        return super.onmessage;
      }
    };
  });
}

/** The requests in `requests` that went anywhere but `origin`. */
export function foreignRequests(requests, origin) {
  return requests.filter((url) => new URL(url).origin !== origin);
}
