// The memory of the Chromium renderer processes a benchmark script started (benches/browser.mjs,
// benches/peers-browser.mjs), read from `ps`: those of other browsers on the machine are not counted.
import { execFileSync } from "node:child_process";

/**
 * Resident memory (MiB) of the renderer processes descended from this script: `total`, all of them summed,
 * and `largest`, the largest one, which is the page's own (its workers run in the same process): headless
 * Chromium starts two more renderers beside any page, 190–230 MiB together on the development machine
 * whatever the page does (measured with a blank page).
 */
export function rendererMemory() {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,rss=,args="], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [pid, ppid, rss] = line.trim().split(/\s+/, 3).map(Number);
      return { pid, ppid, rss, renderer: line.includes("--type=renderer") };
    });
  const parent = new Map(rows.map((row) => [row.pid, row.ppid]));
  const ours = (pid) => {
    for (let p = pid; p > 1; p = parent.get(p) ?? 0) if (p === process.pid) return true;
    return false;
  };
  const sizes = rows.filter((row) => row.renderer && ours(row.pid)).map((row) => row.rss / 1024);
  return { total: sizes.reduce((sum, size) => sum + size, 0), largest: Math.max(0, ...sizes) };
}

/** A sampler of rendererMemory() every 100 ms: `stop()` ends it and returns the peaks {total, largest}. */
export function sampleRendererMemory() {
  const peak = rendererMemory();
  const timer = setInterval(() => {
    const now = rendererMemory();
    peak.total = Math.max(peak.total, now.total);
    peak.largest = Math.max(peak.largest, now.largest);
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
