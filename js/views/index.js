// The registry of the views of an <ltv-lens> element, in tab order. app.js builds one tab and one panel per entry and calls
// the view's functions; nothing else needs to know which views exist. A view module exports:
//   id                          its name: the tab is #tab-<id>, the panel #panel-<id>, its tab label "<id>.tab"
//   sections                    the Report sections it reads: it is drawn once they have arrived (the
//                               Report comes in parts, the models last), "being computed" until then
//   strings                     {en: {key: text}, ja: {key: text}}, the same keys in both languages
//   shown(report)               (optional) whether the view has anything to show for `report`: its tab is
//                               hidden while it has not (the subscriptions view for a file without them)
//   mount(panel, ctx)           once, when the element starts
//   render(report, ctx, panel)  to show a Report (again after a language change or a recomputation);
//                               called only while the panel is visible, so charts measure a real size
// ctx.state holds the element's state (lang, report, encoding, …); ctx.recompute(options) asks the worker for
// the Report with other options (F bands, prediction horizon, margin, …; kept across views) and re-renders;
// ctx.customers(filter) resolves with the customer rows (e.g. {topClv: 20}); ctx.download(filter, name)
// saves a customer list; ctx.reanalyze({dateOrder, keepOutlierDates, inputEncoding}) reads the file again with a
// day/month order, with or without the orders whose dates are outliers, or in a text encoding (each left out keeps
// the current choice);
// ctx.changeColumns() opens the Columns screen; ctx.root is the element's shadow root.
import { addStrings } from "../i18n.js";
import * as cohorts from "./cohorts.js";
import * as drivers from "./drivers.js";
import * as lapse from "./lapse.js";
import * as lists from "./lists.js";
import * as overview from "./overview.js";
import * as predicted from "./predicted.js";
import * as segments from "./segments.js";
import * as subscriptions from "./subscriptions.js";

export const VIEWS = [overview, cohorts, drivers, subscriptions, segments, lapse, predicted, lists];

for (const view of VIEWS) addStrings(view.id, view.strings);
