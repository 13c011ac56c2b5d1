// Offline: after the first visit the service worker (www/sw.js) has stored the page's files, and with the
// network off a reload still opens the page and analyses files with the same results; a fresh analysis
// worker after a bad file comes from the cache too. The Cache Storage holds exactly the build's precache
// list (www/precache.js), never a user's file or a Report; a new build takes over on the next load and
// the old build's cache is deleted. Playwright's setOffline does not reach the service worker's own
// requests (microsoft/playwright#2311), so "offline" here is setOffline and the page's server shut down.
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import vm from "node:vm";
import { precache, writePrecache } from "../../tools/precache.mjs";
import {
  OUT,
  OVERVIEW,
  WWW,
  analyze,
  assertShowsReport,
  cliReport,
  launchBrowser,
  openPage,
  sampleFile,
  settled,
  shownRawValues,
  startServer,
} from "./helpers.mjs";

// A 1×1 PNG image: not an order export.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** The precache.js a build wrote into `www`: {version, urls}. */
function builtPrecache(www) {
  const sandbox = { self: {} };
  vm.runInNewContext(readFileSync(path.join(www, "precache.js"), "utf8"), sandbox);
  return structuredClone(sandbox.self.PRECACHE); // copied out of the sandbox's realm, for deepEqual
}

/** Resolves once a service worker controls `page`. */
function controlled(page) {
  return page.evaluate(async () => {
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
  });
}

/**
 * Resolves once the newest service worker of the page's registration is activated (the caches of older
 * builds deleted) and controls the page. update() waits for the check of sw.js that a load starts (or
 * starts one), so the newest worker exists by then: installing, waiting or already active.
 */
function takenOver(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    await registration.update();
    const newest = registration.installing ?? registration.waiting ?? registration.active;
    if (newest.state !== "activated") {
      await new Promise((resolve) =>
        newest.addEventListener("statechange", () => newest.state === "activated" && resolve()),
      );
    }
    if (navigator.serviceWorker.controller !== newest) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
  });
}

/** Every cache of the page's origin and the URLs stored in it: {name: [url, …]}, URLs sorted. */
function cacheContents(page) {
  return page.evaluate(async () => {
    const contents = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      contents[name] = (await cache.keys()).map((request) => request.url).sort();
    }
    return contents;
  });
}

/** What the Cache Storage must hold for the build `list` served at `origin`: its one cache, its files. */
function expectedCaches(origin, list) {
  const urls = list.urls.map((url) => new URL(url, `${origin}/`).href).sort();
  return { [`ltv-lens ${origin}/ ${list.version}`]: urls };
}

let browser = null;
let good = null;
before(async () => {
  browser = await launchBrowser();
  good = sampleFile(120, 5);
});
after(async () => {
  await browser?.close();
});

test("the precache list is every file of www/ a host serves, except the service worker's own", () => {
  const list = builtPrecache(WWW);
  assert.deepEqual(list, precache(WWW), "www/precache.js is out of date: run `make www`");
  for (const url of [
    "./",
    "page.js",
    "page.css",
    "offline.js",
    "pkg/element.js",
    "pkg/worker.js",
    "pkg/style.css",
    "pkg/ltv_lens.js",
    "pkg/ltv_lens_bg.wasm",
    "pkg/vendor/echarts.js",
    "sample/sample-orders.csv",
    "manifest.webmanifest",
    "favicon.svg",
    "icon-192.png",
    "icon-512.png",
  ]) {
    assert.ok(list.urls.includes(url), url);
  }
  for (const url of ["index.html", "_headers", "sw.js", "precache.js"]) assert.ok(!list.urls.includes(url), url);
  assert.match(list.version, /^[0-9a-f]{16}$/);
});

test("after the first visit the page opens and analyses files with the network off", async (t) => {
  const bad = path.join(OUT, "offline-not-orders.png");
  writeFileSync(bad, PNG);
  const server = await startServer();
  t.after(server.close);
  const { context, page, problems } = await openPage(browser, server);
  await controlled(page);
  await page.click("#try-sample");
  assert.equal(await settled(page), "ready");
  const online = await shownRawValues(page);
  assertShowsReport(online, cliReport(path.join(WWW, "sample", "sample-orders.csv")), OVERVIEW);

  await context.setOffline(true);
  await server.close();
  // From here every response the page and its workers get must come from the service worker.
  const fromNetwork = [];
  context.on("response", (response) => {
    if (!response.fromServiceWorker()) fromNetwork.push(response.url());
  });
  await page.reload();
  await page.waitForSelector('ltv-lens[data-state="idle"]');
  assert.equal(await page.evaluate(() => navigator.onLine), false);

  await page.click("#try-sample");
  assert.equal(await settled(page), "ready");
  assert.deepEqual(await shownRawValues(page), online, "the sample's results offline are the results online");

  // A bad file ends its worker; the next file is analysed by a fresh one, started from the cached worker.js.
  assert.equal(await analyze(page, bad), "error");
  assert.equal(await analyze(page, good), "ready");
  assertShowsReport(await shownRawValues(page), cliReport(good), OVERVIEW);
  assert.ok(
    page.workers().some((worker) => new URL(worker.url()).pathname === "/pkg/worker.js"),
    "the analysis worker runs",
  );
  assert.deepEqual(fromNetwork, []);

  // Only the build's files are stored: neither the files analysed nor anything made from them.
  assert.deepEqual(await cacheContents(page), expectedCaches(server.origin, builtPrecache(WWW)));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a new build takes over on the next load and the old build's cache is deleted", async (t) => {
  // A copy of the page, so that this test can change a file and rebuild its precache list.
  const www = path.join(OUT, "offline-www");
  rmSync(www, { recursive: true, force: true });
  cpSync(WWW, www, { recursive: true });
  const server = await startServer(www);
  t.after(server.close);
  const { context, page, problems } = await openPage(browser, server);
  await controlled(page);
  const first = builtPrecache(www);
  assert.deepEqual(await cacheContents(page), expectedCaches(server.origin, first));

  writeFileSync(path.join(www, "page.css"), `${readFileSync(path.join(www, "page.css"), "utf8")}\n.rebuilt {}\n`);
  const second = writePrecache(www);
  assert.notEqual(second.version, first.version);
  // The reload checks sw.js against the server and finds a new precache.js: the new build's worker installs
  // and takes control of the page.
  await page.reload();
  await page.waitForSelector('ltv-lens[data-state="idle"]');
  await takenOver(page);
  assert.deepEqual(await cacheContents(page), expectedCaches(server.origin, second));
  assert.match(await page.evaluate(() => fetch("page.css").then((response) => response.text())), /\.rebuilt \{\}/);
  assert.deepEqual(problems, []);
  await context.close();
});
