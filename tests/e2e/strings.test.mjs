// The page's English and Japanese text, checked without a browser: both languages have the same keys and
// the same {placeholders}, for the frame (js/i18n.js), for every view (js/views/*.js) and for the Columns
// screen (js/views/columns.js), and every key the element's static markup (js/frame.js) names exists. (Imports the page's modules
// under Node; they touch the DOM only when called. The modules are the package's sources in js/.)
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const JS = path.join(ROOT, "js");
const { strings: frame, t } = await import(path.join(JS, "i18n.js"));
const { VIEWS } = await import(path.join(JS, "views/index.js"));
// The Columns screen is not a tab, but brings its strings the same way.
const columns = await import(path.join(JS, "views/columns.js"));

const sets = [
  ["js/i18n.js", frame],
  ...VIEWS.map((view) => [`js/views/${view.id}.js`, view.strings]),
  ["js/views/columns.js", columns.strings],
];
const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

test("English and Japanese have the same keys, in the frame and in every view", () => {
  assert.ok(VIEWS.length >= 5, "the registry lists the views");
  for (const [owner, set] of sets) {
    assert.deepEqual(Object.keys(set).sort(), ["en", "ja"], owner);
    const en = Object.keys(set.en).sort();
    const ja = Object.keys(set.ja).sort();
    assert.deepEqual(
      { onlyEnglish: en.filter((key) => !ja.includes(key)), onlyJapanese: ja.filter((key) => !en.includes(key)) },
      { onlyEnglish: [], onlyJapanese: [] },
      owner,
    );
  }
});

test("a string has the same {placeholders} in both languages, and no text is empty", () => {
  for (const [owner, set] of sets) {
    for (const [key, english] of Object.entries(set.en)) {
      assert.deepEqual(placeholders(set.ja[key]), placeholders(english), `${owner}: ${key}`);
      assert.ok(english.trim() && set.ja[key].trim(), `${owner}: ${key} is empty`);
    }
  }
});

test("every view has a tab label, and every key the markup names exists", async () => {
  for (const view of VIEWS) {
    for (const lang of ["en", "ja"]) assert.notEqual(t(lang, `${view.id}.tab`), `${view.id}.tab`, `${view.id} (${lang})`);
  }
  const html = await readFile(path.join(JS, "frame.js"), "utf8");
  const keys = [...html.matchAll(/data-i18n(?:-title|-label)?="([^"]+)"/g)].map((match) => match[1]);
  assert.ok(keys.length > 10);
  for (const key of keys) for (const lang of ["en", "ja"]) assert.notEqual(t(lang, key), key, `${key} (${lang})`);
});

test("every warning and error code of the core has a Japanese wording with the core's arguments", async () => {
  const { JAPANESE_CODES, messageText } = await import(path.join(JS, "messages.js"));
  const { WARNING_CODES, ERROR_CODES, MODEL_NOTE_CODES } = await import(path.join(JS, "names.js"));
  for (const code of [...WARNING_CODES, ...ERROR_CODES, ...MODEL_NOTE_CODES]) {
    assert.ok(JAPANESE_CODES.includes(code), `${code} has no Japanese wording`);
  }
  // Arguments are filled in; English shows the core's sentence as it is.
  const warning = { message: "'x' is not an amount", code: "not_an_amount", args: { value: "x" } };
  assert.equal(messageText(warning, "ja"), "「x」は金額として読めません（この行は集計から外しました）");
  assert.equal(messageText(warning, "en"), warning.message);
  assert.equal(messageText({ message: "m", code: "unknown", args: {} }, "ja"), "m");
});

test("every input.format the core can report has a name in both languages", async () => {
  const { FORMATS: formats } = await import(path.join(JS, "names.js"));
  for (const format of formats) {
    for (const lang of ["en", "ja"]) assert.notEqual(t(lang, `input.format.${format}`), `input.format.${format}`, `${format} (${lang})`);
  }
});
