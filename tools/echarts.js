// The parts of ECharts the page draws with, bundled by `make package` (esbuild) into pkg/vendor/echarts.js:
// bar, line and heatmap charts on a grid, with tooltips, legends and the heatmaps' colour scale, drawn on
// a canvas. A chart type or component the views start to use must be added here.
import { use } from "echarts/core";
import { BarChart, HeatmapChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([BarChart, HeatmapChart, LineChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { getInstanceByDom, init } from "echarts/core";
