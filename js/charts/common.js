// What the three charts share: the ECharts instance for an element (created once, resized with it), the
// palette and the base options (font, colours) that make them look like the rest of the page.

// ECharts (pkg/vendor/echarts.js, the largest file after the wasm) is not part of the page's first load: it
// is fetched when a file is dropped (app.js calls loadCharts), while the file is being read.
let echarts = null;
let loading = null;

/** Starts loading ECharts, once; resolves when charts can be drawn. */
export function loadCharts() {
  loading ??= import("../vendor/echarts.js").then((module) => {
    echarts = module;
  });
  return loading;
}

export const COLORS = {
  funnel: ["#1f4fbf", "#3366d6", "#5282e3", "#7aa1ec", "#a6c1f4"],
  histogram: "#14998a",
  new: "#3f6fe0",
  returning: "#14998a",
  guest: "#b4bcc8",
  text: "#1c2431",
  muted: "#667085",
  grid: "#e8ecf2",
};

export const FONT = 'system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic UI", Meiryo, sans-serif';

/**
 * The chart drawn in `el`: created on first use and kept sized to the element from then on. The element's
 * `data-drawn` is "true" once the chart has finished drawing (animation included), "false" while it draws.
 */
export function chartFor(el) {
  let chart = echarts.getInstanceByDom(el);
  if (!chart) {
    chart = echarts.init(el, null, { renderer: "canvas" });
    chart.on("finished", () => (el.dataset.drawn = "true"));
    new ResizeObserver(() => chart.resize()).observe(el);
  }
  return chart;
}

/** Options every chart starts from. */
export function baseOption() {
  return {
    animationDuration: 400,
    textStyle: { fontFamily: FONT, color: COLORS.text },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      textStyle: { fontFamily: FONT, color: COLORS.text, fontSize: 13 },
    },
  };
}

/** An axis in the page's quiet style. */
export function axisStyle() {
  return {
    axisLine: { lineStyle: { color: COLORS.grid } },
    axisTick: { show: false },
    axisLabel: { color: COLORS.muted },
    splitLine: { lineStyle: { color: COLORS.grid } },
  };
}

/** A value axis of counts (customers, orders) named `name`, in the shared axis style. */
export function countAxis(name) {
  return {
    type: "value",
    minInterval: 1,
    name,
    nameTextStyle: { color: COLORS.muted, align: "left" },
    ...axisStyle(),
    axisLine: { show: false },
  };
}

/** The width in pixels of the widest of `labels` in the charts' font at `size` px. */
export function textWidth(labels, size = 12) {
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${size}px ${FONT}`;
  return Math.ceil(Math.max(0, ...labels.map((label) => context.measureText(label).width)));
}

/** Draws `option` into `el`, replacing what was there. */
export function draw(el, option) {
  const chart = chartFor(el);
  el.dataset.drawn = "false";
  chart.setOption(option, { notMerge: true });
  return chart;
}
