// The package's JS API (pkg/index.js) in the browser, as a vendor's page calls it: analyze() from every
// kind of source gives the CLI's Report; recompute(), customers() and customersCsv() answer from the same
// analysis; an aborted signal rejects with an AbortError at once; a file that is not an order export rejects
// with the core's code and sentence; a stream that breaks off rejects as unreadable.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { OUT, cliBytes, cliError, cliReport, openPage, pageSession, sampleFile } from "./helpers.mjs";

const session = pageSession();

test("analyze() reads a Response, a Blob, bytes and a stream into the CLI's Report, and answers from the same analysis", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server);
  const file = sampleFile(250, 31);
  await context.route("**/order-export.csv", (route) => route.fulfill({ body: readFileSync(file), contentType: "text/csv" }));
  const results = await page.evaluate(async () => {
    const { analyze } = await import("./pkg/index.js");
    const bytes = new Uint8Array(await (await fetch("order-export.csv")).arrayBuffer());
    const progress = [];
    const fromResponse = await analyze(await fetch("order-export.csv"), {}, { onProgress: (p) => progress.push(p) });
    const fromBlob = await analyze(new Blob([bytes]));
    const fromBytes = await analyze(bytes.slice());
    const fromBuffer = await analyze(bytes.slice().buffer);
    // A stream in small, odd-sized chunks.
    let offset = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + 1000));
        offset += 1000;
      },
    });
    const fromStream = await analyze(stream, { f2WindowDays: 90 });
    const reports = [fromResponse, fromBlob, fromBytes, fromBuffer].map((analysis) => analysis.report);
    const recomputed = await fromBlob.recompute({ f2WindowDays: 90 });
    const champions = await fromBlob.customers({ segment: "champions" });
    const csv = await fromBlob.customersCsv({}, "utf-8", "en");
    const japanese = await fromBlob.customersCsv({ segment: "champions" }, "shift_jis", "ja");
    for (const analysis of [fromResponse, fromBlob, fromBytes, fromBuffer, fromStream]) analysis.close();
    return {
      reports,
      stream: fromStream.report,
      recomputed,
      afterRecompute: fromBlob.report.kpis.f2.window_days,
      champions: champions.length,
      csv: Array.from(csv),
      japanese: Array.from(japanese),
      progress,
      size: bytes.length,
    };
  });
  const report = cliReport(file);
  const report90 = cliReport(file, "--f2-window", "90");
  for (const shown of results.reports) assert.deepEqual(shown, report);
  assert.deepEqual(results.stream, report90);
  assert.deepEqual(results.recomputed, report90);
  assert.equal(results.afterRecompute, 90);
  assert.equal(results.champions, report.rfm.segments.find((segment) => segment.key === "champions").customers);
  assert.deepEqual(Buffer.from(results.csv), cliBytes("customers", file));
  assert.deepEqual(Buffer.from(results.japanese), cliBytes("customers", file, "--segment", "champions", "--encoding", "shift_jis", "--lang", "ja"));
  assert.ok(results.progress.length >= 1);
  assert.deepEqual(results.progress.at(-1), { read: results.size, total: results.size });
  assert.deepEqual(problems, []);
  await context.close();
});

test("an aborted signal rejects with an AbortError; a file that is not an export rejects with the core's code", async () => {
  const { context, page, problems } = await openPage(session.browser, session.server);
  const png = path.join(OUT, "api-not-an-export.png");
  const bytes = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52];
  const { writeFileSync } = await import("node:fs");
  writeFileSync(png, Buffer.from(bytes));
  const outcome = await page.evaluate(async (png) => {
    const { analyze, AnalysisError } = await import("./pkg/index.js");
    const settle = (promise) => promise.then(() => ({ resolved: true }), (error) => ({ name: error.name, code: error.code ?? null, message: error.message, isAnalysisError: error instanceof AnalysisError }));
    // Aborted before it starts, and while a stream that never ends is being read.
    const early = new AbortController();
    early.abort();
    const before = await settle(analyze(new Blob(["a,b\n"]), {}, { signal: early.signal }));
    const late = new AbortController();
    const endless = new ReadableStream({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode("order_id,date,total\n"));
        return new Promise(() => {}); // nothing more, ever
      },
    });
    const running = settle(analyze(endless, {}, { signal: late.signal, onProgress: () => late.abort() }));
    const during = await running;
    const notAnExport = await settle(analyze(new Uint8Array(png)));
    // A download that breaks off: the stream errors after its first chunk.
    let pulls = 0;
    const broken = new ReadableStream({
      pull(controller) {
        pulls += 1;
        if (pulls === 1) controller.enqueue(new TextEncoder().encode("order_id,date,total\n1,2024-01-01,10\n"));
        else controller.error(new TypeError("network error"));
      },
    });
    const brokenOff = await settle(analyze(broken));
    return { before, during, notAnExport, brokenOff };
  }, bytes);
  assert.equal(outcome.before.name, "AbortError");
  assert.equal(outcome.during.name, "AbortError");
  assert.equal(outcome.notAnExport.isAnalysisError, true);
  assert.equal(outcome.notAnExport.code, "not_text");
  assert.equal(outcome.notAnExport.message, cliError(png));
  assert.equal(outcome.brokenOff.code, "source_unreadable");
  assert.match(outcome.brokenOff.message, /could not be read: network error/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a Blob of several 4 MiB slices, the last one short, is read slice by slice into the CLI's Report, also where Blob streams are not byte streams", async () => {
  // 8,000 customers: about 9.2 MiB, so the worker reads two full slices and a short third one: through the
  // Blob's byte stream (pieces smaller than a slice, into its two buffers in turn), and again with a worker
  // whose Blob streams are plain streams, as in Safari before 26.4 (a new buffer per slice).
  const file = sampleFile(8000, 7);
  const report = cliReport(file);
  const plainStreams = `{
    const byteStream = Blob.prototype.stream;
    Blob.prototype.stream = function () {
      const reader = byteStream.call(this).getReader();
      return new ReadableStream({ async pull(controller) { const { value, done } = await reader.read(); if (done) controller.close(); else controller.enqueue(value); } });
    };
  }
`;
  for (const streams of ["byte streams", "plain streams"]) {
    const context = await session.browser.newContext({ serviceWorkers: "block" });
    await context.route("**/order-export.csv", (route) => route.fulfill({ body: readFileSync(file), contentType: "text/csv" }));
    if (streams === "plain streams") {
      await context.route("**/pkg/worker.js", async (route) => {
        const response = await route.fetch();
        route.fulfill({ response, body: plainStreams + (await response.text()) });
      });
    }
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(session.server.url);
    const results = await page.evaluate(async () => {
      const { analyze } = await import("./pkg/index.js");
      const { SLICE_BYTES } = await import("./pkg/protocol.js");
      const blob = await (await fetch("order-export.csv")).blob();
      const progress = [];
      const analysis = await analyze(blob, {}, { onProgress: (p) => progress.push(p) });
      analysis.close();
      return { report: analysis.report, progress, size: blob.size, slice: SLICE_BYTES };
    });
    assert.ok(results.size > 2 * results.slice && results.size < 3 * results.slice, `${results.size} bytes: not between two and three slices`);
    assert.deepEqual(results.report, report, streams);
    // One progress update per slice taken: at 4 MiB, 8 MiB and the file's end.
    const expected = [results.slice, 2 * results.slice, results.size].map((read) => ({ read, total: results.size }));
    assert.deepEqual(results.progress, expected, streams);
    assert.deepEqual(problems, []);
    await context.close();
  }
});
