// Charts with the chart plugin: a separate component (its own memory),
// written in C against demo/chart/chart.wit, loaded the first time a chart
// is asked for. The typed boundary (WIT, Canonical ABI) carries the title
// and rows in, and the SVG (or an error) out.
import { loadComponent } from '/web/dist/lazylink.mjs';

let plugin = null;

export async function chartRows(title, rows, onProgress) {
  if (!plugin) {
    // A failed load leaves `plugin` unset: the next chart tries again.
    // The plugin's own libstd is not the app's: name it apart in the panel.
    const label = (e) => ({ ...e, module: e.module === 'chart.wasm' ? e.module : `chart/${e.module}` });
    plugin = await loadComponent('/demo-chart/lazylink.json', { onProgress: onProgress && ((e) => onProgress(label(e))) });
  }
  return plugin.exports.chart.render(title, rows);
}
