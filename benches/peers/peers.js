// The peers' page (benches/peers/index.html), bundled by benches/peers-browser.mjs with esbuild: the peers'
// workload (BENCHMARKS.md, "The peers' workload") by DuckDB-WASM (benches/peers.sql, as the native DuckDB
// runs it) or by PapaParse streaming + plain JS. On load the chosen tool starts (DuckDB: worker, wasm,
// connection; its start-up time in window.startup); the file handed to #file-input is then analysed and the
// result set in window.result ({customers, orders, revenue, repeat_rate, rfm_cells, cohort_cells}).
import * as duckdb from "@duckdb/duckdb-wasm";
import Papa from "papaparse";

const tool = new URLSearchParams(location.search).get("tool");

/** SQL's ntile(5) for ranks 0..n-1: the first n % 5 groups take one more row. */
function ntile5(i, n) {
  const q = Math.floor(n / 5);
  const big = (n % 5) * (q + 1);
  return i < big ? Math.floor(i / (q + 1)) + 1 : (n % 5) + Math.floor((i - big) / Math.max(q, 1)) + 1;
}

async function startDuckDB() {
  const start = performance.now();
  const worker = new Worker("duckdb-browser-eh.worker.js");
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL("duckdb-eh.wasm", location.href).href);
  const conn = await db.connect();
  const sql = await (await fetch("peers.sql")).text();
  window.startup = performance.now() - start;
  return async (file) => {
    await db.registerFileHandle("orders.csv", file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const statements = sql.replaceAll("{{csv}}", "orders.csv").split("\n;\n");
    for (const statement of statements.slice(0, -3)) await conn.query(statement);
    const results = [];
    for (const statement of statements.slice(-3)) results.push((await conn.query(statement)).toArray());
    const k = results[0][0];
    return {
      customers: Number(k.customers),
      orders: Number(k.orders),
      revenue: Number(k.revenue),
      repeat_rate: Number(k.repeat_rate),
      rfm_cells: results[1].length,
      cohort_cells: results[2].length,
    };
  };
}

const FIELDS = ["Email", "Created at", "Total", "Refunded Amount", "Financial Status", "Cancelled at"];

/** PapaParse streaming the File in chunks; each order keeps the first non-empty value of its fields. */
function papaWorkload(file) {
  return new Promise((resolve, reject) => {
    const orders = new Map();
    let idColumn = -1;
    let columns = null;
    Papa.parse(file, {
      skipEmptyLines: true,
      chunk(results) {
        for (const row of results.data) {
          if (columns === null) {
            idColumn = row.indexOf("Name");
            columns = FIELDS.map((name) => row.indexOf(name));
            continue;
          }
          const id = row[idColumn];
          const order = orders.get(id);
          if (order === undefined) {
            orders.set(id, columns.map((c) => row[c] ?? ""));
          } else {
            for (let f = 0; f < columns.length; f += 1) if (order[f] === "") order[f] = row[columns[f]] ?? "";
          }
        }
      },
      complete: () => resolve(analyse(orders)),
      error: reject,
    });
  });
}

function analyse(orderMap) {
  const orders = [];
  for (const [email, created, total, refunded, status, cancelled] of orderMap.values()) {
    const s = status.toLowerCase();
    if (s === "refunded" || s === "voided" || cancelled !== "") continue;
    orders.push({ customer: email.trim().toLowerCase() || null, day: created.slice(0, 10), revenue: Number(total) - (Number(refunded) || 0) });
  }
  let revenue = 0;
  let asOf = "";
  const customers = new Map();
  for (const o of orders) {
    revenue += o.revenue;
    if (o.day > asOf) asOf = o.day;
    if (o.customer === null) continue;
    let c = customers.get(o.customer);
    if (c === undefined) customers.set(o.customer, (c = { first: o.day, last: o.day, days: new Set(), revenue: 0 }));
    if (o.day < c.first) c.first = o.day;
    if (o.day > c.last) c.last = o.day;
    c.days.add(o.day);
    c.revenue += o.revenue;
  }
  const list = [...customers.values()];
  const n = list.length;
  const asOfMs = Date.parse(asOf);
  for (const c of list) c.recency = (asOfMs - Date.parse(c.last)) / 86400000;
  const score = (key, descending) => {
    const sorted = [...list].sort((a, b) => (descending ? b[key] - a[key] : a[key] - b[key]));
    const scores = new Map();
    sorted.forEach((c, i) => scores.set(c, ntile5(i, n)));
    return scores;
  };
  for (const c of list) c.occasions = c.days.size;
  const [r, f, m] = [score("recency", true), score("occasions", false), score("revenue", false)];
  const rfm = new Set(list.map((c) => `${r.get(c)}${f.get(c)}${m.get(c)}`));
  const cohorts = new Map();
  for (const o of orders) {
    if (o.customer === null) continue;
    const first = customers.get(o.customer).first;
    const k = (Number(o.day.slice(0, 4)) - Number(first.slice(0, 4))) * 12 + Number(o.day.slice(5, 7)) - Number(first.slice(5, 7));
    const key = `${first.slice(0, 7)} ${k}`;
    let active = cohorts.get(key);
    if (active === undefined) cohorts.set(key, (active = new Set()));
    active.add(o.customer);
  }
  return {
    customers: n,
    orders: orders.length,
    revenue,
    repeat_rate: list.filter((c) => c.occasions >= 2).length / n,
    rfm_cells: rfm.size,
    cohort_cells: cohorts.size,
  };
}

const run = tool === "duckdb" ? await startDuckDB() : papaWorkload;
window.ready = true;
document.getElementById("file-input").addEventListener("change", async (event) => {
  try {
    window.result = await run(event.target.files[0]);
  } catch (error) {
    window.result = { error: String(error) };
  }
  document.getElementById("out").textContent = JSON.stringify(window.result);
});
