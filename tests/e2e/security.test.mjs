// The privacy promise holds in the module worker too, which holds the file's bytes: a worker takes its
// Content-Security-Policy from its own response headers, not from the page's meta tag, so the headers of
// www/_headers must be sent. Checked against both servers that send them: the tests' own (helpers.mjs
// startServer) and `make serve`'s (tools/serve.py). Inside the running worker a request to another
// origin must be refused by the policy and never reach that origin, and eval must throw. The headers
// also keep the page out of other sites' frames and turn off device features it never uses.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, WWW, openPage, pageSession, settled } from "./helpers.mjs";

const session = pageSession();

/** The page's own policy: the meta tag in index.html. */
const META_POLICY = (() => {
  const html = readFileSync(path.join(WWW, "index.html"), "utf8");
  const tag = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i);
  assert.ok(tag, "index.html has no Content-Security-Policy meta tag");
  return tag[1];
})();

/**
 * The policy the headers send: the meta tag's, and `frame-ancestors 'none'` (no site may frame the page),
 * a directive a policy in a meta tag cannot carry (browsers ignore it there). Nothing else may differ.
 */
const HEADER_POLICY = `${META_POLICY}; frame-ancestors 'none'`;

/** Device features the page never uses, which Permissions-Policy must turn off (at least these). */
const DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "midi", "display-capture"];

const EXPECTED_HEADERS = {
  "content-security-policy": HEADER_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "x-frame-options": "DENY",
};

/**
 * Paths of the page, the worker, the module the worker imports, the wasm, the service worker and the list
 * it imports, and the manifest, with their content types.
 */
const FILES = {
  "/": "text/html",
  "/pkg/worker.js": "text/javascript",
  "/sw.js": "text/javascript",
  "/precache.js": "text/javascript",
  "/manifest.webmanifest": "application/manifest+json",
  "/pkg/ltv_lens.js": "text/javascript",
  "/pkg/ltv_lens_bg.wasm": "application/wasm",
};

/** Starts `python3 tools/serve.py` on a free port; resolves with {name, origin, url, close()}. */
function startPythonServer() {
  const child = spawn("python3", [path.join(ROOT, "tools/serve.py"), "--bind", "127.0.0.1", "--port", "0", "--directory", WWW], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = ""; // drained (the server logs every request there), the end kept for error messages
  child.stderr.on("data", (data) => {
    stderr = (stderr + data).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    exited.then((code) => reject(new Error(`tools/serve.py exited with ${code}: ${stderr}`)));
    let stdout = "";
    child.stdout.on("data", (data) => {
      stdout += data;
      const url = stdout.match(/(http:\/\/127\.0\.0\.1:\d+\/)\n/)?.[1];
      if (!url) return;
      resolve({
        name: "tools/serve.py",
        origin: new URL(url).origin,
        url,
        close: async () => {
          child.kill();
          await exited;
        },
      });
    });
  });
}

/** A server on another origin (another port) that counts every connection made to it. */
async function startForeignServer() {
  const foreign = { connections: 0, requests: [] };
  const server = createServer((request, response) => {
    foreign.requests.push(request.url);
    // /frame?src=URL: a page of this origin that shows URL in a frame.
    const { pathname, searchParams } = new URL(request.url, "http://127.0.0.1");
    if (pathname === "/frame") {
      const src = searchParams.get("src").replace(/[^\w:/.-]/g, "");
      response.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><iframe src="${src}"></iframe>`);
      return;
    }
    response.writeHead(200, { "access-control-allow-origin": "*", "content-type": "text/javascript" }).end("export default 1;");
  });
  server.on("connection", () => foreign.connections++);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  foreign.origin = `http://127.0.0.1:${server.address().port}`;
  foreign.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    });
  return foreign;
}

let python = null;
let foreign = null;
before(async () => {
  python = await startPythonServer();
  foreign = await startForeignServer();
});
after(async () => {
  await python?.close();
  await foreign?.close();
});

/** Both servers, once the `before` hooks have run. */
const servers = () => [{ ...session.server, name: "helpers.mjs startServer" }, python];

test("the policy of the meta tag lets the wasm compile and nothing leave the origin", () => {
  const directives = Object.fromEntries(
    META_POLICY.split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name, sources]),
  );
  assert.deepEqual(directives["connect-src"], ["'self'"]);
  assert.deepEqual(directives["default-src"], ["'self'"]);
  assert.deepEqual(directives["script-src"], ["'self'", "'wasm-unsafe-eval'"]);
  assert.ok(!META_POLICY.includes("'unsafe-eval'"), META_POLICY);
  assert.ok(!META_POLICY.includes("frame-ancestors"), "ignored in a meta tag: it belongs in the header only");
});

