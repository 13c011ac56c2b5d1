// Renders www/favicon.svg into the PNG icons the web app manifest lists (www/icon-192.png and
// www/icon-512.png), with headless Chromium (playwright-core and Debian's chromium, as the e2e tests use).
// The PNGs are committed; run this again after changing the SVG:
//
//     node tools/icons.mjs
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const WWW = path.join(path.dirname(fileURLToPath(import.meta.url)), "../www");
const svg = readFileSync(path.join(WWW, "favicon.svg"), "utf8");

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    const image = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
    await page.setContent(`<style>html,body{margin:0}img{display:block}</style><img src="${image}" width="${size}" height="${size}">`);
    await page.locator("img").evaluate((img) => img.decode());
    await page.screenshot({ path: path.join(WWW, `icon-${size}.png`), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
