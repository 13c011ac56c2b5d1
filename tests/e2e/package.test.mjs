// The npm package as a vendor gets it: `npm pack` of pkg/, installed from the tarball into a scratch
// project (target/e2e/consumer/), a TypeScript consumer type-checked against the package's declarations
// (`tsc --noEmit`), bundled with Vite (no configuration), and run in headless Chromium: the Report from
// analyze() equals the CLI's JSON for the same file, and the bundled <ltv-lens> element analyses a file.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { OUT, ROOT, WWW, cliReport, launchBrowser, sampleFile, startServer } from "./helpers.mjs";

const SCRATCH = path.join(OUT, "consumer");
const APP = path.join(SCRATCH, "app");
const BIN = path.join(ROOT, "node_modules/.bin");

// The consumer: the API with its types, and the element.
const MAIN_TS = `
import { analyze, AnalysisError, SCHEMA_VERSION, type Analysis, type Report, type CustomerRow } from "ltv-lens";
import "ltv-lens/element";

declare global {
  interface Window {
    result?: { report: Report; rows: number; csvBytes: number; version: number } | { error: string };
  }
}

async function run(): Promise<void> {
  const progress: number[] = [];
  const analysis: Analysis = await analyze(await fetch("orders.csv"), {}, { onProgress: ({ read }) => progress.push(read) });
  const rows: CustomerRow[] = await analysis.customers({ segment: "champions" });
  const csv: Uint8Array = await analysis.customersCsv({}, "shift_jis", "ja");
  window.result = { report: analysis.report, rows: rows.length, csvBytes: csv.length, version: SCHEMA_VERSION };
  analysis.close();
}

run().catch((error: unknown) => {
  window.result = { error: error instanceof AnalysisError ? \`\${error.code}: \${error.message}\` : String(error) };
});

const lens = document.querySelector("ltv-lens");
lens?.addEventListener("ltv-lens:report", (event) => {
  const orders: number = event.detail.kpis.orders;
  document.title = \`orders: \${orders}\`;
});
`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>consumer</title><script type="module" src="/src/main.ts"></script></head>
<body><ltv-lens lang="en"></ltv-lens></body>
</html>
`;

const TSCONFIG = {
  compilerOptions: {
    target: "es2022",
    module: "esnext",
    moduleResolution: "bundler",
    lib: ["es2023", "dom", "dom.iterable"],
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: [],
  },
  include: ["src"],
};

/** Runs a command; a failure throws with what it printed. */
function run(command, args, options = {}) {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: "pipe", ...options });
  } catch (error) {
    throw new Error(`${path.basename(command)} ${args.join(" ")} failed:\n${error.stdout}${error.stderr}`);
  }
}

let file;
let server;
let browser;

before(() => {
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(path.join(APP, "src"), { recursive: true });
  mkdirSync(path.join(APP, "public"), { recursive: true });
  run("npm", ["pack", "--pack-destination", SCRATCH, "--silent"], { cwd: path.join(ROOT, "pkg") });
  const [tarball] = readdirSync(SCRATCH).filter((name) => name.endsWith(".tgz"));
  writeFileSync(path.join(APP, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
  run("npm", ["install", path.join(SCRATCH, tarball), "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock"], { cwd: APP });
  writeFileSync(path.join(APP, "src/main.ts"), MAIN_TS);
  writeFileSync(path.join(APP, "index.html"), INDEX_HTML);
  writeFileSync(path.join(APP, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
  file = sampleFile(300, 41);
  copyFileSync(file, path.join(APP, "public/orders.csv"));
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("the packed package holds the API, the element, the worker, the wasm, the declarations and the licences", () => {
  const listing = execFileSync("tar", ["-tzf", path.join(SCRATCH, readdirSync(SCRATCH).find((name) => name.endsWith(".tgz")))], { encoding: "utf8" });
  for (const name of ["package.json", "index.js", "index.d.ts", "element.js", "element.d.ts", "worker.js", "protocol.js", "ltv_lens.js", "ltv_lens_bg.wasm", "report.d.ts", "style.css", "vendor/echarts.js", "README.md", "LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.ok(listing.includes(`package/${name}\n`), name);
  }
});

test("a TypeScript consumer type-checks against the package's declarations", () => {
  run(path.join(BIN, "tsc"), ["-p", APP]);
  // A misuse is caught (the checker is not just accepting everything).
  writeFileSync(path.join(APP, "src/misuse.ts"), `import { analyze } from "ltv-lens";\nanalyze("not a source", { f2WindowDays: "ninety" });\n`);
  assert.throws(() => run(path.join(BIN, "tsc"), ["-p", APP]), /TS2345|TS2322/);
  rmSync(path.join(APP, "src/misuse.ts"));
});

test("bundled by Vite with no configuration, it runs in Chromium and gives the CLI's Report", async () => {
  run(path.join(BIN, "vite"), ["build", "--logLevel", "error"], { cwd: APP });
  const dist = path.join(APP, "dist");
  copyFileSync(path.join(WWW, "_headers"), path.join(dist, "_headers")); // the page's strict policy
  server = await startServer(dist);
  browser = await launchBrowser();
  const page = await browser.newPage();
  const problems = [];
  // The browser's own request for /favicon.ico is not the consumer's: every other failure is a problem.
  page.on("response", (response) => response.status() >= 400 && new URL(response.url()).pathname !== "/favicon.ico" && problems.push(`${response.status()} ${response.url()}`));
  page.on("console", (message) => message.type() === "error" && !message.text().startsWith("Failed to load resource") && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(server.url);
  await page.waitForFunction(() => window.result !== undefined);
  const result = await page.evaluate(() => window.result);
  assert.equal(result.error, undefined, result.error);
  const report = cliReport(file);
  assert.deepEqual(result.report, report);
  assert.equal(result.version, report.schema_version);
  assert.equal(result.rows, report.rfm.segments.find((segment) => segment.key === "champions").customers);
  assert.ok(result.csvBytes > 0);

  // The element from the bundle: its styles, worker, wasm and charts all found by the bundler.
  await page.waitForSelector('ltv-lens[data-state="idle"]');
  await page.setInputFiles("ltv-lens #file-input", file);
  await page.waitForSelector('ltv-lens[data-state="ready"]');
  const customers = await page.$eval('ltv-lens [data-kpi="kpis.customers"]', (node) => JSON.parse(node.dataset.value));
  assert.equal(customers, report.kpis.customers);
  assert.equal(await page.title(), `orders: ${report.kpis.orders}`);
  const accent = await page.$eval("ltv-lens #choose-file", (node) => getComputedStyle(node).backgroundColor);
  assert.equal(accent, "rgb(36, 83, 201)", "the element's stylesheet is loaded");
  assert.deepEqual(problems, []);
});
