// Writes demo-info.json next to the packed demo: sizes the page compares
// (the split app's eager and lazy bytes vs the monolithic build).
import fs from 'node:fs';
import path from 'node:path';

const site = process.argv[2];
const manifest = JSON.parse(fs.readFileSync(path.join(site, 'app/lazylink.json'), 'utf8'));
const size = (f) => fs.statSync(path.join(site, f)).size;
const modules = Object.values(manifest.modules);
const info = {
  main: manifest.main,
  split: {
    eagerBytes: modules.filter((m) => m.policy === 'eager').reduce((n, m) => n + m.size, 0),
    totalBytes: modules.reduce((n, m) => n + m.size, 0),
    modules: Object.fromEntries(Object.entries(manifest.modules).map(([k, m]) => [k, { size: m.size, policy: m.policy }])),
  },
  chart: (() => {
    const chart = JSON.parse(fs.readFileSync(path.join(site, 'chart/lazylink.json'), 'utf8'));
    const mods = Object.values(chart.modules);
    return {
      totalBytes: mods.reduce((n, m) => n + m.size, 0),
      modules: Object.fromEntries(Object.entries(chart.modules).map(([k, m]) => [k, { size: m.size }])),
    };
  })(),
  mono: { wasmBytes: size('mono/notebook_mono.wasm'), jsBytes: size('mono/notebook_mono.mjs') },
};
fs.writeFileSync(path.join(site, 'demo-info.json'), JSON.stringify(info, null, 2) + '\n');
console.log(`demo site: eager ${info.split.eagerBytes} B of ${info.split.totalBytes} B; ` +
  `chart plugin ${info.chart.totalBytes} B; monolithic ${info.mono.wasmBytes} B`);
