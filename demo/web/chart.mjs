// Charts with the chart plugin: a separate component (its own memory),
// written in C against demo/chart/chart.wit, loaded the first time a chart
// is asked for. The typed boundary (WIT, Canonical ABI) carries the title
// and rows in, and the SVG (or an error) out.
let plugin = null;

export async function chartRows(title, rows, onProgress) {
  if (!plugin) {
    const { loadChartPlugin } = await import('/demo-chart/plugin.mjs');
    plugin = await loadChartPlugin({ onProgress });
  }
  return plugin.render(title, rows);
}