test("every response carries the headers of www/_headers, with the right content types", async () => {
  for (const server of servers()) {
    for (const [file, type] of Object.entries(FILES)) {
      const response = await fetch(new URL(file, server.url));
      assert.equal(response.status, 200, `${server.name} ${file}`);
      await response.arrayBuffer();
      const headers = Object.fromEntries(Object.keys(EXPECTED_HEADERS).map((name) => [name, response.headers.get(name)]));
      assert.deepEqual(headers, EXPECTED_HEADERS, `${server.name} ${file}`);
      assert.equal(response.headers.get("content-type").split(";")[0], type, `${server.name} ${file}`);
      const permissions = response.headers.get("permissions-policy") ?? "";
      const allowed = Object.fromEntries(permissions.split(",").map((entry) => entry.trim().split("=")));
      for (const feature of DENIED_FEATURES) assert.equal(allowed[feature], "()", `${server.name} ${file}: ${feature}`);
      assert.deepEqual(
        Object.entries(allowed).filter(([, allowlist]) => allowlist !== "()"),
        [],
        `${server.name} ${file}: Permissions-Policy only turns features off`,
      );
    }
    // Errors too; and _headers itself is not published (as on the hosts that read it).
    for (const file of ["/_headers", "/no-such-file.js"]) {
      const response = await fetch(new URL(file, server.url));
      await response.arrayBuffer();
      assert.equal(response.status, 404, `${server.name} ${file}`);
      assert.equal(response.headers.get("content-security-policy"), HEADER_POLICY, `${server.name} ${file}`);
    }
  }
});

test("inside the running worker, other origins are refused by the policy and eval throws", async () => {
  for (const server of servers()) {
    const { context, page } = await openPage(session.browser, server);
    // The worker runs under its policy: the wasm compiles and the sample is analysed.
    await page.click("#try-sample");
    assert.equal(await settled(page), "ready", server.name);
    const worker = page.workers().find((w) => new URL(w.url()).pathname === "/pkg/worker.js");
    assert.ok(worker, `${server.name}: no worker.js among ${page.workers().map((w) => w.url())}`);

    const before = foreign.connections;
    const result = await worker.evaluate(async (origin) => {
      const violations = [];
      // Violation events are dispatched as tasks of their own: wait until all three refusals are reported
      // (one that is never reported fails the test at the suite's deadline, `--test-timeout` in the Makefile).
      let reported;
      const allReported = new Promise((resolve) => (reported = resolve));
      self.addEventListener("securitypolicyviolation", (e) => {
        violations.push(`${e.effectiveDirective} ${e.blockedURI}`);
        const expected = [`connect-src ${origin}/fetch`, `script-src-elem ${origin}/import.js`, "script-src eval"];
        if (expected.every((v) => violations.includes(v))) reported();
      });
      const outcome = (promise) =>
        promise.then(
          () => "succeeded",
          (error) => error.name,
        );
      const fetched = await outcome(fetch(`${origin}/fetch`, { mode: "no-cors" }));
      const imported = await outcome(import(`${origin}/import.js`));
      // Code run by the DevTools protocol (this function) is exempt from the policy's eval check, so the
      // strings are evaluated from a timer task of the worker's own.
      const evaluated = await new Promise((resolve) =>
        setTimeout(() => {
          const tried = (run) => {
            try {
              run();
              return "succeeded";
            } catch (error) {
              return error.name;
            }
          };
          resolve({ eval: tried(() => self.eval("1")), function: tried(() => new Function("return 1")()) });
        }, 0),
      );
      await allReported;
      return { fetched, imported, evaluated, violations };
    }, foreign.origin);

    assert.equal(result.fetched, "TypeError", `${server.name}: fetch to another origin`);
    assert.equal(result.imported, "TypeError", `${server.name}: import from another origin`);
    assert.deepEqual(result.evaluated, { eval: "EvalError", function: "EvalError" }, server.name);
    assert.ok(result.violations.includes(`connect-src ${foreign.origin}/fetch`), `${server.name}: ${result.violations}`);
    assert.ok(result.violations.includes(`script-src-elem ${foreign.origin}/import.js`), `${server.name}: ${result.violations}`);
    assert.ok(result.violations.includes("script-src eval"), `${server.name}: ${result.violations}`);
    assert.equal(foreign.connections, before, `${server.name}: the other origin was reached: ${foreign.requests}`);
    await context.close();
  }
});

test("another site cannot show the page in a frame", async () => {
  for (const server of servers()) {
    const context = await session.browser.newContext();
    const page = await context.newPage();
    // goto resolves after the load event, which waits for the frame to load or be refused.
    await page.goto(`${foreign.origin}/frame?src=${encodeURIComponent(server.url)}`);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(frame, server.name);
    assert.equal(await frame.locator("#try-sample").count(), 0, `${server.name}: the page was shown in the frame`);
    await context.close();
  }
});
