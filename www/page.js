// The project page around the <ltv-lens> element: the header's language switch (the element's lang
// attribute; the browser's language to start with) and page-wide drops (a file dropped anywhere on the
// page, not only on the element, is analysed instead of the browser opening it).
const TEXT = {
  en: {
    tagline: "Repeat-purchase analytics for your order export",
    switch: "日本語",
    switchLabel: "日本語 – 表示言語を日本語に切り替える",
    footer: "LTV Lens reads your file on this device only: nothing is uploaded. Free software (MIT or Apache-2.0).",
  },
  ja: {
    tagline: "注文データからリピート購入を分析",
    switch: "English",
    switchLabel: "English – Switch the page to English",
    footer: "LTV Lens はファイルをこの端末の中だけで読み込みます。アップロードは一切ありません。フリーソフトウェア（MIT または Apache-2.0）。",
  },
};

const lens = document.getElementById("lens");
const toggle = document.getElementById("lang-toggle");

function setLang(lang) {
  document.documentElement.lang = lang;
  lens.setAttribute("lang", lang);
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = TEXT[lang][node.dataset.text];
  toggle.setAttribute("aria-label", TEXT[lang].switchLabel);
}

toggle.addEventListener("click", () => setLang(document.documentElement.lang === "ja" ? "en" : "ja"));
setLang((navigator.language || "").toLowerCase().startsWith("ja") ? "ja" : "en");

const isFileDrag = (event) => event.dataTransfer?.types.includes("Files");
document.addEventListener("dragover", (event) => {
  if (!isFileDrag(event)) return;
  event.preventDefault();
  event.dataTransfer.dropEffect = "copy";
});
document.addEventListener("drop", (event) => {
  // A drop on the element is the element's (it prevents the default); one elsewhere is forwarded to it.
  if (!isFileDrag(event) || event.defaultPrevented) return;
  event.preventDefault();
  const [file] = event.dataTransfer.files;
  if (file) lens.analyze(file);
});
